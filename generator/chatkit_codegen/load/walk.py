"""Walking an OpenAPI document: every schema object, every $ref, with its pointer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .pointers import join_pointer, split_pointer

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")  # query: 3.2

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONE = (
    "items",
    "additionalProperties",
    "not",
    "propertyNames",
    "contains",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
)


def _mapping(value: Any) -> dict[Any, Any]:
    """``value`` if it is a mapping, else an empty one: broken documents are walked too."""
    return value if isinstance(value, dict) else {}


def _sequence(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def subschemas(schema: dict[str, Any], ptr: str) -> Iterator[tuple[str, Any]]:
    """Direct child schemas of ``schema`` with their pointers."""
    for key in _SCHEMA_MAPS:
        value = schema.get(key)
        if isinstance(value, dict):
            for name, sub in value.items():
                yield join_pointer(ptr, key, name), sub
    for key in _SCHEMA_LISTS:
        value = schema.get(key)
        if isinstance(value, list):
            for i, sub in enumerate(value):
                yield join_pointer(ptr, key, i), sub
    for key in _SCHEMA_ONE:
        value = schema.get(key)
        if isinstance(value, dict):
            yield join_pointer(ptr, key), value


def iter_schema_tree(schema: Any, ptr: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """``schema`` and all nested schema objects (not following $ref)."""
    stack = [(ptr, schema)]
    while stack:
        p, s = stack.pop()
        if not isinstance(s, dict):
            continue
        yield p, s
        stack.extend(reversed(list(subschemas(s, p))))


def _media_schemas(content: Any, ptr: str) -> Iterator[tuple[str, Any]]:
    if isinstance(content, dict):
        for media, obj in content.items():
            for key in ("schema", "itemSchema"):  # itemSchema: 3.2, each item of a stream
                if isinstance(obj, dict) and key in obj:
                    yield join_pointer(ptr, media, key), obj[key]


def root_schemas(doc: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every place the document holds a schema directly (components and operations)."""
    comps = doc.get("components")
    if isinstance(comps, dict):
        schemas = comps.get("schemas")
        if isinstance(schemas, dict):
            for name, s in schemas.items():
                yield join_pointer("/components/schemas", name), s
        for kind in ("parameters", "headers"):
            group = comps.get(kind)
            if isinstance(group, dict):
                for name, obj in group.items():
                    if isinstance(obj, dict):
                        base = join_pointer(f"/components/{kind}", name)
                        if "schema" in obj:
                            yield base + "/schema", obj["schema"]
                        yield from _media_schemas(obj.get("content"), base + "/content")
        for kind in ("requestBodies", "responses"):
            group = comps.get(kind)
            if isinstance(group, dict):
                for name, obj in group.items():
                    if isinstance(obj, dict):
                        base = join_pointer(f"/components/{kind}", name)
                        yield from _media_schemas(obj.get("content"), base + "/content")
    for op_ptr, _path, _method, op in iter_operations(doc):
        for i, param in enumerate(_sequence(op.get("parameters"))):
            if isinstance(param, dict) and "schema" in param:
                yield join_pointer(op_ptr, "parameters", i, "schema"), param["schema"]
        body = op.get("requestBody")
        if isinstance(body, dict):
            yield from _media_schemas(body.get("content"), op_ptr + "/requestBody/content")
        for code, resp in _mapping(op.get("responses")).items():
            if isinstance(resp, dict):
                base = join_pointer(op_ptr, "responses", str(code))
                yield from _media_schemas(resp.get("content"), base + "/content")
    paths = doc.get("paths")
    if isinstance(paths, dict):
        for path, item in paths.items():
            if isinstance(item, dict):
                for i, param in enumerate(_sequence(item.get("parameters"))):
                    if isinstance(param, dict) and "schema" in param:
                        yield join_pointer("/paths", path, "parameters", i, "schema"), param[
                            "schema"
                        ]


def iter_all_schemas(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object of ``doc`` with its pointer; walked once per document
    inside ``schemas_memoized`` (validation walks it for each of its checks)."""
    memo = _memo
    if memo is None:
        return _all_schemas(doc)
    hit = memo.get(id(doc))
    if hit is None or hit[0] is not doc:
        hit = memo[id(doc)] = (doc, list(_all_schemas(doc)))
    return iter(hit[1])


def _all_schemas(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for ptr, schema in root_schemas(doc):
        yield from iter_schema_tree(schema, ptr)


# id(document) -> (the document, its schemas), while ``schemas_memoized`` is active:
# only then may a walk be reused, since nothing changes the documents meanwhile.
_memo: dict[int, tuple[Any, list[tuple[str, dict[str, Any]]]]] | None = None


@contextmanager
def schemas_memoized() -> Iterator[None]:
    """Within the block, ``iter_all_schemas`` walks each document once. The documents
    must not change inside it."""
    global _memo
    outer = _memo
    _memo = {} if outer is None else outer
    try:
        yield
    finally:
        _memo = outer


def iter_operations(
    doc: dict[str, Any],
) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(pointer, path, method, operation) for every operation, in document order."""
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                yield join_pointer("/paths", path, method), path, method, op


EXAMPLE_KEYS = frozenset({"example", "examples"})
# Schema keywords whose value maps names to schemas: a property called "example" is
# a schema, not example data.
NAMED_SCHEMAS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})
# Every mapping of the document whose keys are names (a response called "default", a
# header called "example"), not keywords.
NAMED_MAPS = NAMED_SCHEMAS | frozenset(
    {
        "paths", "webhooks", "callbacks", "schemas", "responses", "parameters",
        "requestBodies", "headers", "securitySchemes", "links", "pathItems", "content",
        "encoding", "variables", "mapping", "scopes",
    }
)  # fmt: skip
# Keywords whose value is data (an instance of a schema), never document structure:
# a "$ref" or an "x-" key inside an example is part of the example.
DATA_KEYS = frozenset({"example", "default", "const", "enum"})
_KEYWORDS, _NAMES, _EXAMPLE = 0, 1, 2  # what the keys of a mapping are


def spec_nodes(node: Any, ptr: str = "") -> Iterator[tuple[str, dict[Any, Any]]]:
    """Every object of the document's structure, with its pointer, in document order:
    the mappings whose keys are keywords (a mapping of names, such as ``properties``
    or ``responses``, is walked through but not given: its keys are not keywords, so
    a property called ``$ref`` is no reference and one called ``x-id`` no extension).

    Values that are data are not entered: ``example``, ``default``, ``const``, ``enum``,
    a schema's list of ``examples`` and an Example Object's ``value``. They can hold
    anything (including ``$ref`` keys) and can be most of a document's expanded size.
    """
    stack: list[tuple[str, Any, int]] = [(ptr, node, _KEYWORDS)]
    while stack:
        p, n, kind = stack.pop()
        if isinstance(n, dict):
            if kind != _NAMES:
                yield p, n
            children = []
            for key, value in n.items():
                if not isinstance(value, dict | list):
                    continue
                if kind == _NAMES:
                    child = _KEYWORDS
                elif key in DATA_KEYS or (kind == _EXAMPLE and key == "value"):
                    continue
                elif key == "examples":
                    if not isinstance(value, dict):
                        continue  # a schema's examples: a list of values
                    for name, example in value.items():  # a map of Example Objects
                        children.append((join_pointer(p, key, name), example, _EXAMPLE))
                    continue
                else:
                    child = _NAMES if key in NAMED_MAPS else _KEYWORDS
                children.append((join_pointer(p, key), value, child))
            stack.extend(reversed(children))
        elif isinstance(n, list):
            stack.extend(
                (join_pointer(p, i), n[i], _KEYWORDS)
                for i in reversed(range(len(n)))
                if isinstance(n[i], dict | list)
            )


def iter_refs(node: Any, ptr: str = "") -> Iterator[tuple[str, str]]:
    """Every ``$ref`` string of the document's structure (not inside example data):
    (pointer of the object holding it, ref)."""
    for p, n in spec_nodes(node, ptr):
        ref = n.get("$ref")
        if isinstance(ref, str):
            yield p, ref


def ref_strings(node: Any) -> Iterator[str]:
    """Every ``$ref`` string under ``node`` outside example values (which are data, and
    can be the largest part of a document); no pointers are built, so it is cheap."""
    stack: list[tuple[Any, bool]] = [(node, False)]  # (node, its keys are names)
    while stack:
        n, names = stack.pop()
        if isinstance(n, dict):
            ref = n.get("$ref")
            if isinstance(ref, str) and not names:
                yield ref
            for key, value in n.items():
                if isinstance(value, dict | list) and (names or key not in EXAMPLE_KEYS):
                    stack.append((value, not names and key in NAMED_SCHEMAS))
        elif isinstance(n, list):
            stack.extend((v, False) for v in n if isinstance(v, dict | list))


def resolve_pointer(doc: Any, ref: str) -> Any:
    """Resolve a local ``#/...`` reference; raises KeyError when it does not resolve."""
    if not ref.startswith("#"):
        raise KeyError(ref)
    node = doc
    for part in split_pointer(ref):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise KeyError(ref)
    return node
