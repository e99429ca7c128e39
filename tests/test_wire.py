"""What the generated client sends for every parameter style, object and format.

The golden ``wire`` package (tests/fixtures/wire/spec.yaml) is called through a
client over ``httpx.MockTransport``; each test asserts the exact bytes of the path,
query string, headers and url-encoded body, against the OpenAPI 3.1 style table
(RFC 6570 for paths) and the bracket notation Stripe and OpenAI read. Unsupported
constructs are reported all at once, each at its pointer, before anything renders.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from golden import GOLDEN

BASE = "https://api.wire.test/v1"
UID = UUID("12345678-1234-5678-1234-567812345678")
WHEN = datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone(timedelta(hours=2)))
COLOR = {"R": 100, "G": 200, "B": 150}
WIRE_SPEC = Path(__file__).parent / "fixtures" / "wire" / "spec.yaml"


@pytest.fixture
def wire(import_from: Any) -> Any:
    return import_from(GOLDEN / "wire", "wire_api")


def _client_class(module: Any, *, is_async: bool = False) -> Any:
    names = [n for n in module.__all__ if n.endswith("Client") and n.startswith("Async") == is_async]
    assert len(names) == 1, names
    return getattr(module, names[0])


class Sent:
    """The client over a MockTransport that remembers each request."""

    def __init__(self, wire: Any) -> None:
        self.requests: list[httpx.Request] = []
        transport = httpx.MockTransport(self._answer)
        self.client = _client_class(wire)(base_url=BASE, http_client=httpx.Client(transport=transport))

    def _answer(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return httpx.Response(200, json={"ok": True})

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


@pytest.fixture
def sent(wire: Any) -> Sent:
    return Sent(wire)


def _path(request: httpx.Request) -> str:
    return request.url.raw_path.decode("ascii").split("?")[0]


def _query(request: httpx.Request) -> str:
    return request.url.query.decode("ascii")


# ------------------------------------------------------------------------ paths


def test_simple_path_scalars_arrays_and_objects(sent: Sent) -> None:
    assert sent.client.paths.simple_path(UID, [3, 4, 5], COLOR, COLOR).ok is True
    assert _path(sent.last) == (
        "/v1/simple/12345678-1234-5678-1234-567812345678/3,4,5/R,100,G,200,B,150/R=100,G=200,B=150"
    )


def test_number_boolean_date_and_datetime_path_values(sent: Sent) -> None:
    sent.client.paths.scalar_path(0.5, True, date(2024, 1, 31), WHEN)
    assert _path(sent.last) == "/v1/scalars/0.5/true/2024-01-31/2024-05-06T07%3A08%3A09%2B02%3A00"


def test_label_path_style(sent: Sent) -> None:
    sent.client.paths.label_path(5, ["a b", "c"], ["a", "c"], COLOR, COLOR)
    assert _path(sent.last) == "/v1/label/.5/.a%20b,c/.a.c/.R,100,G,200,B,150/.R=100.G=200.B=150"


def test_matrix_path_style(sent: Sent) -> None:
    sent.client.paths.matrix_path(5, [3, 4], [3, 4], COLOR, {"R": 1, "G": 2})
    assert _path(sent.last) == "/v1/matrix/;id=5/;ids=3,4/;idsx=3;idsx=4/;color=R,100,G,200,B,150/;R=1;G=2"


def test_label_and_matrix_scalars(sent: Sent) -> None:
    sent.client.paths.scalar_styles(5, date(2024, 1, 2), UID)
    assert _path(sent.last) == "/v1/styles/.5/;mid=2024-01-02/12345678-1234-5678-1234-567812345678"


def test_path_values_cannot_leave_their_segment(sent: Sent) -> None:
    sent.client.paths.label_path(1, ["a/b", "?#"], ["../x"], {"R": 1}, {"R": 2})
    assert _path(sent.last) == "/v1/label/.1/.a%2Fb,%3F%23/...%2Fx/.R,1/.R=2"


# ------------------------------------------------------------------------ query


def test_deep_object_query_is_bracket_notation(sent: Sent) -> None:
    """OpenAI's ``metadata[k]=v`` and nested objects and arrays (``filter[created][gte]``)."""
    sent.client.queries.search(
        metadata={"team": "a b", "tier": "gold"},
        filter={"status": "open", "created": {"gte": 1, "lte": 9}, "labels": ["x", "y"]},
    )
    assert _query(sent.last) == (
        "metadata%5Bteam%5D=a%20b&metadata%5Btier%5D=gold"
        "&filter%5Bstatus%5D=open&filter%5Bcreated%5D%5Bgte%5D=1&filter%5Bcreated%5D%5Blte%5D=9"
        "&filter%5Blabels%5D%5B0%5D=x&filter%5Blabels%5D%5B1%5D=y"
    )


def test_form_objects_exploded_and_not_and_pipe_delimited(sent: Sent) -> None:
    sent.client.queries.search(point={"x": 1, "y": 2}, color=COLOR, shade={"R": 1, "G": 2})
    assert _query(sent.last) == "x=1&y=2&color=R%2C100%2CG%2C200%2CB%2C150&shade=R%7C1%7CG%7C2"


def test_formatted_query_values(sent: Sent) -> None:
    """GitHub's ``since`` (date-time), dates, UUIDs (also in arrays) and numbers."""
    other = UUID(int=1)
    sent.client.queries.search(
        since=WHEN, day=date(2024, 2, 29), owner=UID, owners=[UID, other], days=[date(2024, 1, 1), date(2024, 1, 2)], ratio=1.25
    )
    assert _query(sent.last) == (
        "since=2024-05-06T07%3A08%3A09%2B02%3A00&day=2024-02-29"
        "&owner=12345678-1234-5678-1234-567812345678"
        "&owners=12345678-1234-5678-1234-567812345678&owners=00000000-0000-0000-0000-000000000001"
        "&days=2024-01-01%2C2024-01-02&ratio=1.25"
    )


def test_content_parameter_is_json_text(sent: Sent) -> None:
    """A parameter described by ``content: application/json`` travels as compact JSON."""
    sent.client.queries.search_json(where={"status": "open", "created": {"gte": 1}})
    assert _query(sent.last) == "where=%7B%22status%22%3A%22open%22%2C%22created%22%3A%7B%22gte%22%3A1%7D%7D"


def test_omitted_objects_send_nothing(sent: Sent) -> None:
    sent.client.queries.search()
    assert sent.last.url.query == b""


def test_builder_query_survives_with_query(wire: Any) -> None:
    """An object parameter stays one entry of the request's query (pagination replaces keys)."""
    request = wire.operations.search(metadata={"a": "1"}, ratio=2)
    moved = request.with_query(ratio=3)
    assert moved.query_params() == [("metadata[a]", "1"), ("ratio", "3")]
    assert request.with_query(metadata=None).query_params() == [("ratio", "2")]


# ----------------------------------------------------------- headers and cookies


def test_header_and_cookie_objects_and_formats(sent: Sent) -> None:
    sent.client.headers.send_headers(
        x_color=COLOR, x_colorx={"R": 1, "G": 2}, x_when=WHEN, x_request_id=UID, prefs={"R": 1}, since=date(2024, 3, 1)
    )
    headers = sent.last.headers
    assert headers["X-Color"] == "R,100,G,200,B,150"
    assert headers["X-Colorx"] == "R=1,G=2"
    assert headers["X-When"] == "2024-05-06T07:08:09+02:00"
    assert headers["X-Request-Id"] == "12345678-1234-5678-1234-567812345678"
    assert headers["Cookie"] == "prefs=R,1; since=2024-03-01"


# ------------------------------------------------------------------ form bodies


def test_url_encoded_body_uses_bracket_notation(sent: Sent) -> None:
    """Stripe's ``card[number]``, ``items[0][price]``, ``metadata[k]``; arrays of
    scalars repeat the key unless the media type's ``encoding`` says otherwise
    (``expand``: deepObject, ``codes``: form without explode); dates and UUIDs as text."""
    sent.client.forms.create_charge(
        amount=2000,
        card={"number": "4242 4242", "exp_month": 12, "billing": {"city": "Köln"}},
        items=[{"price": "p_1", "quantity": 2}, {"price": "p_2"}],
        metadata={"order": "6735"},
        expand=["customer", "invoice"],
        codes=["a", "b"],
        tags=["x", "y"],
        capture_at=WHEN,
        customer=UID,
        ship_on=date(2024, 6, 1),
    )
    request = sent.last
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.content.decode("ascii") == (
        "amount=2000&card%5Bnumber%5D=4242+4242&card%5Bexp_month%5D=12&card%5Bbilling%5D%5Bcity%5D=K%C3%B6ln"
        "&items%5B0%5D%5Bprice%5D=p_1&items%5B0%5D%5Bquantity%5D=2&items%5B1%5D%5Bprice%5D=p_2"
        "&metadata%5Border%5D=6735&expand%5B0%5D=customer&expand%5B1%5D=invoice&codes=a%2Cb&tags=x&tags=y"
        "&capture_at=2024-05-06T07%3A08%3A09%2B02%3A00&customer=12345678-1234-5678-1234-567812345678"
        "&ship_on=2024-06-01"
    )


def test_async_client_sends_the_same_bytes(wire: Any) -> None:
    import asyncio

    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    async def main() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
        async with _client_class(wire, is_async=True)(base_url=BASE, http_client=http) as client:
            await client.paths.matrix_path(1, [2], [3, 4], {"R": 1}, {"G": 2})
            await client.queries.search(metadata={"k": "v"})

    asyncio.run(main())
    assert _path(seen[0]) == "/v1/matrix/;id=1/;ids=2/;idsx=3;idsx=4/;color=R,1/;G=2"
    assert _query(seen[1]) == "metadata%5Bk%5D=v"


# --------------------------------------------------------------- the typed API


def test_wire_package_passes_mypy_strict_with_typed_calls(tmp_path: Path) -> None:
    """``Dict[str, str]``, TypedDicts, ``datetime``, ``date`` and ``UUID`` in the
    signatures: a typed caller checks under mypy --strict, a wrong type does not."""
    pytest.importorskip("mypy")
    good = tmp_path / "good.py"
    good.write_text(
        "from datetime import date, datetime, timezone\n"
        "from uuid import UUID\n"
        "from wire_api import operations\n"
        "operations.search(metadata={'a': 'b'}, filter={'status': 'open', 'created': {'gte': 1}},\n"
        "    since=datetime.now(timezone.utc), day=date.today(), owner=UUID(int=1), owners=[UUID(int=2)])\n"
        "operations.scalar_path(1.5, False, date.today(), datetime.now(timezone.utc))\n"
        "operations.matrix_path(1, [1], [2], {'R': 1}, {'G': 2})\n"
        "operations.create_charge(amount=1, card={'number': '4242'}, items=[{'price': 'p'}])\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from wire_api import operations\n"
        "operations.search(metadata={'a': 1}, owner='not-a-uuid')\n"
        "operations.create_charge(amount=1, card={'numbr': '4242'})\n",
        encoding="utf-8",
    )
    env_path = str(GOLDEN / "wire")
    args = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / ".mypy")]
    ok = subprocess.run([*args, str(good)], capture_output=True, text=True, check=False, env={"MYPYPATH": env_path, "PATH": ""})
    assert ok.returncode == 0, ok.stdout + ok.stderr
    refused = subprocess.run([*args, str(bad)], capture_output=True, text=True, check=False, env={"MYPYPATH": env_path, "PATH": ""})
    assert refused.returncode == 1
    assert len(re.findall(r"bad\.py:\d+: error", refused.stdout)) == 3, refused.stdout


# ----------------------------------------------------------- refused, together


def _generate(spec: Path, out: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chatkit_codegen", "generate", "--spec", str(spec), "--out", str(out), "--no-validate", *flags],
        capture_output=True,
        text=True,
        check=False,
    )


def _small_package(tmp_path: Path, import_from: Any, text: str, package: str) -> tuple[Sent, Path, list[str]]:
    """Generate ``text`` (a small document) as ``package``: the client over a
    MockTransport, the spec's path and generate's report lines."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    result = _generate(spec, tmp_path / "out", "--package-name", package)
    assert result.returncode == 0, result.stderr
    return Sent(import_from(tmp_path / "out", package)), spec, result.stderr.splitlines()


def test_unsupported_constructs_are_reported_together(tmp_path: Path) -> None:
    """Four constructs the client cannot send: four located errors in one run; a fifth,
    nested objects in a form query, has a safe reading (JSON text) and is a warning."""
    text = WIRE_SPEC.read_text(encoding="utf-8")
    edits = [
        ("{name: id, in: path, required: true, style: label,", "{name: id, in: path, required: true, style: form,"),
        ("{name: prefs, in: cookie, explode: false,", "{name: prefs, in: cookie, explode: true,"),
        ("        ship_on: {type: string, format: date}", "        ship_on: {type: string, format: binary}"),
        ("bracket notation.\n          style: deepObject", "bracket notation.\n          style: form"),
        ("codes: {style: form, explode: false}", "codes: {style: matrix, explode: false}"),
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = _generate(spec, out, "--no-strict")
    assert result.returncode == 1 and not out.exists(), result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4, result.stderr
    located = [re.match(r"(.+):(\d+):(\d+): error: (/\S+): (.+)", line) for line in lines]
    assert all(m and m.group(1) == str(spec) for m in located), lines
    found = {m.group(4): (int(m.group(2)), m.group(5)) for m in located if m}
    rows = text.splitlines()
    expected = {
        "/paths/~1label~1{id}~1{ids}~1{idsx}~1{color}~1{colorx}/get/parameters/0": ("style: form", "style 'form' is not supported"),
        "/paths/~1headers/get/parameters/4": ("name: prefs", "an exploded object cannot be sent as one cookie"),
        "/components/schemas/ChargeForm/properties/ship_on": ("ship_on:", "binary values need multipart/form-data"),
        "/components/schemas/ChargeForm/properties/codes": ("codes:", "encoding style 'matrix' is not supported"),
    }
    assert set(found) == set(expected), found
    for pointer, (anchor, message) in expected.items():
        line, text_found = found[pointer]
        assert message in text_found
        assert anchor in rows[line - 1], (pointer, line, rows[line - 1])


def test_nested_values_in_a_form_query_are_sent_as_json_text(tmp_path: Path, import_from: Any) -> None:
    """Box's ``mdfilters``: an object with nested values in a ``form`` query has no
    serialization in OpenAPI's style table. generate warns, at the parameter, and sends
    it as JSON text; ``--strict`` refuses it."""
    text = WIRE_SPEC.read_text(encoding="utf-8")
    old = "bracket notation.\n          style: deepObject"
    assert text.count(old) == 1
    text = text.replace(old, "bracket notation.\n          style: form")
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    line = text.splitlines().index("        - name: filter") + 1
    pointer = "/paths/~1search/get/parameters/1"

    strict = _generate(spec, tmp_path / "strict", "--strict")
    assert strict.returncode == 1 and not (tmp_path / "strict").exists()
    assert strict.stderr.strip().splitlines() == [
        f"{spec}:{line}:11: error: {pointer}: query parameter 'filter': nested objects and arrays of "
        "objects have no 'form' serialization"
    ]

    result = _generate(spec, tmp_path / "out", "--no-strict", "--package-name", "wire_json_api")
    assert result.returncode == 0, result.stderr
    assert (
        f"{spec}:{line}:11: warning: {pointer}: query parameter 'filter': nested objects and arrays of "
        "objects have no 'form' serialization; sent as JSON text"
    ) in result.stderr.splitlines()
    wire = import_from(tmp_path / "out", "wire_json_api")
    sent = Sent(wire)
    sent.client.queries.search(filter={"status": "open", "labels": ["x"]})
    assert _query(sent.last) == "filter=%7B%22status%22%3A%22open%22%2C%22labels%22%3A%5B%22x%22%5D%7D"


def test_a_path_fragment_tells_operations_apart_and_is_not_sent(tmp_path: Path, import_from: Any) -> None:
    """Box's ``PUT /files/{file_id}#remove_shared_link`` beside ``PUT /files/{file_id}``:
    two methods, both sent to ``/files/7``; the fragment is a located note."""
    text = (
        "openapi: 3.0.3\n"
        "info: {title: Fragments, version: '1'}\n"
        "paths:\n"
        "  /files/{file_id}:\n"
        "    put:\n"
        "      operationId: update_file\n"
        "      parameters: [{name: file_id, in: path, required: true, schema: {type: string}}]\n"
        "      responses: {'204': {description: done}}\n"
        "  /files/{file_id}#remove_shared_link:\n"
        "    put:\n"
        "      operationId: remove_shared_link\n"
        "      parameters: [{name: file_id, in: path, required: true, schema: {type: string}}]\n"
        "      responses: {'204': {description: done}}\n"
    )
    sent, spec, report = _small_package(tmp_path, import_from, text, "fragments_api")
    assert any(
        line.startswith(f"{spec}:10:5: note: /paths/~1files~1{{file_id}}#remove_shared_link/put: ")
        and "fragment '#remove_shared_link'" in line
        for line in report
    ), report
    sent.client.files.update_file("7")
    sent.client.files.remove_shared_link("7")
    assert [(r.method, _path(r)) for r in sent.requests] == [("PUT", "/v1/files/7"), ("PUT", "/v1/files/7")]


def test_an_empty_form_body_sends_no_body(tmp_path: Path, import_from: Any) -> None:
    """Stripe's GETs carry ``{type: object, properties: {}, additionalProperties: false}``
    as an optional url-encoded body: nothing can be in it, so none is sent (a located note)."""
    text = (
        "openapi: 3.0.0\n"
        "info: {title: Empty forms, version: '1'}\n"
        "paths:\n"
        "  /v1/customers:\n"
        "    get:\n"
        "      operationId: GetCustomers\n"
        "      parameters: [{in: query, name: limit, schema: {type: integer}}]\n"
        "      requestBody:\n"
        "        required: false\n"
        "        content:\n"
        "          application/x-www-form-urlencoded:\n"
        "            encoding: {}\n"
        "            schema: {additionalProperties: false, properties: {}, type: object}\n"
        "      responses: {'204': {description: done}}\n"
    )
    sent, spec, report = _small_package(tmp_path, import_from, text, "empty_forms_api")
    assert (
        f"{spec}:11:11: note: /paths/~1v1~1customers/get/requestBody/content/application~1x-www-form-urlencoded: "
        "the form body has no properties: no body is sent"
    ) in report
    sent.client.customers.get_customers(limit=3)
    request = sent.last
    assert (request.method, _path(request), _query(request)) == ("GET", "/v1/v1/customers", "limit=3")  # BASE ends in /v1
    assert request.content == b"" and "content-type" not in request.headers


def test_structured_xml_body_is_sent_as_the_callers_content(tmp_path: Path, import_from: Any) -> None:
    """An ``application/xml`` body with an object schema: the client does not encode
    XML, so the method takes the serialised content (a located note says so)."""
    text = (
        "openapi: 3.0.3\n"
        "info: {title: Xml, version: '1'}\n"
        "paths:\n"
        "  /pets:\n"
        "    post:\n"
        "      operationId: add_pet\n"
        "      requestBody:\n"
        "        required: true\n"
        "        content:\n"
        "          application/xml:\n"
        "            schema: {type: object, properties: {name: {type: string}}}\n"
        "      responses: {'204': {description: done}}\n"
    )
    sent, spec, report = _small_package(tmp_path, import_from, text, "xml_api")
    assert (
        f"{spec}:10:11: note: /paths/~1pets/post/requestBody/content/application~1xml: the client does not "
        "encode 'application/xml' bodies: the schema documents the content, which the caller passes serialised"
    ) in report
    sent.client.pets.add_pet(body=b"<pet><name>Rex</name></pet>")
    assert sent.last.headers["content-type"] == "application/xml"
    assert sent.last.content == b"<pet><name>Rex</name></pet>"
