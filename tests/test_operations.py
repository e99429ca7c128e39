"""Operation-level constructs on the golden ``operations`` package (httpx.MockTransport).

The fixture (tests/fixtures/operations/spec.yaml) has every parameter location and
array style, a multipart upload with files and a JSON part, a url-encoded form with
a text/plain answer, a 204, an octet-stream download, a typed 404 and a
text/event-stream of a discriminated union. Each test reads the request the
generated client put on the wire, the way a server would.
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from golden import GOLDEN

BASE = "https://api.ops.test/v2"
Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture
def ops(import_from: Any) -> Any:
    return import_from(GOLDEN / "operations", "operations_api")


class Recorder:
    def __init__(self, *responses: httpx.Response) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.responses.pop(0)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def client(ops: Any, recorder: Recorder, **options: Any) -> Any:
    transport = httpx.MockTransport(recorder)
    options.setdefault("sleep", lambda seconds: None)
    return ops.OperationsClient(api_key="sk-test", base_url=BASE, http_client=httpx.Client(transport=transport), **options)


def aclient(ops: Any, recorder: Recorder) -> Any:
    async def sleep(seconds: float) -> None:
        return None

    transport = httpx.MockTransport(recorder)
    return ops.AsyncOperationsClient(
        api_key="sk-test", base_url=BASE, http_client=httpx.AsyncClient(transport=transport), sleep=sleep
    )


def multipart_parts(request: httpx.Request) -> list[tuple[str, str | None, str | None, bytes]]:
    """(name, filename, content type, payload) of each part, parsed as a server would."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.content)
    assert message.is_multipart()
    parts = []
    for part in message.iter_parts():
        params = dict(part.get_params(header="content-disposition") or [])
        assert part.get_content_disposition() == "form-data"
        content_type = part["content-type"]
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        parts.append((params["name"], params.get("filename"), content_type, payload))
    return parts


FILE_LIST = {"data": [{"id": "f1", "name": "a.txt", "size": 3}]}


# ---------------------------------------------------------------- parameters


def test_every_parameter_location_and_array_style(ops: Any) -> None:
    rec = Recorder(httpx.Response(200, json=FILE_LIST))
    result = client(ops, rec).files.search_files(
        "my folder/1",
        tags=["a", "b c"],
        ids=[1, 2],
        include_deleted=True,
        sizes=[10, 20],
        kinds=["doc", "image"],
        x_request_source="tests",
        x_trace_ids=["t1", "t2"],
        session="s;1 é",
        prefs=["dark", "compact"],
    )
    assert result.data[0].size == 3
    request = rec.last
    assert request.url.raw_path.split(b"?")[0] == b"/v2/files/my%20folder%2F1/search"
    assert parse_qsl(request.url.query.decode(), keep_blank_values=True) == [
        ("tags", "a"),
        ("tags", "b c"),  # form, explode: the key repeats
        ("ids", "1,2"),  # form, explode false
        ("include_deleted", "true"),
        ("sizes", "10 20"),  # spaceDelimited
        ("kinds", "doc|image"),  # pipeDelimited
    ]
    assert request.headers["X-Request-Source"] == "tests"
    assert request.headers["X-Trace-Ids"] == "t1,t2"
    # one Cookie header; ";" and non-ASCII cannot leak out of a value
    assert request.headers["Cookie"] == "session=s%3B1%20%C3%A9; prefs=dark,compact"
    assert request.headers["Accept"] == "application/json"


def test_omitted_optional_parameters_are_not_sent(ops: Any) -> None:
    rec = Recorder(httpx.Response(200, json=FILE_LIST))
    client(ops, rec).files.search_files("f")
    assert rec.last.url.query == b""
    assert "cookie" not in rec.last.headers
    assert "x-trace-ids" not in rec.last.headers


def test_cookie_names_and_values_cannot_inject(ops: Any) -> None:
    request = ops.APIRequest("GET", "/x", cookies={"a": 'v"; b=1\r\n'}).to_httpx(BASE)
    assert request.headers["Cookie"] == "a=v%22%3B%20b=1%0D%0A"
    with pytest.raises(ValueError, match="cookie name"):
        ops.APIRequest("GET", "/x", cookies={"a;b": "1"})


def test_typed_error_response(ops: Any) -> None:
    rec = Recorder(httpx.Response(404, json={"message": "no such folder"}))
    with pytest.raises(ops.NotFoundError) as caught:
        client(ops, rec).files.search_files("missing")
    assert caught.value.status_code == 404
    assert caught.value.body == {"message": "no such folder"}
    assert "no such folder" in str(caught.value)
    from operations_api.types.not_found import NotFound

    assert isinstance(caught.value.data, NotFound) and caught.value.data.message == "no such folder"
    # a status the operation declares nothing for: no typed data
    rec = Recorder(httpx.Response(403, json={"message": "conflict"}))
    with pytest.raises(ops.PermissionDeniedError) as conflict:
        client(ops, rec).files.search_files("f")
    assert conflict.value.data is None and conflict.value.body == {"message": "conflict"}


# -------------------------------------------------------------------- bodies


def test_multipart_upload_with_files_fields_and_a_json_part(ops: Any, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"from a path")
    rec = Recorder(httpx.Response(201, json={"id": "f9", "name": "report.pdf", "size": 7}))
    created = client(ops, rec).files.upload_file(
        file=("report.pdf", b"%PDF-1\x00\xff"),
        name="Quarterly report",
        purpose="assistants",
        attachments=[path, io.BytesIO(b"raw bytes"), ("x.bin", b"\x01", "application/x-custom")],
        metadata={"owner": "ops", "note": "ünïcode"},
    )
    assert created.id == "f9"
    request = rec.last
    assert request.method == "POST"
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert multipart_parts(request) == [
        ("name", None, None, b"Quarterly report"),
        ("purpose", None, None, b"assistants"),
        ("metadata", None, "application/json", json.dumps({"owner": "ops", "note": "ünïcode"}, ensure_ascii=False, separators=(",", ":")).encode()),
        ("file", "report.pdf", "application/pdf", b"%PDF-1\x00\xff"),
        ("attachments", "notes.txt", "text/plain", b"from a path"),
        ("attachments", "upload", "application/octet-stream", b"raw bytes"),
        ("attachments", "x.bin", "application/x-custom", b"\x01"),
    ]


def test_multipart_retry_resends_the_same_bytes(ops: Any) -> None:
    handle = io.BytesIO(b"read once")
    rec = Recorder(httpx.Response(500), httpx.Response(201, json={"id": "f", "name": "n", "size": 1}))
    client(ops, rec).files.upload_file(file=handle, name="n", idempotent=True)
    first, second = rec.requests
    assert [p[3] for p in multipart_parts(first)] == [b"n", b"read once"]
    assert multipart_parts(first) == multipart_parts(second)


def test_file_inputs_that_cannot_be_uploaded_are_refused(ops: Any, tmp_path: Path) -> None:
    upload = client(ops, Recorder()).files.upload_file
    with pytest.raises(TypeError, match="received str"):
        upload(file="not bytes", name="n")
    text = tmp_path / "t.txt"
    text.write_text("x")
    with text.open("r") as handle, pytest.raises(TypeError, match="text mode"):
        upload(file=handle, name="n")
    with pytest.raises(ValueError, match="forbidden character"):
        upload(file=('a"\r\nX-Evil: 1', b"x"), name="n")


def test_form_urlencoded_body_and_text_response(ops: Any) -> None:
    rec = Recorder(httpx.Response(200, text="tok-123", headers={"content-type": "text/plain; charset=utf-8"}))
    token = client(ops, rec).tokens.create_token(grant_type="client_credentials", scope="read write&more")
    assert token == "tok-123" and isinstance(token, str)
    request = rec.last
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.headers["accept"] == "text/plain"
    assert parse_qsl(request.content.decode()) == [("grant_type", "client_credentials"), ("scope", "read write&more")]
    rec = Recorder(httpx.Response(200, text="t"))
    client(ops, rec).tokens.create_token(grant_type="g")
    assert rec.last.content == b"grant_type=g"  # an omitted field is not sent


def test_raw_binary_body(ops: Any, tmp_path: Path) -> None:
    path = tmp_path / "new.bin"
    path.write_bytes(b"\x00new bytes")
    for given in (b"\x00new bytes", path, io.BytesIO(b"\x00new bytes")):
        rec = Recorder(httpx.Response(204))
        assert client(ops, rec).files.replace_file_content("f1", body=given) is None
        assert rec.last.method == "PUT" and rec.last.content == b"\x00new bytes"
        assert rec.last.headers["content-type"] == "application/octet-stream"


def test_one_body_per_request(ops: Any) -> None:
    with pytest.raises(ValueError, match="one body"):
        ops.APIRequest("POST", "/x", json={}, form={"a": 1})
    with pytest.raises(ValueError, match="one body"):
        ops.APIRequest("POST", "/x", form={"a": 1}, content=b"x")
    assert ops.APIRequest("PUT", "/x", content="é").to_httpx(BASE).content == "é".encode()
    empty = ops.APIRequest("POST", "/x", files={}).to_httpx(BASE)
    assert empty.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert empty.content.endswith(b"--\r\n")


# ----------------------------------------------------------------- responses


def test_empty_204_response_is_none(ops: Any) -> None:
    rec = Recorder(httpx.Response(204))
    assert client(ops, rec).files.delete_file("f1") is None
    assert rec.last.method == "DELETE" and rec.last.url.path == "/v2/files/f1"


def test_binary_download_is_bytes(ops: Any) -> None:
    payload = bytes(range(256))
    rec = Recorder(httpx.Response(200, content=payload, headers={"content-type": "application/octet-stream"}))
    ck = client(ops, rec)
    assert ck.files.download_file("f1") == payload
    assert rec.last.headers["accept"] == "application/octet-stream"
    rec.responses.append(httpx.Response(200, content=b"\xff\xfe"))
    raw = ck.files.with_raw_response.download_file("f1")
    assert raw.status_code == 200 and raw.parse() == b"\xff\xfe"


# ------------------------------------------------------------------ streaming

SSE_BODY = (
    b": keep-alive comment\n\n"
    b'data: {"type":"progress",\n'
    b'data: "percent":50}\n\n'  # two data lines join with a newline
    b"retry: 1000\n\n"
    b"event: tick\r\n"
    b'data: {"type":"done"}\r\n\r\n'
    b"data: [DONE]\n\n"
    b'data: {"type":"progress","percent":99}\n\n'  # after [DONE]: not read
)


class Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body delivered in small pieces, recording whether it was closed."""

    def __init__(self, body: bytes, size: int = 7) -> None:
        self.pieces = [body[i : i + size] for i in range(0, len(body), size)]
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield from self.pieces

    async def __aiter__(self) -> Any:
        for piece in self.pieces:
            yield piece

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def sse_response(body: bytes = SSE_BODY) -> tuple[httpx.Response, Chunks]:
    stream = Chunks(body)
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=stream), stream


def test_event_stream_yields_typed_events(ops: Any) -> None:
    response, body = sse_response()
    rec = Recorder(response)
    stream = client(ops, rec).events.stream_events()
    assert isinstance(stream, ops.Stream)
    events = list(stream)
    from operations_api.types.event import EventDone, EventProgress

    assert [type(e) for e in events] == [EventProgress, EventDone]
    assert events[0].percent == 50
    assert rec.last.headers["accept"] == "text/event-stream"
    assert body.closed


def test_event_stream_async(ops: Any) -> None:
    response, body = sse_response()
    rec = Recorder(response)

    async def main() -> list[Any]:
        async with aclient(ops, rec) as ck:
            stream = await ck.events.stream_events()
            assert isinstance(stream, ops.AsyncStream)
            return [event async for event in stream]

    events = asyncio.run(main())
    assert [e.type for e in events] == ["progress", "done"]
    assert body.closed


def test_event_stream_close_early_and_raw_events(ops: Any) -> None:
    response, body = sse_response()
    with client(ops, Recorder(response)).events.stream_events() as stream:
        assert next(stream).type == "progress"
    assert body.closed
    response, _ = sse_response()
    raw = client(ops, Recorder(response)).events.with_raw_response.stream_events()
    assert raw.status_code == 200 and raw.headers["content-type"] == "text/event-stream"
    sse = list(raw.parse().iter_sse())
    assert [e.event for e in sse] == ["message", "message", "tick", "message", "message"]
    assert sse[0].data == '{"type":"progress",\n"percent":50}'


def test_event_stream_errors(ops: Any) -> None:
    rec = Recorder(httpx.Response(503, json={"message": "busy"}), httpx.Response(429, json={"message": "slow"}))
    with pytest.raises(ops.RateLimitError, match="slow"):
        client(ops, rec, max_retries=1).events.stream_events()
    response, _ = sse_response(b'data: {"type":"unknown"}\n\n')
    with pytest.raises(ops.APIResponseValidationError):
        list(client(ops, Recorder(response)).events.stream_events())


# --------------------------------------------- the same constructs in the store spec


def test_store_spec_non_crud_operations_end_to_end(import_from: Any) -> None:
    """The realistic multi-resource fixture uses them too: one call of each, on the wire."""
    store = import_from(GOLDEN / "store", "store_api")
    answers = {
        "/v1/products/search": httpx.Response(200, json={"object": "list", "data": [], "has_more": False}),
        "/v1/products/p_1/images": httpx.Response(201, json={"id": "img_1", "url": "https://cdn/x.png"}),
        "/v1/oauth/token": httpx.Response(200, json={"access_token": "t", "token_type": "bearer", "expires_in": 60}),
        "/v1/invoices/inv_1/pdf": httpx.Response(200, content=b"%PDF-1.7"),
        "/v1/orders/export": httpx.Response(200, text="id,total\no_1,10\n"),
        "/v1/orders/o_1/events": httpx.Response(
            200,
            headers={"content-type": "text/event-stream"},
            content=b'data: {"type":"order.shipment_updated","shipment_id":"s1","location":null}\n\n',
        ),
    }
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return answers[request.url.path]

    http = httpx.Client(transport=httpx.MockTransport(handler))
    ck = store.StoreClient(api_key="k", base_url="https://api.store.test/v1", http_client=http)
    ck.product.search_products(q="red shoes", ids=["p1", "p2"], tags=["a", "b"], x_store_region="eu", store_session="c")
    assert seen[-1].url.query == b"q=red%20shoes&ids=p1%2Cp2&tags=a%7Cb"
    assert (seen[-1].headers["x-store-region"], seen[-1].headers["cookie"]) == ("eu", "store_session=c")
    image = ck.product.upload_product_image("p_1", image=("shoe.png", b"\x89PNG"), alt="A shoe")
    assert image.id == "img_1"
    assert multipart_parts(seen[-1]) == [("alt", None, None, b"A shoe"), ("image", "shoe.png", "image/png", b"\x89PNG")]
    token = ck.auth.create_access_token(grant_type="client_credentials", client_id="id", client_secret="s", scope=["r", "w"])
    assert token.expires_in == 60
    assert parse_qsl(seen[-1].content.decode()) == [
        ("grant_type", "client_credentials"), ("client_id", "id"), ("client_secret", "s"), ("scope", "r"), ("scope", "w")
    ]
    assert ck.invoice.download_invoice_pdf("inv_1") == b"%PDF-1.7"
    assert seen[-1].headers["accept"] == "application/pdf"
    assert ck.order.export_orders().splitlines() == ["id,total", "o_1,10"]
    events = list(ck.order.stream_order_events("o_1"))
    assert [type(e).__name__ for e in events] == ["OrderShipmentUpdated"] and events[0].location is None


# ---------------------------------------------------------------- credentials


def test_api_key_goes_where_the_security_scheme_says(ops: Any) -> None:
    rec = Recorder(httpx.Response(200, json=FILE_LIST), httpx.Response(200, text="t"))
    ck = client(ops, rec)
    ck.files.search_files("f")
    assert rec.last.headers["x-ops-key"] == "sk-test" and "authorization" not in rec.last.headers
    ck.tokens.create_token(grant_type="g")  # security: [] -> no credentials at all
    assert "x-ops-key" not in rec.last.headers and "authorization" not in rec.last.headers


AUTH_SPEC = """
openapi: 3.1.0
info: {{title: Auth, version: "1"}}
servers: [{{url: "https://auth.test/v1"}}]
security: [{{Key: []}}]
paths:
  /things:
    get:
      operationId: listThings
      parameters: [{{name: session, in: cookie, schema: {{type: string}}}}]
      responses: {{"204": {{description: None.}}}}
  /public:
    get:
      operationId: getPublic
      security: []
      responses: {{"204": {{description: None.}}}}
components:
  securitySchemes:
    Key: {scheme}
"""
SCHEMES = {
    "bearer": ("{type: http, scheme: bearer}", lambda r: r.headers["authorization"] == "Bearer k:s"),
    "basic": ("{type: http, scheme: basic}", lambda r: r.headers["authorization"] == "Basic azpz"),
    "query": ("{type: apiKey, in: query, name: api_key}", lambda r: r.url.params["api_key"] == "k:s"),
    "cookie": (
        "{type: apiKey, in: cookie, name: key}",
        lambda r: r.headers["cookie"] == "session=s1; key=k:s" and "authorization" not in r.headers,
    ),
    "oauth2": (
        "{type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://auth.test/token', scopes: {}}}}",
        lambda r: r.headers["authorization"] == "Bearer k:s",
    ),
}


@pytest.mark.parametrize("kind", sorted(SCHEMES))
def test_every_security_scheme_kind(kind: str, tmp_path: Path, import_from: Any) -> None:
    from conftest import generate_package

    scheme, check = SCHEMES[kind]
    spec = tmp_path / "spec.yaml"
    spec.write_text(AUTH_SPEC.format(scheme=scheme), encoding="utf-8")
    generate_package(spec, tmp_path / "out", f"auth_{kind}_api")
    pkg = import_from(tmp_path / "out", f"auth_{kind}_api")
    rec = Recorder(httpx.Response(204), httpx.Response(204))
    http = httpx.Client(transport=httpx.MockTransport(rec))
    ck = pkg.ChatKitClient(api_key="k:s", base_url="https://auth.test/v1", http_client=http)
    ck.things.list_things(session="s1")
    assert check(rec.last), rec.last.headers
    ck.public.get_public()
    assert "k:s" not in str(rec.last.url) and "authorization" not in rec.last.headers
    assert "key=" not in rec.last.headers.get("cookie", "")


def test_an_api_without_security_needs_no_key(import_from: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    fields = import_from(GOLDEN / "fields", "fields_api")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert fields.FieldDetailsClient(base_url="https://f.test").api_key == ""  # no security: no key


def test_an_api_key_header_that_is_not_a_token_is_a_located_error(tmp_path: Path) -> None:
    from chatkit_codegen.errors import CodegenError
    from conftest import generate_package

    spec = tmp_path / "spec.yaml"
    spec.write_text(AUTH_SPEC.format(scheme="{type: apiKey, in: header, name: 'X Key: 1'}"), encoding="utf-8")
    with pytest.raises(CodegenError, match=r"spec.yaml:\d+:\d+: error: /components/securitySchemes/Key/name: header name"):
        generate_package(spec, tmp_path / "out", "auth_bad_api")
    assert not (tmp_path / "out").exists()
