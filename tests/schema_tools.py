"""Helpers for property tests: self-contained JSON Schemas and instance mutations."""

from __future__ import annotations

import copy
from typing import Any

from chatkit_codegen.load.walk import resolve_pointer

_OAS_ONLY = {"discriminator", "xml", "externalDocs", "example", "examples", "deprecated", "readOnly", "writeOnly"}


def inline_schema(document: dict[str, Any], schema: Any, depth: int = 0) -> Any:
    """``schema`` with local refs inlined and OpenAPI-only keywords dropped (no recursion)."""
    if depth > 40:
        raise ValueError("schema too deep or recursive to inline")
    if isinstance(schema, dict):
        if "$ref" in schema:
            target = resolve_pointer(document, schema["$ref"])
            merged = {**inline_schema(document, target, depth + 1)}
            for k, v in schema.items():
                if k != "$ref" and k not in _OAS_ONLY and not k.startswith("x-") and k != "description":
                    merged[k] = inline_schema(document, v, depth + 1)
            return merged
        out = {}
        for k, v in schema.items():
            if k in _OAS_ONLY or k.startswith("x-"):
                continue
            if k in ("properties", "patternProperties", "$defs"):
                out[k] = {name: inline_schema(document, sub, depth + 1) for name, sub in v.items()}
            else:
                out[k] = inline_schema(document, v, depth + 1)
        return out
    if isinstance(schema, list):
        return [inline_schema(document, v, depth + 1) for v in schema]
    return schema


def mutations(schema: dict[str, Any], instance: Any) -> list[tuple[str, Any]]:
    """Invalid variants of a valid object instance that any validator must reject."""
    out: list[tuple[str, Any]] = []
    if not isinstance(instance, dict):
        return [("not an object", ["not", "an", "object"])]
    props = schema.get("properties", {})
    for key in schema.get("required", []):
        if key in instance:
            broken = copy.deepcopy(instance)
            del broken[key]
            out.append((f"drop required {key}", broken))
    for key, sub in props.items():
        if key not in instance or not isinstance(sub, dict):
            continue
        types = sub.get("type")
        types = [types] if isinstance(types, str) else types or []
        broken = copy.deepcopy(instance)
        if "const" in sub:
            broken[key] = "definitely-not-" + str(sub["const"])
        elif "enum" in sub:
            broken[key] = "definitely-not-a-member"
        elif types and "string" in types and "null" not in types:
            broken[key] = {"unexpected": "object"}
        elif types and ("integer" in types or "number" in types) and "null" not in types:
            broken[key] = "not a number"
        elif types and "boolean" in types and "null" not in types:
            broken[key] = [True]
        elif types and "array" in types:
            broken[key] = {"not": "an array"}
        else:
            continue
        out.append((f"corrupt {key}", broken))
    return out
