"""Checks that need the whole IR, run once every declaration is built.

- A discriminator must hold for pydantic: every variant a model (or a union of
  them) whose tag property is a ``Literal``, no tag value on two variants.
  Otherwise the union is generated plain (``Union[...]`` without
  ``Field(discriminator=...)``), with a warning.
- A ``default`` must fit its field or parameter (type, enum, constraints);
  otherwise it is not used as the default, with a warning.
- Aliases must end in a type: schemas that are only each other (``A: allOf [B]``,
  ``B: allOf [A]``) say nothing about a value, so they are read as any value,
  with a warning.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable
from typing import Any

from ..model import (
    MISSING,
    AliasDecl,
    Constrained,
    Constraints,
    Decl,
    FieldDecl,
    JsonValue,
    ListOf,
    Lit,
    MapOf,
    ModelDecl,
    Nullable,
    OperationDecl,
    ParamDecl,
    Prim,
    Ref,
    ResponseDecl,
    TupleOf,
    TypeExpr,
    UnionOf,
)

Warn = Callable[[str, str], None]


class Soundness:
    def __init__(self, decls: dict[str, Decl], warn: Warn) -> None:
        self.decls = decls
        self.warn = warn

    # ------------------------------------------------------------------ entry
    def run(self, operations: list[OperationDecl]) -> list[OperationDecl]:
        """Fix ``self.decls`` in place; return the operations, fixed."""
        self._break_alias_cycles()
        for key, decl in list(self.decls.items()):
            self.decls[key] = self._decl(decl)
        return [self._operation(op) for op in operations]

    def _break_alias_cycles(self) -> None:
        """Each alias whose chain of plain references comes back to itself: ``Any``."""
        cyclic: list[str] = []
        for key, decl in sorted(self.decls.items()):
            seen = [key]
            target = decl.type if isinstance(decl, AliasDecl) else None
            while isinstance(target, Ref) and target.key not in seen:
                seen.append(target.key)
                nxt = self.decls.get(target.key)
                target = nxt.type if isinstance(nxt, AliasDecl) else None
            if isinstance(target, Ref) and target.key == key:
                cyclic.append(key)
        for key in cyclic:
            decl = self.decls[key]
            assert isinstance(decl, AliasDecl)
            self.warn(decl.pointer, f"{decl.name!r} is only a reference to itself (through other schemas); read as any value")
            self.decls[key] = dataclasses.replace(decl, type=Prim("Any"))

    def _decl(self, decl: Decl) -> Decl:
        if isinstance(decl, AliasDecl):
            return dataclasses.replace(decl, type=self._type(decl.type, decl.pointer))
        extra = self._type(decl.extra_type, decl.pointer) if decl.extra_type is not None else None
        fields = tuple(self._field(f) for f in decl.fields)
        return dataclasses.replace(decl, fields=fields, extra_type=extra)

    def _field(self, f: FieldDecl) -> FieldDecl:
        typ = self._type(f.type, f.pointer)
        default = f.default
        if default is not MISSING and not (default is None and not f.required) and not self.fits(default, typ, f.constraints):
            self.warn(f.pointer + "/default", f"default {_short(default)} does not fit the field; not used as its default")
            default = MISSING
        return dataclasses.replace(f, type=typ, default=default)

    def _param(self, p: ParamDecl) -> ParamDecl:
        typ = self._type(p.type, p.pointer)
        default = p.default
        if default is not MISSING and not self.fits(default, typ, p.constraints):
            self.warn(p.pointer + "/schema/default", f"default {_short(default)} does not fit the parameter; not used")
            default = MISSING
        return dataclasses.replace(p, type=typ, default=default)

    def _operation(self, op: OperationDecl) -> OperationDecl:
        body = op.body
        if body is not None:
            body = dataclasses.replace(
                body, type=self._type(body.type, body.pointer), fields=tuple(self._field(f) for f in body.fields)
            )
        responses = tuple(self._response(r) for r in op.responses)
        success = next((r for r, old in zip(responses, op.responses, strict=True) if old is op.success), None)
        return dataclasses.replace(
            op, params=tuple(self._param(p) for p in op.params), body=body, responses=responses, success=success
        )

    def _response(self, r: ResponseDecl) -> ResponseDecl:
        return r if r.type is None else dataclasses.replace(r, type=self._type(r.type, r.pointer))

    # --------------------------------------------------------- discriminators
    def _type(self, t: TypeExpr, at: str) -> TypeExpr:
        if isinstance(t, ListOf):
            return ListOf(self._type(t.item, at))
        if isinstance(t, Nullable):
            return Nullable(self._type(t.inner, at))
        if isinstance(t, Constrained):
            return Constrained(self._type(t.inner, at), t.constraints)
        if isinstance(t, MapOf):
            return MapOf(self._type(t.value, at), t.key)
        if isinstance(t, TupleOf):
            return TupleOf(tuple(self._type(i, at) for i in t.items))
        if isinstance(t, UnionOf):
            variants = tuple(self._type(v, at) for v in t.variants)
            t = dataclasses.replace(t, variants=variants)
            if t.discriminator is not None:
                reason = self._why_not(t)
                if reason:
                    self.warn(at, f"discriminator {t.discriminator!r} does not hold ({reason}): generated as a plain union")
                    return UnionOf(variants)
        return t

    def _why_not(self, t: UnionOf) -> str | None:
        prop = t.discriminator or ""
        seen: dict[object, int] = {}
        if t.tags:  # an explicit mapping: any variant, tagged by its mapping entries
            for i, tags in enumerate(t.tags):
                for tag in tags:
                    if tag in seen:
                        return f"tag {tag!r} maps to variants {seen[tag]} and {i}"
                    seen[tag] = i
            return None
        for i, variant in enumerate(t.variants):
            values = self._tag_values(variant, prop, set())
            if isinstance(values, str):
                return f"variant {i} {values}"
            for value in values:
                key = (type(value).__name__, value)
                if key in seen:
                    return f"tag {value!r} is on variants {seen[key]} and {i}"
                seen[key] = i
        return None

    def _tag_values(self, t: TypeExpr, prop: str, stack: set[str]) -> tuple[object, ...] | str:
        """The Literal values ``t`` gives ``prop``, or why it gives none."""
        if not isinstance(t, Ref) or t.key not in self.decls or t.key in stack:
            return "is not an object"
        decl = self.decls[t.key]
        if isinstance(decl, AliasDecl):
            inner = decl.type
            if isinstance(inner, UnionOf) and inner.discriminator is None:
                return "is a union without that tag"
            if isinstance(inner, UnionOf):
                out: list[object] = []
                for v in inner.variants:
                    values = self._tag_values(v, prop, stack | {t.key})
                    if isinstance(values, str):
                        return values
                    out.extend(values)
                return tuple(out)
            return self._tag_values(inner, prop, stack | {t.key})
        field = self._find_field(decl, prop, set())
        if field is None:
            return f"has no {prop!r} property"
        lit = self._literal(field.type, set())
        if lit is None:
            return f"does not fix {prop!r} to constant values"
        return lit.values

    def _find_field(self, decl: ModelDecl, wire: str, seen: set[str]) -> FieldDecl | None:
        for f in decl.fields:
            if f.wire_name == wire:
                return f
        for base in decl.bases:
            parent = self.decls.get(base)
            if isinstance(parent, ModelDecl) and base not in seen:
                found = self._find_field(parent, wire, seen | {base})
                if found is not None:
                    return found
        return None

    def _literal(self, t: TypeExpr, seen: set[str]) -> Lit | None:
        if isinstance(t, Lit):
            return t if t.values else None
        if isinstance(t, Ref) and t.key not in seen:
            decl = self.decls.get(t.key)
            if isinstance(decl, AliasDecl):
                return self._literal(decl.type, seen | {t.key})
        return None

    # --------------------------------------------------------------- defaults
    def fits(self, value: JsonValue, t: TypeExpr, c: Constraints | None = None, seen: frozenset[str] = frozenset()) -> bool:
        """Whether ``value`` is valid for ``t`` (and the constraints ``c``)."""
        if c and not _within(value, c):
            return False
        if isinstance(t, Prim):
            return _prim_fits(value, t.name)
        if isinstance(t, Lit):
            return any(type(value) is type(v) and value == v for v in t.values) or (
                isinstance(value, int | float) and not isinstance(value, bool)
                and any(isinstance(v, int | float) and not isinstance(v, bool) and v == value for v in t.values)
            )
        if isinstance(t, Nullable):
            return value is None or self.fits(value, t.inner, None, seen)
        if isinstance(t, Constrained):
            return self.fits(value, t.inner, t.constraints, seen)
        if isinstance(t, ListOf):
            return isinstance(value, list) and all(self.fits(v, t.item, None, seen) for v in value)
        if isinstance(t, TupleOf):
            return isinstance(value, list) and len(value) == len(t.items) and all(
                self.fits(v, i, None, seen) for v, i in zip(value, t.items, strict=True)
            )
        if isinstance(t, MapOf):
            return isinstance(value, dict) and all(self.fits(v, t.value, None, seen) for v in value.values())
        if isinstance(t, UnionOf):
            return any(self.fits(value, v, None, seen) for v in t.variants)
        if isinstance(t, Ref):
            decl = self.decls.get(t.key)
            if decl is None or t.key in seen:
                return True
            if isinstance(decl, AliasDecl):
                return self.fits(value, decl.type, None, seen | {t.key})
            return isinstance(value, dict)
        return True


def _prim_fits(value: Any, name: str) -> bool:
    if name == "Any":
        return True
    if name == "None":
        return value is None
    if name == "bool":
        return isinstance(value, bool)
    if name == "int":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
    if name == "float":
        return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return isinstance(value, str)  # str, bytes, datetime, date, UUID: strings in JSON


def _within(value: Any, c: Constraints) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        checks = [
            c.ge is None or value >= c.ge,
            c.gt is None or value > c.gt,
            c.le is None or value <= c.le,
            c.lt is None or value < c.lt,
        ]
        return all(checks) and _multiple(value, c.multiple_of)
    if isinstance(value, str | list):
        if c.min_length is not None and len(value) < c.min_length:
            return False
        if c.max_length is not None and len(value) > c.max_length:
            return False
    if isinstance(value, str) and c.pattern is not None:
        try:
            return re.search(c.pattern, value) is not None
        except re.error:
            return True  # a pattern Python cannot read is reported where it is used
    return True


def _multiple(value: int | float, of: int | float | None) -> bool:
    if not of:
        return True
    try:
        return float(value / of).is_integer()
    except (OverflowError, ZeroDivisionError):
        return True  # too large to tell: trusted


def _short(value: JsonValue) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."

