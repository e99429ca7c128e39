"""The openai-python conveniences over real HTTP, against Prism (``spec/chatkit.yaml``).

Prism answers with the spec's examples and flags any request that breaks the spec,
so these show that streamed responses work on a real socket, that the examples fit
the models strictly (no lenient construction was needed), and that the logged
request is the one Prism saw. Skipped like tests/test_prism.py when Prism is not
installed (and failing in CI).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import SPEC
from test_prism import THREAD_ID, Prism, _async, _checked, _serve, _sync, prefer


@pytest.fixture(scope="module")
def prism_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prism]:
    """``prism mock spec/chatkit.yaml --errors``, as tests/test_prism.py starts it."""
    yield from _serve(SPEC, "/chatkit/threads", tmp_path_factory)


@pytest.fixture
def checked(prism_server: Prism) -> Iterator[Prism]:
    """The server, asserting after the test that every exchange was valid."""
    yield from _checked(prism_server)


def test_streaming_responses_over_a_socket(chatkit_api: Any, checked: Prism) -> None:
    with _sync(chatkit_api, checked, strict_response_validation=True) as client:
        threads = client.beta.chatkit.threads
        with threads.with_streaming_response.retrieve(
            THREAD_ID, extra_headers=prefer("retrieve")
        ) as response:
            assert response.status_code == 200
            assert not response.http_response.is_stream_consumed
            thread = response.parse()
        assert thread.id == THREAD_ID and thread.status.type == "locked"
        with threads.with_streaming_response.list(
            limit=2, extra_headers=prefer("threads")
        ) as response:
            body = json.loads("".join(response.iter_lines()))
        assert body["object"] == "list" and body["data"]
        raw = threads.with_raw_response.list(limit=2, extra_headers=prefer("threads"))
        page = raw.parse()
        assert page.response is raw.http_response and page.has_more
        assert [t.id for t in page.data] == [t["id"] for t in body["data"]]


def test_every_example_fits_strictly_async(chatkit_api: Any, checked: Prism) -> None:
    async def main() -> tuple[Any, Any]:
        async with _async(chatkit_api, checked) as client:
            strict = client.with_options(strict_response_validation=True)
            chatkit = strict.beta.chatkit
            async with chatkit.threads.with_streaming_response.list_items(
                THREAD_ID, extra_headers=prefer("items")
            ) as response:
                items = await response.parse()
            deleted = await chatkit.threads.delete(
                THREAD_ID, extra_headers=prefer("delete")
            )
            return items, deleted

    items, deleted = asyncio.run(main())
    assert len(items.data) > 1 and deleted.deleted is True


def test_the_logged_requests_are_what_prism_saw(
    chatkit_api: Any, checked: Prism, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="chatkit_api")
    with _sync(chatkit_api, checked) as client:
        client.beta.chatkit.threads.retrieve(
            THREAD_ID, extra_headers=prefer("retrieve")
        )
    seen = checked.responses[-1]
    messages = [r.getMessage() for r in caplog.records if r.name == "chatkit_api"]
    assert messages[0].startswith(f"Request: GET {seen.request.url} (attempt 1)")
    assert messages[-1].startswith(f'HTTP Response: GET {seen.request.url} "200 OK"')
    assert all("sk-prism" not in m for m in messages)
