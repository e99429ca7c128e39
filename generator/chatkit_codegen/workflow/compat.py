"""Type compatibility between two versions of the IR, for ``chatkit-codegen diff``.

``Compat(old, new).sub(a, b)`` answers "is every value of ``a`` (an old type) also a
value of ``b`` (a new type)?" — or the other way round with ``sub(b, a, flip=True)``.
Input positions (request fields, parameters) must not narrow: ``sub(old, new)``.
Output positions (response fields, return types) must not widen: ``sub(new, old)``.

Named models compare by their import path (``module.Name``): what changed inside a
model is reported at the model itself, not at every field that refers to it. The same
goes for named aliases (enums, unions) with the same name; an alias compared with a
different type is expanded.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ir.model import (
    API,
    NO_CONSTRAINTS,
    AliasDecl,
    Constrained,
    Constraints,
    Decl,
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

NONE = Prim("None")
ANY = Prim("Any")
LitValue = str | int | float | bool | None


def qualname(decl: Decl) -> str:
    """A declaration's import path below ``types``: ``chatkit_thread.StatusActive``."""
    return f"{decl.module}.{decl.name}"


def lit_key(value: LitValue) -> tuple[str, str]:
    # 1, 1.0 and True are equal in Python but distinct JSON values.
    return (type(value).__name__, repr(value))


def lit_values(t: TypeExpr) -> list[LitValue] | None:
    """The values of a Literal type (through ``Optional``), or None if ``t`` is not one."""
    inner = t.inner if isinstance(t, Nullable) else t
    if isinstance(inner, Lit):
        return list(inner.values)
    return None


def _prim_of(value: LitValue) -> str:
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    return "str"


_PRIM_SUB = {("int", "float")}  # pydantic and type checkers accept an int for a float


def _lower(c: Constraints) -> tuple[float, bool] | None:
    if c.gt is not None and (c.ge is None or c.gt >= c.ge):
        return (c.gt, True)
    if c.ge is not None:
        return (c.ge, False)
    return None


def _upper(c: Constraints) -> tuple[float, bool] | None:
    if c.lt is not None and (c.le is None or c.lt <= c.le):
        return (c.lt, True)
    if c.le is not None:
        return (c.le, False)
    return None


def constraints_sub(a: Constraints, b: Constraints) -> bool:
    """Does every value satisfying ``a`` satisfy ``b``?"""
    bl, al = _lower(b), _lower(a)
    if bl is not None:
        if al is None or al[0] < bl[0] or (al[0] == bl[0] and bl[1] and not al[1]):
            return False
    bu, au = _upper(b), _upper(a)
    if bu is not None:
        if au is None or au[0] > bu[0] or (au[0] == bu[0] and bu[1] and not au[1]):
            return False
    if b.min_length is not None and (a.min_length is None or a.min_length < b.min_length):
        return False
    if b.max_length is not None and (a.max_length is None or a.max_length > b.max_length):
        return False
    if b.pattern is not None and a.pattern != b.pattern:
        return False
    if b.multiple_of is not None:
        m, n = a.multiple_of, b.multiple_of
        if m is None:
            return False
        if m != n and not (isinstance(m, int) and isinstance(n, int) and n != 0 and m % n == 0):
            return False
    return True


@dataclass
class Compat:
    old: API
    new: API

    def sub(self, a: TypeExpr, b: TypeExpr, *, flip: bool = False) -> bool:
        """Every value of ``a`` is a value of ``b``; ``a`` is from the old API unless ``flip``."""
        left, right = (self.new, self.old) if flip else (self.old, self.new)
        return _Sub(left, right).sub(a, b)

    def equivalent(self, a: TypeExpr, b: TypeExpr) -> bool:
        return self.sub(a, b) and self.sub(b, a, flip=True)


class _Sub:
    def __init__(self, left: API, right: API) -> None:
        self.left = left
        self.right = right
        self.seen: set[tuple[str, str]] = set()  # Ref pairs being compared (a stack)

    def _alias(self, api: API, t: TypeExpr) -> AliasDecl | None:
        if isinstance(t, Ref):
            decl = api.decls[t.key]
            if isinstance(decl, AliasDecl):
                return decl
        return None

    def _push(self, api: API, t: TypeExpr) -> TypeExpr:
        """Constraints on an alias, ``Optional`` or union apply to each of its members."""
        if not isinstance(t, Constrained):
            return t
        inner, c = t.inner, t.constraints
        alias = self._alias(api, inner)
        if alias is not None:
            inner = alias.type
        if isinstance(inner, Nullable):
            return Nullable(Constrained(inner.inner, c))
        if isinstance(inner, UnionOf):
            return UnionOf(tuple(Constrained(v, c) for v in inner.variants), inner.discriminator, inner.tags)
        return Constrained(inner, c)

    def sub(self, a: TypeExpr, b: TypeExpr) -> bool:
        a, b = self._push(self.left, a), self._push(self.right, b)
        if b == ANY:
            return True
        if isinstance(a, Ref) and isinstance(b, Ref):
            da, db = self.left.decls[a.key], self.right.decls[b.key]
            if qualname(da) == qualname(db) and type(da) is type(db):
                return True
            pair = (a.key, b.key)
            if pair in self.seen:  # recursive aliases: assume what we are proving
                return True
            self.seen.add(pair)
            try:
                return self._expand(a, b)
            finally:
                self.seen.discard(pair)
        return self._expand(a, b)

    def _expand(self, a: TypeExpr, b: TypeExpr) -> bool:
        alias = self._alias(self.left, a)
        if alias is not None:
            return self.sub(alias.type, b)
        if isinstance(a, Nullable):
            return self.sub(NONE, b) and self.sub(a.inner, b)
        if isinstance(a, UnionOf):
            return all(self.sub(v, b) for v in a.variants)
        if isinstance(a, Lit) and len(a.values) != 1:
            return all(self.sub(Lit((v,)), b) for v in a.values)
        alias = self._alias(self.right, b)
        if alias is not None:
            return self.sub(a, alias.type)
        if isinstance(b, Nullable):
            return self.sub(a, NONE) or self.sub(a, b.inner)
        if isinstance(b, UnionOf):
            return any(self.sub(a, v) for v in b.variants)
        return self._atom(a, b)

    def _atom(self, a: TypeExpr, b: TypeExpr) -> bool:
        if isinstance(a, Constrained) or isinstance(b, Constrained):
            ai, ac = (a.inner, a.constraints) if isinstance(a, Constrained) else (a, NO_CONSTRAINTS)
            bi, bc = (b.inner, b.constraints) if isinstance(b, Constrained) else (b, NO_CONSTRAINTS)
            return constraints_sub(ac, bc) and self.sub(ai, bi)
        if isinstance(a, Prim) and isinstance(b, Prim):
            return a.name == b.name or (a.name, b.name) in _PRIM_SUB
        if isinstance(a, Lit):
            (value,) = a.values
            if isinstance(b, Lit):
                return lit_key(value) in {lit_key(v) for v in b.values}
            if isinstance(b, Prim):
                return (_prim_of(value), b.name) in _PRIM_SUB or _prim_of(value) == b.name
            return False
        if isinstance(a, Ref) and isinstance(b, Ref):
            return False  # different models (same-named ones matched above)
        if isinstance(a, ListOf) and isinstance(b, ListOf):
            return self.sub(a.item, b.item)
        if isinstance(a, TupleOf) and isinstance(b, TupleOf):
            return len(a.items) == len(b.items) and all(
                self.sub(x, y) for x, y in zip(a.items, b.items, strict=True)
            )
        if isinstance(a, MapOf) and isinstance(b, MapOf):
            return self.sub(a.key, b.key) and self.sub(a.value, b.value)
        return False
