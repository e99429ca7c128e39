"""Pure readings of one schema object, shared by every layer of the build: what
kind of schema it is, its types, its text and example values. No state, no notes."""

from __future__ import annotations

from typing import Any

from ..model import JsonValue, media_kind

COMPONENT_PREFIX = "/components/schemas/"
FORMATS: dict[str, str] = {
    "date-time": "datetime",
    "date": "date",
    "uuid": "UUID",
    "binary": "bytes",
}
# JSON Schema keywords the generated models do not enforce; each use is reported.
IGNORED_KEYWORDS = frozenset(
    {
        "if",
        "then",
        "else",
        "not",
        "dependentSchemas",
        "dependentRequired",
        "unevaluatedProperties",
        "unevaluatedItems",
        "contains",
        "minContains",
        "maxContains",
        "uniqueItems",
        "minProperties",
        "maxProperties",
        "patternProperties",
    }
)


def text(value: Any) -> str | None:
    if value is None:
        return None
    stripped = str(value).strip()
    return stripped or None


def num(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def literal(value: Any) -> str | int | float | bool | None:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def types_of(schema: dict[str, Any]) -> list[str]:
    t = schema.get("type")
    if isinstance(t, str):
        return [t]
    if isinstance(t, list):
        return [str(x) for x in t]
    if "items" in schema or "prefixItems" in schema:
        return ["array"]
    if any(k in schema for k in ("minLength", "maxLength", "pattern")):
        return ["string"]
    if any(k in schema for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")):
        return ["number"]
    if "additionalProperties" in schema or "propertyNames" in schema:
        return ["object"]
    return []


def is_object(schema: Any) -> bool:
    """Schemas that become a model class: objects with declared properties (or allOf of them)."""
    if not isinstance(schema, dict):
        return False
    if "properties" in schema:
        return True
    if "allOf" in schema and len(as_list(schema.get("allOf"))) > 1:
        return True
    if "allOf" in schema and any(k in schema for k in ("properties", "required")):
        return True
    t = schema.get("type")
    if (t == "object" or (isinstance(t, list) and "object" in t)) and "additionalProperties" not in schema and "oneOf" not in schema and "anyOf" not in schema and "propertyNames" not in schema:
        return bool(schema.get("required")) or "properties" in schema
    return False


# Keywords that describe a value without constraining it (``nullable`` is read apart).
ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "deprecated", "readOnly", "writeOnly", "$comment", "externalDocs", "xml", "nullable"}
)


def annotation_only(part: Any) -> bool:
    """An ``allOf`` part that only annotates: ``allOf: [{$ref: X}, {description: ...}]``
    is X with a description, not a new class deriving from X."""
    return isinstance(part, dict) and all(k in ANNOTATIONS or str(k).startswith("x-") for k in part)


def needs_module(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        is_object(schema)
        or any(isinstance(schema.get(k), list) and len(schema[k]) > 1 for k in ("oneOf", "anyOf"))
    )


def is_named_enum(schema: dict[str, Any], named: bool) -> bool:
    return "x-sdk-name" in schema


def union_description(schema: dict[str, Any]) -> str | None:
    for key in ("anyOf", "oneOf"):
        variants = as_list(schema.get(key))
        real = [v for v in variants if isinstance(v, dict) and v.get("type") != "null"]
        if len(real) == 1 and "description" in real[0]:
            return text(real[0]["description"])
    return None


def examples_of(schema: Any) -> tuple[JsonValue, ...]:
    if not isinstance(schema, dict):
        return ()
    out: list[JsonValue] = []
    if isinstance(schema.get("examples"), list):
        out.extend(schema["examples"])
    if "example" in schema:
        out.append(schema["example"])
    return tuple(out)


def license_of(info: dict[str, Any]) -> str | None:
    """The SPDX identifier of ``info.license``, if the document gives one."""
    lic = info.get("license")
    ident = lic.get("identifier") if isinstance(lic, dict) else None
    return ident.strip() if isinstance(ident, str) and ident.strip() else None


def has_null_type(schema: dict[str, Any]) -> bool:
    """``type: [..., "null"]`` (3.1)."""
    t = schema.get("type")
    return isinstance(t, list) and "null" in t


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` if it is a mapping, else empty: a broken document (unvalidated) is
    read as if the part were absent, never crashes the build."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def pick_media(content: dict[str, Any]) -> str:
    """The media type of a ``content`` map the client uses (or a webhook's receiver
    parses): JSON, then multipart, form, event stream, else the first."""
    keys = [str(k) for k in content]
    for wanted in ("json", "multipart", "form", "event-stream"):
        for k in keys:
            if media_kind(k) == wanted:
                return k
    return keys[0]
