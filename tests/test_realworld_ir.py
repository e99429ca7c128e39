"""Inline schemas anywhere in an operation, and the shared real-world documents, build
an IR without an internal error; every component and operation is kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from chatkit_codegen.ir.build import build_api
from chatkit_codegen.ir.model import API, ListOf, ModelDecl, Ref, UnionOf
from chatkit_codegen.load.document import load_document, split_pointer

# ../shared/realworld beside the checkout (a worktree sits one level deeper)
REALWORLD = next(
    (p / "shared" / "realworld" for p in Path(__file__).resolve().parents if (p / "shared" / "realworld").is_dir()),
    Path("shared") / "realworld",
)
OBJ: dict[str, Any] = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}


def build(tmp_path: Path, spec: dict[str, Any]) -> API:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    return build_api(load_document(path, str(path)))


def inline_spec() -> dict[str, Any]:
    item = {"type": "object", "properties": {"name": {"type": "string"}, "nested": OBJ}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "putThings",
                    "parameters": [
                        {"name": "filter", "in": "query", "schema": {"type": "array", "items": OBJ}},
                    ],
                    "requestBody": {
                        "content": {"application/json": {"schema": {"type": "array", "items": item}}}
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"type": "array", "items": item}}},
                        },
                        "400": {
                            "description": "bad",
                            "content": {"application/json": {"schema": {"oneOf": [OBJ, item]}}},
                        },
                    },
                }
            }
        },
    }


def test_inline_objects_inside_operations_become_declarations(tmp_path: Path) -> None:
    api = build(tmp_path, inline_spec())
    (op,) = api.operations
    names = {d.name for d in api.decls.values()}
    assert op.body is not None and isinstance(op.body.type, ListOf) and isinstance(op.body.type.item, Ref)
    body_item = api.decls[op.body.type.item.key]
    assert isinstance(body_item, ModelDecl) and body_item.name == "PutThingsBodyItem" and body_item.owner is None
    assert {f.name for f in body_item.fields} == {"name", "nested"}
    assert op.success is not None and isinstance(op.success.type, ListOf)
    assert "PutThingsResponseItem" in names
    error = next(r for r in op.responses if r.status == "400")
    assert isinstance(error.type, Ref)
    union = api.decls[error.type.key]
    assert union.name == "PutThingsResponse400" and isinstance(getattr(union, "type", None), UnionOf)
    (param,) = op.params
    assert isinstance(param.type, ListOf) and isinstance(param.type.item, Ref)
    assert api.decls[param.type.item.key].name == "PutThingsFilterItem"
    for decl in api.decls.values():  # every declaration lives in a module of the API
        assert any(decl.key in m.decls for m in api.modules)


@pytest.mark.parametrize("name", ["box-openapi.json", "openai-openapi.yaml"])
def test_realworld_documents_keep_every_component_and_operation(name: str) -> None:
    path = REALWORLD / name
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    doc = load_document(path, str(path))
    api = build_api(doc)
    components = set((doc.data.get("components") or {}).get("schemas") or {})
    declared = {
        split_pointer(k.rsplit("@", 1)[0])[-1]
        for k in api.decls
        if k.startswith("/components/schemas/") and len(split_pointer(k.rsplit("@", 1)[0])) == 3
    }
    assert components and components <= declared
    methods = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}
    expected = sum(1 for item in doc.data["paths"].values() for m in item if m in methods)
    assert len(api.operations) == expected


def test_query_and_body_declarations_of_one_operation_do_not_collide(tmp_path: Path) -> None:
    spec = inline_spec()
    spec["paths"]["/things"]["post"]["requestBody"] = {"content": {"application/json": {"schema": OBJ}}}
    api = build(tmp_path, spec)
    (op,) = api.operations
    assert op.params_key is not None and op.body is not None and op.body.params_key is not None
    assert api.decls[op.body.params_key].name == "ThingPutThingsParams"
    assert api.decls[op.params_key].name == "ThingPutThingsQueryParams"
    assert not any("collides" in n.message for n in api.notes)
