"""The generated clients against a real HTTP server: Prism mocking spec/chatkit.yaml.

Prism (``@stoplight/prism-cli``, pinned in package.json; ``npm ci`` installs it) runs
with ``--errors``: every request is validated against the spec and an invalid one
gets a 4xx with the violations, so a 2xx parsed into the generated model means the
request was valid. Responses come from the spec's examples (``Prefer: example=...``
picks one). Prism's own log is checked too: it must report no violation, of the
request or of the response it served.

Locally the tests skip when Prism is not installed; in CI (``CI`` set) they fail.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from conftest import ROOT, SPEC

pytestmark = pytest.mark.slow

PRISM = ROOT / "node_modules" / ".bin" / "prism"
STARTUP_SECONDS = 90.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Prism:
    """A running ``prism mock``: its base URL and the log it writes."""

    base_url: str
    log: Path
    process: subprocess.Popen[bytes]
    seen: int = 0
    responses: list[httpx.Response] = field(default_factory=list)

    def new_log(self) -> str:
        """Log lines written since the last call."""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        fresh, self.seen = text[self.seen :], len(text)
        return fresh

    def record(self, response: httpx.Response) -> None:
        self.responses.append(response)

    async def arecord(self, response: httpx.Response) -> None:
        self.responses.append(response)


def _prism_binary() -> Path:
    if PRISM.exists():
        return PRISM
    reason = (
        "Prism is not installed: run `npm ci` (package.json pins @stoplight/prism-cli)"
    )
    if os.environ.get("CI"):
        pytest.fail(reason + "; CI must run the Prism tests", pytrace=False)
    pytest.skip(reason)


def _wait_until_listening(prism: Prism, probe: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if prism.process.poll() is not None:
            break
        try:
            httpx.get(prism.base_url + probe, timeout=2.0)
        except httpx.TransportError:
            time.sleep(0.25)
            continue
        return
    log = prism.log.read_text(encoding="utf-8", errors="replace")[-4000:]
    raise RuntimeError(
        f"Prism did not start (exit code {prism.process.poll()}):\n{log}"
    )


@pytest.fixture(scope="module")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prism]:
    """``prism mock spec/chatkit.yaml --errors`` on a free 127.0.0.1 port."""
    yield from _serve(SPEC, "/chatkit/threads", tmp_path_factory)


def _serve(
    spec: Path, probe: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Prism]:
    binary = _prism_binary()
    if shutil.which("node") is None:
        pytest.fail("Prism is installed but `node` is not on PATH", pytrace=False)
    port = _free_port()
    log = tmp_path_factory.mktemp("prism") / "prism.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                str(binary),
                "mock",
                str(spec),
                "--errors",
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
            ],
            cwd=ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, stopped as one below
            env={**os.environ, "SCARF_ANALYTICS": "false", "NO_COLOR": "1"},
        )
    server = Prism(f"http://127.0.0.1:{port}", log, process)
    try:
        _wait_until_listening(server, probe)
        server.new_log()
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)


@pytest.fixture
def checked(prism: Prism) -> Iterator[Prism]:
    """The server, asserting after the test that every exchange was valid."""
    yield from _checked(prism)


def _checked(prism: Prism) -> Iterator[Prism]:
    prism.responses.clear()
    prism.new_log()
    yield prism
    log = prism.new_log()
    assert prism.responses, "no request reached Prism"
    problems = [
        f"{r.request.method} {r.request.url} -> {r.status_code} {r.headers.get('sl-violations', '')}"
        for r in prism.responses
        if not r.is_success or "sl-violations" in r.headers
    ]
    assert not problems, "\n".join(problems)
    violations = [
        line for line in log.splitlines() if "violation" in line.lower() or "✖" in line
    ]
    assert not violations, "\n".join(violations)


def _spec() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return data


def _full_session_body() -> dict[str, Any]:
    """The spec's ``full`` request example: every field of SessionCreateParams, nested too."""
    body = _spec()["paths"]["/chatkit/sessions"]["post"]["requestBody"]["content"][
        "application/json"
    ]
    value: dict[str, Any] = body["examples"]["full"]["value"]
    return value


def _client_class(package: Any) -> str:
    """The client class of a generated package: its name comes from the document
    (``ChatKitClient`` from our pyproject.toml, ``OperationsClient`` for the fixture)."""
    (name,) = [n for n in package.__all__ if n.endswith("Client") and f"Async{n}" in package.__all__]
    return str(name)


def _sync(chatkit_api: Any, prism: Prism, **options: Any) -> Any:
    http = httpx.Client(event_hooks={"response": [prism.record]})
    options.setdefault("sleep", lambda seconds: None)
    return getattr(chatkit_api, _client_class(chatkit_api))(
        api_key="sk-prism", base_url=prism.base_url, http_client=http, **options
    )


def _async(chatkit_api: Any, prism: Prism, **options: Any) -> Any:
    http = httpx.AsyncClient(event_hooks={"response": [prism.arecord]})

    async def no_sleep(seconds: float) -> None:
        return None

    options.setdefault("sleep", no_sleep)
    return getattr(chatkit_api, "Async" + _client_class(chatkit_api))(
        api_key="sk-prism", base_url=prism.base_url, http_client=http, **options
    )


THREAD_ID = "cthr_68e4f3b7c8d9e0f1a2b3c4d5e6f7a8b9"
SESSION_ID = "cksess_68e4f1a2b3c4d5e6f7a8b9c0d1e2f3a4"
LIST_QUERY = {
    "after": "cthr_68e4f3b7c8d9e0f1a2b3c4d5e6f7a8b9",
    "before": "cthr_68e4f9d0e1f2a3b4c5d6e7f8a9b0c1d2",
    "limit": 20,
    "order": "desc",
    "user": "user_8f2a1c9d",
}
ITEMS_QUERY = {
    "after": "cthi_68e4f3c2a1b0c9d8e7f6a5b4c3d2e1f0",
    "before": "cthi_68e4f3d9b8a7c6d5e4f3a2b1c0d9e8f7",
    "limit": 100,
    "order": "asc",
}


def _example(path: str, method: str, name: str) -> Any:
    content = _spec()["paths"][path][method]["responses"]["200"]["content"][
        "application/json"
    ]
    return content["examples"][name]["value"]


# The response example each call asks Prism for, and what it must parse into.
EXPECTED = {
    "create": ("/chatkit/sessions", "post", "created"),
    "cancel": ("/chatkit/sessions/{session_id}/cancel", "post", "cancelled"),
    "retrieve": ("/chatkit/threads/{thread_id}", "get", "locked"),
    "delete": ("/chatkit/threads/{thread_id}", "delete", "deleted"),
    "threads": ("/chatkit/threads", "get", "page"),
    "items": ("/chatkit/threads/{thread_id}/items", "get", "all_item_kinds"),
}


def prefer(call: str) -> dict[str, str]:
    return {"Prefer": f"example={EXPECTED[call][2]}"}


def _check(results: dict[str, Any]) -> None:
    """Each result is the generated model of the example, field for field."""
    from chatkit_api.types import (
        ChatKitThread,
        ChatSession,
        ThreadDeleteResponse,
    )

    types = {
        "create": ChatSession,
        "cancel": ChatSession,
        "retrieve": ChatKitThread,
        "delete": ThreadDeleteResponse,
    }
    for call, expected_type in types.items():
        assert isinstance(results[call], expected_type), call
        assert results[call].model_dump(mode="json", exclude_unset=True) == _example(
            *EXPECTED[call]
        ), call
    for call in ("threads", "items"):
        page = results[call]
        example = _example(*EXPECTED[call])
        assert [
            item.model_dump(mode="json", exclude_unset=True) for item in page.data
        ] == example["data"], call
        assert page.has_more is example["has_more"]
    kinds = {type(item).__name__ for item in results["items"].data}
    assert (
        len(kinds) == len(results["items"].data) == 6
    )  # one item of every kind, each its own class
    assert all(isinstance(t, ChatKitThread) for t in results["threads"].data)
    assert (
        # a raw list parses to its page (openai-python's behaviour), not the list model
        type(results["raw"].parse()).__name__.endswith("ConversationCursorPage")
        and results["raw"].status_code == 200
    )


def test_every_operation_with_every_parameter_sync(
    chatkit_api: Any, checked: Prism
) -> None:
    with _sync(chatkit_api, checked) as client:
        chatkit = client.beta.chatkit
        results = {
            "create": chatkit.sessions.create(
                **_full_session_body(), extra_headers=prefer("create")
            ),
            "cancel": chatkit.sessions.cancel(
                SESSION_ID, extra_headers=prefer("cancel")
            ),
            "retrieve": chatkit.threads.retrieve(
                THREAD_ID, extra_headers=prefer("retrieve")
            ),
            "delete": chatkit.threads.delete(THREAD_ID, extra_headers=prefer("delete")),
            "threads": chatkit.threads.list(
                **LIST_QUERY, extra_headers=prefer("threads")
            ),
            "items": chatkit.threads.list_items(
                THREAD_ID, **ITEMS_QUERY, extra_headers=prefer("items")
            ),
            "raw": chatkit.threads.with_raw_response.list(limit=1),
        }
    _check(results)
    assert len(checked.responses) == 7
    for response in checked.responses:
        assert response.request.headers["OpenAI-Beta"] == "chatkit_beta=v1"
    create = checked.responses[0].request
    assert create.read() and b'"state_variables"' in create.content
    assert dict(checked.responses[4].request.url.params) == {
        k: str(v) for k, v in LIST_QUERY.items()
    }
    assert dict(checked.responses[5].request.url.params) == {
        k: str(v) for k, v in ITEMS_QUERY.items()
    }


def test_every_operation_with_every_parameter_async(
    chatkit_api: Any, checked: Prism
) -> None:
    async def main() -> dict[str, Any]:
        async with _async(chatkit_api, checked) as client:
            chatkit = client.beta.chatkit
            return {
                "create": await chatkit.sessions.create(
                    **_full_session_body(), extra_headers=prefer("create")
                ),
                "cancel": await chatkit.sessions.cancel(
                    SESSION_ID, extra_headers=prefer("cancel")
                ),
                "retrieve": await chatkit.threads.retrieve(
                    THREAD_ID, extra_headers=prefer("retrieve")
                ),
                "delete": await chatkit.threads.delete(
                    THREAD_ID, extra_headers=prefer("delete")
                ),
                "threads": await chatkit.threads.list(
                    **LIST_QUERY, extra_headers=prefer("threads")
                ),
                "items": await chatkit.threads.list_items(
                    THREAD_ID, **ITEMS_QUERY, extra_headers=prefer("items")
                ),
                "raw": await chatkit.threads.with_raw_response.list(order="asc"),
            }

    _check(asyncio.run(main()))
    assert len(checked.responses) == 7


def test_minimal_calls_and_the_request_builders(
    chatkit_api: Any, checked: Prism
) -> None:
    """Only the required arguments; and a builder's request sent by plain httpx."""
    from chatkit_api import operations
    from chatkit_api.types import ChatSession

    with _sync(chatkit_api, checked) as client:
        session = client.beta.chatkit.sessions.create(
            user="user_1", workflow={"id": "wf_1"}
        )
        assert isinstance(session, ChatSession)
        threads = client.beta.chatkit.threads.list()
        assert isinstance(threads.has_more, bool)
    request = operations.retrieve_chatkit_thread(THREAD_ID).to_httpx(
        checked.base_url, headers={"Authorization": "Bearer sk-prism"}
    )
    with httpx.Client(event_hooks={"response": [checked.record]}) as http:
        response = http.send(request)
    assert response.status_code == 200 and response.json()["id"] == THREAD_ID


def test_pagination_follows_the_cursor(chatkit_api: Any, checked: Prism) -> None:
    """The ``page`` example says has_more with last_id X: the next request sends
    after=X. Prism answers it with the same example, whose cursor does not advance,
    so the walk stops there instead of looping."""
    page_example = _spec()["paths"]["/chatkit/threads"]["get"]["responses"]["200"][
        "content"
    ]["application/json"]["examples"]["page"]["value"]
    with _sync(chatkit_api, checked) as client:
        page = client.beta.chatkit.threads.list(
            limit=2, extra_headers={"Prefer": "example=page"}
        )
        assert page.has_more and page.next_cursor == page_example["last_id"]
        threads = list(page)
    assert len(threads) == 2 * len(page_example["data"])
    requests = [r.request for r in checked.responses]
    assert len(requests) == 2
    assert requests[0].url.params.get("after") is None
    assert requests[1].url.params["after"] == page_example["last_id"]
    assert all(
        r.url.params["limit"] == "2" and r.headers["Prefer"] == "example=page"
        for r in requests
    )

    async def walk() -> int:
        client = _async(chatkit_api, checked)
        page = await client.beta.chatkit.threads.list(
            extra_headers={"Prefer": "example=empty"}
        )
        return len([t async for t in page])

    assert asyncio.run(walk()) == 0


def test_invalid_requests_surface_as_typed_errors(
    chatkit_api: Any, prism: Prism
) -> None:
    """Prism rejects what the spec forbids; the client raises the matching error type
    with the status and the parsed problem body, and retries nothing that is a 4xx."""
    prism.responses.clear()
    with _sync(chatkit_api, prism) as client:
        with pytest.raises(chatkit_api.UnprocessableEntityError) as info:
            client.beta.chatkit.threads.list(limit=1000)
        from chatkit_api.types import ErrorResponse

        assert info.value.status_code == 422
        assert (
            "limit" in info.value.response.headers["sl-violations"]
        )  # Prism's verdict
        assert (
            ErrorResponse.model_validate(info.value.body).error.message
            in info.value.message
        )
        with pytest.raises(chatkit_api.UnprocessableEntityError) as empty_user:
            client.beta.chatkit.sessions.create(
                user="", workflow={"id": "wf_1"}
            )  # minLength 1
        assert "user" in empty_user.value.response.headers["sl-violations"]
        with pytest.raises(chatkit_api.NotFoundError) as missing:
            client.beta.chatkit.threads.retrieve(
                THREAD_ID, extra_headers={"Prefer": "code=404"}
            )
        assert missing.value.status_code == 404
        assert (
            ErrorResponse.model_validate(missing.value.body).error.code == "not_found"
        )
    assert len(prism.responses) == 3
    without_beta = httpx.get(
        prism.base_url + "/chatkit/threads", headers={"Authorization": "Bearer k"}
    )
    assert (
        without_beta.status_code >= 400
        and "openai-beta" in without_beta.headers.get("sl-violations", "")
    )


def test_server_errors_are_retried_then_raised(chatkit_api: Any, prism: Prism) -> None:
    prism.responses.clear()
    with _sync(chatkit_api, prism, max_retries=2) as client:
        with pytest.raises(chatkit_api.InternalServerError) as info:
            client.beta.chatkit.threads.retrieve(
                THREAD_ID, extra_headers={"Prefer": "code=500"}
            )
        assert info.value.status_code == 500
    assert [r.status_code for r in prism.responses] == [500, 500, 500]


# ------------------------------------------------ operation constructs (fixture spec)

OPS_SPEC = ROOT / "tests" / "fixtures" / "operations" / "spec.yaml"


@pytest.fixture(scope="module")
def ops_prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prism]:
    """Prism mocking the operations fixture: every parameter location, forms, files."""
    yield from _serve(OPS_SPEC, "/files/x/content", tmp_path_factory)


@pytest.fixture
def ops_checked(ops_prism: Prism) -> Iterator[Prism]:
    yield from _checked(ops_prism)


@pytest.fixture
def ops_api(import_from: Any) -> Any:
    return import_from(ROOT / "tests" / "golden" / "operations", "operations_api")


def test_operation_constructs_are_valid_requests(
    ops_api: Any, ops_checked: Prism
) -> None:
    """Arrays in every style, a list header, cookies, multipart with files, a form body,
    204, bytes and text answers: Prism validates each request against the fixture.

    Not here, because Prism cannot: text/event-stream (Prism does not serialise objects
    as events), multipart JSON parts (it reads every part as text) and repeated
    multipart parts for an array of files (it sees one string); all are covered on
    the wire in tests/test_operations.py. Prism 5.14 bugs worked around:
    it splits spaceDelimited values on a literal "%20" after decoding (so only one
    size is sent here) and crashes on an absent optional array header (so
    X-Trace-Ids is always sent).
    """
    client = _sync(ops_api, ops_checked)
    found = client.files.search_files(
        "folder 1",
        tags=["a", "b c"],
        ids=[1, 2],
        include_deleted=True,
        sizes=[10],
        kinds=["doc", "image"],
        x_request_source="tests",
        x_trace_ids=["t1", "t2"],
        session="s1",
        prefs=["dark", "compact"],
    )
    assert found.data[0].id == "f1"
    created = client.files.upload_file(
        file=("a.txt", b"abc"), name="a.txt", purpose="batch"
    )
    assert created.size == 3
    assert client.files.delete_file("f1") is None
    assert client.files.replace_file_content("f1", body=b"\x00\xffraw") is None
    assert isinstance(client.files.download_file("f1"), bytes)
    assert isinstance(
        client.tokens.create_token(grant_type="client_credentials", scope="read write"),
        str,
    )


def test_operation_constructs_async(ops_api: Any, ops_checked: Prism) -> None:
    async def main() -> None:
        async with _async(ops_api, ops_checked) as client:
            assert (await client.files.upload_file(file=b"abc", name="n")).id == "f1"
            assert isinstance(await client.tokens.create_token(grant_type="g"), str)
            assert (
                await client.files.search_files("f", ids=[3], x_trace_ids=["t"])
            ).data

    asyncio.run(main())


def test_invalid_form_and_multipart_values_are_refused_by_prism(
    ops_api: Any, ops_prism: Prism
) -> None:
    """The negative control: Prism does validate these bodies, so the passes above mean something."""
    client = _sync(ops_api, ops_prism, max_retries=0)
    with pytest.raises(ops_api.UnprocessableEntityError):
        client.files.upload_file(file=b"x", name="n", purpose="not-a-purpose")  # type: ignore[arg-type]
    with pytest.raises(ops_api.UnprocessableEntityError):
        client.files.search_files("f", sizes=["x"], x_trace_ids=["t"])  # type: ignore[list-item]
