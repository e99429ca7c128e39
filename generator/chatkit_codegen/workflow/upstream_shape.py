"""Raw schemas seen the same way whatever their spelling, for ``chatkit-codegen upstream``.

The curated document and the upstream one say the same thing differently:
``type: [string, 'null']`` here is ``anyOf: [{type: string}, {type: 'null'}]`` there,
``const: x`` is ``enum: [x]`` (with ``x-stainless-const``), a property may be a
``$ref`` on one side and inline on the other. ``shape`` resolves references and
strips the null alternative so both sides can be compared by what they accept; it
never walks beyond the node it is given (the caller recurses, so only what is
reachable from corresponding operations is ever looked at).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from ..load.walk import resolve_pointer

Kind = Literal["union", "object", "array", "primitive", "any"]
PRIMITIVES = ("string", "integer", "number", "boolean")
# The reference docs' notation (render.pytypes): what a user of the package reads.
PY_NAMES = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "object": "dict",
    "array": "list",
    "null": "None",
}
CONSTRAINT_KEYS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
)


@dataclass(frozen=True)
class Variant:
    ptr: str
    schema: dict[str, Any]
    name: str | None  # the component it was referenced as, if any


@dataclass
class Shape:
    """One schema, resolved: its core (the node that carries the type) and nullability."""

    ptr: str  # the core node's pointer (where types, constraints and enums sit)
    schema: dict[str, Any]
    kind: Kind
    nullable: bool = False
    types: tuple[str, ...] = ()  # primitive type names of a primitive core
    values: list[Any] | None = None  # enum/const values (without null), None when open
    variants: list[Variant] = field(default_factory=list)
    union_key: str = ""  # "oneOf" or "anyOf" for a union
    union_ptr: str = ""  # where the variants list lives (for patches)
    ref_name: str | None = None  # the component the outermost $ref named


def resolve(root: Any, ptr: str, node: Any, limit: int = 32) -> tuple[str, Any, str | None]:
    """Follow local ``$ref`` chains: (pointer, node, component name of the first ref)."""
    name: str | None = None
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < limit:
        ref = node["$ref"]
        try:
            target = resolve_pointer(root, ref)
        except KeyError:
            return ptr, {}, name
        if name is None and ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
        ptr, node = ref[1:], target
        seen += 1
    return ptr, node if isinstance(node, dict) else {}, name


def _is_null(schema: dict[str, Any]) -> bool:
    t = schema.get("type")
    if t == "null" or t == ["null"]:
        return True
    return "const" in schema and schema["const"] is None and "type" not in schema


def merged(root: Any, ptr: str, schema: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    """``schema`` with its ``allOf`` members folded in: properties and required joined,
    other keywords from the first member that has them (the schema's own win)."""
    members = schema.get("allOf")
    if not isinstance(members, list) or depth > 16:
        return schema
    out: dict[str, Any] = {}
    parts = [merged(root, p, s, depth + 1) for p, s, _ in (resolve(root, f"{ptr}/allOf/{i}", m) for i, m in enumerate(members))]
    own = {k: v for k, v in schema.items() if k != "allOf"}
    for part in [*parts, own]:
        for key, value in part.items():
            if key == "properties" and isinstance(value, dict):
                out["properties"] = {**out.get("properties", {}), **value}
            elif key == "required" and isinstance(value, list):
                have = list(out.get("required", []))
                out["required"] = [*have, *(v for v in value if v not in have)]
            elif part is own or key not in out:
                out[key] = value
    return out


def shape(root: Any, ptr: str, node: Any) -> Shape:
    ptr, schema, ref_name = resolve(root, ptr, node)
    schema = merged(root, ptr, schema)
    nullable = False
    for key in ("anyOf", "oneOf"):
        members = schema.get(key)
        if not isinstance(members, list) or "properties" in schema or "type" in schema:
            continue
        resolved = [
            (f"{ptr}/{key}/{i}", *resolve(root, f"{ptr}/{key}/{i}", m)) for i, m in enumerate(members)
        ]
        rest = [(site, p, s, n) for site, p, s, n in resolved if not _is_null(s)]
        nullable = len(rest) < len(resolved)
        if len(rest) == 1:
            site, _p, _s, _n = rest[0]
            inner = shape(root, site, members[int(site.rsplit("/", 1)[1])])
            inner.nullable = inner.nullable or nullable
            inner.ref_name = inner.ref_name or ref_name
            return inner
        variants = [Variant(p, s, n) for _site, p, s, n in rest]
        return Shape(ptr, schema, "union", nullable, variants=variants, union_key=key,
                     union_ptr=f"{ptr}/{key}", ref_name=ref_name)
    raw = schema.get("type")
    types = [raw] if isinstance(raw, str) else [t for t in raw if isinstance(t, str)] if isinstance(raw, list) else []
    if "null" in types:
        nullable = True
        types = [t for t in types if t != "null"]
    if schema.get("nullable") is True:
        nullable = True
    values: list[Any] | None = None
    if "const" in schema:
        values = [schema["const"]]
    elif isinstance(schema.get("enum"), list):
        values = list(schema["enum"])
    if values is not None and None in values:
        nullable = True
        values = [v for v in values if v is not None]
    kind: Kind
    if "object" in types or (not types and ("properties" in schema or "additionalProperties" in schema)):
        kind = "object"
    elif "array" in types or (not types and "items" in schema):
        kind = "array"
    elif types or values is not None:
        kind = "primitive"
        if not types and values:
            types = sorted({_json_type(v) for v in values})
    else:
        kind = "any"
    return Shape(ptr, schema, kind, nullable, tuple(types), values, ref_name=ref_name)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "string"


def value_key(value: Any) -> str:
    """Values compared as JSON (1, 1.0 and true stay distinct)."""
    return f"{type(value).__name__}:{json.dumps(value, sort_keys=True, default=str)}"


def json_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def type_text(root: Any, s: Shape, depth: int = 0) -> str:
    """``str | int | None``, ``Literal["a", "b"]``, ``list[ChatKitThread]``: short and stable."""
    if s.kind == "union":
        parts = [_variant_text(root, v, depth) for v in s.variants]
        text = " | ".join(parts)
    elif s.kind == "primitive" and s.values is not None:
        text = "Literal[" + ", ".join(json_text(v) for v in s.values) + "]"
    elif s.kind == "primitive":
        text = " | ".join(PY_NAMES.get(t, t) for t in s.types)
    elif s.kind == "array":
        item = s.schema.get("items")
        inner = "Any" if depth > 2 or not isinstance(item, dict) else type_text(root, shape(root, s.ptr + "/items", item), depth + 1)
        text = f"list[{inner}]"
    elif s.kind == "object":
        text = s.ref_name or "object"
        extra = s.schema.get("additionalProperties")
        if not s.ref_name and isinstance(extra, dict) and "properties" not in s.schema:
            inner = "Any" if depth > 2 else type_text(root, shape(root, s.ptr + "/additionalProperties", extra), depth + 1)
            text = f"dict[str, {inner}]"
    else:
        text = "Any"
    return text + " | None" if s.nullable else text


def _variant_text(root: Any, v: Variant, depth: int) -> str:
    if v.name:
        return v.name
    name = v.schema.get("x-sdk-name")
    if isinstance(name, str):
        return name
    return type_text(root, shape(root, v.ptr, v.schema), depth + 1)
