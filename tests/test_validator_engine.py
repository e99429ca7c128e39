"""The validation engine (``load/schema_check.py``, jsonschema-rs) against the reference,
openapi-spec-validator, on every document we have; and what the engine promises callers.

The differential test runs both engines on each document and compares their findings
by JSON pointer and kind (the keyword that failed, or the rule), never by text. The
reference reports errors inside a schema relative to that schema, and errors of a
``default`` relative to the value; ``reference_findings`` puts them back where they are
in the document. Intended differences are listed in ``ACCEPTED``, each with its reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from chatkit_codegen.errors import CodegenError
from chatkit_codegen.load.document import join_pointer, load_document
from chatkit_codegen.load.schema_check import Finding, ValueChecker, check_structure
from chatkit_codegen.load.validate import check_refs, check_semantics
from chatkit_codegen.load.walk import iter_all_schemas, resolve_pointer, root_schemas
from conftest import ROOT, SPEC

# The reference is run with Python's jsonschema, as it was before the engine swap (with
# jsonschema-rs installed it would otherwise use it for its first pass).
os.environ["OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND"] = "jsonschema"

TESTS = Path(__file__).parent
REALWORLD = ROOT.parent.parent / "shared" / "realworld"
if not REALWORLD.is_dir():
    REALWORLD = Path("/work/shared/realworld")
DOCUMENTS = sorted(
    [
        *(p for p in (TESTS / "fixtures").glob("*/*") if p.suffix in (".yaml", ".json")),
        *(p for p in (TESTS / "documents_with_errors").iterdir() if p.suffix in (".yaml", ".json")),
        SPEC,
        *(p for p in (REALWORLD / "box-openapi.json", REALWORLD / "openai-openapi.yaml") if p.is_file()),
    ]
)
WEAK = {"anyOf", "oneOf"}
TOP_KEYS = {"openapi", "info", "servers", "paths", "components", "webhooks", "security", "tags",
            "externalDocs", "jsonSchemaDialect"}  # fmt: skip
# Reference rules that validate.check_semantics implements (pointer-less in the reference).
SEMANTIC = {
    "DuplicateOperationIDError": "operationId-unique",
    "ParameterDuplicateError": "parameter-unique",
    "UnresolvableParameterError": "path-parameter",
}


@dataclass(frozen=True)
class Key:
    pointer: str | None  # None: the reference does not say where
    kind: str


def _rel(base: str, path: Any) -> str:
    return join_pointer(base, *(str(p) for p in path))


def _value_at(data: Any, pointer: str) -> Any:
    try:
        return resolve_pointer(data, "#" + pointer)
    except (KeyError, IndexError, ValueError, TypeError):
        return KeyError


def _deepest(err: Any, ptr: str) -> tuple[Any, str]:
    """The reference's counterpart of ``schema_check.best``: into anyOf/oneOf context."""
    while err.context:
        sub = max(err.context, key=lambda e: (len(e.relative_path), e.validator not in WEAK))
        ptr, err = _rel(ptr, sub.relative_path), sub
    return err, ptr


def _failed_here(holder: dict[str, Any], err: Any) -> bool:
    """Whether ``err`` of a default can come from ``holder``: its keyword path leads
    through ``holder`` to the keyword's value (when it does not go through a $ref)."""
    if holder.get("default") is None and holder.get("nullable") is True:
        return False
    node: Any = holder
    for part in err.relative_schema_path:
        if isinstance(node, dict) and "$ref" in node and part not in node:
            return True  # went through a reference: cannot tell, accept
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    return bool(node == err.validator_value)


def _locate(data: Any, schema_ptrs: list[str], err: Any, used: set[tuple[str, str]]) -> tuple[str | None, str]:
    """(pointer, kind) of a reference error in the document. Several schemas may fit one
    relative error (the same property in many schemas): each fitting place is used once."""
    path = list(err.absolute_path)
    kind = str(err.validator)
    if path and str(path[0]) in TOP_KEYS:
        return _rel("", path), kind
    fits: list[tuple[str, str]] = []
    # An error in a schema, relative to it: the reference reports it relative to the
    # schema it started from (a component, a parameter's or a media type's), so the
    # shallowest schemas are tried first.
    for base in sorted(schema_ptrs, key=lambda p: p.count("/")):
        candidate = _rel(base, path)
        if (path or isinstance(err.instance, dict)) and _value_at(data, candidate) == err.instance:
            fits.append((candidate, kind))
    for base in schema_ptrs:  # an error in a default, relative to the value
        holder = _value_at(data, base)
        if isinstance(holder, dict) and "default" in holder and _failed_here(holder, err):
            if _value_at(data, _rel(base + "/default", path)) == err.instance:
                fits.append((base + "/default", "default"))
    fresh = [f for f in fits if f not in used]
    # One error per schema in the reference: a schema that has one already is tried last.
    fresh.sort(key=lambda f: any(u[0].startswith(_root_of(f[0])) for u in used))
    if fresh:
        used.add(fresh[0])
        return fresh[0]
    return fits[0] if fits else (None, kind)


def _root_of(pointer: str) -> str:
    parts = pointer.split("/")
    return "/".join(parts[:4]) + "/" if pointer.startswith("/components/") else pointer


def reference_findings(data: dict[str, Any]) -> list[Key]:
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    version = str(data.get("openapi", ""))
    cls = OpenAPIV30SpecValidator if version.startswith("3.0") else OpenAPIV31SpecValidator
    schema_ptrs = [p for p, _ in iter_all_schemas(data)]
    keys: list[Key] = []
    used: set[tuple[str, str]] = set()
    errors = []
    previous: Any = None
    try:
        errors.extend(cls(data).iter_errors())
    except Exception:  # its second pass assumes a well-formed tree (14_paths_wrong_type)
        assert errors, "the reference failed before reporting anything"
    for err in errors:
        name = type(err).__name__
        if name in SEMANTIC:
            keys.append(Key(None, SEMANTIC[name]))
        elif name == "ExtraParametersError":
            keys.append(Key(None, "allOf-required"))
        elif str(err.message).startswith("Duplicate tag name"):
            keys.append(Key(None, "tags-unique"))
        else:
            ptr, kind = _locate(data, schema_ptrs, err, used)
            if kind == "default":
                # Its errors of a default are relative to the value, and many defaults
                # are alike (null, []): counted, not located; all the errors of one
                # default (the same value, one after the other) count once.
                if previous is not None and err.instance is previous and previous is not None:
                    continue
                previous = err.instance
                keys.append(Key(None, "default"))
                continue
            elif ptr is not None:
                deep, ptr = _deepest(err, ptr)
                kind = str(deep.validator)
            keys.append(Key(ptr, kind))
    return keys


def our_findings(doc: Any) -> list[Key]:
    version = str(doc.data.get("openapi", ""))[:3]
    keys: list[Key] = []
    holders: set[int] = set()  # the reference checks a schema object once, however shared
    for f in check_structure(doc.data, version):
        if f.keyword == "default":
            holder = _value_at(doc.data, f.pointer.rsplit("/", 1)[0])
            if id(holder) in holders:
                continue
            holders.add(id(holder))
            if isinstance(holder, dict) and "$ref" in holder:
                # Accepted: a default beside a $ref (3.1) is checked against the schema
                # the $ref names; the reference follows the $ref and never sees it.
                continue
        keys.append(Key(f.pointer, f.keyword))
    for problem in check_semantics(doc):
        text = problem.message
        if "operationId" in text:
            keys.append(Key(problem.pointer, "operationId-unique"))
        elif "duplicate parameter" in text:
            keys.append(Key(problem.pointer, "parameter-unique"))
        elif "path template" in text:
            keys.append(Key(problem.pointer, "path-parameter"))
    return keys


def _matches(ref: Key, ours: Key) -> bool:
    if ref.kind in SEMANTIC.values() or ref.kind in ("allOf-required", "tags-unique"):
        return ref.kind == ours.kind
    if ref.pointer is None:
        return ref.kind == ours.kind
    if ref.pointer == ours.pointer:
        return ref.kind == ours.kind or bool({ref.kind, ours.kind} & WEAK)
    # A weak (anyOf/oneOf) finding on one side, the error it is made of on the other.
    if ref.kind in WEAK and ours.pointer.startswith(ref.pointer + "/"):
        return True
    return ours.kind in WEAK and ref.pointer.startswith(ours.pointer + "/")


def _segments(pointer: str) -> list[str]:
    return pointer.split("/")[1:]


def _shared_object(data: Any, ours: Key, ref: list[Key]) -> bool:
    """The reference checks a schema object once, however many places hold it (a YAML
    alias, shared again when the document is read back from the cache); the engine
    reports the finding at every place. Accepted: ours at P, the reference's at Q with
    the same kind, P = A + S and Q = B + S, and A and B hold the very same object."""
    if ours.pointer is None:
        return False
    p = _segments(ours.pointer)
    for r in ref:
        if r.kind != ours.kind or r.pointer is None or r.pointer == ours.pointer:
            continue
        q = _segments(r.pointer)
        for n in range(1, min(len(p), len(q))):
            if p[-n:] != q[-n:]:
                break
            a, b = "/" + "/".join(p[:-n]), "/" + "/".join(q[:-n])
            va, vb = _value_at(data, a), _value_at(data, b)
            if va is vb and isinstance(va, dict):
                return True
    return False


def _one_per_schema(data: Any, ours: Key, ref: list[Key]) -> bool:
    """The reference checks each schema it starts from (a component...) with
    ``check_schema``, which raises the best of that schema's errors: one error per
    schema. Accepted: another finding of the engine in a schema where the reference
    found one too."""
    if ours.pointer is None:
        return False
    for root, _schema in root_schemas(data):
        if ours.pointer.startswith(root + "/"):
            return any(r.pointer is not None and r.pointer.startswith(root + "/") for r in ref)
    return False


COUNTED = ("default", "allOf-required", "tags-unique")


def differences(name: str, data: Any, ref: list[Key], ours: list[Key]) -> Iterator[str]:
    for kind in COUNTED:
        theirs, mine = sum(r.kind == kind for r in ref), sum(o.kind == kind for o in ours)
        if theirs != mine:
            yield f"{name}: {theirs} {kind!r} findings in the reference, {mine} in the engine"
    for r in ref:
        if r.kind not in COUNTED and not any(_matches(r, o) for o in ours):
            yield f"{name}: only the reference finds {r}"
    for o in ours:
        if o.kind in COUNTED or any(_matches(r, o) for r in ref):
            continue
        if not _shared_object(data, o, ref) and not _one_per_schema(data, o, ref):
            yield f"{name}: only the engine finds {o}"


def _loadable(path: Path) -> Any:
    try:
        doc = load_document(path)
    except CodegenError:
        return None
    version = str(doc.data.get("openapi", ""))
    if not version.startswith(("3.0", "3.1")) or list(check_refs(doc)):
        return None  # refused before validation: the reference would fetch or refuse
    return doc


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_both_engines_find_the_same_problems(path: Path) -> None:
    doc = _loadable(path)
    if doc is None:
        pytest.skip("refused before structural validation (not JSON/YAML, not 3.x, or bad refs)")
    found = list(differences(path.name, doc.data, reference_findings(doc.data), our_findings(doc)))
    assert not found, "\n".join(found)


def test_the_documents_include_the_real_world_ones() -> None:
    names = {p.name for p in DOCUMENTS}
    assert {"chatkit.yaml"} <= names
    assert len([p for p in DOCUMENTS if _loadable(p) is not None]) >= 20


# --- what the engine promises --------------------------------------------------------


def _doc(schemas: dict[str, Any], version: str = "3.1.0", **extra: Any) -> dict[str, Any]:
    return {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": schemas}, **extra}  # fmt: skip


def test_a_bad_type_is_located_at_the_type_and_named() -> None:
    findings = check_structure(_doc({"A": {"type": "object", "properties": {"n": {"type": "integr"}}}}), "3.1")
    assert [(f.pointer, f.keyword, f.value) for f in findings] == [
        ("/components/schemas/A/properties/n/type", "enum", "integr")
    ]
    assert findings[0].message.startswith("'integr' is not a valid type")


def test_a_bad_type_in_a_30_document_is_located_too() -> None:
    """3.0's meta-schema puts every schema in oneOf [Schema, Reference]: the error is the
    Schema branch's, not "not valid under any of the given schemas" at the schema."""
    findings = check_structure(_doc({"A": {"type": "object", "properties": {"n": {"type": "integr"}}}}, "3.0.3"), "3.0")
    assert [(f.pointer, f.keyword) for f in findings] == [("/components/schemas/A/properties/n/type", "enum")]


def test_findings_are_never_at_the_root_when_a_node_is_to_blame() -> None:
    data = _doc({"A": {"type": "string", "minLength": "three"}})
    data["paths"] = {"/a": {"get": {"responses": {"200": {"description": 3}}}}}
    pointers = {f.pointer for f in check_structure(data, "3.1")}
    assert pointers == {"/components/schemas/A/minLength", "/paths/~1a/get/responses/200/description"}


def test_status_codes_stay_strings_in_pointers_and_paths() -> None:
    data = _doc({})
    data["paths"] = {"/a": {"get": {"responses": {"200": {"description": 3}}}}}
    (finding,) = check_structure(data, "3.1")
    assert finding.path == ("paths", "/a", "get", "responses", "200", "description")


def test_rules_beyond_the_meta_schema() -> None:
    data = _doc(
        {
            "A": {"type": "integer", "default": "x"},
            "B": {"allOf": [{"properties": {"a": {}}}], "required": ["a", "zz"]},
            "C": {"type": "string", "nullable": True, "default": None},
        },
        "3.0.3",
        tags=[{"name": "t"}, {"name": "t"}],
    )
    assert [(f.pointer, f.keyword) for f in check_structure(data, "3.0")] == [
        ("/components/schemas/A/default", "default"),
        ("/components/schemas/B/required", "allOf-required"),
        ("/tags", "uniqueItems"),  # 3.0's meta-schema has this one
        ("/tags/1/name", "tags-unique"),
    ]


def test_value_checker_modes_and_30_nullable() -> None:
    data = _doc(
        {
            "Pet": {
                "type": "object",
                "required": ["id", "name", "secret"],
                "properties": {
                    "id": {"type": "integer", "readOnly": True},
                    "name": {"type": "string"},
                    "secret": {"type": "string", "writeOnly": True},
                    "tag": {"type": "string", "nullable": True},
                },
            }
        },
        "3.0.3",
    )
    checker = ValueChecker(data, "3.0.3")
    ptr = "/components/schemas/Pet"
    assert checker.errors(ptr, {"name": "a", "secret": "s"}, "write") == []
    assert [f.message for f in checker.errors(ptr, {"name": "a", "secret": "s"}, "read")] == [
        "'id' is a required property"
    ]
    assert checker.errors(ptr, {"id": 1, "name": "a", "tag": None}, "read") == []
    (bad,) = checker.errors(ptr, {"id": 1, "name": None}, "read")
    assert (bad.path, bad.message) == (("name",), "None for not nullable")


def test_value_checker_never_fetches() -> None:
    from chatkit_codegen.load.schema_check import SchemaCheckError

    data = _doc({"A": {"$ref": "http://127.0.0.1:9/nothing.json"}})
    with pytest.raises(SchemaCheckError):
        ValueChecker(data, "3.1.0").errors("/components/schemas/A", 1, None)


def _outcomes(results: list[Any]) -> list[Any]:
    """Findings with their paths (a Finding compares without it), errors as text."""
    return [
        str(r) if isinstance(r, Exception) else [(f.pointer, f.keyword, f.message, f.path) for f in r]
        for r in results
    ]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_checking_values_together_finds_what_checking_each_finds(path: Path) -> None:
    """errors_many compiles one validator for many values: the same findings, in the same
    order, as a validator per value, for the examples and defaults of every document."""
    from chatkit_codegen.load.validate import _example_sites

    try:
        data = load_document(path).data
    except CodegenError:
        pytest.skip("refused before validation")
    version = str(data.get("openapi", ""))
    checks = [(sptr, value) for _, sptr, value in _example_sites(data)]
    checks += [(ptr, s["default"]) for ptr, s in iter_all_schemas(data) if "default" in s]
    if len(checks) < 2:
        pytest.skip("fewer than two values to check")
    checker = ValueChecker(data, version)
    for mode in ("read", "write", None):
        each = [checker._outcome(ptr, value, mode) for ptr, value in checks]
        assert _outcomes(checker.errors_many(checks, mode)) == _outcomes(each), mode


def test_a_schema_that_does_not_compile_spoils_only_its_own_values() -> None:
    data = _doc(
        {
            "A": {"type": "object", "required": ["a"]},
            "Broken": {"$ref": "http://127.0.0.1:9/nothing.json"},
            "C": {"type": "integer", "maximum": 3},
        }
    )
    checks = [("/components/schemas/A", {}), ("/components/schemas/Broken", 1),
              ("/components/schemas/C", 5), ("/components/schemas/C", 2)]  # fmt: skip
    first, broken, third, fourth = _outcomes(ValueChecker(data, "3.1.0").errors_many(checks, None))
    assert first == [("", "required", "'a' is a required property", ())]
    assert isinstance(broken, str) and "nothing.json" in broken
    assert third == [("", "maximum", "5 is greater than the maximum of 3", ())]
    assert fourth == []


def test_a_finding_is_a_value() -> None:
    a = Finding("/x", "type", "m", value=[1])
    assert a == Finding("/x", "type", "m", value={"other": 1})
    assert len({a, Finding("/x", "type", "m")}) == 1


def _imported_modules(code: str, env: dict[str, str]) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True, env=env, cwd=ROOT,
    )  # fmt: skip
    return set(out.stdout.split())


HEAVY = {"jsonschema_rs", "jsonschema", "openapi_spec_validator", "openapi_schema_validator", "referencing"}


def test_importing_validate_imports_no_validator(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    assert not _imported_modules("import chatkit_codegen.load.validate", env) & HEAVY


def test_a_cached_spec_imports_no_validator(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    run = (
        "from pathlib import Path\n"
        "from chatkit_codegen.load.document import load_document\n"
        "from chatkit_codegen.pipeline import validate_cached\n"
        f"validate_cached(load_document(Path({str(SPEC)!r})))"
    )
    first = _imported_modules(run, env)
    assert "jsonschema_rs" in first and not first & (HEAVY - {"jsonschema_rs"})
    assert not _imported_modules(run, env) & HEAVY
