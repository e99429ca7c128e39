"""The generated request builders and clients (generated/chatkit_api) on httpx.MockTransport.

Call surface against the reference page, request descriptions, path encoding, header
injection, every operation through the sync and async clients with the spec's own
response examples, pagination across several pages, retries, typed errors and raw
responses. Prism (tests/test_prism.py) checks the same calls against the spec itself.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import random
import re
import typing
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import yaml
from chatkit_codegen.ir.build import build_api
from chatkit_codegen.ir.model import API, MISSING
from chatkit_codegen.load.document import load_document
from conftest import SEED, SPEC

BASE = "https://api.test/v1"
BETA = ("OpenAI-Beta", "chatkit_beta=v1")
Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture(scope="module")
def api() -> API:
    return build_api(load_document(SPEC))


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return data


def example(spec: dict[str, Any], operation_id: str, name: str | None = None) -> Any:
    """A 200 response example of ``operation_id`` from the spec (the first one by default)."""
    for item in spec["paths"].values():
        for op in item.values():
            if op.get("operationId") == operation_id:
                examples = op["responses"]["200"]["content"]["application/json"]["examples"]
                return examples[name]["value"] if name else next(iter(examples.values()))["value"]
    raise KeyError(operation_id)


class Recorder:
    """A MockTransport handler: records requests, answers with ``handler``."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)


def replay(*responses: httpx.Response | Exception) -> Recorder:
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        step = queue.pop(0)
        if isinstance(step, Exception):
            raise step
        return step

    return Recorder(handler)


def sync_client(chatkit_api: Any, recorder: Recorder, delays: list[float] | None = None, **options: Any) -> Any:
    options.setdefault("api_key", "sk-test")
    options.setdefault("base_url", BASE)
    options.setdefault("rng", random.Random(7))
    options.setdefault("sleep", (delays if delays is not None else []).append)
    return chatkit_api.ChatKitClient(http_client=httpx.Client(transport=httpx.MockTransport(recorder)), **options)


def async_client(chatkit_api: Any, recorder: Recorder, delays: list[float] | None = None, **options: Any) -> Any:
    sink = delays if delays is not None else []

    async def sleep(seconds: float) -> None:
        sink.append(seconds)

    options.setdefault("api_key", "sk-test")
    options.setdefault("base_url", BASE)
    options.setdefault("rng", random.Random(7))
    options.setdefault("sleep", sleep)
    transport = httpx.MockTransport(recorder)
    return chatkit_api.AsyncChatKitClient(http_client=httpx.AsyncClient(transport=transport), **options)


def resolve(root: Any, sdk_path: str) -> Any:
    target = root
    for part in sdk_path.split("."):
        target = getattr(target, part)
    return target


# ------------------------------------------------------------------ call surface


def _page_methods() -> list[tuple[str, str, str, str, str]]:
    """(sdk path, argument text, return type, HTTP method, path) from the reference page."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    found = []
    for i, line in enumerate(lines):
        m = re.fullmatch(r"(beta\.[\w.]+)\((.*)\) -> (.+)", line)
        if m:
            http = re.fullmatch(r"(GET|POST|DELETE|PUT|PATCH)(/\S*)", lines[i + 1])
            assert http, lines[i + 1]
            found.append((m.group(1), m.group(2), m.group(3), http.group(1), http.group(2)))
    return found


PAGE_METHODS = _page_methods()


def test_reference_page_lists_six_methods() -> None:
    assert len(PAGE_METHODS) == 6


@pytest.mark.parametrize("entry", PAGE_METHODS, ids=[e[0] for e in PAGE_METHODS])
def test_call_surface_matches_the_reference_page(
    chatkit_api: Any, api: API, entry: tuple[str, str, str, str, str]
) -> None:
    """``beta.chatkit.threads.list_items(str thread_id, ThreadListItemsParams**kwargs)
    -> SyncConversationCursorPage[Data]``: names, positional ``str`` ids, keyword-only
    params equal to the params TypedDict, the return type, and the HTTP method and path."""
    import chatkit_api.types as types

    sdk_path, args, returns, http_method, http_path = entry
    client = chatkit_api.ChatKitClient(api_key="sk-test", base_url=BASE)
    method = resolve(client, sdk_path)
    signature = inspect.signature(method)
    assert signature.return_annotation == returns
    params = list(signature.parameters.values())
    positional = [p for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    keyword = {p.name: p for p in params if p.kind is p.KEYWORD_ONLY}
    expected_positional = re.findall(r"str(\w+)", args.split("**")[0].split(",")[0]) if args.startswith("str") else []
    assert [p.name for p in positional] == expected_positional
    assert all(p.annotation == "str" for p in positional)
    kwargs = re.search(r"(\w+)\*\*kwargs", args)
    spec_keywords = {k for k in keyword if k not in ("extra_headers", "timeout", "max_retries", "idempotent")}
    if kwargs:
        typed_dict = getattr(types, kwargs.group(1))
        assert spec_keywords == set(typed_dict.__annotations__)
        for name in spec_keywords:
            required = name in typed_dict.__required_keys__
            assert (keyword[name].default is inspect.Parameter.empty) == required, name
    else:
        assert spec_keywords == set()
    # The builder behind it sends the documented method and path.
    values = {p.name: "ID_1" for p in positional}
    required_kw = {n: {"id": "wf_1"} if n == "workflow" else "u" for n, p in keyword.items() if p.default is inspect.Parameter.empty}
    op = next(o for o in api.operations if o.sdk_path == sdk_path)
    builder = getattr(chatkit_api.operations, op.name)
    request = builder(*values.values(), **required_kw)
    assert request.method == http_method
    assert request.path == re.sub(r"\{\w+\}", "ID_1", http_path)
    async_method = resolve(chatkit_api.AsyncChatKitClient(api_key="sk-test", base_url=BASE), sdk_path)
    assert inspect.iscoroutinefunction(async_method)
    assert inspect.signature(async_method).return_annotation == returns.replace("Sync", "Async")


def test_builders_are_typed_from_the_ir(chatkit_api: Any, api: API) -> None:
    """Path parameters positional, everything else keyword-only, types as the IR says."""
    from chatkit_api import NotGiven, operations

    for op in api.operations:
        builder = getattr(operations, op.name)
        signature = inspect.signature(builder)
        hints = typing.get_type_hints(builder)
        path = [p.name for p in op.params_in("path")]
        query = [p.name for p in op.params_in("query") if p.const is MISSING]
        fields = [f.name for f in op.body.fields] if op.body else []
        positional = [n for n, p in signature.parameters.items() if p.kind is p.POSITIONAL_OR_KEYWORD]
        keyword = [n for n, p in signature.parameters.items() if p.kind is p.KEYWORD_ONLY]
        assert positional == path
        extra = ["extra_headers"] + (["idempotent"] if op.method == "POST" else [])
        assert sorted(keyword) == sorted(fields + query + extra)
        assert "open_ai_beta" not in signature.parameters  # const headers are not parameters
        assert hints["return"] is chatkit_api.APIRequest
        for name in path:
            assert hints[name] is str
        for p in op.params_in("query"):
            assert hints[p.name] == hints[p.name].__args__[0] | NotGiven
    hints = typing.get_type_hints(operations.list_chatkit_threads)
    assert hints["order"] == typing.Literal["asc", "desc"] | NotGiven
    assert hints["limit"] == int | NotGiven
    create = typing.get_type_hints(operations.create_chat_session)
    from chatkit_api.types import (
        ChatSessionChatKitConfigurationParam,
        ChatSessionWorkflowParam,
    )

    assert create["user"] is str
    assert create["workflow"] is ChatSessionWorkflowParam
    assert create["chatkit_configuration"] == ChatSessionChatKitConfigurationParam | NotGiven
    assert typing.get_origin(create["chatkit_configuration"]) is typing.Union  # not X | Y: Python 3.9


# ------------------------------------------------------------- request builders


def test_builder_leaves_omitted_keys_out(chatkit_api: Any) -> None:
    from chatkit_api import NOT_GIVEN, operations

    request = operations.create_chat_session(user="u_1", workflow={"id": "wf_1"}, rate_limits=NOT_GIVEN)
    assert (request.method, request.path) == ("POST", "/chatkit/sessions")
    assert request.json == {"user": "u_1", "workflow": {"id": "wf_1"}}
    assert dict(request.headers) == dict([BETA])
    assert request.query == {}
    assert request.idempotent is False
    listing = operations.list_chatkit_threads(limit=5, order="asc")
    assert listing.query == {"limit": 5, "order": "asc"}
    assert listing.has_body is False
    built = listing.to_httpx(BASE)
    assert isinstance(built, httpx.Request)
    assert str(built.url) == f"{BASE}/chatkit/threads?limit=5&order=asc"
    assert built.headers["OpenAI-Beta"] == "chatkit_beta=v1"
    full = operations.create_chat_session(
        user="u_1",
        workflow={"id": "wf_1", "state_variables": {"plan": "pro", "n": 2, "b": True}, "tracing": {"enabled": False}, "version": "3"},
        chatkit_configuration={"automatic_thread_titling": {"enabled": False}, "file_upload": {"enabled": True, "max_file_size": 16, "max_files": 5}, "history": {"enabled": True, "recent_threads": 3}},
        expires_after={"anchor": "created_at", "seconds": 600},
        rate_limits={"max_requests_per_1_minute": 30},
        idempotent=True,
    )
    assert set(full.json) == {"user", "workflow", "chatkit_configuration", "expires_after", "rate_limits"}
    assert full.idempotent is True
    body = json.loads(full.to_httpx(BASE).content)
    assert body["expires_after"] == {"anchor": "created_at", "seconds": 600}


def test_every_builder_sends_the_beta_header(chatkit_api: Any, api: API) -> None:
    from chatkit_api import operations

    for op in api.operations:
        builder = getattr(operations, op.name)
        args = ["x"] * len(op.params_in("path"))
        kwargs = {"user": "u", "workflow": {"id": "w"}} if op.body else {}
        request = builder(*args, **kwargs, extra_headers={"X-Trace": "t1"})
        assert request.headers["OpenAI-Beta"] == "chatkit_beta=v1", op.name
        assert request.headers["X-Trace"] == "t1"
        # extra_headers win over generated ones, whatever the case of the name
        override = builder(*args, **kwargs, extra_headers={"openai-beta": "other"})
        assert dict(override.headers) == {"openai-beta": "other"}


@pytest.mark.parametrize("hostile", ["a/b", "..", ".", "../../admin", "x?limit=1", "frag#x", "%2F", "sp ace", "ü"])
def test_path_parameters_cannot_change_the_path(chatkit_api: Any, hostile: str) -> None:
    from chatkit_api import operations

    request = operations.list_chatkit_thread_items(hostile).to_httpx(BASE)
    raw = request.url.raw_path.decode("ascii")
    assert raw.startswith("/v1/chatkit/threads/") and raw.endswith("/items")
    assert raw.count("/") == 5, raw
    assert request.url.query == b"" and request.url.fragment == ""
    segment = raw.split("/")[4]
    assert httpx.URL("http://h/" + segment).path == "/" + hostile  # it decodes back to the id


def test_empty_path_parameter_fails_before_any_request(chatkit_api: Any) -> None:
    recorder = replay()
    client = sync_client(chatkit_api, recorder)
    with pytest.raises(ValueError, match="session_id"):
        client.beta.chatkit.sessions.cancel("")
    with pytest.raises(ValueError, match="thread_id"):
        client.beta.chatkit.threads.list_items("")
    with pytest.raises(ValueError, match="thread_id"):
        asyncio.run(async_client(chatkit_api, recorder).beta.chatkit.threads.retrieve(""))
    assert recorder.requests == []


@pytest.mark.parametrize("value", ["a\r\nX-Injected: 1", "a\nb", "a\rb", "a\x00b"])
def test_header_injection_is_refused(chatkit_api: Any, value: str) -> None:
    recorder = replay()
    client = sync_client(chatkit_api, recorder)
    with pytest.raises(ValueError, match="forbidden"):
        client.beta.chatkit.threads.retrieve("cthr_1", extra_headers={"X-Trace": value})
    with pytest.raises(ValueError):
        chatkit_api.ChatKitClient(api_key="sk" + value, base_url=BASE)
    with pytest.raises(ValueError):
        chatkit_api.ChatKitClient(api_key="sk", base_url=BASE, default_headers={"X-A": value})
    assert recorder.requests == []


# --------------------------------------------------------------- every operation


def _router(spec: dict[str, Any]) -> Handler:
    """Answers each endpoint with its example from the spec."""

    def handler(request: httpx.Request) -> httpx.Response:
        path, method = request.url.path.removeprefix("/v1"), request.method
        routes = [
            ("POST", r"/chatkit/sessions", "CreateChatSession"),
            ("POST", r"/chatkit/sessions/[^/]+/cancel", "CancelChatSession"),
            ("GET", r"/chatkit/threads", "ListChatKitThreads"),
            ("GET", r"/chatkit/threads/[^/]+", "RetrieveChatKitThread"),
            ("DELETE", r"/chatkit/threads/[^/]+", "DeleteChatKitThread"),
            ("GET", r"/chatkit/threads/[^/]+/items", "ListChatKitThreadItems"),
        ]
        for verb, pattern, operation_id in routes:
            if verb == method and re.fullmatch(pattern, path):
                payload = example(spec, operation_id)
                if operation_id == "ListChatKitThreads":
                    payload = {**payload, "has_more": False}
                return httpx.Response(200, json=payload, headers={"x-request-id": "req_1"})
        return httpx.Response(404, json={"error": {"message": "no route"}})

    return handler


SESSION_BODY = {
    "user": "user_8f2a1c9d",
    "workflow": {"id": "wf_1", "state_variables": {"plan": "pro", "seats": 12, "beta": True}, "tracing": {"enabled": True}, "version": "3"},
    "chatkit_configuration": {
        "automatic_thread_titling": {"enabled": False},
        "file_upload": {"enabled": True, "max_file_size": 16, "max_files": 5},
        "history": {"enabled": True, "recent_threads": 20},
    },
    "expires_after": {"anchor": "created_at", "seconds": 600},
    "rate_limits": {"max_requests_per_1_minute": 30},
}


def _check_all_results(chatkit_api: Any, results: dict[str, Any], recorder: Recorder) -> None:
    from chatkit_api import types

    assert isinstance(results["create"], types.ChatSession)
    assert results["create"].status == "active"
    assert isinstance(results["cancel"], types.ChatSession)
    assert results["cancel"].status == "cancelled"
    assert isinstance(results["retrieve"], types.ChatKitThread)
    assert isinstance(results["delete"], types.ThreadDeleteResponse) and results["delete"].deleted
    assert all(isinstance(t, types.ChatKitThread) for t in results["list"])
    kinds = [type(item).__name__ for item in results["list_items"]]
    assert "ChatKitThreadUserMessageItem" in kinds and "ChatKitWidgetItem" in kinds
    sent = {(r.method, r.url.path): r for r in recorder.requests}
    create = sent[("POST", "/v1/chatkit/sessions")]
    assert json.loads(create.content) == SESSION_BODY
    assert create.headers["content-type"] == "application/json"
    listing = sent[("GET", "/v1/chatkit/threads")]
    assert dict(listing.url.params) == {"after": "cthr_a", "before": "cthr_b", "limit": "2", "order": "asc", "user": "user_8f2a1c9d"}
    items = sent[("GET", "/v1/chatkit/threads/cthr_1/items")]
    assert dict(items.url.params) == {"after": "cthi_a", "before": "cthi_b", "limit": "3", "order": "desc"}
    for request in recorder.requests:
        assert request.headers["OpenAI-Beta"] == "chatkit_beta=v1"
        assert request.headers["Authorization"] == "Bearer sk-test"


def test_every_operation_through_the_sync_client(chatkit_api: Any, spec: dict[str, Any]) -> None:
    recorder = Recorder(_router(spec))
    with sync_client(chatkit_api, recorder) as client:
        chatkit = client.beta.chatkit
        results = {
            "create": chatkit.sessions.create(**SESSION_BODY),
            "cancel": chatkit.sessions.cancel("cksess_1"),
            "retrieve": chatkit.threads.retrieve("cthr_1"),
            "delete": chatkit.threads.delete("cthr_1"),
            "list": list(chatkit.threads.list(after="cthr_a", before="cthr_b", limit=2, order="asc", user="user_8f2a1c9d")),
            "list_items": list(chatkit.threads.list_items("cthr_1", after="cthi_a", before="cthi_b", limit=3, order="desc")),
        }
    _check_all_results(chatkit_api, results, recorder)


def test_every_operation_through_the_async_client(chatkit_api: Any, spec: dict[str, Any]) -> None:
    recorder = Recorder(_router(spec))

    async def main() -> dict[str, Any]:
        async with async_client(chatkit_api, recorder) as client:
            chatkit = client.beta.chatkit
            threads = await chatkit.threads.list(after="cthr_a", before="cthr_b", limit=2, order="asc", user="user_8f2a1c9d")
            items = await chatkit.threads.list_items("cthr_1", after="cthi_a", before="cthi_b", limit=3, order="desc")
            return {
                "create": await chatkit.sessions.create(**SESSION_BODY),
                "cancel": await chatkit.sessions.cancel("cksess_1"),
                "retrieve": await chatkit.threads.retrieve("cthr_1"),
                "delete": await chatkit.threads.delete("cthr_1"),
                "list": [t async for t in threads],
                "list_items": [i async for i in items],
            }

    _check_all_results(chatkit_api, asyncio.run(main()), recorder)


# ----------------------------------------------------------------- pagination


def _paged(spec: dict[str, Any], operation_id: str, pages: int, per_page: int) -> Recorder:
    """Serves ``pages`` pages of copies of the spec's example item, cursor ``after``."""
    template = example(spec, operation_id)["data"][0]
    ids = [f"{template['id']}_{n}" for n in range(pages * per_page)]

    def handler(request: httpx.Request) -> httpx.Response:
        after = request.url.params.get("after")
        start = ids.index(after) + 1 if after else 0
        chunk = ids[start : start + per_page]
        payload = {
            "data": [{**template, "id": i} for i in chunk],
            "first_id": chunk[0] if chunk else None,
            "last_id": chunk[-1] if chunk else None,
            "has_more": start + per_page < len(ids),
            "object": "list",
        }
        return httpx.Response(200, json=payload)

    return Recorder(handler)


def test_pagination_walks_every_page_sync(chatkit_api: Any, spec: dict[str, Any]) -> None:
    recorder = _paged(spec, "ListChatKitThreads", pages=4, per_page=3)
    client = sync_client(chatkit_api, recorder)
    page = client.beta.chatkit.threads.list(limit=3, user="user_1")
    assert len(page.data) == 3 and page.has_more
    threads = list(page)
    assert len(threads) == 12 and len({t.id for t in threads}) == 12
    assert [r.url.params.get("after") for r in recorder.requests] == [None, threads[2].id, threads[5].id, threads[8].id]
    assert all(r.url.params["limit"] == "3" and r.url.params["user"] == "user_1" for r in recorder.requests)
    assert all(r.headers["OpenAI-Beta"] == "chatkit_beta=v1" for r in recorder.requests)
    assert len(list(page.iter_pages())) == 4


def test_pagination_walks_every_page_async_with_union_items(chatkit_api: Any, spec: dict[str, Any]) -> None:
    recorder = _paged(spec, "ListChatKitThreadItems", pages=3, per_page=2)

    async def main() -> list[Any]:
        client = async_client(chatkit_api, recorder)
        page = await client.beta.chatkit.threads.list_items("cthr_1", order="asc")
        return [item async for item in page]

    items = asyncio.run(main())
    from chatkit_api.types import ChatKitThreadUserMessageItem

    assert len(items) == 6 and all(isinstance(i, ChatKitThreadUserMessageItem) for i in items)
    assert len(recorder.requests) == 3
    assert all(r.url.path == "/v1/chatkit/threads/cthr_1/items" for r in recorder.requests)


# ------------------------------------------------------------ retries and errors


def _thread(spec: dict[str, Any], **headers: str) -> httpx.Response:
    return httpx.Response(200, json=example(spec, "RetrieveChatKitThread"), headers=headers)


def test_idempotent_calls_retry_with_retry_after_and_backoff(chatkit_api: Any, spec: dict[str, Any]) -> None:
    delays: list[float] = []
    recorder = replay(
        httpx.Response(429, headers={"Retry-After": "3"}),
        httpx.ConnectError("refused"),
        httpx.Response(503),
        _thread(spec),
    )
    client = sync_client(chatkit_api, recorder, delays, max_retries=3)
    thread = client.beta.chatkit.threads.retrieve("cthr_1")
    assert thread.id == example(spec, "RetrieveChatKitThread")["id"]
    assert len(recorder.requests) == 4
    assert delays[0] == 3.0  # Retry-After honoured
    assert 0.5 * 0.75 * 2 <= delays[1] <= 0.5 * 1.25 * 2  # exponential backoff with jitter
    assert 0.5 * 0.75 * 4 <= delays[2] <= 0.5 * 1.25 * 4


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 599])
def test_retryable_statuses(chatkit_api: Any, spec: dict[str, Any], status: int) -> None:
    recorder = replay(httpx.Response(status), _thread(spec))
    thread = sync_client(chatkit_api, recorder).beta.chatkit.threads.retrieve("cthr_1")
    assert thread.id == example(spec, "RetrieveChatKitThread")["id"]
    assert len(recorder.requests) == 2


def test_retries_are_bounded_then_typed_error(chatkit_api: Any) -> None:
    delays: list[float] = []
    recorder = replay(*[httpx.Response(500, json={"error": {"message": "boom"}}) for _ in range(3)])
    client = sync_client(chatkit_api, recorder, delays)
    with pytest.raises(chatkit_api.InternalServerError) as info:
        client.beta.chatkit.threads.retrieve("cthr_1")
    assert len(recorder.requests) == 3 and len(delays) == 2  # max_retries=2 by default
    assert info.value.status_code == 500 and "boom" in str(info.value)
    no_retry = replay(httpx.Response(500))
    with pytest.raises(chatkit_api.InternalServerError):
        sync_client(chatkit_api, no_retry).beta.chatkit.threads.retrieve("cthr_1", max_retries=0)
    assert len(no_retry.requests) == 1


def test_post_is_not_retried_unless_asked(chatkit_api: Any, spec: dict[str, Any]) -> None:
    session = example(spec, "CreateChatSession")
    recorder = replay(httpx.Response(503))
    with pytest.raises(chatkit_api.InternalServerError):
        sync_client(chatkit_api, recorder).beta.chatkit.sessions.create(user="u", workflow={"id": "w"})
    assert len(recorder.requests) == 1
    per_call = replay(httpx.Response(503), httpx.Response(200, json=session))
    created = sync_client(chatkit_api, per_call).beta.chatkit.sessions.create(user="u", workflow={"id": "w"}, idempotent=True)
    assert created.id == session["id"] and len(per_call.requests) == 2
    policy = chatkit_api.RetryPolicy(retry_non_idempotent=True)
    whole_client = replay(httpx.ConnectError("reset"), httpx.Response(200, json=example(spec, "CancelChatSession")))
    cancelled = sync_client(chatkit_api, whole_client, retry_policy=policy).beta.chatkit.sessions.cancel("cksess_1")
    assert cancelled.status == "cancelled" and len(whole_client.requests) == 2


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, "BadRequestError"),
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (409, "ConflictError"),
        (422, "UnprocessableEntityError"),
        (429, "RateLimitError"),
        (500, "InternalServerError"),
        (418, "APIStatusError"),
    ],
)
def test_errors_are_typed_with_status_request_id_and_body(chatkit_api: Any, status: int, error: str) -> None:
    body = {"error": {"message": f"status {status}", "type": "invalid_request_error", "param": None, "code": None}}
    recorder = Recorder(lambda request: httpx.Response(status, json=body, headers={"x-request-id": "req_42"}))
    client = sync_client(chatkit_api, recorder, max_retries=0)
    with pytest.raises(getattr(chatkit_api, error)) as info:
        client.beta.chatkit.threads.delete("cthr_1")
    exc = info.value
    assert type(exc).__name__ == error
    assert isinstance(exc, chatkit_api.APIStatusError) and isinstance(exc, chatkit_api.APIError)
    assert (exc.status_code, exc.request_id, exc.body) == (status, "req_42", body)
    assert f"status {status}" in exc.message
    # the body, validated as the ErrorResponse the spec declares for 4XX and default
    from chatkit_api.types import ErrorResponse

    assert isinstance(exc.data, ErrorResponse) and exc.data.error.message == f"status {status}"


def test_error_data_on_pages_streams_and_mismatched_bodies(chatkit_api: Any) -> None:
    from chatkit_api.types import ErrorResponse

    body = {"error": {"message": "bad cursor", "type": "invalid_request_error", "param": "after", "code": None}}
    recorder = Recorder(lambda request: httpx.Response(400, json=body))
    with pytest.raises(chatkit_api.BadRequestError) as info:
        sync_client(chatkit_api, recorder).beta.chatkit.threads.list(after="x")  # a paginated call
    assert isinstance(info.value.data, ErrorResponse) and info.value.data.error.param == "after"
    # a body that is not the declared model: .data is None, the raw body is kept
    for answer in ({"detail": "proxy says no"}, "plain text"):
        reply = httpx.Response(502, json=answer) if isinstance(answer, dict) else httpx.Response(404, text=answer)
        with pytest.raises(chatkit_api.APIStatusError) as info:
            sync_client(chatkit_api, replay(reply), max_retries=0).beta.chatkit.threads.retrieve("t")
        assert info.value.data is None and info.value.body == answer


def test_connection_errors_and_timeouts_are_typed(chatkit_api: Any) -> None:
    refused = replay(*[httpx.ConnectError("refused")] * 3)
    with pytest.raises(chatkit_api.APIConnectionError):
        sync_client(chatkit_api, refused).beta.chatkit.threads.retrieve("cthr_1")
    assert len(refused.requests) == 3
    slow = replay(httpx.ReadTimeout("slow"))
    with pytest.raises(chatkit_api.APITimeoutError):
        asyncio.run(async_client(chatkit_api, slow).beta.chatkit.threads.retrieve("cthr_1", max_retries=0))


# ------------------------------------------------- configuration and raw responses


def test_api_key_and_base_url_from_the_environment(chatkit_api: Any, spec: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("CHATKIT_BASE_URL", raising=False)
    with pytest.raises(chatkit_api.APIError, match="OPENAI_API_KEY"):
        chatkit_api.ChatKitClient()
    assert str(chatkit_api.ChatKitClient(api_key="k").base_url) == "https://api.openai.com/v1"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    monkeypatch.setenv("CHATKIT_BASE_URL", "https://proxy.test/openai/v1/")
    recorder = replay(_thread(spec))
    client = chatkit_api.ChatKitClient(http_client=httpx.Client(transport=httpx.MockTransport(recorder)))
    client.beta.chatkit.threads.retrieve("cthr_1")
    sent = recorder.requests[0]
    assert str(sent.url) == "https://proxy.test/openai/v1/chatkit/threads/cthr_1"
    assert sent.headers["Authorization"] == "Bearer sk-env"


def test_timeouts_default_and_per_call(chatkit_api: Any, spec: dict[str, Any]) -> None:
    recorder = replay(_thread(spec), _thread(spec))
    client = sync_client(chatkit_api, recorder, timeout=12.0)
    client.beta.chatkit.threads.retrieve("cthr_1")
    client.beta.chatkit.threads.retrieve("cthr_1", timeout=httpx.Timeout(1.5, connect=0.5))
    first, second = (r.extensions["timeout"] for r in recorder.requests)
    assert first == {"connect": 12.0, "read": 12.0, "write": 12.0, "pool": 12.0}
    assert second == {"connect": 0.5, "read": 1.5, "write": 1.5, "pool": 1.5}


def test_raw_responses_sync_and_async(chatkit_api: Any, spec: dict[str, Any]) -> None:
    from chatkit_api.pagination import SyncConversationCursorPage
    from chatkit_api.types import ChatKitThread

    recorder = replay(_thread(spec, **{"x-request-id": "req_7"}), httpx.Response(200, json=example(spec, "ListChatKitThreads", "page")))
    client = sync_client(chatkit_api, recorder)
    raw = client.beta.chatkit.threads.with_raw_response.retrieve("cthr_1")
    assert isinstance(raw, chatkit_api.RawResponse)
    assert (raw.status_code, raw.request_id, raw.headers["x-request-id"]) == (200, "req_7", "req_7")
    assert isinstance(raw.parse(), ChatKitThread)
    raw_page = client.with_raw_response.beta.chatkit.threads.list()
    assert isinstance(raw_page.parse(), SyncConversationCursorPage) and raw_page.parse().has_more  # the page
    assert len(recorder.requests) == 2  # a raw list does not auto-paginate

    async_recorder = replay(httpx.Response(200, json=example(spec, "CancelChatSession")))

    async def main() -> Any:
        client = async_client(chatkit_api, async_recorder)
        return await client.beta.chatkit.sessions.with_raw_response.cancel("cksess_1")

    raw_async = asyncio.run(main())
    assert raw_async.parse().status == "cancelled"
    assert async_recorder.requests[0].url.path == "/v1/chatkit/sessions/cksess_1/cancel"


def test_generated_package_imports_only_httpx_pydantic_and_typing_extensions() -> None:
    """The runtime is rendered into the package: nothing comes from the toolkit."""
    import ast
    import sys

    from conftest import ROOT

    allowed = set(sys.stdlib_module_names) | {"httpx", "pydantic", "typing_extensions"}
    found: set[str] = set()
    for path in (ROOT / "generated" / "chatkit_api").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    assert {"httpx", "pydantic", "typing_extensions"} <= found
    assert found <= allowed, found - allowed
