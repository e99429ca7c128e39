"""Shapes of real-world documents (OpenAI's, Box's) that the models must print as good code.

Each construct below was found in ``../shared/realworld``: a request TypedDict with
bases (its ``TypedDict`` import would be unused), module names that differ by a number
(``param_3`` sorts before ``param_22`` for ruff), an ``allOf`` that redeclares an
inherited field with a type a Python class may not narrow to. The generated package
must pass ruff (with its own configuration) and ``mypy --strict``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from chatkit_codegen.render.pytypes import Imports, natural_key
from conftest import generate_package

PACKAGE = "shapes_api"


def _obj(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, **extra}


SCHEMAS: dict[str, Any] = {
    # numbered names: natural order for ruff's isort
    "Conversation": _obj({"id": {"type": "string"}}),
    "Conversation2": _obj({"id": {"type": "string"}}),
    "Conversation3": _obj({"id": {"type": "string"}}),
    "Conversation22": _obj({"id": {"type": "string"}}),
    # a response model narrowing its base's fields (Box's ConflictError, OpenAI's
    # ComputerToolCallOutputResource)
    "ClientError": _obj(
        {
            "context_info": {"type": "object", "additionalProperties": {}, "nullable": True},
            "status": {"type": "string", "enum": ["in_progress", "completed"]},
            "code": {"type": "string", "enum": ["a", "b"]},
            "owner": {"$ref": "#/components/schemas/Conversation"},
        }
    ),
    "ConflictError": {
        "allOf": [
            {"$ref": "#/components/schemas/ClientError"},
            _obj(
                {
                    # an object where the base has a free-form map: incompatible
                    "context_info": _obj({"conflicts": {"type": "array", "items": {"type": "string"}}}),
                    # a value the base does not allow, and required: incompatible
                    "status": {"type": "string", "enum": ["completed", "failed"]},
                    # a narrower literal: compatible, no comment
                    "code": {"type": "string", "enum": ["a"]},
                    # the very same type: compatible, no comment
                    "owner": {"$ref": "#/components/schemas/Conversation"},
                },
                required=["status"],
            ),
        ]
    },
    # Box's File--Mini: allOf parts that only annotate are the other part, not a class
    "FileMini": _obj(
        {
            "owner": {"allOf": [{"$ref": "#/components/schemas/Conversation"}, {"description": "Who owns it."}]},
            "sequence_id": {
                "allOf": [{"type": "string", "nullable": True, "description": "A number."}, {"nullable": False}]
            },
        }
    ),
    # request bodies: TypedDicts with bases (OpenAI's CreateModelResponseProperties)
    "ResponseProperties": _obj(
        {
            "top_logprobs": {"type": "integer", "nullable": True},
            "user": {"type": "string"},
            "model": {"type": "string"},
        }
    ),
    "CreateResponseProperties": {
        "allOf": [
            {"$ref": "#/components/schemas/ResponseProperties"},
            _obj(
                {
                    "top_logprobs": {"type": "integer"},  # narrower: a TypedDict key may not change
                    "user": {"type": "string"},  # the same: fine
                    "model": {"type": "string"},  # required here only: may not change either
                    "seed": {"type": "integer"},
                },
                required=["model"],
            ),
        ]
    },
}

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Shapes", "version": "1.0.0"},
    "paths": {
        "/responses": {
            "post": {
                "operationId": "createResponse",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/CreateResponseProperties"}}
                    },
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ConflictError"}}},
                    }
                },
            }
        }
    },
    "components": {"schemas": SCHEMAS},
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("shapes")
    spec = folder / "shapes.yaml"
    spec.write_text(yaml.safe_dump(SPEC, sort_keys=False), encoding="utf-8")
    out = folder / "out"
    return out, generate_package(spec, out, PACKAGE)


def _field_line(files: dict[str, str], module: str, field: str) -> str:
    text = files[f"{PACKAGE}/types/{module}.py"]
    return next(line for line in text.splitlines() if line.strip().startswith(f"{field}:"))


def test_a_typeddict_with_bases_does_not_import_typeddict(generated: tuple[Path, dict[str, str]]) -> None:
    _, files = generated
    text = files[f"{PACKAGE}/types/create_response_properties.py"]
    assert "class CreateResponseProperties(ResponseProperties, total=False):" in text
    assert "TypedDict" not in text.replace("total=False", "")


def test_incompatible_overrides_say_so_and_compatible_ones_do_not(generated: tuple[Path, dict[str, str]]) -> None:
    _, files = generated
    assert _field_line(files, "conflict_error", "context_info").endswith("# type: ignore[assignment]")
    assert _field_line(files, "conflict_error", "status").endswith("# type: ignore[assignment]")
    assert "ignore" not in _field_line(files, "conflict_error", "code")
    assert "ignore" not in _field_line(files, "conflict_error", "owner")
    module = "create_response_properties"
    assert _field_line(files, module, "top_logprobs").endswith("# type: ignore[misc]")
    assert _field_line(files, module, "model").endswith("# type: ignore[misc]")
    assert "ignore" not in _field_line(files, module, "user")
    assert "ignore" not in _field_line(files, module, "seed")


def test_an_annotating_allof_part_adds_no_class(
    generated: tuple[Path, dict[str, str]], import_from: Any
) -> None:
    out, files = generated
    text = files[f"{PACKAGE}/types/file_mini.py"]
    assert text.count("class ") == 1, text
    assert _field_line(files, "file_mini", "owner") == "    owner: Optional[Conversation] = None"
    assert _field_line(files, "file_mini", "sequence_id") == "    sequence_id: Optional[str] = None"
    assert '"""Who owns it."""' in text and '"""A number."""' in text
    module: Any = import_from(out, f"{PACKAGE}.types.file_mini")
    value = module.FileMini.model_validate({"sequence_id": "3", "owner": {"id": "u"}})
    assert value.sequence_id == "3" and value.owner.id == "u"


def test_numbered_modules_are_imported_in_natural_order(generated: tuple[Path, dict[str, str]]) -> None:
    _, files = generated
    init = files[f"{PACKAGE}/types/__init__.py"]
    order = [init.index(f"from .conversation{n} import") for n in ("", "_2", "_3", "_22")]
    assert order == sorted(order)


def test_import_names_sort_like_ruff() -> None:
    imports = Imports()
    for name in ("Item22", "Item3", "Ab_x", "ABa", "item", "ITEM_2"):
        imports.add(".x", name)
    assert imports.lines() == [["from .x import ITEM_2, Ab_x, ABa, Item3, Item22, item"]]
    assert sorted(["param_22", "param_3", "param"], key=natural_key) == ["param", "param_3", "param_22"]


def test_generated_types_pass_ruff_and_mypy_strict(generated: tuple[Path, dict[str, str]]) -> None:
    out, _ = generated
    config = str(out / "pyproject.toml")
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config", config, str(out)],
        capture_output=True, text=True, check=False,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", config, "-p", PACKAGE],
        capture_output=True, text=True, cwd=out, env={"MYPYPATH": str(out), "PATH": "/usr/bin:/bin"}, check=False,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr


def test_summary_counts_schemas_and_operations_against_the_document(tmp_path: Path) -> None:
    from chatkit_codegen.config import load_config
    from chatkit_codegen.ir.build import build_api
    from chatkit_codegen.load.document import load_document
    from chatkit_codegen.pipeline import generate_to_disk
    from conftest import ROOT

    spec = tmp_path / "shapes.yaml"
    spec.write_text(yaml.safe_dump(SPEC, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    cfg = load_config(ROOT).with_overrides(spec=spec, out=out, package_name=PACKAGE)
    last = generate_to_disk(cfg)[-1]
    files = sum(1 for p in out.rglob("*") if p.is_file())
    decls = len(build_api(load_document(spec)).decls)
    assert decls > len(SCHEMAS)  # nested classes and request shapes count as declarations
    assert last == (
        f"generated {files} files into {out}: {len(SCHEMAS)} of {len(SCHEMAS)} component schemas, "
        f"1 of 1 operations ({decls} declarations)"
    )
