"""Behaviour of each OpenAPI construct in the fixture suite, on the golden packages."""

from __future__ import annotations

import datetime
import typing
import uuid
from typing import Any

import pytest
from golden import GOLDEN
from pydantic import TypeAdapter, ValidationError


@pytest.fixture
def pkg(import_from: Any) -> Any:
    def load(case: str, module: str) -> Any:
        import_from(GOLDEN / case, f"{case}_api")
        import importlib

        return importlib.import_module(f"{case}_api.types.{module}")

    return load


def rejects(fn: Any, value: Any) -> bool:
    try:
        fn(value)
    except ValidationError:
        return True
    return False


def test_oas30_nullable_and_boolean_exclusive_bounds(pkg: Any) -> None:
    Pet = pkg("oas30", "pet").Pet
    ok = {"id": "p", "name": "Rex", "age": 1, "nickname": None, "owner": None}
    assert Pet.model_validate(ok).nickname is None
    assert rejects(Pet.model_validate, {**ok, "age": 0})  # exclusiveMinimum: true on minimum 0
    assert rejects(Pet.model_validate, {**ok, "weight": 100})  # exclusiveMaximum: true
    assert rejects(Pet.model_validate, {k: v for k, v in ok.items() if k != "nickname"})
    assert rejects(Pet.model_validate, {**ok, "name": ""})


def test_oas31_type_arrays_const_and_2020_12_keywords(pkg: Any) -> None:
    Document = pkg("oas31", "document").Document
    ok = {"kind": "document", "title": None, "tags": ["a"], "size": 2, "meta": {"created": "2024-01-01T00:00:00Z"}}
    doc = Document.model_validate(ok)
    assert isinstance(doc.meta.created, datetime.datetime)
    for bad in ({"size": 3}, {"size": 0}, {"tags": []}, {"tags": ["A"]}, {"kind": "other"}, {"tags": list("abcdef")}):
        assert rejects(Document.model_validate, {**ok, **bad}), bad
    assert Document.model_validate({**ok, "score": 1}).score == 1


def test_allof_inheritance_and_mixins(pkg: Any) -> None:
    animal = pkg("allof", "animal").Animal
    timestamps = pkg("allof", "timestamps").Timestamps
    dog = pkg("allof", "dog").Dog
    puppy = pkg("allof", "puppy").Puppy
    assert issubclass(dog, animal) and issubclass(dog, timestamps) and issubclass(puppy, dog)
    assert set(puppy.model_fields) >= {"id", "kind", "created_at", "updated_at", "bark", "age_weeks"}
    assert rejects(dog.model_validate, {"id": "d", "kind": "dog", "created_at": 1})  # bark required


def test_unions_mapping_plain_and_nullable(pkg: Any) -> None:
    pet_mod = pkg("unions", "pet")
    adapter: TypeAdapter[Any] = TypeAdapter(pet_mod.Pet)
    assert type(adapter.validate_python({"pet_type": "kitty", "meows": True})).__name__ == "Cat"
    assert type(adapter.validate_python({"pet_type": "doggo", "barks": True})).__name__ == "Dog"
    with pytest.raises(ValidationError) as info:
        adapter.validate_python({"pet_type": "lizard"})
    assert len(info.value.errors()) == 1
    drawing = pkg("unions", "drawing").Drawing
    d = drawing.model_validate({"shapes": [{"kind": "square", "side": 1}], "items": ["x", {"pet_type": "d", "barks": True}], "main": None})
    assert type(d.shapes[0]).__name__ == "ShapeSquare" and d.main is None
    value: TypeAdapter[Any] = TypeAdapter(pkg("unions", "value").Value)
    assert value.validate_python(3) == 3 and value.validate_python("s") == "s"


def test_collections_maps_tuples_nested_arrays(pkg: Any) -> None:
    grid = pkg("collections", "grid").Grid
    count = pkg("collections", "count").Count
    ok = {"cells": [[1]], "labels": {"a": "b"}, "extra": {"any": [1]}, "point": [1.0, 2.0, "o"]}
    assert grid.model_validate(ok).point == (1.0, 2.0, "o")
    assert rejects(grid.model_validate, {**ok, "point": [1.0, 2.0]})
    assert rejects(grid.model_validate, {**ok, "labels": {"a": 1}})
    assert rejects(grid.model_validate, {**ok, "cells": [1]})
    assert rejects(count.model_validate, {"value": 1, "extra": True})  # additionalProperties: false


def test_enums_of_every_kind(pkg: Any) -> None:
    odd = pkg("enums", "odd").Odd
    values = typing.get_args(odd)
    assert values == ("a-b", "with space", "1st", "class", "", 'quote"d', "back\\slash", "ünï")
    mixed = pkg("enums", "mixed").Mixed
    assert set(typing.get_args(typing.get_args(mixed)[0])) == {"auto", 0, True}
    palette = pkg("enums", "palette").Palette
    assert rejects(palette.model_validate, {"color": "pink", "priority": 1})
    assert rejects(palette.model_validate, {"color": "red", "priority": 4})


def test_recursive_and_mutually_recursive(pkg: Any) -> None:
    tree = pkg("recursion", "tree_node").TreeNode
    node: dict[str, Any] = {"value": "leaf", "children": []}
    for i in range(50):
        node = {"value": str(i), "children": [node]}
    assert tree.model_validate(node).children[0].value == "48"
    person = pkg("recursion", "person").Person
    p = person.model_validate({"name": "A", "employer": {"name": "C", "staff": [{"name": "B"}]}})
    assert p.employer.staff[0].name == "B"
    expr: TypeAdapter[Any] = TypeAdapter(pkg("recursion", "expr").Expr)
    e = expr.validate_python({"op": "add", "terms": [{"op": "lit", "value": 2}]})
    assert e.terms[0].value == 2


def test_read_write_only_defaults_deprecated_formats(pkg: Any) -> None:
    account = pkg("fields", "account")
    assert "password" not in account.Account.model_fields  # writeOnly: request only
    param = pkg("fields", "account_param").AccountParam
    assert "id" not in param.__annotations__ and "password" in param.__required_keys__
    a = account.Account.model_validate({
        "id": "a", "name": "n", "created": "2024-01-01T00:00:00Z", "uuid": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "birthday": "2000-01-31", "balance": 9007199254740993, "avatar": "aGk=",
    })
    assert a.plan == "free" and a.retries == 3
    assert isinstance(a.created, datetime.datetime) and isinstance(a.uuid, uuid.UUID)
    assert isinstance(a.birthday, datetime.date) and a.balance == 9007199254740993 and a.avatar == "aGk="
    source = (GOLDEN / "fields" / "fields_api" / "types" / "account.py").read_text(encoding="utf-8")
    assert "Old flag, still accepted.\n\n    Deprecated." in source
    old = (GOLDEN / "fields" / "fields_api" / "types" / "old_thing.py").read_text(encoding="utf-8")
    assert "Deprecated." in old
