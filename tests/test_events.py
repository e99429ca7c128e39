"""Webhooks and callbacks become typed payload models with parse functions; links reach the IR.

The fixture tests/fixtures/events follows the OpenAPI Initiative's webhook and callback
examples; a document with webhooks and no paths at all (3.1 allows it) generates too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, generate_package
from golden import GOLDEN

FIXTURE = ROOT / "tests" / "fixtures" / "events" / "spec.yaml"


@pytest.fixture
def events_api(import_from: Any) -> Any:
    return import_from(GOLDEN / "events", "events_api")


def test_a_webhook_body_parses_into_its_model_from_bytes_text_or_json(events_api: Any) -> None:
    from events_api.types import Pet
    from events_api.webhooks import parse_new_pet, parse_webhook

    for body in (b'{"id": 1, "name": "Rex"}', '{"id": 1, "name": "Rex"}', {"id": 1, "name": "Rex"}):
        pet = parse_new_pet(body)
        assert isinstance(pet, Pet) and (pet.id, pet.name, pet.tag) == (1, "Rex", None)
    assert parse_webhook("newPet", {"id": 2, "name": "Tom"}).name == "Tom"


def test_a_union_payload_picks_its_variant_by_discriminator(events_api: Any) -> None:
    from events_api.types import PetAdopted, PetLost
    from events_api.webhooks import parse_pet_event

    assert isinstance(parse_pet_event({"type": "adopted", "pet_id": 1}), PetAdopted)
    lost = parse_pet_event(b'{"type": "lost", "pet_id": 1, "last_seen": "park"}')
    assert isinstance(lost, PetLost) and lost.last_seen == "park"


def test_an_inline_payload_gets_its_own_class(events_api: Any) -> None:
    from events_api.types import PetPhotoEvent
    from events_api.webhooks import parse_webhook

    photo = parse_webhook("petPhoto", '{"pet_id": 3, "url": "https://x.example/p.jpg", "taken_at": "2024-01-02T03:04:05Z"}')
    assert isinstance(photo, PetPhotoEvent)
    assert photo.taken_at == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def test_bad_bodies_and_unknown_names_are_errors(events_api: Any) -> None:
    from events_api.webhooks import parse_new_pet, parse_webhook
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        parse_new_pet(b'{"id": "not a number", "name": "Rex"}')
    with pytest.raises(ValidationError):
        parse_new_pet(b"{not json")
    with pytest.raises(ValueError, match=r"unknown webhook 'oldPet' \(known: newPet, petEvent, petPhoto\)"):
        parse_webhook("oldPet", {})


def test_a_callback_payload_parses(events_api: Any) -> None:
    from events_api.callbacks import parse_callback, parse_subscribe_on_data
    from events_api.types import SubscribeOnDataPayload

    data = parse_subscribe_on_data({"timestamp": "2024-01-02T03:04:05Z", "user_data": "x"})
    assert isinstance(data, SubscribeOnDataPayload) and data.user_data == "x"
    assert parse_callback("onData", b"{}").timestamp is None


def test_events_and_links_are_in_the_ir_and_the_docs() -> None:
    from chatkit_codegen.ir.build import build_api
    from chatkit_codegen.load.document import load_document

    api = build_api(load_document(FIXTURE))
    assert [(e.kind, e.name, e.func_name, e.method) for e in api.events] == [
        ("webhook", "newPet", "parse_new_pet", "POST"),
        ("webhook", "petEvent", "parse_pet_event", "POST"),
        ("webhook", "petPhoto", "parse_pet_photo", "POST"),
        ("callback", "onData", "parse_subscribe_on_data", "POST"),
    ]
    callback = api.events[-1]
    assert callback.expression == "{$request.query.callback_url}/data"
    assert callback.operation_id == "subscribe"
    assert [r.status for r in callback.responses] == ["202", "204"]
    [link] = api.links
    assert (link.name, link.status, link.target_operation_id, link.parameters) == (
        "GetPetById", "201", "getPet", (("pet_id", "$response.body#/id"),)
    )
    docs = (GOLDEN / "events" / "docs" / "webhooks.md").read_text(encoding="utf-8")
    assert "## newPet { #parse_new_pet }" in docs
    assert "- Payload: [Pet](models/pet.md#Pet) (`application/json`)" in docs
    assert "`events_api.webhooks.parse_new_pet(body)`" in docs
    callbacks = (GOLDEN / "events" / "docs" / "callbacks.md").read_text(encoding="utf-8")
    assert "- Request: `POST` to `{$request.query.callback_url}/data`" in callbacks
    assert "- `204`: Your server is no longer interested in further updates." in callbacks


def test_a_document_of_webhooks_only(tmp_path: Path, import_from: Any) -> None:
    """The OpenAPI Initiative's webhook example: no paths, one webhook, one schema."""
    spec = tmp_path / "webhook-example.yaml"
    spec.write_text(
        """openapi: 3.1.0
info: {title: Webhook Example, version: 1.0.0}
webhooks:
  newPet:
    post:
      requestBody:
        description: Information about a new pet in the system
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Pet"}
      responses:
        "200": {description: Return a 200 status to indicate that the data was received successfully}
components:
  schemas:
    Pet:
      required: [id, name]
      properties:
        id: {type: integer, format: int64}
        name: {type: string}
        tag: {type: string}
""",
        encoding="utf-8",
    )
    files = generate_package(spec, tmp_path / "out", "hooks_api")
    assert "hooks_api/webhooks.py" in files and "docs/webhooks.md" in files
    import_from(tmp_path / "out", "hooks_api")
    from hooks_api.webhooks import parse_new_pet

    assert parse_new_pet({"id": 1, "name": "Rex"}).name == "Rex"



def test_the_summary_counts_webhooks_and_callbacks(tmp_path: Path) -> None:
    """A document of webhooks has 0 operations; the end-of-run line says what it has."""
    from chatkit_codegen.config import load_config
    from chatkit_codegen.pipeline import generate, summary_line

    cfg = load_config(tmp_path).with_overrides(spec=FIXTURE, out=tmp_path / "out")
    result = generate(cfg)
    callbacks = sum(1 for e in result.api.events if e.kind == "callback")
    assert callbacks == 1
    line = summary_line(result.api, len(result.files), tmp_path / "out")
    assert f"operations, 3 webhooks, {callbacks} callback (" in line, line
