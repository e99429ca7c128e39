"""_base_client.py / _exceptions.py: configuration, headers, errors, raw responses."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

BASE_URL = "https://api.test/v1"  # what make_client uses
THREAD = {"id": "cthr_1", "object": "chatkit.thread", "title": "Hello"}
ClientFactory = Callable[..., Any]


def ok(payload: object = THREAD, **kwargs: Any) -> httpx.Response:
    return httpx.Response(200, json=payload, **kwargs)


def get_thread(rt: SimpleNamespace) -> Any:
    return rt.APIRequest("GET", "/chatkit/threads/cthr_1")


# ----------------------------------------------------------------- configuration


def test_api_key_from_argument_and_default_headers(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory
) -> None:
    replay = script(ok())
    client = make_client(replay, api_key="sk-arg")
    thread = client.request(get_thread(rt), cast_to=rt.models.Thread)
    assert thread == rt.models.Thread(id="cthr_1", title="Hello")
    sent = replay.requests[0]
    assert sent.headers["authorization"] == "Bearer sk-arg"
    assert sent.headers["user-agent"] == "chatkit_api/1.0.0"
    assert sent.headers["accept"] == "application/json"
    assert str(sent.url) == f"{BASE_URL}/chatkit/threads/cthr_1"


def test_api_key_from_env(
    rt: SimpleNamespace,
    script: Any,
    make_client: ClientFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RTPKG_TEST_API_KEY", "sk-env")
    replay = script(ok())
    make_client(replay, api_key=None).request(get_thread(rt), cast_to=rt.models.Thread)
    assert replay.requests[0].headers["authorization"] == "Bearer sk-env"


@pytest.mark.parametrize("api_key", [None, ""])
def test_missing_api_key_names_env_var(rt: SimpleNamespace, api_key: Any) -> None:
    with pytest.raises(rt.APIError, match="RTPKG_TEST_API_KEY"):
        rt.SyncAPIClient(api_key=api_key)
    with pytest.raises(rt.APIError, match="RTPKG_TEST_API_KEY"):
        rt.AsyncAPIClient(api_key=api_key)


def test_base_url_argument_env_and_default(
    rt: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert str(rt.SyncAPIClient(api_key="k").base_url) == "https://api.openai.com/v1"
    monkeypatch.setenv("RTPKG_TEST_BASE_URL", "https://env.example/v2")
    assert str(rt.SyncAPIClient(api_key="k").base_url) == "https://env.example/v2"
    client = rt.SyncAPIClient(api_key="k", base_url="http://localhost:4010/mock")
    assert str(client.base_url) == "http://localhost:4010/mock"
    built = client._build_request(
        rt.APIRequest("GET", "/chatkit/threads"),
        extra_headers=None,
        timeout=rt.NOT_GIVEN,
    )
    assert str(built.url) == "http://localhost:4010/mock/chatkit/threads"


@pytest.mark.parametrize("base_url", ["api.openai.com/v1", "ftp://x/v1", "/v1"])
def test_invalid_base_url_rejected(rt: SimpleNamespace, base_url: str) -> None:
    with pytest.raises(ValueError, match="Base URL"):
        rt.SyncAPIClient(api_key="k", base_url=base_url)


def test_header_injection_refused_everywhere(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory
) -> None:
    with pytest.raises(ValueError):
        rt.SyncAPIClient(api_key="sk\r\nX-Evil: 1")
    with pytest.raises(ValueError):
        rt.SyncAPIClient(api_key="k", default_headers={"X-Team": "a\nb"})
    replay = script()
    client = make_client(replay)
    with pytest.raises(ValueError):
        client.request(
            get_thread(rt), cast_to=rt.models.Thread, extra_headers={"X-A": "1\r\n"}
        )
    assert replay.requests == []


def test_header_precedence_and_per_call_timeout(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory
) -> None:
    replay = script(ok(), ok())
    client = make_client(
        replay, default_headers={"OpenAI-Beta": "chatkit_beta=v0"}, timeout=12.0
    )
    request = rt.APIRequest(
        "GET", "/chatkit/threads/cthr_1", headers={"OpenAI-Beta": "chatkit_beta=v1"}
    )
    client.request(request, cast_to=rt.models.Thread, extra_headers={"X-Trace": "t"})
    client.request(
        request,
        cast_to=rt.models.Thread,
        extra_headers={"openai-beta": "override"},
        timeout=httpx.Timeout(3.0, connect=1.0),
    )
    first, second = replay.requests
    assert first.headers["openai-beta"] == "chatkit_beta=v1"
    assert first.headers["x-trace"] == "t"
    assert first.extensions["timeout"] == httpx.Timeout(12.0).as_dict()
    assert second.headers.get_list("openai-beta") == ["override"]
    assert second.extensions["timeout"] == httpx.Timeout(3.0, connect=1.0).as_dict()


def test_owned_client_closed_but_injected_client_left_open(rt: SimpleNamespace) -> None:
    with rt.SyncAPIClient(api_key="k") as owned:
        inner = owned._client
    assert inner.is_closed
    injected = httpx.Client()
    with rt.SyncAPIClient(api_key="k", http_client=injected):
        pass
    assert not injected.is_closed
    injected.close()


# ----------------------------------------------------------------- error mapping


@pytest.mark.parametrize(
    ("status", "class_name"),
    [
        (400, "BadRequestError"),
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (409, "ConflictError"),
        (422, "UnprocessableEntityError"),
        (429, "RateLimitError"),
        (500, "InternalServerError"),
        (503, "InternalServerError"),
        (418, "APIStatusError"),
    ],
)
def test_status_errors_are_mapped(
    rt: SimpleNamespace,
    script: Any,
    make_client: ClientFactory,
    status: int,
    class_name: str,
) -> None:
    body = {"error": {"message": "No thread found", "type": "invalid_request_error"}}
    response = httpx.Response(status, json=body, headers={"x-request-id": "req_123"})
    client = make_client(script(response), max_retries=0)
    with pytest.raises(rt.APIStatusError) as info:
        client.request(get_thread(rt), cast_to=rt.models.Thread)
    error = info.value
    assert type(error) is getattr(rt, class_name)
    assert isinstance(error, rt.APIError)
    assert error.status_code == status
    assert error.request_id == "req_123"
    assert error.body == body
    assert error.message == f"Error code: {status} - No thread found"
    assert str(error) == error.message
    assert error.response.status_code == status
    assert error.request.url.path == "/v1/chatkit/threads/cthr_1"


def test_error_body_text_and_empty(rt: SimpleNamespace) -> None:
    request = httpx.Request("GET", f"{BASE_URL}/x")
    text = rt.status_error_for(httpx.Response(502, text="Bad gateway", request=request))
    assert isinstance(text, rt.InternalServerError)
    assert text.body == "Bad gateway"
    assert text.message == "Error code: 502 - Bad gateway"
    assert text.request_id is None
    empty = rt.status_error_for(httpx.Response(404, request=request))
    assert isinstance(empty, rt.NotFoundError)
    assert empty.body is None
    assert empty.message == "Error code: 404"


def test_timeout_raises_api_timeout_error(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory, delays: list[float]
) -> None:
    replay = script(
        httpx.ReadTimeout("read timed out"), httpx.ConnectTimeout("connect timed out")
    )
    client = make_client(replay, max_retries=1)
    with pytest.raises(rt.APITimeoutError) as info:
        client.request(get_thread(rt), cast_to=rt.models.Thread)
    assert isinstance(info.value, rt.APIConnectionError)
    assert isinstance(info.value.__cause__, httpx.TimeoutException)
    assert info.value.request.url.path == "/v1/chatkit/threads/cthr_1"
    assert len(replay.requests) == 2 and len(delays) == 1


def test_connection_error_raises_api_connection_error(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory
) -> None:
    client = make_client(
        script(httpx.ConnectError("connection refused")), max_retries=0
    )
    with pytest.raises(rt.APIConnectionError) as info:
        client.request(get_thread(rt), cast_to=rt.models.Thread)
    assert not isinstance(info.value, rt.APITimeoutError)
    assert "connection refused" in info.value.message


# ----------------------------------------------------------------- raw responses


def test_raw_response_exposes_status_headers_and_parses_once(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory
) -> None:
    response = httpx.Response(
        201, json=THREAD, headers={"x-request-id": "req_9", "openai-processing-ms": "7"}
    )
    client = make_client(script(response))
    raw = client.request_raw(get_thread(rt), cast_to=rt.models.Thread)
    assert raw.status_code == 201
    assert raw.headers["openai-processing-ms"] == "7"
    assert raw.request_id == "req_9"
    assert raw.http_response.json() == THREAD
    parsed = raw.parse()
    assert parsed.title == "Hello"
    assert raw.parse() is parsed
    assert "req_9" in repr(raw)


def test_raw_response_goes_through_errors_and_retries(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory
) -> None:
    replay = script(httpx.Response(503), ok())
    raw = make_client(replay).request_raw(get_thread(rt), cast_to=rt.models.Thread)
    assert raw.status_code == 200 and len(replay.requests) == 2
    failing = make_client(script(httpx.Response(404)))
    with pytest.raises(rt.NotFoundError):
        failing.request_raw(get_thread(rt), cast_to=rt.models.Thread)


# ----------------------------------------------------------------- async client


def test_async_client_request_errors_and_context_manager(
    rt: SimpleNamespace,
    script: Any,
    make_async_client: ClientFactory,
    delays: list[float],
) -> None:
    replay = script(
        httpx.Response(500),
        httpx.ConnectError("reset"),
        ok(headers={"x-request-id": "req_a"}),
        httpx.Response(401, json={"error": {"message": "Bad key"}}),
    )

    async def main() -> None:
        async with make_async_client(replay, api_key="sk-async") as client:
            raw = await client.request_raw(get_thread(rt), cast_to=rt.models.Thread)
            assert raw.request_id == "req_a"
            assert raw.parse().id == "cthr_1"
            with pytest.raises(rt.AuthenticationError, match="Bad key"):
                await client.request(get_thread(rt), cast_to=rt.models.Thread)

    asyncio.run(main())
    assert len(replay.requests) == 4
    assert replay.requests[0].headers["authorization"] == "Bearer sk-async"
    assert len(delays) == 2


def test_async_timeout_and_owned_client_close(rt: SimpleNamespace, script: Any) -> None:
    async def main() -> None:
        transport = httpx.MockTransport(script(httpx.ReadTimeout("slow")))
        client = rt.AsyncAPIClient(
            api_key="k",
            max_retries=0,
            http_client=httpx.AsyncClient(transport=transport),
        )
        with pytest.raises(rt.APITimeoutError):
            await client.request(get_thread(rt), cast_to=rt.models.Thread)
        owned = rt.AsyncAPIClient(api_key="k")
        await owned.aclose()
        assert owned._client.is_closed

    asyncio.run(main())


def test_cast_to_type_adapter_and_none(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory
) -> None:
    import pydantic

    items = [{"id": "i1", "type": "chatkit.widget", "widget": "w"}]
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(
        list[rt.models.ThreadItem]  # type: ignore[name-defined]
    )
    client = make_client(script(ok(items), httpx.Response(204)))
    parsed = client.request(get_thread(rt), cast_to=adapter)
    assert isinstance(parsed[0], rt.models.WidgetItem)
    raw = client.request_raw(rt.APIRequest("DELETE", "/x"), cast_to=rt.NoneType)
    assert raw.status_code == 204
    assert raw.parse() is None
    assert "cast_to=NoneType" in repr(raw)
    assert rt.type_adapter(rt.models.Thread) is rt.type_adapter(rt.models.Thread)
