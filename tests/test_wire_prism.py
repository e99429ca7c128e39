"""The wire fixture's requests validated by Prism (``prism mock --errors``).

Prism checks each request against tests/fixtures/wire/spec.yaml; a 2xx without
``sl-violations`` and a clean Prism log mean the bytes the generated client sent
(tests/test_wire.py shows them) are what the document describes. Helpers come from
tests/test_prism.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
import yaml
from conftest import ROOT
from test_prism import Prism, _checked, _serve

pytestmark = pytest.mark.slow

WIRE_SPEC = ROOT / "tests" / "fixtures" / "wire" / "spec.yaml"
UID = UUID("12345678-1234-5678-1234-567812345678")
WHEN = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)


def _prism_spec(folder: Path) -> Path:
    """The fixture without what Prism 5.14 cannot read: a ``pipeDelimited`` object
    query parameter (``shade``, valid in the OpenAPI style table) makes its validator
    throw "delimited style is only applicable to array parameter" on every request
    to the operation. tests/test_wire.py covers ``shade`` on the wire."""
    data = yaml.safe_load(WIRE_SPEC.read_text(encoding="utf-8"))
    search = data["paths"]["/search"]["get"]
    search["parameters"] = [p for p in search["parameters"] if p["name"] != "shade"]
    spec = folder / "spec.yaml"
    spec.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return spec


@pytest.fixture(scope="module")
def wire_prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prism]:
    # probe /search, not /headers: Prism 5.14 crashes (simple.js, value.split) on an
    # absent optional object header, so every call of send_headers below gives both
    spec = _prism_spec(tmp_path_factory.mktemp("wire-spec"))
    yield from _serve(spec, "/search", tmp_path_factory)


@pytest.fixture
def wire_checked(wire_prism: Prism) -> Iterator[Prism]:
    yield from _checked(wire_prism)


@pytest.fixture
def wire(import_from: Any) -> Any:
    return import_from(ROOT / "tests" / "golden" / "wire", "wire_api")


def _client(wire: Any, prism: Prism) -> Any:
    names = [n for n in wire.__all__ if n.endswith("Client") and not n.startswith("Async")]
    http = httpx.Client(event_hooks={"response": [prism.record]})
    return getattr(wire, names[0])(base_url=prism.base_url, http_client=http, max_retries=0)


def test_path_styles_are_valid_requests(wire: Any, wire_checked: Prism) -> None:
    """Scalars in simple, label and matrix style; numbers, booleans, dates, UUIDs.

    Not here: arrays and objects in a path, in any style. Prism 5.14 crashes on them
    (simple.js "value.split is not a function", label/matrix "startsWith is not a
    function") and drops the connection; tests/test_wire.py shows their bytes.
    """
    client = _client(wire, wire_checked)
    assert client.paths.scalar_path(0.5, True, date(2024, 1, 31), WHEN).ok is True
    assert client.paths.scalar_styles(5, date(2024, 1, 2), UID).ok is True


def test_query_objects_and_formats_are_valid_requests(wire: Any, wire_checked: Prism) -> None:
    """deepObject (nested too), exploded and non-exploded form objects, and formats."""
    client = _client(wire, wire_checked)
    assert client.queries.search(metadata={"team": "a", "tier": "gold"}).ok is True
    assert client.queries.search(filter={"status": "open", "created": {"gte": 1, "lte": 9}}).ok is True
    assert client.queries.search(point={"x": 1, "y": 2}, color={"R": 100, "G": 200}).ok is True
    assert client.queries.search_json(where={"status": "open", "labels": ["x"]}).ok is True  # content: JSON text (Prism does not check its value)
    assert client.queries.search(
        since=WHEN, day=date(2024, 2, 29), owner=UID, owners=[UID, UUID(int=1)], days=[date(2024, 1, 1)], ratio=1.5
    ).ok is True


def test_headers_cookies_and_form_body_are_valid_requests(wire: Any, wire_checked: Prism) -> None:
    """Objects and formats in headers and cookies; a url-encoded body with formats.

    Prism 5.14 does not parse bracket notation in url-encoded bodies (it reads
    ``card[number]`` as an unknown key and accepts anything in it), so the nested
    fields below are sent but only their presence is checked; and it refuses an
    array field sent as repeated keys (``expand=a&expand=b``, OpenAPI's default
    form/explode encoding: "property tags must be array"), so ``tags`` is left
    out. tests/test_wire.py asserts both on the wire.
    """
    client = _client(wire, wire_checked)
    assert client.headers.send_headers(
        x_color={"R": 1, "G": 2}, x_colorx={"R": 1}, x_when=WHEN, x_request_id=UID, prefs={"R": 1}, since=date(2024, 3, 1)
    ).ok is True
    assert client.forms.create_charge(
        amount=2000,
        card={"number": "4242", "exp_month": 12, "billing": {"city": "Berlin"}},
        items=[{"price": "p_1", "quantity": 2}, {"price": "p_2"}],
        metadata={"order": "6735"},
        expand=["customer"],
        codes=["a", "b"],
        capture_at=WHEN,
        customer=UID,
        ship_on=date(2024, 6, 1),
    ).ok is True


def test_prism_refuses_wrong_values(wire: Any, wire_prism: Prism) -> None:
    """The negative control: Prism does read these styles, so the passes mean something."""
    client = _client(wire, wire_prism)
    wrong: list[Any] = [
        lambda: client.queries.search(owner="not-a-uuid"),
        lambda: client.queries.search(filter={"created": {"gte": "x"}}),  # deepObject, nested
        lambda: client.queries.search(point={"x": "abc"}),  # exploded form object
        lambda: client.queries.search(color={"R": "x"}),  # form object, not exploded
        lambda: client.paths.scalar_path(0.5, True, "yesterday", WHEN),
        lambda: client.paths.scalar_styles("x", date(2024, 1, 2), UID),  # label
        lambda: client.paths.scalar_styles(5, "bad", UID),  # matrix
        lambda: client.forms.create_charge(amount="x"),
    ]
    for call in wrong:
        with pytest.raises(wire.UnprocessableEntityError):
            call()
