"""pagination.py: cursor pages, auto-pagination (sync and async), item validation."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import httpx
import pydantic
import pytest

ClientFactory = Callable[..., Any]


def thread(n: int) -> dict[str, Any]:
    return {"id": f"cthr_{n}", "object": "chatkit.thread", "title": f"T{n}"}


def page(ids: list[int], *, has_more: bool, last_id: str | None = "auto") -> Any:
    items = [thread(n) for n in ids]
    if last_id == "auto":
        last_id = items[-1]["id"] if items else None
    body: dict[str, Any] = {
        "object": "list",
        "data": items,
        "first_id": items[0]["id"] if items else None,
        "last_id": last_id,
        "has_more": has_more,
    }
    return httpx.Response(200, json=body)


def three_pages() -> list[httpx.Response]:
    return [
        page([1, 2], has_more=True),
        page([3, 4], has_more=True),
        page([5], has_more=False),
    ]


def list_request(rt: SimpleNamespace) -> Any:
    return rt.APIRequest(
        "GET", "/chatkit/threads", query={"limit": 2, "order": "desc", "after": None}
    )


def test_sync_auto_pagination_walks_three_pages(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory
) -> None:
    replay = script(*three_pages())
    client = make_client(replay)
    first = rt.SyncConversationCursorPage.fetch(
        client, list_request(rt), rt.models.Thread, extra_headers={"X-Trace": "t"}
    )
    assert [t.id for t in first.data] == ["cthr_1", "cthr_2"]
    assert first.has_more and first.last_id == "cthr_2"
    assert [t.id for t in first] == [f"cthr_{n}" for n in range(1, 6)]
    assert [r.url.params.get("after") for r in replay.requests] == [
        None,
        "cthr_2",
        "cthr_4",
    ]
    for sent in replay.requests:
        assert sent.url.path == "/v1/chatkit/threads"
        assert sent.url.params["limit"] == "2" and sent.url.params["order"] == "desc"
        assert sent.headers["x-trace"] == "t"


def test_sync_iter_pages_and_manual_navigation(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory
) -> None:
    replay = script(*three_pages())
    first = rt.SyncConversationCursorPage.fetch(
        make_client(replay), list_request(rt), rt.models.Thread
    )
    assert first.has_next_page()
    assert dict(first.next_page_request().query) == {
        "limit": 2,
        "order": "desc",
        "after": "cthr_2",
    }
    pages = list(first.iter_pages())
    assert [len(p.data) for p in pages] == [2, 2, 1]
    assert all(type(p) is rt.SyncConversationCursorPage for p in pages)
    last = pages[-1]
    assert not last.has_more and not last.has_next_page()
    assert last.next_page_request() is None
    assert last.get_next_page() is None
    assert len(replay.requests) == 3


def test_async_auto_pagination_walks_three_pages(
    rt: SimpleNamespace, script: Any, make_async_client: ClientFactory
) -> None:
    replay = script(*three_pages())

    async def main() -> tuple[list[str], list[int]]:
        async with make_async_client(replay) as client:
            first = await rt.AsyncConversationCursorPage.fetch(
                client, list_request(rt), rt.models.Thread
            )
            ids = [item.id async for item in first]
            sizes = [len(p.data) async for p in first.iter_pages()]
            return ids, sizes

    # iter_pages() walks again from the first page: pages 2 and 3 are refetched.
    replay.steps.extend([page([3, 4], has_more=True), page([5], has_more=False)])
    ids, sizes = asyncio.run(main())
    assert ids == [f"cthr_{n}" for n in range(1, 6)]
    assert sizes == [2, 2, 1]
    afters = [r.url.params.get("after") for r in replay.requests]
    assert afters == [None, "cthr_2", "cthr_4", "cthr_2", "cthr_4"]


def test_async_get_next_page(
    rt: SimpleNamespace, script: Any, make_async_client: ClientFactory
) -> None:
    replay = script(page([1], has_more=True), page([2], has_more=False))

    async def main() -> None:
        client = make_async_client(replay)
        first = await rt.AsyncConversationCursorPage.fetch(
            client, list_request(rt), rt.models.Thread
        )
        second = await first.get_next_page()
        assert second is not None and [t.id for t in second.data] == ["cthr_2"]
        assert await second.get_next_page() is None

    asyncio.run(main())


def test_cursor_falls_back_to_last_item_id(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory
) -> None:
    replay = script(
        page([1, 2], has_more=True, last_id=None), page([3], has_more=False)
    )
    first = rt.SyncConversationCursorPage.fetch(
        make_client(replay), list_request(rt), rt.models.Thread
    )
    assert first.next_cursor == "cthr_2"
    assert [t.id for t in first] == ["cthr_1", "cthr_2", "cthr_3"]
    assert replay.requests[1].url.params["after"] == "cthr_2"


def test_pagination_stops_when_cursor_does_not_advance(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory
) -> None:
    replay = script(page([1], has_more=True), page([1], has_more=True))
    first = rt.SyncConversationCursorPage.fetch(
        make_client(replay), list_request(rt), rt.models.Thread
    )
    assert [t.id for t in first] == ["cthr_1", "cthr_1"]
    assert len(replay.requests) == 2


def test_empty_page_has_no_next_page(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory
) -> None:
    replay = script(page([], has_more=True, last_id=None))
    first = rt.SyncConversationCursorPage.fetch(
        make_client(replay), list_request(rt), rt.models.Thread
    )
    assert first.data == [] and list(first) == []
    assert not first.has_next_page()


def test_discriminated_union_items_via_type_adapter(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory
) -> None:
    body = {
        "object": "list",
        "data": [
            {"id": "cthi_1", "type": "chatkit.user_message", "text": "hi"},
            {"id": "cthi_2", "type": "chatkit.widget", "widget": "card"},
        ],
        "last_id": "cthi_2",
        "has_more": False,
    }
    replay = script(httpx.Response(200, json=body))
    first = rt.SyncConversationCursorPage.fetch(
        make_client(replay),
        rt.APIRequest("GET", "/chatkit/threads/cthr_1/items"),
        rt.models.THREAD_ITEM,
    )
    assert [type(item).__name__ for item in first.data] == [
        "UserMessageItem",
        "WidgetItem",
    ]


def test_invalid_items_raise_validation_error(rt: SimpleNamespace) -> None:
    with pytest.raises(pydantic.ValidationError):
        rt.SyncConversationCursorPage(
            rt.SyncAPIClient(api_key="k"),
            rt.APIRequest("GET", "/x"),
            rt.models.Thread,
            {"data": [{"title": "no id"}], "has_more": False},
        )


def test_non_object_page_payload_is_an_api_error(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory
) -> None:
    replay = script(httpx.Response(200, json=[1, 2]))
    with pytest.raises(rt.APIError, match="JSON object"):
        rt.SyncConversationCursorPage.fetch(
            make_client(replay), list_request(rt), rt.models.Thread
        )


def test_type_adapter_is_cached_per_item_type(rt: SimpleNamespace) -> None:
    adapter = rt.item_adapter(rt.models.Thread)
    assert rt.item_adapter(rt.models.Thread) is adapter
    assert rt.item_adapter(rt.models.THREAD_ITEM) is rt.models.THREAD_ITEM
    client = rt.SyncAPIClient(api_key="k")
    payload = {"data": [], "has_more": False}
    built = rt.SyncConversationCursorPage(
        client, rt.APIRequest("GET", "/x"), rt.models.Thread, payload
    )
    assert built._adapter is adapter


def test_page_with_configured_field_names(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory
) -> None:
    def token_page(ids: list[int], token: str | None) -> httpx.Response:
        body = {
            "items": [thread(n) for n in ids],
            "next_token": token,
            "more": token is not None,
        }
        return httpx.Response(200, json=body)

    replay = script(token_page([1], "tok2"), token_page([2], None))
    first = rt.SyncTokenPage.fetch(
        make_client(replay), rt.APIRequest("GET", "/things"), rt.models.Thread
    )
    assert first.items == first.data and first.more is True
    assert first.next_token == "tok2"
    assert [t.id for t in first] == ["cthr_1", "cthr_2"]
    assert replay.requests[1].url.params["page_token"] == "tok2"
    assert "after" not in replay.requests[1].url.params
