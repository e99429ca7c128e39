"""oneOf/anyOf and discriminators."""

from __future__ import annotations

from typing import Any

from ...load.document import join_pointer
from .. import naming
from ..model import (
    Nullable,
    Prim,
    TypeExpr,
    UnionOf,
)
from .base import BuildBase, Ctx
from .objects import ObjectsLayer
from .schema import (
    has_null_type,
    is_object,
    needs_module,
)


class UnionsLayer(ObjectsLayer):
    def _union(self, schema: dict[str, Any], key: str, ptr: str, ctx: Ctx, hint: str) -> TypeExpr:
        raw = schema[key]
        nullable = False
        variants: list[tuple[str, Any]] = []
        for i, v in enumerate(raw):
            vptr = join_pointer(ptr, key, i)
            if isinstance(v, dict) and (v.get("type") == "null" or v.get("enum") == [None]):
                nullable = True
                continue
            variants.append((vptr, v))
        if has_null_type(schema):
            nullable = True
        if not variants:
            return Prim("None")
        if len(variants) == 1:
            vptr, v = variants[0]
            merged = v
            if isinstance(v, dict) and "$ref" not in v:
                merged = {**v}
                if "x-sdk-name" in schema and "x-sdk-name" not in merged:
                    merged["x-sdk-name"] = schema["x-sdk-name"]
            typ = self._type(merged, vptr, ctx, hint, True)
            return Nullable(typ) if nullable and not isinstance(typ, Nullable) else typ
        modelish = any(is_modelish(self, v, vptr) for vptr, v in variants)
        disc = schema.get("discriminator")
        prop = disc.get("propertyName") if isinstance(disc, dict) else None
        raw_mapping = disc.get("mapping") if isinstance(disc, dict) else None
        mapping: dict[str, str] = (
            {str(k): str(v) for k, v in raw_mapping.items()} if isinstance(raw_mapping, dict) else {}
        )

        def build() -> TypeExpr:
            alias_name = self._current_alias
            inner = ctx.nested(alias_name) if alias_name else ctx
            types: list[TypeExpr] = []
            tags: list[tuple[str, ...]] = []
            for idx, (vptr, v) in enumerate(variants):
                tag = ""
                explicit = mapped_tags(mapping, v) if mapping else ()
                if explicit:
                    tag = explicit[0]
                elif prop:
                    status, value = variant_tag(self, v, prop, vptr)
                    tag = str(value) if status == "ok" else ""
                tags.append(explicit or ((tag,) if tag else ()))
                vhint = naming.pascal(tag) if tag else f"Variant{idx}"
                types.append(self._type(v, vptr, inner, vhint, True))
            if mapping and prop and all(tags):
                return UnionOf(tuple(types), prop, tuple(tags))
            if mapping and prop:
                self._note(ptr, "discriminator mapping does not cover every variant; generated as a plain union")
                return UnionOf(tuple(types), None)
            return UnionOf(tuple(types), prop if prop else None)

        if modelish:
            typ = self._named_inline(schema, ptr, ctx, hint, build)
        else:
            self._current_alias = ""
            typ = build()
        return Nullable(typ) if nullable else typ



def is_modelish(builder: BuildBase, schema: Any, ptr: str) -> bool:
    if not isinstance(schema, dict):
        return False
    if builder._ref_of(schema, ptr) is not None:
        _, target = builder._deref(schema, ptr)
        return is_object(target) or needs_module(target)
    return is_object(schema)


def variant_tag(builder: BuildBase, variant: Any, prop: str, ptr: str) -> tuple[str, Any]:
    """('ok', value) when ``variant`` fixes ``prop`` to one value (its own properties
    or an ``allOf`` part's), else (reason, None). Names the variant; whether the
    discriminator holds is decided on the built IR (``soundness.py``)."""
    ptr, variant = builder._deref(variant, ptr)
    if not isinstance(variant, dict):
        return ("missing", None)
    all_of = variant.get("allOf")
    schemas = [variant, *(builder._deref(p, ptr)[1] for p in (all_of if isinstance(all_of, list) else []))]
    for s in schemas:
        props = s.get("properties") if isinstance(s, dict) else None
        if isinstance(props, dict) and prop in props:
            _, p = builder._deref(props[prop], ptr)
            if isinstance(p, dict):
                if "const" in p:
                    return ("ok", p["const"])
                enum = p.get("enum")
                if isinstance(enum, list) and len(enum) == 1:
                    return ("ok", enum[0])
            return ("not-const", None)
    return ("missing", None)


def mapped_tags(mapping: dict[str, str], variant: Any) -> tuple[str, ...]:
    """Tag values a discriminator mapping gives a ``$ref`` variant; with no explicit
    entry, OpenAPI's implicit tag is the component name."""
    if not isinstance(variant, dict) or not isinstance(variant.get("$ref"), str):
        return ()
    ref = variant["$ref"]
    name = ref.rsplit("/", 1)[-1]
    explicit = tuple(tag for tag, target in mapping.items() if target in (ref, name))
    return explicit or (name,)
