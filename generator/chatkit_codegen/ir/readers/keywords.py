"""The keywords of one schema object that have a safe reading, and those unknown.

Each finding is a located note or warning saying what the generator does instead;
the readers do the safe thing (``types.py``, ``constraints.py``, ``objects.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..model import NoteLevel

# JSON Schema 2020-12 (with 2019-09 and draft-07 spellings) and OpenAPI's own.
KNOWN_KEYWORDS = frozenset(
    {
        # core
        "$schema", "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$recursiveRef",
        "$recursiveAnchor", "$vocabulary", "$comment", "$defs", "definitions",
        # applicators
        "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "dependencies",
        "prefixItems", "items", "additionalItems", "contains", "properties", "patternProperties",
        "additionalProperties", "propertyNames", "unevaluatedItems", "unevaluatedProperties",
        # validation
        "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum",
        "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
        "uniqueItems", "maxContains", "minContains", "maxProperties", "minProperties", "required",
        "dependentRequired", "format", "contentEncoding", "contentMediaType", "contentSchema",
        # annotations
        "title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples",
        # OpenAPI
        "discriminator", "xml", "externalDocs", "example", "nullable",
    }
)  # fmt: skip

Finding = tuple[str, NoteLevel, str]  # (pointer suffix, level, message)


def keyword_findings(schema: dict[str, Any], is30: bool) -> Iterator[Finding]:
    """What to report about ``schema``'s own keywords (not its subschemas)."""
    for key in sorted(str(k) for k in schema):
        if key not in KNOWN_KEYWORDS and not key.startswith("x-"):
            yield "", "note", f"unknown keyword {key!r} is ignored"
    if not is30 and "nullable" in schema:
        yield "/nullable", "warning", (
            "'nullable' is an OpenAPI 3.0 keyword; read as 3.0 meant it (the value may also be null)"
            if schema["nullable"] is True
            else "'nullable' is an OpenAPI 3.0 keyword; it changes nothing here"
        )
    for key, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if not is30 and isinstance(schema.get(key), bool):
            meaning = f"'{bound}' is exclusive" if schema[key] else f"'{bound}' stays inclusive"
            yield f"/{key}", "warning", f"boolean {key!r} is OpenAPI 3.0 style; read as 3.0 meant it: {meaning}"
    required = schema.get("required")
    if isinstance(required, list):
        seen: set[str] = set()
        for i, name in enumerate(required):
            if str(name) in seen:
                yield f"/required/{i}", "warning", f"'required' lists {str(name)!r} twice; read once"
            seen.add(str(name))
    if "discriminator" in schema and not any(k in schema for k in ("oneOf", "anyOf", "allOf", "properties")):
        yield "/discriminator", "warning", "discriminator without oneOf or anyOf: ignored"
