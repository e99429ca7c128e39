"""Small valid values for the schemas of a real-world document, for calling its operations.

``instance(schema)`` builds the smallest value it can (required properties only, the
first enum value, a format's canonical text, ``minLength``/``minItems`` respected);
``valid(schema, value)`` checks it with the OpenAPI dialect's JSON Schema validator, so
a value the synthesis got wrong is never sent: the operation is left out of the sample.
"""

from __future__ import annotations

from typing import Any

from openapi_schema_validator import OAS30Validator, OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

_FORMATS = {
    "date-time": "2024-01-02T03:04:05Z",
    "date": "2024-01-02",
    "time": "03:04:05Z",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "email": "user@example.com",
    "uri": "https://example.com/x",
    "url": "https://example.com/x",
    "hostname": "example.com",
    "ipv4": "127.0.0.1",
    "byte": "AA==",
}


class Unbuildable(Exception):
    """The synthesis cannot make a value for this schema."""


class Values:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.oas30 = str(document.get("openapi", "")).startswith("3.0")
        self.registry: Registry[Any] = Registry().with_resource(
            "", Resource.from_contents(document, default_specification=DRAFT202012)
        )

    def resolve(self, schema: Any) -> Any:
        seen = 0
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if not ref.startswith("#/") or seen > 32:
                raise Unbuildable(ref)
            node: Any = self.document
            for part in ref[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            schema, seen = node, seen + 1
        return schema

    def valid(self, schema: Any, value: Any) -> bool:
        cls = OAS30Validator if self.oas30 else OAS31Validator
        try:
            validator = cls(schema, registry=self.registry)
            return not any(True for _ in validator.iter_errors(value))
        except Exception:  # a schema the validator cannot even read
            return False

    def instance(self, schema: Any, depth: int = 0) -> Any:
        if depth > 12:
            raise Unbuildable("too deep")
        schema = self.resolve(schema)
        if schema is True or schema == {}:
            return "x"
        if not isinstance(schema, dict):
            raise Unbuildable("not a schema")
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return next((v for v in schema["enum"] if v is not None), schema["enum"][0])
        if "default" in schema and self.valid(schema, schema["default"]):
            return schema["default"]
        if isinstance(schema.get("allOf"), list):
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                value = self.instance(part, depth + 1)
                if not isinstance(value, dict):
                    return value
                merged.update(value)
            rest = {k: v for k, v in schema.items() if k != "allOf"}
            if rest.get("properties") or rest.get("required"):
                own = self.instance(rest, depth + 1)
                if isinstance(own, dict):
                    merged.update(own)
            return merged
        for key in ("oneOf", "anyOf"):
            variants = schema.get(key)
            if isinstance(variants, list):
                for variant in variants:
                    try:
                        value = self.instance(variant, depth + 1)
                    except Unbuildable:
                        continue
                    if self.valid(variant, value):
                        return value
                raise Unbuildable(key)
        types = schema.get("type")
        kinds = [types] if isinstance(types, str) else list(types or [])
        kinds = [k for k in kinds if k != "null"] or (["object"] if "properties" in schema else ["string"])
        kind = kinds[0]
        if kind == "object":
            props = schema.get("properties") or {}
            out: dict[str, Any] = {}
            for name in schema.get("required") or []:
                if name in props:
                    out[name] = self.instance(props[name], depth + 1)
                else:
                    out[name] = "x"
            return out
        if kind == "array":
            count = int(schema.get("minItems") or 0)
            return [self.instance(schema.get("items", {}), depth + 1) for _ in range(count)]
        if kind in ("integer", "number"):
            low = schema.get("minimum", schema.get("exclusiveMinimum"))
            value = low if isinstance(low, int | float) and not isinstance(low, bool) else 1
            if schema.get("exclusiveMinimum") not in (None, False) and value == low:
                value = low + 1
            return int(value) if kind == "integer" else float(value)
        if kind == "boolean":
            return False
        text = _FORMATS.get(str(schema.get("format", "")), "x")
        need = int(schema.get("minLength") or 0)
        return text + "x" * max(0, need - len(text))
