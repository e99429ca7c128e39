"""The type of a schema: $ref, const, enum, type, format, items, prefixItems, additionalProperties."""

from __future__ import annotations

from typing import Any

from ...load.document import join_pointer
from .. import naming
from ..model import (
    NO_CONSTRAINTS,
    Constrained,
    ListOf,
    Lit,
    MapOf,
    Nullable,
    Prim,
    Ref,
    TupleOf,
    TypeExpr,
    UnionOf,
)
from .base import Ctx
from .schema import (
    FORMATS,
    annotation_only,
    has_null_type,
    is_named_enum,
    is_object,
    literal,
    types_of,
)
from .unions import UnionsLayer


class TypesLayer(UnionsLayer):
    def _type(self, schema: Any, ptr: str, ctx: Ctx, hint: str, named: bool) -> TypeExpr:
        """The type of ``schema``. Inline objects and model unions become nested declarations."""
        if isinstance(schema, dict) and not is_object(schema):
            self._note_ignored(schema, ptr)
        if schema is True or schema == {}:
            return Prim("Any")
        if schema is False:
            self._note(ptr, "schema 'false' accepts nothing; generated as Any")
            return Prim("Any")
        if not isinstance(schema, dict):
            self._error(ptr, "schema must be an object or a boolean")
            return Prim("Any")
        self._check_keywords(schema, ptr)
        # OpenAPI 3.0's nullable, read as 3.0 meant it in a 3.1 document too (noted there)
        nullable = schema.get("nullable") is True
        typ = self._type_inner(schema, ptr, ctx, hint, named)
        if isinstance(typ, Nullable):
            return typ
        if nullable and typ != Prim("None"):
            return Nullable(typ)
        return typ

    def _type_inner(self, schema: dict[str, Any], ptr: str, ctx: Ctx, hint: str, named: bool) -> TypeExpr:
        ref = self._ref_of(schema, ptr)
        if ref is not None:
            tptr, target = self._deref({"$ref": ref}, ptr)
            if not target and tptr == ptr:
                return Prim("Any")
            return self._ref_type(tptr, ctx.shape, ptr)
        if "const" in schema:
            return Lit((literal(schema["const"]),))
        if "enum" in schema and isinstance(schema["enum"], list):
            values = [v for v in schema["enum"] if v is not None]
            lit: TypeExpr = Lit(tuple(literal(v) for v in values)) if values else Prim("None")
            if is_named_enum(schema, named):
                plain = lit
                lit = self._named_inline(schema, ptr, ctx, hint, lambda: plain)
            return Nullable(lit) if None in schema["enum"] or has_null_type(schema) else lit
        for key in ("oneOf", "anyOf"):
            if key in schema and isinstance(schema[key], list):
                return self._union(schema, key, ptr, ctx, hint)
        if "allOf" in schema and isinstance(schema["allOf"], list):
            parts = schema["allOf"]
            real = [i for i, p in enumerate(parts) if not annotation_only(p)]
            if len(real) == 1 and not is_object({k: v for k, v in schema.items() if k != "allOf"}):
                part_type = self._type(parts[real[0]], join_pointer(ptr, "allOf", real[0]), ctx, hint, named)
                if isinstance(part_type, Nullable) and any(isinstance(p, dict) and p.get("nullable") is False for p in parts):
                    return part_type.inner  # every part must accept null: one says it does not
                return part_type
        if is_object(schema):
            return self._nested_model(schema, ptr, ctx, hint)
        types = types_of(schema)
        nullable = "null" in types
        types = [t for t in types if t != "null"]
        if not types:
            typ: TypeExpr = Prim("None") if nullable and not types else Prim("Any")
            return typ
        variants = [self._simple(t, schema, ptr, ctx, hint) for t in types]
        typ = variants[0] if len(variants) == 1 else UnionOf(tuple(variants))
        return Nullable(typ) if nullable else typ


    def _simple(self, t: str, schema: dict[str, Any], ptr: str, ctx: Ctx, hint: str) -> TypeExpr:
        if t == "string":
            fmt = schema.get("format")
            if fmt == "byte":
                return Prim("str")
            return Prim(FORMATS.get(str(fmt), "str"))
        if t == "integer":
            return Prim("int")
        if t == "number":
            return Prim("float")
        if t == "boolean":
            return Prim("bool")
        if t == "array":
            prefix = schema.get("prefixItems")
            if isinstance(prefix, list):
                items = tuple(
                    self._type(p, join_pointer(ptr, "prefixItems", i), ctx, naming.singular(hint) + str(i), False)
                    for i, p in enumerate(prefix)
                )
                if schema.get("items") not in (None, False):
                    self._note(ptr, "items after prefixItems are not enforced (tuple of the prefix)")
                return TupleOf(items)
            items_schema = schema.get("items", {})
            item = self._type(items_schema, join_pointer(ptr, "items"), ctx, naming.singular(hint) or "Item", False)
            item_c = self._constraints(items_schema) if isinstance(items_schema, dict) else NO_CONSTRAINTS
            if item_c and not isinstance(item, Ref):
                item = Constrained(item, item_c)
            return ListOf(item)
        if t == "object":
            add = schema.get("additionalProperties", True)
            value: TypeExpr = Prim("Any")
            if isinstance(add, dict) and add:
                value = self._type(add, join_pointer(ptr, "additionalProperties"), ctx, hint + "Value", False)
                vc = self._constraints(add)
                if vc and not isinstance(value, Ref):
                    value = Constrained(value, vc)
            key: TypeExpr = Prim("str")
            names = schema.get("propertyNames")
            if isinstance(names, dict):
                kc = self._constraints({**names, "type": "string"})
                if kc:
                    key = Constrained(Prim("str"), kc)
            return MapOf(value, key)
        if t == "null":
            return Prim("None")
        self._error(ptr, f"unknown type {t!r}")
        return Prim("Any")

