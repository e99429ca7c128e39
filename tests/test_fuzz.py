"""Fuzzing: Hypothesis writes random valid OpenAPI documents (nested objects, unions,
enums, arrays, refs, discriminated unions, odd names and strings). For each one
generation succeeds, every Python file parses, the package imports, and instances
drawn from each component's JSON Schema round-trip through its generated type.

A second fuzzer breaks the curated spec at random places: validate and generate
must answer with problems, never with a traceback.

CI runs the bounded, derandomised ``ci`` profile. ``nox -s fuzz`` runs the long
``fuzz`` profile (CHATKIT_FUZZ_PROFILE=fuzz, CHATKIT_FUZZ_EXAMPLES=N) and prints how
many documents were tried.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import importlib
import itertools
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from chatkit_codegen.errors import CodegenError
from chatkit_codegen.ir.model import AliasDecl, ModelDecl
from chatkit_codegen.load.document import join_pointer, load_document
from chatkit_codegen.load.validate import validate_document
from chatkit_codegen.pipeline import generate, write_tree
from conftest import SPEC
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from sandbox import config, write_spec
from schema_tools import inline_schema

_PHASES = [p for p in Phase if not (p is Phase.shrink and os.environ.get("CHATKIT_FUZZ_NO_SHRINK"))]
settings.register_profile(
    "ci",
    phases=_PHASES,
    max_examples=int(os.environ.get("CHATKIT_FUZZ_EXAMPLES", "25")),
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "fuzz",
    phases=_PHASES,
    max_examples=int(os.environ.get("CHATKIT_FUZZ_EXAMPLES", "500")),
    deadline=None,
    print_blob=True,
    suppress_health_check=list(HealthCheck),
)
PROFILE = settings.get_profile(os.environ.get("CHATKIT_FUZZ_PROFILE", "ci"))

# ---------------------------------------------------------------- strategies

CHARS = st.characters(exclude_categories=("Cs",))  # any code point UTF-8 can carry
NASTY = [
    '"""', "'''", "\\", '\\"', "\n", "\r\n", "\r", "\x00", "\u2028", "\u202e", "{{ x }}", "{% if %}",
    "# c", "'", '"', "", " ", "on", "yes", "null", "~", "012", "1e3", "0x1F", "2024-01-01", "- a", ": b",
    "__import__('os')", "${x}", "`x`", "<script>",
]  # fmt: skip
TEXT = st.one_of(st.text(CHARS, max_size=16), st.sampled_from(NASTY))
# Property, parameter and tag names: anything, plus names Python or pydantic reserve.
ODD_NAMES = [
    "class", "None", "def", "self", "model_config", "model_fields", "schema", "json", "dict", "copy",
    "BaseModel", "Field", "Literal", "Optional", "Tag", "1st", "a b", "a-b", "a.b", "a/b", "..", "_x",
    "__init__", "ünï", "日本", "", "type", "id", "Any", "str",
]  # fmt: skip
NAME = st.one_of(st.sampled_from(ODD_NAMES), st.text(CHARS, max_size=8), st.from_regex(r"[a-z][a-zA-Z0-9_]{0,8}", fullmatch=True))
PROPERTY_NAME = NAME
COMPONENT_NAME = st.one_of(
    st.from_regex(r"[A-Za-z0-9._-]{1,10}", fullmatch=True),
    st.sampled_from(["class", "None", "BaseModel", "model_config", "1st", "a-b", "a.b", "..", "-", "types", "Field"]),
)


def _describe(schema: dict[str, Any], description: str | None) -> dict[str, Any]:
    return {**schema, "description": description} if description is not None else schema


@st.composite
def leaf_schema(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["string", "bounded", "enum", "const", "integer", "number", "boolean", "nullable"]))
    if kind == "string":
        schema: dict[str, Any] = {"type": "string"}
        if draw(st.booleans()):
            schema["default"] = draw(TEXT)
    elif kind == "bounded":
        low = draw(st.integers(0, 3))
        schema = {"type": "string", "minLength": low, "maxLength": low + draw(st.integers(0, 5))}
    elif kind == "enum":
        values = draw(st.lists(TEXT, min_size=1, max_size=4, unique=True))
        schema = {"type": "string", "enum": values}
        if draw(st.booleans()):
            schema["default"] = draw(st.sampled_from(values))
    elif kind == "const":
        schema = {"const": draw(TEXT)}
    elif kind == "integer":
        low = draw(st.integers(-1000, 1000))
        schema = {"type": "integer", "minimum": low, "maximum": low + draw(st.integers(0, 10**6))}
    elif kind == "number":
        schema = {"type": "number", "minimum": -1e9, "maximum": 1e9}
    elif kind == "boolean":
        schema = {"type": "boolean"}
    else:
        schema = {"type": ["string", "null"]}
    return _describe(schema, draw(st.none() | TEXT))


def schemas(refs: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Schemas that may refer to the components named in ``refs``."""
    base = leaf_schema()
    if refs:
        base = base | st.sampled_from(refs).map(lambda name: {"$ref": _ref(name)})

    def extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        return st.one_of(
            objects(children),
            st.builds(lambda item, d: _describe({"type": "array", "items": item}, d), children, st.none() | TEXT),
            st.lists(children, min_size=2, max_size=3).map(lambda v: {"anyOf": v}),
            st.lists(children, min_size=2, max_size=3).map(lambda v: {"oneOf": v}),
            children.map(lambda c: {"anyOf": [c, {"type": "null"}]}),
            st.builds(lambda v: {"type": "object", "additionalProperties": v}, children),
        )

    return st.recursive(base, extend, max_leaves=6)


@st.composite
def objects(draw: st.DrawFn, children: st.SearchStrategy[dict[str, Any]]) -> dict[str, Any]:
    props = draw(st.dictionaries(PROPERTY_NAME, children, max_size=5))
    schema: dict[str, Any] = {"type": "object", "properties": props}
    required = [name for name in props if draw(st.booleans())]
    if required:
        schema["required"] = required
    if draw(st.booleans()):
        schema["title"] = draw(TEXT)
    return _describe(schema, draw(st.none() | TEXT))


def _ref(name: str) -> str:
    return "#" + join_pointer("/components/schemas", name)


def _operation(op_id: str, response: dict[str, Any] | None, body: dict[str, Any] | None,
               params: dict[str, dict[str, Any]]) -> dict[str, Any]:  # fmt: skip
    op: dict[str, Any] = {"operationId": op_id}
    if params:
        op["parameters"] = [{"name": n, "in": "query", "schema": s} for n, s in params.items()]
    if body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if response is None:
        op["responses"] = {"204": {"description": "Nothing."}}
    else:
        op["responses"] = {"200": {"description": "OK.", "content": {"application/json": {"schema": response}}}}
    return op


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid OpenAPI 3.1 document: components referring to earlier ones (no
    recursion), maybe a discriminated union, and operations using them all."""
    count = draw(st.integers(1, 4))
    tagged = draw(st.integers(0, 3))
    tagged = tagged if tagged >= 2 else 0
    names = draw(st.lists(COMPONENT_NAME, min_size=count + tagged + 1, max_size=count + tagged + 1, unique=True))
    plain, variants, union = names[:count], names[count : count + tagged], names[-1]
    components: dict[str, Any] = {}
    for i, name in enumerate(plain):
        kind = draw(st.sampled_from(["object", "object", "any"]))
        children = schemas(plain[:i])
        components[name] = draw(objects(children) if kind == "object" else children)
    if variants:
        tags = draw(st.lists(TEXT, min_size=len(variants), max_size=len(variants), unique=True))
        for name, tag in zip(variants, tags, strict=True):
            extra = draw(objects(schemas(plain)))
            extra["properties"] = {k: v for k, v in extra["properties"].items() if k != "kind"}
            extra["properties"]["kind"] = {"const": tag, "description": "The tag."}
            extra["required"] = sorted({*extra.get("required", []), "kind"})
            components[name] = extra
        disc: dict[str, Any] = {"propertyName": "kind"}
        if draw(st.booleans()):
            disc["mapping"] = {tag: _ref(name) for name, tag in zip(variants, tags, strict=True)}
        components[union] = {
            "description": draw(TEXT),
            "oneOf": [{"$ref": _ref(name)} for name in variants],
            "discriminator": disc,
        }
    op_ids = draw(st.lists(TEXT, min_size=2 * len(components), max_size=2 * len(components), unique=True))
    ids = iter(op_ids)
    paths: dict[str, Any] = {}
    for i, name in enumerate(components):
        params = draw(st.dictionaries(NAME, leaf_schema(), max_size=3))
        item: dict[str, Any] = {"get": _operation(next(ids), {"$ref": _ref(name)}, None, params)}
        if draw(st.booleans()):
            item["post"] = _operation(next(ids), None, {"$ref": _ref(name)}, {})
        paths[f"/r{i}"] = item
    return {
        "openapi": "3.1.0",
        "info": {"title": draw(TEXT), "version": draw(TEXT), "description": draw(TEXT)},
        "paths": paths,
        "components": {"schemas": components},
    }


# ------------------------------------------------------------------ checks

TRIED = {"documents": 0, "instances": 0, "broken": 0}
_COUNTER = itertools.count()


@contextmanager
def imported(folder: Path, package: str) -> Iterator[None]:
    """``package`` importable from ``folder`` for the block, then forgotten."""
    sys.path.insert(0, str(folder))
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]


def _no_extras(schema: Any) -> Any:
    """Instances without undeclared keys: ``a_b`` beside a wire ``a-b`` would (by
    design, populate_by_name) fill the field rather than stay an extra."""
    if isinstance(schema, dict):
        out = {k: _no_extras(v) for k, v in schema.items()}
        if out.get("type") == "object" and "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_no_extras(v) for v in schema]
    return schema


def _round_trip(package: str, decl: ModelDecl | AliasDecl, instance: Any) -> None:
    from pydantic import TypeAdapter

    cls = getattr(importlib.import_module(f"{package}.types.{decl.module}"), decl.name)
    if isinstance(decl, ModelDecl) and decl.shape == "response":
        model = cls.model_validate(instance)
        assert model.model_dump(mode="json", exclude_unset=True) == instance
        # Through JSON text too. (The models may differ where an anyOf lets two
        # variants accept the same value; the wire form may not.)
        again = cls.model_validate_json(model.model_dump_json(exclude_unset=True))
        assert again.model_dump(mode="json", exclude_unset=True) == instance
    else:
        adapter: TypeAdapter[Any] = TypeAdapter(cls)
        value = adapter.validate_python(instance)
        assert adapter.dump_python(value, mode="json", exclude_unset=True) == instance


@pytest.fixture(scope="module", autouse=True)
def fuzz_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A private user cache (thousands of random specs need not litter ~/.cache),
    and the count of documents tried, printed at the end."""
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if saved is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = saved
    if TRIED["documents"] or TRIED["broken"]:
        sys.__stdout__.write(
            f"\nfuzz: {TRIED['documents']} random documents tried ({TRIED['instances']} instances "
            f"round-tripped), {TRIED['broken']} broken documents tried\n"
        )


@settings(PROFILE)
@given(doc=documents(), fmt=st.sampled_from([".yaml", ".json"]), data=st.data())
def test_random_documents_generate_import_and_round_trip(
    tmp_path_factory: pytest.TempPathFactory, doc: dict[str, Any], fmt: str, data: st.DataObject
) -> None:
    TRIED["documents"] += 1
    package = f"fuzz_{next(_COUNTER)}_pkg"
    folder = tmp_path_factory.mktemp("fuzz")
    spec = write_spec(doc, folder / f"spec{fmt}")
    with _keep_on_failure(spec):
        _check_document(doc, spec, folder, package, data)


@contextmanager
def _keep_on_failure(spec: Path) -> Iterator[None]:
    """With CHATKIT_FUZZ_FAILURES=DIR, every failing document is copied there."""
    try:
        yield
    except Exception:
        keep = os.environ.get("CHATKIT_FUZZ_FAILURES")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256(spec.read_bytes()).hexdigest()[:12]
            shutil.copy(spec, Path(keep) / f"{digest}{spec.suffix}")
        raise


def _check_document(doc: dict[str, Any], spec: Path, folder: Path, package: str, data: st.DataObject) -> None:
    assert load_document(spec).data == doc  # the document survives YAML/JSON exactly
    problems = [p.format() for p in validate_document(load_document(spec)) if p.level.value == "error"]
    assert problems == [], "the strategy made an invalid document"
    result = generate(config(spec, folder / "out", package))
    for path, text in result.files.items():
        if path.endswith(".py"):
            ast.parse(text, filename=path)
    write_tree(folder / "out", result.files)
    with imported(folder / "out", package):
        importlib.import_module(package)
        for path in result.files:
            if path.endswith(".py") and not path.endswith("__init__.py"):
                importlib.import_module(path[:-3].replace("/", "."))
        for name, schema in doc["components"]["schemas"].items():
            pointer = join_pointer("/components/schemas", name)
            decls = [d for d in result.api.decls.values() if d.pointer == pointer and d.owner is None]
            assert decls, f"no declaration for {pointer}"
            instance = data.draw(from_schema(_no_extras(inline_schema(doc, schema))), label=pointer)
            for decl in decls:
                _round_trip(package, decl, instance)
                TRIED["instances"] += 1


# ------------------------------------------------------- broken documents

CURATED = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(TEXT, children, max_size=3),
    max_leaves=5,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


PLACES = [p for p in _paths(CURATED) if p]


@settings(PROFILE, max_examples=max(10, PROFILE.max_examples))
@given(edits=st.lists(st.tuples(st.sampled_from(PLACES), JSON_VALUES, st.booleans()), min_size=1, max_size=3))
def test_broken_documents_get_problems_never_tracebacks(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[tuple[Any, ...], Any, bool]]
) -> None:
    TRIED["broken"] += 1
    doc = copy.deepcopy(CURATED)
    for place, value, delete in edits:
        parent: Any = doc
        for step in place[:-1]:
            try:
                parent = parent[step]
            except (KeyError, IndexError, TypeError):
                break
        else:
            if isinstance(parent, dict) and delete:
                parent.pop(place[-1], None)
            elif isinstance(parent, dict) or (isinstance(parent, list) and place[-1] < len(parent)):
                parent[place[-1]] = value
    folder = tmp_path_factory.mktemp("broken")
    spec = write_spec(doc, folder / "spec.yaml")
    validate_document(load_document(spec))  # problems or none, never an exception
    try:
        generate(config(spec, folder / "out", "broken_pkg"), validate=True)
    except CodegenError:
        pass
