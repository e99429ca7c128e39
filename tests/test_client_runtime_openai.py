"""The generated client against what openai-python users expect of it.

Runs the committed ``generated/chatkit_api`` package on httpx.MockTransport:
response validation errors (and the lenient default for server-side drift),
logging, ``with_raw_response`` / ``with_streaming_response``, page metadata,
``with_options`` / ``copy`` and the httpx options of the constructor.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pydantic
import pytest
import yaml
from conftest import SPEC

BASE = "https://api.test/v1"
KEY = "sk-secret-key-123"


def _example(operation_id: str) -> Any:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    for item in spec["paths"].values():
        for op in item.values():
            if op.get("operationId") == operation_id:
                examples = op["responses"]["200"]["content"]["application/json"][
                    "examples"
                ]
                return next(iter(examples.values()))["value"]
    raise KeyError(operation_id)


THREAD = _example("RetrieveChatKitThread")
PAGE = _example("ListChatKitThreads")


class Recorder:
    """MockTransport handler answering with ``steps`` in turn and recording requests."""

    def __init__(
        self,
        *steps: httpx.Response | Exception | Callable[[httpx.Request], httpx.Response],
    ) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0)
        if isinstance(step, Exception):
            raise step
        return step(request) if callable(step) else step


def client(ck: Any, recorder: Recorder, **options: Any) -> Any:
    options.setdefault("api_key", KEY)
    options.setdefault("base_url", BASE)
    options.setdefault("rng", random.Random(3))
    options.setdefault("sleep", lambda _: None)
    return ck.ChatKitClient(transport=httpx.MockTransport(recorder), **options)


def aclient(ck: Any, recorder: Recorder, **options: Any) -> Any:
    async def sleep(_: float) -> None:
        return None

    options.setdefault("api_key", KEY)
    options.setdefault("base_url", BASE)
    options.setdefault("sleep", sleep)
    return ck.AsyncChatKitClient(transport=httpx.MockTransport(recorder), **options)


def ok(body: Any, **headers: str) -> httpx.Response:
    return httpx.Response(200, json=body, headers=headers)


# ------------------------------------------------------------ validation errors


def test_malformed_json_is_an_api_response_validation_error(chatkit_api: Any) -> None:
    bad = httpx.Response(
        200,
        content=b'{"id": "cthr_1", ',
        headers={"x-request-id": "req_bad", "content-type": "application/json"},
    )
    ck = client(chatkit_api, Recorder(bad))
    with pytest.raises(chatkit_api.APIResponseValidationError) as info:
        ck.beta.chatkit.threads.retrieve("cthr_1")
    error = info.value
    assert isinstance(error, chatkit_api.APIError)
    assert (error.status_code, error.request_id, error.body) == (
        200,
        "req_bad",
        '{"id": "cthr_1", ',
    )
    assert (
        error.response is not None
        and error.request.url.path == "/v1/chatkit/threads/cthr_1"
    )
    assert isinstance(error.error, ValueError) and not isinstance(
        error, pydantic.ValidationError
    )


def test_drift_is_tolerated_by_default_like_openai_python(chatkit_api: Any) -> None:
    drifted = {
        **THREAD,
        "created_at": "yesterday",
        "status": {"type": "archived", "reason": "old"},
        "new_field": 1,
    }
    thread = client(chatkit_api, Recorder(ok(drifted))).beta.chatkit.threads.retrieve(
        "cthr_1"
    )
    assert isinstance(thread, chatkit_api.types.ChatKitThread)
    assert (thread.id, thread.user, thread.created_at) == (
        THREAD["id"],
        THREAD["user"],
        "yesterday",
    )
    assert thread.status.type == "archived"  # a variant the client does not know yet
    assert thread.model_extra == {"new_field": 1}
    fitting = client(chatkit_api, Recorder(ok(THREAD))).beta.chatkit.threads.retrieve(
        "cthr_1"
    )
    assert (
        fitting.status.reason == THREAD["status"]["reason"]
        and type(fitting.status).__name__ == "StatusLocked"
    )


def test_strict_response_validation_raises_with_the_pydantic_error(
    chatkit_api: Any,
) -> None:
    drifted = {**THREAD, "created_at": "yesterday"}
    ck = client(
        chatkit_api,
        Recorder(ok(drifted, **{"x-request-id": "req_s"})),
        strict_response_validation=True,
    )
    with pytest.raises(chatkit_api.APIResponseValidationError) as info:
        ck.beta.chatkit.threads.retrieve("cthr_1")
    assert isinstance(info.value.error, pydantic.ValidationError)
    assert (info.value.request_id, info.value.body) == ("req_s", drifted)
    # switched per client copy, and for the items of a page too
    lenient = client(
        chatkit_api,
        Recorder(ok({**PAGE, "data": [drifted]}), ok({**PAGE, "data": [drifted]})),
    )
    assert lenient.beta.chatkit.threads.list().data[0].created_at == "yesterday"
    with pytest.raises(chatkit_api.APIResponseValidationError):
        lenient.with_options(
            strict_response_validation=True
        ).beta.chatkit.threads.list()


def test_a_page_that_is_not_a_json_object_is_a_validation_error(
    chatkit_api: Any,
) -> None:
    ck = client(
        chatkit_api, Recorder(ok([1, 2]), httpx.Response(200, content=b"<html>"))
    )
    for _ in range(2):
        with pytest.raises(chatkit_api.APIResponseValidationError) as info:
            ck.beta.chatkit.threads.list()
        assert info.value.status_code == 200


# ---------------------------------------------------------------------- logging


@pytest.fixture
def debug_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG, logger="chatkit_api")
    return caplog


def test_requests_retries_and_responses_are_logged_without_the_key(
    chatkit_api: Any, debug_log: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder(
        httpx.Response(500, headers={"retry-after-ms": "250"}),
        ok(THREAD, **{"x-request-id": "req_9"}),
    )
    client(chatkit_api, recorder).beta.chatkit.threads.retrieve("cthr_1")
    records = [r for r in debug_log.records if r.name == "chatkit_api"]
    messages = [r.getMessage() for r in records]
    url = f"{BASE}/chatkit/threads/cthr_1"
    assert messages[0].startswith(f"Request: GET {url} (attempt 1) headers=")
    assert (
        messages[1]
        == f'HTTP Response: GET {url} "500 Internal Server Error" request_id=None'
    )
    assert (
        messages[2]
        == f"Retrying GET {url} in 0.25 seconds (retry 1 of 2): 500 Internal Server Error"
    )
    assert messages[3].startswith(f"Request: GET {url} (attempt 2)")
    assert messages[4] == f'HTTP Response: GET {url} "200 OK" request_id=req_9'
    assert [r.levelname for r in records] == ["DEBUG", "INFO", "INFO", "DEBUG", "INFO"]
    assert (
        "'authorization': '<redacted>'" in messages[0]
        and "'openai-beta': 'chatkit_beta=v1'" in messages[0]
    )
    assert all(KEY not in m and "Bearer" not in m for m in messages)
    assert (
        recorder.requests[0].headers["Authorization"] == f"Bearer {KEY}"
    )  # redacted in the log only


def test_connection_errors_are_logged_as_the_retry_reason(
    chatkit_api: Any, debug_log: pytest.LogCaptureFixture
) -> None:
    client(
        chatkit_api, Recorder(httpx.ConnectError("refused"), ok(THREAD))
    ).beta.chatkit.threads.retrieve("cthr_1")
    retries = [
        r.getMessage()
        for r in debug_log.records
        if r.getMessage().startswith("Retrying")
    ]
    assert len(retries) == 1 and retries[0].endswith("(retry 1 of 2): ConnectError")


def test_the_log_variable_turns_logging_on(
    chatkit_api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = chatkit_api._base_client
    assert (
        base.LOG_ENV == "CHATKIT_LOG"
    )  # from CHATKIT_BASE_URL, as the API key's variable comes from config
    logger = logging.getLogger("chatkit_api")
    level, handlers = logger.level, list(logger.handlers)
    try:
        monkeypatch.setenv("CHATKIT_LOG", "nonsense")
        base.setup_logging()
        assert logger.level == level and logger.handlers == handlers
        monkeypatch.setenv("CHATKIT_LOG", "info")
        base.setup_logging()
        assert logger.level == logging.INFO and len(logger.handlers) == max(
            len(handlers), 1
        )
        monkeypatch.setenv("CHATKIT_LOG", "DEBUG")
        base.setup_logging()
        assert logger.level == logging.DEBUG and len(logger.handlers) == max(
            len(handlers), 1
        )
    finally:
        logger.setLevel(level)
        logger.handlers[:] = handlers


# ---------------------------------------------------- raw and streamed responses


class TrackedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that records whether, and how far, it was read."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.read = False
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        self.read = True
        yield from self.body.splitlines(keepends=True)

    async def __aiter__(self) -> Any:
        self.read = True
        for line in self.body.splitlines(keepends=True):
            yield line

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def tracked(body: Any, **headers: str) -> tuple[httpx.Response, TrackedStream]:
    stream = TrackedStream(json.dumps(body, indent=1).encode())
    headers.setdefault("content-type", "application/json")
    return httpx.Response(200, stream=stream, headers=headers), stream


def test_with_streaming_response_reads_the_body_only_when_asked(
    chatkit_api: Any,
) -> None:
    response, stream = tracked(THREAD, **{"x-request-id": "req_s1"})
    ck = client(chatkit_api, Recorder(response))
    with ck.beta.chatkit.threads.with_streaming_response.retrieve("cthr_1") as raw:
        assert (raw.status_code, raw.request_id, stream.read) == (200, "req_s1", False)
        thread = raw.parse()
        assert stream.read and isinstance(thread, chatkit_api.types.ChatKitThread)
        assert raw.parse() is thread
    assert stream.closed

    response, stream = tracked(THREAD)
    with client(
        chatkit_api, Recorder(response)
    ).with_streaming_response.beta.chatkit.threads.retrieve("c") as raw:
        lines = list(raw.iter_lines())
    assert lines[0] == "{" and json.loads("".join(lines)) == THREAD and stream.closed

    response, stream = tracked(THREAD)
    manager = client(
        chatkit_api, Recorder(response)
    ).beta.chatkit.threads.with_streaming_response.retrieve("c")
    with manager as raw:
        assert json.loads(b"".join(raw.iter_bytes())) == THREAD


def test_with_streaming_response_async(chatkit_api: Any) -> None:
    async def main() -> tuple[Any, list[str], TrackedStream]:
        response, stream = tracked(THREAD)
        async with aclient(chatkit_api, Recorder(response)) as ck:
            async with ck.beta.chatkit.threads.with_streaming_response.retrieve(
                "cthr_1"
            ) as raw:
                assert not stream.read and raw.status_code == 200
                thread = await raw.parse()
        response2, stream2 = tracked(PAGE)
        ck2 = aclient(chatkit_api, Recorder(response2))
        async with ck2.with_streaming_response.beta.chatkit.threads.list() as raw_page:
            lines = [line async for line in raw_page.iter_lines()]
        return thread, lines, stream2

    thread, lines, stream = asyncio.run(main())
    assert (
        thread.id == THREAD["id"]
        and json.loads("".join(lines)) == PAGE
        and stream.closed
    )


def test_raw_and_streamed_lists_parse_to_pages_with_metadata(chatkit_api: Any) -> None:
    second = {**PAGE, "has_more": False}
    recorder = Recorder(
        ok(PAGE, **{"x-request-id": "req_p1"}), ok(second, **{"x-request-id": "req_p2"})
    )
    ck = client(chatkit_api, recorder)
    raw = ck.beta.chatkit.threads.with_raw_response.list(limit=2)
    page = raw.parse()
    assert isinstance(page, chatkit_api.pagination.SyncConversationCursorPage)
    assert (raw.request_id, page.request_id, page.response.status_code) == (
        "req_p1",
        "req_p1",
        200,
    )
    following = page.get_next_page()  # the page keeps its client
    assert following is not None and following.request_id == "req_p2"
    assert recorder.requests[1].url.params["after"] == PAGE["last_id"]

    response, stream = tracked(PAGE, **{"x-request-id": "req_p3"})
    with client(
        chatkit_api, Recorder(response)
    ).beta.chatkit.threads.with_streaming_response.list() as streamed:
        assert not stream.read
        streamed_page = streamed.parse()
    assert streamed_page.request_id == "req_p3" and [
        t.id for t in streamed_page.data
    ] == [t["id"] for t in PAGE["data"]]


def test_page_metadata_on_plain_calls_sync_and_async(chatkit_api: Any) -> None:
    page = client(
        chatkit_api, Recorder(ok(PAGE, **{"x-request-id": "req_a"}))
    ).beta.chatkit.threads.list()
    assert (
        page.request_id == "req_a"
        and page.response.request.url.path == "/v1/chatkit/threads"
    )

    async def main() -> Any:
        return await aclient(
            chatkit_api, Recorder(ok(PAGE, **{"x-request-id": "req_b"}))
        ).beta.chatkit.threads.list()

    assert asyncio.run(main()).request_id == "req_b"


def test_errors_inside_response_views_are_still_typed(chatkit_api: Any) -> None:
    ck = client(
        chatkit_api,
        Recorder(httpx.Response(404, json={"error": {"message": "gone"}})),
        max_retries=0,
    )
    with pytest.raises(chatkit_api.NotFoundError, match="gone"):
        with ck.beta.chatkit.threads.with_streaming_response.retrieve("cthr_1"):
            pass


# ----------------------------------------------------------- with_options / copy


def test_with_options_overrides_and_leaves_the_original_alone(chatkit_api: Any) -> None:
    recorder = Recorder(httpx.Response(500), ok(THREAD), ok(THREAD))
    ck = client(chatkit_api, recorder, default_headers={"X-Team": "a"})
    other = ck.with_options(
        api_key="sk-other",
        base_url="https://other.test/v2",
        timeout=5.0,
        max_retries=0,
        default_headers={"X-Extra": "1"},
    )
    assert type(other) is type(ck) and ck.copy is not None
    with pytest.raises(chatkit_api.InternalServerError):
        other.beta.chatkit.threads.retrieve("cthr_1")  # max_retries=0: one attempt
    sent = recorder.requests[0]
    assert str(sent.url) == "https://other.test/v2/chatkit/threads/cthr_1"
    assert (
        sent.headers["Authorization"],
        sent.headers["X-Team"],
        sent.headers["X-Extra"],
    ) == ("Bearer sk-other", "a", "1")
    assert sent.extensions["timeout"]["read"] == 5.0
    other.close()  # shares the connection pool: the original stays usable
    ck.beta.chatkit.threads.retrieve("cthr_1")
    original = recorder.requests[1]
    assert (
        str(original.url).startswith(BASE)
        and original.headers["Authorization"] == f"Bearer {KEY}"
    )
    assert "X-Extra" not in original.headers and ck.retry_policy.max_retries == 2
    replaced = ck.copy(set_default_headers={"X-Only": "z"})
    replaced.beta.chatkit.threads.retrieve("cthr_1")
    assert (
        "X-Team" not in recorder.requests[2].headers
        and recorder.requests[2].headers["X-Only"] == "z"
    )
    with pytest.raises(ValueError, match="not both"):
        ck.copy(default_headers={}, set_default_headers={})


def test_async_with_options(chatkit_api: Any) -> None:
    recorder = Recorder(ok(THREAD))

    async def main() -> None:
        ck = aclient(chatkit_api, recorder)
        await ck.with_options(
            base_url="https://b.test/x"
        ).beta.chatkit.threads.retrieve("t")

    asyncio.run(main())
    assert str(recorder.requests[0].url) == "https://b.test/x/chatkit/threads/t"


# ----------------------------------------------------------- httpx conveniences


def test_proxy_and_friends_reach_httpx(
    chatkit_api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}
    real = httpx.Client

    def spy(**kwargs: Any) -> httpx.Client:
        seen.update(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(httpx, "Client", spy)
    limits = httpx.Limits(max_connections=3)
    ck = chatkit_api.ChatKitClient(
        api_key=KEY, proxy="http://proxy.local:3128", limits=limits, verify=False
    )
    assert (seen["proxy"], seen["limits"], seen["verify"]) == (
        "http://proxy.local:3128",
        limits,
        False,
    )
    mounted = [
        str(getattr(t, "_pool", None) and t._pool._proxy_url)
        for t in ck._client._mounts.values()
    ]
    assert any("proxy.local" in m for m in mounted)  # httpx routes through the proxy
    ck.close()
    with pytest.raises(ValueError, match="proxy"):
        chatkit_api.ChatKitClient(
            api_key=KEY, proxy="http://p.local", http_client=real()
        )


def test_transport_without_a_custom_http_client(chatkit_api: Any) -> None:
    recorder = Recorder(ok(THREAD))
    ck = chatkit_api.ChatKitClient(
        api_key=KEY, base_url=BASE, transport=httpx.MockTransport(recorder), timeout=7.0
    )
    assert ck.beta.chatkit.threads.retrieve("t").id == THREAD["id"]
    assert recorder.requests[0].extensions["timeout"]["connect"] == 7.0


def test_readme_documents_the_choices() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(
        encoding="utf-8"
    )
    for phrase in (
        "Coming from openai-python",
        "CHATKIT_LOG",
        "APIResponseValidationError",
        "strict_response_validation",
        "with_streaming_response",
        "with_options",
        "Idempotency-Key",
        "proxy=",
    ):
        assert phrase in readme, phrase
