"""_request.py: path encoding, header checks, query/body encoding, URL joining."""

from __future__ import annotations

import copy
import json
import pickle
from types import SimpleNamespace

import httpx
import pytest

BASE = "https://api.test/v1"


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        ("a/b", "a%2Fb"),
        ("what?x=1", "what%3Fx%3D1"),
        ("frag#ment", "frag%23ment"),
        ("100%", "100%25"),
        ("%2F", "%252F"),
        ("héllo wörld", "h%C3%A9llo%20w%C3%B6rld"),
        ("🙂", "%F0%9F%99%82"),
        ("cthr_AZaz09-._~", "cthr_AZaz09-._~"),
        (".", "%2E"),
        ("..", "%2E%2E"),
        ("...", "..."),
    ],
)
def test_encode_path_param(rt: SimpleNamespace, value: str, encoded: str) -> None:
    assert rt.encode_path_param("thread_id", value) == encoded


def test_encode_path_param_empty_raises_clear_error(rt: SimpleNamespace) -> None:
    with pytest.raises(ValueError) as info:
        rt.encode_path_param("session_id", "")
    assert (
        str(info.value) == "Expected a non-empty value for `session_id` but received ''"
    )


@pytest.mark.parametrize("value", [None, 5, b"abc"])
def test_encode_path_param_rejects_non_str(rt: SimpleNamespace, value: object) -> None:
    with pytest.raises(TypeError, match="thread_id"):
        rt.encode_path_param("thread_id", value)


@pytest.mark.parametrize(
    "hostile", ["../admin", "..", "a/../../b", "x?admin=1#f", "%2e%2e"]
)
def test_encoded_parameter_cannot_escape_its_segment(
    rt: SimpleNamespace, hostile: str
) -> None:
    path = "/chatkit/threads/" + rt.encode_path_param("thread_id", hostile) + "/items"
    request = rt.APIRequest("GET", path).to_httpx(BASE)
    assert request.url.host == "api.test"
    assert request.url.query == b""
    assert request.url.fragment == ""
    raw_path = request.url.raw_path.decode()
    assert raw_path.startswith("/v1/chatkit/threads/")
    assert raw_path.endswith("/items")
    assert raw_path.count("/") == 5  # exactly one segment for the parameter


def test_check_header_accepts_and_returns_value(rt: SimpleNamespace) -> None:
    assert rt.check_header("X-Session", "abc 123") == "abc 123"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("X-A", "v\r\nSet-Cookie: x=1"),
        ("X-A", "v\nx"),
        ("X-A", "v\rx"),
        ("X-A", "v\0x"),
        ("X-A\r\nEvil", "v"),
        ("X A", "v"),
        ("X-A:", "v"),
        ("", "v"),
    ],
)
def test_check_header_refuses_injection(
    rt: SimpleNamespace, name: str, value: str
) -> None:
    with pytest.raises(ValueError):
        rt.check_header(name, value)


@pytest.mark.parametrize(
    "path", ["chatkit", "/a?b=1", "/a#f", "/a/../b", "/./a", "/caf\u00e9", "/a b"]
)
def test_api_request_rejects_unencoded_or_escaping_paths(
    rt: SimpleNamespace, path: str
) -> None:
    with pytest.raises(ValueError):
        rt.APIRequest("GET", path)


def test_api_request_rejects_header_injection(rt: SimpleNamespace) -> None:
    with pytest.raises(ValueError):
        rt.APIRequest("GET", "/x", headers={"OpenAI-Beta": "chatkit_beta=v1\r\nX: y"})


@pytest.mark.parametrize(
    ("method", "idempotent"),
    [
        ("GET", True),
        ("head", True),
        ("OPTIONS", True),
        ("PUT", True),
        ("DELETE", True),
        ("POST", False),
        ("patch", False),
    ],
)
def test_idempotent_derived_from_method(
    rt: SimpleNamespace, method: str, idempotent: bool
) -> None:
    request = rt.APIRequest(method, "/x")
    assert request.method == method.upper()
    assert request.idempotent is idempotent


def test_idempotent_can_be_set_explicitly(rt: SimpleNamespace) -> None:
    assert rt.APIRequest("POST", "/x", idempotent=True).idempotent is True
    assert rt.APIRequest("GET", "/x", idempotent=False).idempotent is False


def test_query_encoding_omits_none_and_formats_values(rt: SimpleNamespace) -> None:
    request = rt.APIRequest(
        "GET",
        "/chatkit/threads",
        query={
            "limit": 20,
            "after": None,
            "before": rt.NOT_GIVEN,
            "order": "desc",
            "include_archived": True,
            "verbose": False,
            "ids": ["a", "b c"],
            "score": 0.5,
        },
    )
    assert "after" not in request.query and "before" not in request.query
    url = request.to_httpx(BASE).url
    assert url.params.multi_items() == [
        ("limit", "20"),
        ("order", "desc"),
        ("include_archived", "true"),
        ("verbose", "false"),
        ("ids", "a"),
        ("ids", "b c"),
        ("score", "0.5"),
    ]
    assert b"after" not in url.query


def test_with_query_replaces_and_removes_keys(rt: SimpleNamespace) -> None:
    original = rt.APIRequest(
        "GET", "/x", query={"limit": 2, "after": "a1"}, headers={"X-A": "1"}
    )
    updated = original.with_query(after="b2", limit=None, order="asc")
    assert dict(updated.query) == {"after": "b2", "order": "asc"}
    assert dict(original.query) == {"limit": 2, "after": "a1"}
    assert updated.headers == original.headers
    assert (updated.method, updated.path, updated.idempotent) == ("GET", "/x", True)
    with pytest.raises(AttributeError):
        original.path = "/y"  # frozen


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("https://api.openai.com/v1", "https://api.openai.com/v1/chatkit/sessions"),
        ("https://api.openai.com/v1/", "https://api.openai.com/v1/chatkit/sessions"),
        ("https://api.openai.com", "https://api.openai.com/chatkit/sessions"),
        (
            "http://localhost:8080/proxy/v1",
            "http://localhost:8080/proxy/v1/chatkit/sessions",
        ),
        (
            "https://gw.example/v1?api-version=2",
            "https://gw.example/v1/chatkit/sessions?api-version=2",
        ),
    ],
)
def test_to_httpx_keeps_base_path(
    rt: SimpleNamespace, base: str, expected: str
) -> None:
    request = rt.APIRequest("POST", "/chatkit/sessions").to_httpx(httpx.URL(base))
    assert str(request.url) == expected


def test_to_httpx_json_body_is_compact_with_content_type(rt: SimpleNamespace) -> None:
    body = {"user": "u_1", "workflow": {"id": "wf_1", "state": {"x": [1, 2]}}, "t": "é"}
    request = rt.APIRequest("POST", "/chatkit/sessions", json=body).to_httpx(BASE)
    assert (
        request.content
        == json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    )
    assert b" " not in request.content
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == body


def test_to_httpx_without_body_sends_nothing(rt: SimpleNamespace) -> None:
    request = rt.APIRequest("DELETE", "/chatkit/threads/t1").to_httpx(BASE)
    assert request.content == b""
    assert "content-type" not in request.headers
    # `None` is a real JSON body, only NOT_GIVEN means "no body".
    null_body = rt.APIRequest("POST", "/x", json=None).to_httpx(BASE)
    assert null_body.content == b"null"


def test_to_httpx_request_headers_override_defaults(rt: SimpleNamespace) -> None:
    request = rt.APIRequest("GET", "/x", headers={"OpenAI-Beta": "chatkit_beta=v1"})
    built = request.to_httpx(BASE, headers={"openai-beta": "old", "Accept": "a/b"})
    assert built.headers.get_list("openai-beta") == ["chatkit_beta=v1"]
    assert built.headers["accept"] == "a/b"
    with pytest.raises(ValueError):
        request.to_httpx(BASE, headers={"X-Bad": "a\nb"})


def test_not_given_sentinel(rt: SimpleNamespace) -> None:
    assert not rt.NOT_GIVEN
    assert repr(rt.NOT_GIVEN) == "NOT_GIVEN"
    assert rt.NotGiven() is rt.NOT_GIVEN
    assert copy.copy(rt.NOT_GIVEN) is rt.NOT_GIVEN
    assert copy.deepcopy(rt.NOT_GIVEN) is rt.NOT_GIVEN
    assert pickle.loads(pickle.dumps(rt.NOT_GIVEN)) is rt.NOT_GIVEN
    assert rt.APIRequest("POST", "/x").json is rt.NOT_GIVEN


# ------------------------------------------------- helpers used by the request builders


def test_format_path_encodes_each_value_as_one_segment(rt: SimpleNamespace) -> None:
    template = "/chatkit/threads/{thread_id}/items/{n}"
    assert rt.format_path(template, {"thread_id": "a/../b?c#d", "n": 7}) == (
        "/chatkit/threads/a%2F..%2Fb%3Fc%23d/items/7"
    )
    assert rt.format_path("/x/{id}", {"id": ".."}) == "/x/%2E%2E"
    with pytest.raises(ValueError, match="non-empty value for `thread_id`"):
        rt.format_path(template, {"thread_id": "", "n": 1})
    with pytest.raises(KeyError, match="n"):
        rt.format_path(template, {"thread_id": "t"})
    with pytest.raises(KeyError, match="extra"):
        rt.format_path("/x/{id}", {"id": "a", "extra": "b"})
    assert rt.format_path("/x/{id}", {"id": True}) == "/x/true"  # booleans as in query strings
    with pytest.raises(TypeError, match="not list"):
        rt.format_path("/x/{id}", {"id": [1]})  # arrays and objects go through expand_path


def test_merge_headers_later_sources_win_case_insensitively(rt: SimpleNamespace) -> None:
    merged = rt.merge_headers(
        {"OpenAI-Beta": "chatkit_beta=v1", "X-Count": 3, "X-Flag": False},
        None,
        {"openai-beta": "override", "X-Skip": None, "X-Unset": rt.NOT_GIVEN},
    )
    assert merged == {"X-Count": "3", "X-Flag": "false", "openai-beta": "override"}
    for bad in ("a\r\nX-Injected: 1", "a\nb", "a\x00"):
        with pytest.raises(ValueError, match="forbidden"):
            rt.merge_headers({"OpenAI-Beta": "v1"}, {"X-Trace": bad})
    with pytest.raises(ValueError, match="Invalid header name"):
        rt.merge_headers({"Bad Name": "v"})


def test_strip_not_given_and_optional_body(rt: SimpleNamespace) -> None:
    values = {"a": 1, "b": rt.NOT_GIVEN, "c": None}
    assert rt.strip_not_given(values) == {"a": 1, "c": None}
    assert rt.optional_body(values) == {"a": 1, "c": None}
    assert rt.optional_body({"b": rt.NOT_GIVEN}) is rt.NOT_GIVEN
    assert rt.strip_not_given({"b": rt.NOT_GIVEN}) == {}


def test_json_body_encodes_dates_uuids_and_models(rt: SimpleNamespace) -> None:
    from datetime import date, datetime, time, timezone
    from uuid import UUID

    thread = rt.models.Thread(id="cthr_1")
    body = {
        "at": datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc),  # noqa: UP017
        "day": date(2024, 1, 2),
        "clock": time(3, 4),
        "uid": UUID("0f8fad5b-d9cb-469f-a165-70867728950e"),
        "thread": thread,
    }
    request = rt.APIRequest("POST", "/x", json=body).to_httpx(BASE)
    assert json.loads(request.content) == {
        "at": "2024-01-02T03:04:05+00:00",
        "day": "2024-01-02",
        "clock": "03:04:00",
        "uid": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "thread": {"id": "cthr_1"},
    }
    with pytest.raises(TypeError, match="not JSON serializable"):
        rt.APIRequest("POST", "/x", json={"x": object()}).to_httpx(BASE)
