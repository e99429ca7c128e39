"""Object schemas: properties, required, allOf, additionalProperties, readOnly/writeOnly, defaults."""

from __future__ import annotations

from typing import Any

from ...load.document import join_pointer
from .. import naming
from ..model import (
    MISSING,
    FieldDecl,
    Ref,
    TypeExpr,
)
from .base import Ctx
from .declarations import DeclarationsLayer
from .schema import (
    COMPONENT_PREFIX,
    annotation_only,
    as_list,
    is_object,
    text,
    union_description,
)


class ObjectsLayer(DeclarationsLayer):
    def _object_parts(
        self, schema: dict[str, Any], ptr: str, ctx: Ctx
    ) -> tuple[list[FieldDecl], list[str], Any, TypeExpr | None]:
        props: dict[str, tuple[str, Any]] = {}
        required: set[str] = set()
        bases: list[str] = []
        extra: Any = "allow"
        extra_type: TypeExpr | None = None
        parts: list[tuple[str, Any]] = [(ptr, schema)]
        all_of = schema.get("allOf")
        for i, part in enumerate(all_of if isinstance(all_of, list) else []):
            pptr = join_pointer(ptr, "allOf", i)
            if isinstance(part, dict) and "$ref" in part and len(part) == 1:
                tptr, target = self._deref(part, pptr)
                if is_object(target) and tptr.startswith(COMPONENT_PREFIX):
                    ref = self._ref_type(tptr, ctx.shape, pptr)
                    if isinstance(ref, Ref):
                        bases.append(ref.key)
                        # inherited fields are declared by the base; only note requiredness
                        continue
                parts.append((tptr, target))
            else:
                parts.append(self._deref(part, pptr))
        for pptr, part in parts:
            if not isinstance(part, dict):
                continue
            self._check_keywords(part, pptr)
            properties = part.get("properties")
            for pname, pschema in properties.items() if isinstance(properties, dict) else ():
                props[str(pname)] = (join_pointer(pptr, "properties", str(pname)), pschema)
            names = part.get("required")
            required |= {str(r) for r in names} if isinstance(names, list) else set()  # a name twice: once
            add = part.get("additionalProperties")
            if add is False:
                extra = "forbid"
            elif isinstance(add, dict) and add:
                extra_type = self._type(add, join_pointer(pptr, "additionalProperties"), ctx, "Extra", named=False)
            self._note_ignored(part, pptr)
            if any(k in part for k in ("oneOf", "anyOf")) and pptr == ptr:
                self._note(pptr, "oneOf/anyOf beside properties is not enforced; the properties are generated")
        fields: list[FieldDecl] = []
        taken: set[str] = set()
        for wire, (fptr, fschema) in props.items():
            _, resolved = self._deref(fschema, fptr)
            read_only = bool(isinstance(resolved, dict) and resolved.get("readOnly")) or bool(
                isinstance(fschema, dict) and fschema.get("readOnly")
            )
            write_only = bool(isinstance(resolved, dict) and resolved.get("writeOnly")) or bool(
                isinstance(fschema, dict) and fschema.get("writeOnly")
            )
            if (ctx.shape == "request" and read_only) or (ctx.shape == "response" and write_only):
                continue
            fname = naming.dedupe([naming.field_name(wire)], taken)[0]
            fields.append(self._field(wire, fname, fptr, fschema, wire in required, ctx))
        return fields, bases, extra, extra_type

    def _field(
        self, wire: str, name: str, ptr: str, schema: Any, required: bool, ctx: Ctx
    ) -> FieldDecl:
        schema = schema if isinstance(schema, dict) else {}
        typ = self._type(schema, ptr, ctx, hint=wire, named=True)
        description = text(schema.get("description")) or union_description(schema) or _annotated_description(schema)
        if description is None and "$ref" in schema:
            _, target = self._deref(schema, ptr)
            if isinstance(target, dict) and not is_object(target) and "oneOf" not in target:
                description = text(target.get("description"))
        default = schema.get("default", MISSING)
        if default is MISSING and "$ref" in schema:
            _, target = self._deref(schema, ptr)
            if isinstance(target, dict):
                default = target.get("default", MISSING)
        return FieldDecl(
            wire_name=wire,
            name=name,
            type=typ,
            required=required,
            description=description,
            default=default,
            constraints=self._constraints(schema),
            deprecated=bool(schema.get("deprecated")),
            read_only=bool(schema.get("readOnly")),
            write_only=bool(schema.get("writeOnly")),
            pointer=ptr,
        )



def _annotated_description(schema: dict[str, Any]) -> str | None:
    """The description an inline ``allOf`` part gives (``[{$ref}, {description}]``)."""
    parts = [p for p in as_list(schema.get("allOf")) if isinstance(p, dict) and "$ref" not in p]
    for part in sorted(parts, key=lambda p: not annotation_only(p)):
        if text(part.get("description")):
            return text(part.get("description"))
    return None
