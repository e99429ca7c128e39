"""Response ``links`` appear on the method pages, escaped like every other spec string.

The ``events`` fixture's link (by ``operationId``) is checked in its golden page; an
inline spec adds a link by local ``operationRef`` to another resource's page, a
parameter qualified by its location (``path.ownerId``, shown by its Python name), a
request body expression, a target the document does not have, and hostile text.
"""

from __future__ import annotations

import textwrap

import pytest
from docs_support import generate_docs, read_html, to_html, visible_lines
from golden import GOLDEN

SPEC = textwrap.dedent(
    """
    openapi: 3.1.0
    info: {title: Links API, version: "1.0"}
    paths:
      /pets:
        post:
          operationId: createPet
          tags: [pets]
          summary: Create a pet.
          responses:
            "201":
              description: Created.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Pet"}
              links:
                OwnerOfPet:
                  operationRef: "#/paths/~1owners~1{ownerId}/get"
                  parameters: {path.ownerId: $response.body#/owner}
                  description: "The pet's owner. <script>alert(1)</script> | `tick`"
                Encoded:
                  operationRef: "#/paths/~1owners~1%7BownerId%7D/get"
                  parameters: {ownerId: $response.body#/owner}
                Copy:
                  operationId: createPet
                  requestBody: {name: $response.body#/name}
                "Evil`` <b>name</b>":
                  operationId: doesNotExist
                  parameters: {x: $request.query.x}
      /owners/{ownerId}:
        get:
          operationId: getOwner
          tags: [owners]
          summary: Get an owner.
          parameters:
            - {name: ownerId, in: path, required: true, schema: {type: string}}
          responses:
            "200": {description: The owner.}
    components:
      schemas:
        Pet:
          type: object
          properties:
            name: {type: string}
            owner: {type: string}
    """
)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("links")
    spec = root / "links.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    return generate_docs(spec, root / "out", "links_api")


def _section(page: str, anchor: str) -> str:
    start = page.index(f"### Links {{ #{anchor}-links }}")
    return page[start : page.index("\n### ", start + 1)]


def test_the_events_fixture_shows_its_link_on_the_method_page() -> None:
    page = (GOLDEN / "events" / "docs" / "methods" / "pets.md").read_text(encoding="utf-8")
    section = _section(page, "create_pet")
    assert "- `GetPetById` → [`pets.get_pet`](#get_pet)" in section
    assert "The new pet's id retrieves it." in section
    assert "`201` response · `pet_id` = `$response.body#/id`" in section


def test_links_by_operation_ref_body_and_unknown_targets(pages: dict[str, str]) -> None:
    section = _section(pages["methods/pets.md"], "create_pet")
    lines = visible_lines(section)
    # operationRef to another page; the path parameter by its Python name
    assert "[`owners.get_owner`](owners.md#get_owner)" in section
    assert "201 response · owner_id = $response.body#/owner" in lines
    # a percent-encoded operationRef finds the same method
    assert "- `Encoded` → [`owners.get_owner`](owners.md#get_owner)" in section
    # a link back to the same method, with a request body expression
    assert "[`pets.create_pet`](#create_pet)" in section
    assert '201 response · body = {"name": "$response.body#/name"}' in lines
    # a target the document does not have is named, not linked
    assert any(line.endswith("doesNotExist (not a method of this client)") for line in lines)
    assert "owners.md#get_owner" in pages["methods/pets.md"]
    assert "{ #get_owner }" in pages["methods/owners.md"]


def test_link_text_is_escaped(pages: dict[str, str]) -> None:
    html = to_html(_section(pages["methods/pets.md"], "create_pet"))
    reader = read_html(html)
    assert "script" not in reader.elements and "b" not in reader.elements
    assert "The pet's owner. <script>alert(1)</script> | tick" in reader.lines  # shown as text
    assert "Evil`` <b>name</b> → doesNotExist (not a method of this client)" in reader.lines

