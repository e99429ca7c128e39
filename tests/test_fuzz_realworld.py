"""Mutations of the shared real-world documents: ``validate``, ``generate --no-validate``
and ``check`` answer with problems, never with an internal error or a traceback.

Each case cuts a document down to a few operations (and the components they reach),
then applies seeded mutations: drop a key, swap a value's type, break a ``$ref``,
inline a ``$ref``'d schema, rename a component (with and without its references).
The cuts keep each run small; CHATKIT_FUZZ_REALWORLD=N runs N cases per document.
"""

from __future__ import annotations

import copy
import json
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from chatkit_codegen.cli import main

REALWORLD = next(
    (p / "shared" / "realworld" for p in Path(__file__).resolve().parents if (p / "shared" / "realworld").is_dir()),
    Path("shared") / "realworld",
)
DOCS = ["openai-openapi.yaml", "box-openapi.json"]
CASES = int(os.environ.get("CHATKIT_FUZZ_REALWORLD", "6"))
METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")
_loaded: dict[str, dict[str, Any]] = {}


def document(name: str) -> dict[str, Any]:
    path = REALWORLD / name
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    if name not in _loaded:
        text = path.read_text(encoding="utf-8")
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        _loaded[name] = json.loads(text) if name.endswith(".json") else yaml.load(text, Loader=loader)
    return _loaded[name]


def refs(node: Any) -> Iterator[str]:
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            if isinstance(n.get("$ref"), str):
                yield n["$ref"]
            stack.extend(n.values())
        elif isinstance(n, list):
            stack.extend(n)


def cut(doc: dict[str, Any], rng: random.Random, count: int = 4) -> dict[str, Any]:
    """``doc`` with ``count`` of its operations and the components they reach."""
    ops = [(p, m) for p, item in doc["paths"].items() for m in item if m in METHODS]
    paths: dict[str, Any] = {}
    for path, method in sorted(rng.sample(ops, min(count, len(ops)))):
        item = doc["paths"][path]
        paths.setdefault(path, {k: v for k, v in item.items() if k not in METHODS})[method] = item[method]
    out: dict[str, Any] = {k: v for k, v in doc.items() if k not in ("paths", "components", "webhooks")}
    out["paths"] = paths
    components: dict[str, dict[str, Any]] = {}
    todo = list(refs(paths)) + list(refs(doc.get("security")))
    seen: set[str] = set()
    while todo:
        ref = todo.pop()
        parts = ref.split("/")
        if ref in seen or len(parts) < 4 or parts[:2] != ["#", "components"]:
            continue
        seen.add(ref)
        section, name = parts[2], parts[3].replace("~1", "/").replace("~0", "~")
        target = doc.get("components", {}).get(section, {}).get(name)
        if target is not None:
            components.setdefault(section, {})[name] = target
            todo.extend(refs(target))
    if "securitySchemes" in doc.get("components", {}):
        components["securitySchemes"] = doc["components"]["securitySchemes"]
    out["components"] = components
    return copy.deepcopy(out)


def places(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from places(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from places(v, (*path, i))


def parent_of(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        doc = doc[part]
    return doc


SWAPS: list[Any] = [None, 0, -1, 1.5, True, "", "x", [], [1, "a"], {}, {"type": "nope"}]


def mutate(doc: dict[str, Any], rng: random.Random) -> str:
    """Apply one mutation to ``doc`` in place; say which."""
    kind = rng.choice(["drop", "swap", "break-ref", "inline-ref", "rename", "rename-with-refs"])
    spots = [(p, n) for p, n in places(doc) if p]
    if kind in ("break-ref", "inline-ref"):
        ref_spots = [(p, n) for p, n in spots if isinstance(n, dict) and isinstance(n.get("$ref"), str)]
        if ref_spots:
            path, node = rng.choice(ref_spots)
            if kind == "break-ref":
                node["$ref"] = rng.choice([node["$ref"] + "Missing", "#/nowhere", "other.yaml#/x", "#", ""])
            else:
                target: Any = doc
                for part in node["$ref"].lstrip("#/").split("/"):
                    part = part.replace("~1", "/").replace("~0", "~")
                    target = target.get(part, {}) if isinstance(target, dict) else {}
                parent_of(doc, path)[path[-1]] = copy.deepcopy(target)
            return f"{kind} at {path}"
        kind = "drop"
    if kind.startswith("rename"):
        schemas = doc.get("components", {}).get("schemas") or {}
        if schemas:
            old = rng.choice(sorted(schemas))
            new = rng.choice([old + "Renamed", "", "a/b~c", "class", "1st", old.lower()])
            schemas[new] = schemas.pop(old)
            if kind == "rename-with-refs":
                for _, n in places(doc):
                    if isinstance(n, dict) and n.get("$ref") == f"#/components/schemas/{old}":
                        n["$ref"] = "#/components/schemas/" + new.replace("~", "~0").replace("/", "~1")
            return f"{kind} {old!r} -> {new!r}"
        kind = "drop"
    path, _ = rng.choice(spots)
    container = parent_of(doc, path)
    if kind == "drop" and isinstance(container, dict):
        del container[path[-1]]
    elif kind == "drop" and isinstance(container, list):
        container.pop(path[-1])
    else:
        container[path[-1]] = copy.deepcopy(rng.choice(SWAPS))
    return f"{kind} at {path}"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("name", DOCS)
@pytest.mark.parametrize("case", range(CASES))
def test_mutated_realworld_documents_never_crash(
    name: str, case: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(f"{name}:{case}")
    doc = cut(document(name), rng)
    what = [mutate(doc, rng) for _ in range(1 + case % 3)]
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(doc, default=str), encoding="utf-8")  # YAML dates
    out = tmp_path / "out"
    for argv in (
        ["validate", str(spec)],
        ["generate", "--spec", str(spec), "--out", str(out), "--no-validate"],
        ["check", "--spec", str(spec), "--out", str(out), "--no-validate"],
    ):
        code, text = run(argv, capsys)
        assert code != 3 and "internal error" not in text and "Traceback" not in text, (argv[0], what, text[-2000:])


def test_the_cut_keeps_what_its_operations_need() -> None:
    doc = cut(document("box-openapi.json"), random.Random(1))
    defined = {f"#/components/{s}/{n}" for s, names in doc["components"].items() for n in names}
    assert doc["paths"] and all(r in defined for r in refs(doc["paths"]) if r.startswith("#/components/"))


FOUND: list[dict[str, Any]] = [  # shapes the mutations above once crashed the IR with
    {"paths": {"/a": {"get": {"parameters": [{"name": "q", "in": "query", "schema": 1.5}], "responses": {"204": {"description": "ok"}}}}}},
    {"components": {"schemas": {"E": {"type": "object", "properties": {"code": {"anyOf": 3}}}}}},
    {"components": {"schemas": {"E": {"type": "object", "allOf": 3, "properties": {"a": {"type": "string"}}}}}},
    {"components": {"schemas": {"E": {"type": "object", "properties": {"n": {"type": "integer", "multipleOf": 1e-300, "default": 1e300}}}}}},
    {"components": [], "paths": {"/a": {"get": {"responses": [], "tags": 7, "parameters": {}}}}},
]  # fmt: skip


@pytest.mark.parametrize("part", FOUND, ids=range(len(FOUND)))
def test_shapes_that_crashed_once(part: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, **part}
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    code, text = run(["generate", "--spec", str(spec), "--out", str(tmp_path / "out"), "--no-validate"], capsys)
    assert code != 3 and "internal error" not in text, text
