"""Request body properties become snake_case keyword arguments; the body keeps the wire names.

The golden ``bodynames`` package (tests/fixtures/bodynames/spec.yaml: camelCase
properties of a JSON, a url-encoded and a multipart body, some spelled like the
operation's path and query parameters) is called through a client over
``httpx.MockTransport``; each test asserts the bytes sent. The names are decided in
the IR (``ir/readers/bodies.py``), so the docs name the same arguments.
"""

from __future__ import annotations

import inspect
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from chatkit_codegen.ir.build import build_api
from chatkit_codegen.load.document import load_document
from golden import GOLDEN

BASE = "https://api.kennel.test/v1"
SPEC = Path(__file__).parent / "fixtures" / "bodynames" / "spec.yaml"
PET = {"id": "p1"}


class Sent:
    def __init__(self, module: Any) -> None:
        self.requests: list[httpx.Request] = []
        self.client = module.KennelClient(
            base_url=BASE, http_client=httpx.Client(transport=httpx.MockTransport(self._answer))
        )

    def _answer(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return httpx.Response(200, json=PET)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


@pytest.fixture
def kennel(import_from: Any) -> Any:
    return import_from(GOLDEN / "bodynames", "bodynames_api")


@pytest.fixture
def sent(kennel: Any) -> Sent:
    return Sent(kennel)


def test_body_names_are_snake_case_and_unique_beside_the_parameters() -> None:
    """``petName``/``pet_name`` both read ``pet_name``: the second gets ``pet_name2``;
    ``petId``/``dryRun`` repeat the path and query parameters: ``pet_id2``, ``dry_run2``;
    ``extraHeaders`` would shadow the methods' own argument: ``extra_headers_``."""
    api = build_api(load_document(SPEC))
    ops = {op.operation_id: op for op in api.operations}
    update = ops["updatePet"]
    assert [p.name for p in update.params] == ["pet_id", "dry_run"]
    assert update.body is not None
    assert [(f.wire_name, f.name) for f in update.body.fields] == [
        ("petName", "pet_name"),
        ("pet_name", "pet_name2"),
        ("petId", "pet_id2"),
        ("dryRun", "dry_run2"),
        ("birthDate", "birth_date"),
        ("ownerRef", "owner_ref"),
    ]
    tag = ops["tagPet"].body
    assert tag is not None
    assert [f.name for f in tag.fields] == ["tag_name", "color_codes", "extra_headers_"]
    photo = ops["uploadPhoto"].body
    assert photo is not None
    assert [f.name for f in photo.fields] == ["photo_file", "caption_text", "taken_at"]
    # the TypedDict of the body is the body's shape: its keys stay the wire names
    decl = api.decls[update.body.params_key or ""]
    assert [f.name for f in decl.fields][:3] == ["petName", "pet_name", "petId"]  # type: ignore[union-attr]


def test_json_body_sends_the_wire_names(sent: Sent) -> None:
    sent.client.pets.update_pet(
        "p1",
        pet_name="Rex",
        pet_name2="rex",
        pet_id2="p2",
        dry_run=True,
        dry_run2=False,
        birth_date=date(2020, 2, 29),
        owner_ref={"ownerId": "o1"},
    )
    request = sent.last
    assert request.method == "PUT"
    assert request.url.raw_path == b"/v1/pets/p1?dryRun=true"
    assert json.loads(request.content) == {
        "petName": "Rex",
        "pet_name": "rex",
        "petId": "p2",
        "dryRun": False,
        "birthDate": "2020-02-29",
        "ownerRef": {"ownerId": "o1"},
    }


def test_url_encoded_body_sends_the_wire_names(sent: Sent) -> None:
    sent.client.pets.tag_pet("p1", tag_name="good dog", color_codes=["red", "blue"], extra_headers_="x")
    request = sent.last
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.content == b"tagName=good+dog&colorCodes=red%2Cblue&extraHeaders=x"


def test_multipart_body_sends_the_wire_names(sent: Sent) -> None:
    when = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    sent.client.pets.upload_photo("p1", photo_file=("rex.png", b"\x89PNG", "image/png"), caption_text="Rex", taken_at=when)
    request = sent.last
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    body = request.content
    assert b'Content-Disposition: form-data; name="captionText"\r\n\r\nRex\r\n' in body
    assert b'Content-Disposition: form-data; name="takenAt"\r\n\r\n2024-05-06T07:08:09+00:00\r\n' in body
    assert b'Content-Disposition: form-data; name="photoFile"; filename="rex.png"' in body
    assert b"photo_file" not in body and b"caption_text" not in body


def test_camel_case_keywords_are_not_accepted(kennel: Any) -> None:
    params = inspect.signature(kennel.KennelClient(base_url=BASE).pets.update_pet).parameters
    assert "pet_name" in params and "petName" not in params and "birthDate" not in params


def test_docs_name_the_keyword_and_the_wire_name() -> None:
    page = (GOLDEN / "bodynames" / "docs" / "methods" / "pets.md").read_text(encoding="utf-8")
    assert "- `birth_date`: Optional\\[date\\]" in page
    assert "body · *optional* · sent as `birthDate`" in page
    assert "`birthDate`:" not in page
    # the signature lists the keywords, not the TypedDict whose keys are the wire names
    assert "    date birth_date,\n" in page and "PetUpdate **kwargs" not in page
    assert "pets.tag_pet(str pet_id, str tag_name, List[str] color_codes, str extra_headers_) -> Pet" in page
    # the example calls use the keyword arguments, the HTTP examples the wire names
    assert 'client.pets.update_pet("pet_id", pet_name="petName")' in page
    assert 'client.pets.upload_photo("pet_id", photo_file=open("photoFile", "rb"))' in page
    assert '"petName": "petName"' in page
