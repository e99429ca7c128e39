"""Every fixture spec (tests/fixtures/<case>/) end to end: it validates, its golden tree
imports, passes mypy --strict, and every example round-trips through its model."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from chatkit_codegen.ir.build import build_api
from chatkit_codegen.ir.model import ModelDecl
from chatkit_codegen.load.validate import validate_document
from chatkit_codegen.load.walk import HTTP_METHODS
from golden import GOLDEN, cases

FIXTURE_CASES = [c for c in cases() if c.name != "chatkit"]


@pytest.mark.parametrize("case", FIXTURE_CASES, ids=lambda c: c.name)
def test_fixture_validates_without_errors(case: Any) -> None:
    problems = [p for p in validate_document(case.document()) if p.level.value == "error"]
    assert not problems, "\n".join(p.format() for p in problems)


def _examples(case: Any) -> list[tuple[str, list[Any], Any]]:
    """(label, declarations of the schema in each shape, example) for schema examples."""
    api = build_api(case.document())
    data = yaml.safe_load(case.spec.read_text(encoding="utf-8"))
    shapes: dict[str, list[Any]] = {}
    for decl in api.decls.values():
        if decl.owner is None:
            shapes.setdefault(decl.pointer, []).append(decl)
    out = []
    for pointer, decls in sorted(shapes.items()):
        node: Any = data
        for part in pointer.strip("/").split("/"):
            node = node.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(node, dict) else {}
        found = list(node.get("examples", [])) if isinstance(node, dict) else []
        if isinstance(node, dict) and "example" in node:
            found.append(node["example"])
        for i, example in enumerate(found):
            out.append((f"{pointer}[{i}]", decls, example))
    return out


def _round_trip(package: str, decl: Any, example: Any) -> None:
    from pydantic import TypeAdapter

    module = importlib.import_module(f"{package}.types.{decl.module}")
    cls = getattr(module, decl.name)
    if isinstance(decl, ModelDecl) and decl.shape == "response":
        model = cls.model_validate(example)
        assert model.model_dump(mode="json", exclude_unset=True) == example
        assert cls.model_validate_json(model.model_dump_json(exclude_unset=True)) == model
    else:
        adapter: TypeAdapter[Any] = TypeAdapter(cls)
        value = adapter.validate_python(example)
        assert adapter.dump_python(value, mode="json", exclude_unset=True) == example


@pytest.mark.parametrize("case", FIXTURE_CASES, ids=lambda c: c.name)
def test_fixture_examples_round_trip(case: Any, import_from: Any) -> None:
    """Each schema example round-trips through at least one shape of its schema
    (an example with a readOnly key is a response, one with a writeOnly key a request)."""
    import_from(case.out, case.package)
    checked = 0
    for label, decls, example in _examples(case):
        failures = []
        for decl in decls:
            try:
                _round_trip(case.package, decl, example)
            except Exception as exc:  # collected: only all shapes failing is an error
                failures.append(f"{decl.name}@{decl.shape}: {exc}")
        assert len(failures) < len(decls), f"{label}: " + "\n".join(failures)
        checked += 1
    assert checked, f"fixture {case.name} has no examples"


def test_golden_fixture_packages_pass_mypy_strict() -> None:
    folders = [str(c.out) for c in FIXTURE_CASES]
    packages = [c.package for c in FIXTURE_CASES]
    env_path = ":".join(folders)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *(f"-p{p}" for p in packages)],
        capture_output=True, text=True, env={"MYPYPATH": env_path, "PATH": "/usr/bin:/bin"}, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_golden_fixture_folders_are_complete() -> None:
    names = {p.name for p in GOLDEN.iterdir() if p.is_dir()} if GOLDEN.is_dir() else set()
    assert names == {c.name for c in FIXTURE_CASES}, "run: python tests/golden.py"


def test_fixture_trees_are_black_stable() -> None:
    black = pytest.importorskip("black")
    mode = black.Mode()
    for case in cases():
        for path in Path(case.out).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert black.format_str(text, mode=mode) == text, path


@pytest.mark.parametrize("case", [c for c in cases()], ids=lambda c: c.name)
def test_nothing_is_silently_dropped(case: Any) -> None:
    """Every component becomes a declaration and every property a field, in each shape
    (readOnly properties leave request shapes, writeOnly ones response shapes)."""
    api = build_api(case.document())
    data = yaml.safe_load(case.spec.read_text(encoding="utf-8"))
    by_pointer: dict[str, list[Any]] = {}
    for decl in api.decls.values():
        by_pointer.setdefault(decl.pointer, []).append(decl)
    names = [d.name for d in api.decls.values() if d.owner is None]
    assert len(names) == len(set(names)), "top-level names must be unique"
    for comp, schema in data["components"]["schemas"].items():
        pointer = "/components/schemas/" + comp.replace("~", "~0").replace("/", "~1")
        assert pointer in by_pointer, f"{comp} produced no declaration"
        for decl in by_pointer[pointer]:
            if not isinstance(decl, ModelDecl):
                continue
            wire = {f.wire_name for f in decl.fields}
            for prop, sub in (schema.get("properties") or {}).items():
                skipped = (decl.shape == "request" and sub.get("readOnly")) or (
                    decl.shape == "response" and sub.get("writeOnly")
                )
                assert skipped or prop in wire, f"{comp}.{prop} dropped from {decl.name}"
    assert len(api.operations) == sum(
        1 for item in data.get("paths", {}).values() for m in item if m in HTTP_METHODS
    )


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_package_license_comes_from_the_spec(case: Any) -> None:
    """info.license.identifier becomes the package's SPDX license; no claim without it."""
    import tomllib

    info = yaml.safe_load(case.spec.read_text(encoding="utf-8")).get("info", {})
    expected = (info.get("license") or {}).get("identifier")
    project = tomllib.loads((case.out / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project.get("license") == expected
