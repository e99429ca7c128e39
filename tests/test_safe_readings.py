"""Defects with a safe reading: the IR does the safe thing, whether or not validation
ran, and says what it did as a located warning (file:line:col and JSON pointer)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from chatkit_codegen.config import load_config
from chatkit_codegen.ir.model import Note
from chatkit_codegen.pipeline import generate, write_tree
from conftest import ROOT
from pydantic import TypeAdapter, ValidationError

PKG = "safe_api"


class Generated:
    def __init__(self, files: dict[str, str], notes: tuple[Note, ...]) -> None:
        self.files = files
        self.notes = notes

    def module(self, name: str) -> str:
        return self.files[f"{PKG}/types/{name}.py"]

    def warnings(self, pointer: str) -> list[str]:
        return [n.message for n in self.notes if n.pointer == pointer and n.level == "warning"]


def gen(tmp_path: Path, schemas: dict[str, Any], openapi: str = "3.1.0") -> Generated:
    spec = {"openapi": openapi, "info": {"title": "Safe", "version": "1"}, "paths": {}, "components": {"schemas": schemas}}
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    cfg = load_config(ROOT).with_overrides(spec=path, out=tmp_path / "out", package_name=PKG)
    result = generate(cfg, validate=False)
    write_tree(tmp_path / "out", result.files)
    for note in result.api.notes:  # every note is located in the document
        assert note.line > 1 and note.col >= 1, note
    return Generated(result.files, result.api.notes)


def obj(props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": required if required is not None else list(props)}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


CAT = obj({"kind": {"const": "cat"}, "meows": {"type": "boolean"}})
DOG = obj({"kind": {"const": "dog"}, "barks": {"type": "boolean"}})


def test_a_discriminator_that_holds_stays_tagged(tmp_path: Path) -> None:
    g = gen(tmp_path, {"Cat": CAT, "Dog": DOG, "Pet": {"oneOf": [ref("Cat"), ref("Dog")], "discriminator": {"propertyName": "kind"}}})
    assert 'Field(discriminator="kind")' in g.module("pet")
    assert not g.warnings("/components/schemas/Pet")


@pytest.mark.parametrize(
    ("cat", "reason"),
    [
        (obj({"meows": {"type": "boolean"}}), "variant 0 has no 'kind' property"),
        (obj({"kind": {"type": "string"}, "meows": {"type": "boolean"}}), "variant 0 does not fix 'kind' to constant values"),
        (obj({"kind": {"const": "dog"}, "meows": {"type": "boolean"}}), "tag 'dog' is on variants 0 and 1"),
    ],
    ids=["missing", "not-const", "not-unique"],
)
def test_a_discriminator_that_does_not_hold_becomes_a_plain_union(
    tmp_path: Path, import_from: Any, cat: dict[str, Any], reason: str
) -> None:
    schemas = {"Cat": cat, "Dog": DOG, "Pet": {"oneOf": [ref("Cat"), ref("Dog")], "discriminator": {"propertyName": "kind"}}}
    g = gen(tmp_path, schemas)
    text = g.module("pet")
    assert "Pet: TypeAlias = Union[Cat, Dog]" in text and "discriminator" not in text
    assert g.warnings("/components/schemas/Pet") == [
        f"discriminator 'kind' does not hold ({reason}): generated as a plain union"
    ]
    pet = import_from(tmp_path / "out", f"{PKG}.types.pet").Pet
    assert type(TypeAdapter(pet).validate_python({"kind": "dog", "barks": True})).__name__ == "Dog"


def test_a_discriminator_without_oneof_is_ignored(tmp_path: Path) -> None:
    g = gen(tmp_path, {"Thing": {"type": "string", "discriminator": {"propertyName": "kind"}}})
    assert "Thing: TypeAlias = str" in g.module("thing")
    assert g.warnings("/components/schemas/Thing/discriminator") == ["discriminator without oneOf or anyOf: ignored"]


def test_a_name_required_twice_is_read_once(tmp_path: Path) -> None:
    g = gen(tmp_path, {"Pet": obj({"name": {"type": "string"}, "age": {"type": "integer"}}, ["name", "name"])})
    text = g.module("pet")
    assert "    name: str\n" in text and "age: Optional[int] = None" in text
    assert g.warnings("/components/schemas/Pet/required/1") == ["'required' lists 'name' twice; read once"]


def test_boolean_exclusive_bounds_in_31_are_read_as_30_meant(tmp_path: Path, import_from: Any) -> None:
    schema = obj({"n": {"type": "integer", "minimum": 0, "exclusiveMinimum": True, "maximum": 10, "exclusiveMaximum": False}})
    g = gen(tmp_path, {"Box": schema})
    assert "Field(gt=0, le=10)" in g.module("box")
    base = "/components/schemas/Box/properties/n"
    assert g.warnings(base + "/exclusiveMinimum") == [
        "boolean 'exclusiveMinimum' is OpenAPI 3.0 style; read as 3.0 meant it: 'minimum' is exclusive"
    ]
    assert g.warnings(base + "/exclusiveMaximum") == [
        "boolean 'exclusiveMaximum' is OpenAPI 3.0 style; read as 3.0 meant it: 'maximum' stays inclusive"
    ]
    box = import_from(tmp_path / "out", f"{PKG}.types.box").Box
    assert box.model_validate({"n": 10}).n == 10
    with pytest.raises(ValidationError):
        box.model_validate({"n": 0})


def test_nullable_in_31_is_read_as_30_meant(tmp_path: Path, import_from: Any) -> None:
    g = gen(tmp_path, {"Pet": obj({"nick": {"type": "string", "nullable": True}})})
    assert "nick: Optional[str]\n" in g.module("pet")
    assert g.warnings("/components/schemas/Pet/properties/nick/nullable") == [
        "'nullable' is an OpenAPI 3.0 keyword; read as 3.0 meant it (the value may also be null)"
    ]
    pet = import_from(tmp_path / "out", f"{PKG}.types.pet").Pet
    assert pet.model_validate({"nick": None}).nick is None


def test_nullable_in_30_is_no_warning(tmp_path: Path) -> None:
    g = gen(tmp_path, {"Pet": obj({"nick": {"type": "string", "nullable": True}})}, openapi="3.0.3")
    assert "nick: Optional[str]\n" in g.module("pet")
    assert not [n for n in g.notes if n.level == "warning"]


def test_recursive_ref_is_a_self_reference(tmp_path: Path, import_from: Any) -> None:
    comparison = obj({"type": {"enum": ["eq", "ne"]}, "value": {"type": "string"}})
    compound = {
        "$recursiveAnchor": True,
        **obj({"type": {"enum": ["and", "or"]}, "filters": {"type": "array", "items": {
            "oneOf": [ref("ComparisonFilter"), {"$recursiveRef": "#"}], "discriminator": {"propertyName": "type"}}}}),
    }  # fmt: skip
    g = gen(tmp_path, {"ComparisonFilter": comparison, "CompoundFilter": compound})
    text = g.module("compound_filter")
    assert "Union[ComparisonFilter, \"CompoundFilter\"]" in text and 'Field(discriminator="type")' in text
    assert g.warnings("/components/schemas/CompoundFilter/properties/filters/items/oneOf/1") == [
        "$recursiveRef '#' is read as a reference to '/components/schemas/CompoundFilter'"
    ]
    model = import_from(tmp_path / "out", f"{PKG}.types.compound_filter").CompoundFilter
    tree = model.model_validate({"type": "and", "filters": [{"type": "or", "filters": [{"type": "eq", "value": "x"}]}]})
    assert type(tree.filters[0]).__name__ == "CompoundFilter"
    assert type(tree.filters[0].filters[0]).__name__ == "ComparisonFilter"


def test_dynamic_ref_finds_its_anchor(tmp_path: Path) -> None:
    node = {"$dynamicAnchor": "node", **obj({"children": {"type": "array", "items": {"$dynamicRef": "#node"}}})}
    g = gen(tmp_path, {"Tree": node})
    assert "children: List[Tree]" in g.module("tree")
    assert g.warnings("/components/schemas/Tree/properties/children/items") == [
        "$dynamicRef '#node' is read as a reference to '/components/schemas/Tree'"
    ]


def test_unknown_keywords_are_noted(tmp_path: Path) -> None:
    g = gen(tmp_path, {"Pet": obj({"name": {"type": "string", "minLenght": 3, "x-fine": 1}})})
    assert "name: str\n" in g.module("pet")
    notes = [(n.pointer, n.level, n.message) for n in g.notes]
    assert ("/components/schemas/Pet/properties/name", "note", "unknown keyword 'minLenght' is ignored") in notes
    assert not any("x-fine" in n.message for n in g.notes)


def test_an_invalid_default_is_not_used(tmp_path: Path) -> None:
    props = {
        "size": {"type": "integer", "default": "big"},
        "kind": {"enum": ["a", "b"], "default": "c"},
        "code": {"type": "string", "pattern": "^[a-z]+$", "default": "ABC"},
        "ok": {"type": "integer", "minimum": 1, "default": 2},
    }
    g = gen(tmp_path, {"Opts": obj(props, [])})
    text = g.module("opts")
    assert "size: Optional[int] = None" in text
    assert 'kind: Optional[Literal["a", "b"]] = None' in text
    assert "code: Optional[str] = Field(default=None" in text
    assert "ok: int = Field(default=2, ge=1)" in text
    base = "/components/schemas/Opts/properties/"
    for name, value in (("size", "'big'"), ("kind", "'c'"), ("code", "'ABC'")):
        assert g.warnings(base + name + "/default") == [f"default {value} does not fit the field; not used as its default"]
    assert not g.warnings(base + "ok/default")


def test_schemas_that_are_only_each_other_are_any_value(tmp_path: Path, import_from: Any) -> None:
    """``A: allOf [B]`` and ``B: allOf [A]`` describe nothing: both are read as any value
    (a cycle of aliases would not even import), each with a located warning."""
    out = gen(tmp_path, {"A": {"allOf": [ref("B")]}, "B": {"allOf": [ref("A")]}, "C": ref("A")})
    for name in ("A", "B"):
        assert out.warnings(f"/components/schemas/{name}") == [
            f"{name!r} is only a reference to itself (through other schemas); read as any value"
        ]
        assert f"{name}: TypeAlias = Any" in out.module(name.lower())
    assert out.warnings("/components/schemas/C") == []  # it ends in A: an alias of A, as written
    types = import_from(tmp_path / "out", f"{PKG}.types")
    assert TypeAdapter(types.C).validate_python({"x": [1]}) == {"x": [1]}
