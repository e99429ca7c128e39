"""OpenAPI 3.2 documents: checked against the 3.2 meta-schema, their schemas read as
3.1's, the QUERY method sent, and ``itemSchema`` typing the events of a stream."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from chatkit_codegen.load.document import load_document
from chatkit_codegen.load.validate import validate_document
from golden import GOLDEN

FIXTURE = Path(__file__).parent / "fixtures" / "oas32" / "spec.yaml"


@pytest.fixture
def oas32(import_from: Any) -> Any:
    return import_from(GOLDEN / "oas32", "oas32_api")


def _errors(path: Path) -> list[str]:
    return [p.format() for p in validate_document(load_document(path)) if p.level.value == "error"]


def test_a_32_document_validates_with_its_new_fields() -> None:
    assert _errors(FIXTURE) == []


def test_the_32_meta_schema_is_the_one_applied(tmp_path: Path) -> None:
    """A tag's ``kind`` is 3.2's (a string): a number there is an error, located."""
    text = FIXTURE.read_text(encoding="utf-8").replace("kind: nav", "kind: 7")
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    line = text.splitlines().index(next(r for r in text.splitlines() if "kind: 7" in r)) + 1
    errors = _errors(spec)
    assert len(errors) == 1 and errors[0].startswith(f"spec.yaml:{line}:") and "/tags/1/kind" in errors[0], errors


def test_query_sends_its_body_with_the_query_method(oas32: Any) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return httpx.Response(200, json=[{"id": "it_1", "name": None}])

    client = oas32.Oas32Client(base_url="https://api.test/v1", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
    found = client.search.items(q="lamp", limit=2)
    assert [(r.method, r.url.path, r.content) for r in seen] == [("QUERY", "/v1/items", b'{"q":"lamp","limit":2}')]
    assert [item.id for item in found] == ["it_1"]


def test_item_schema_types_the_events_of_a_stream(oas32: Any) -> None:
    body = b'data: {"id": "a", "score": 0.5}\n\ndata: {"id": "b"}\n\n'

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    client = oas32.Oas32Client(base_url="https://api.test/v1", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
    events = list(client.search.stream_items())
    assert [(type(e).__name__, e.id, e.score) for e in events] == [("Found", "a", 0.5), ("Found", "b", None)]


def test_a_querystring_parameter_is_the_whole_query(oas32: Any) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    client = oas32.Oas32Client(base_url="https://api.test/v1", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
    client.search.filter_items(filter={"color": "red wine", "max_price": 9.5})
    assert seen[0].url.query == b"color=red%20wine&max_price=9.5"
