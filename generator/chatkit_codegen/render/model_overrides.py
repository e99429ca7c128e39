"""Fields that redeclare an inherited field with a type the type checker rejects.

An ``allOf`` may narrow a field of its base in ways a Python class cannot: a pydantic
field's type must be a subtype of the base's (``Incompatible types in assignment``),
and a TypedDict key may not change its type nor whether it is required at all
(PEP 589). pydantic and TypedDict accept the redeclaration at run time, and the
document means it, so such a field is printed as written with an ignore comment for
exactly that error. The comparison works on the types as mypy sees them:
``Annotated`` is erased, aliases are resolved, unions and ``Literal`` are sets.
"""

from __future__ import annotations

from typing import cast

from ..ir.model import (
    API,
    AliasDecl,
    Constrained,
    FieldDecl,
    ListOf,
    Lit,
    MapOf,
    ModelDecl,
    Nullable,
    Prim,
    Ref,
    TupleOf,
    TypeExpr,
    UnionOf,
)

# A type as the checker sees it: an atom (a tuple) or a union of atoms (a frozenset).
Norm = tuple[object, ...] | frozenset[tuple[object, ...]]
_ANY: tuple[object, ...] = ("prim", "Any")
_NONE: tuple[object, ...] = ("prim", "None")
# Prim names whose values the checker also accepts where the second is expected.
_PROMOTIONS = {("int", "float"), ("bool", "int"), ("bool", "float"), ("datetime", "date")}

PYDANTIC_IGNORE = "# type: ignore[assignment]"
TYPEDDICT_IGNORE = "# type: ignore[misc]"


def override_comment(api: API, decl: ModelDecl, f: FieldDecl) -> str | None:
    """The ignore comment ``f`` of ``decl`` needs, or None."""
    inherited = _inherited(api, decl, f)
    if inherited is None:
        return None
    if decl.shape == "request":
        same = f.required == inherited.required and _equivalent(api, _norm(api, f.type), _norm(api, inherited.type))
        return None if same else TYPEDDICT_IGNORE
    sub, sup = _norm(api, _model_type(f)), _norm(api, _model_type(inherited))
    return None if _assignable(api, sub, sup) else PYDANTIC_IGNORE


def _model_type(f: FieldDecl) -> TypeExpr:
    """The annotation ``render.models`` prints for a pydantic field."""
    if not f.required and not (f.has_default and f.default is not None) and not isinstance(f.type, Nullable):
        return Nullable(f.type)
    return f.type


def _inherited(api: API, decl: ModelDecl, f: FieldDecl) -> FieldDecl | None:
    """The field of the same name that ``decl``'s bases define (first in MRO order)."""
    def key_of(x: FieldDecl) -> str:
        return x.wire_name if decl.shape == "request" else x.name

    seen: set[str] = set()
    stack = list(reversed(decl.bases))
    while stack:
        key = stack.pop()
        base = api.decls.get(key)
        if key in seen or not isinstance(base, ModelDecl):
            continue
        seen.add(key)
        for g in base.fields:
            if key_of(g) == key_of(f):
                return g
        stack.extend(reversed(base.bases))
    return None


def _ancestors(api: API, key: str) -> set[str]:
    out: set[str] = set()
    stack = [key]
    while stack:
        k = stack.pop()
        if k in out:
            continue
        out.add(k)
        d = api.decls.get(k)
        if isinstance(d, ModelDecl):
            stack.extend(d.bases)
    return out


def _norm(api: API, t: TypeExpr, aliases: frozenset[str] = frozenset()) -> Norm:
    if isinstance(t, Prim):
        return ("prim", t.name)
    if isinstance(t, Constrained):
        return _norm(api, t.inner, aliases)
    if isinstance(t, Nullable):
        return _union([_norm(api, t.inner, aliases), _NONE])
    if isinstance(t, Lit):
        return _union([_NONE if v is None else ("lit", type(v).__name__, v) for v in t.values])
    if isinstance(t, UnionOf):
        return _union([_norm(api, v, aliases) for v in t.variants])
    if isinstance(t, Ref):
        decl = api.decls.get(t.key)
        if isinstance(decl, AliasDecl) and t.key not in aliases:
            return _norm(api, decl.type, aliases | {t.key})
        return ("ref", t.key)
    if isinstance(t, ListOf):
        return ("list", _norm(api, t.item, aliases))
    if isinstance(t, TupleOf):
        return ("tuple", *(_norm(api, i, aliases) for i in t.items))
    if isinstance(t, MapOf):
        return ("dict", _norm(api, t.key, aliases), _norm(api, t.value, aliases))
    return _ANY


def _union(parts: list[Norm]) -> Norm:
    atoms: set[tuple[object, ...]] = set()
    for p in parts:
        atoms.update(p if isinstance(p, frozenset) else {p})
    if len(atoms) == 1:
        return next(iter(atoms))
    return frozenset(atoms)


def _assignable(api: API, sub: Norm, sup: Norm) -> bool:
    """Whether a value of ``sub`` may stand where ``sup`` is declared (mypy's subtyping)."""
    if sub == sup or sub == _ANY or sup == _ANY:
        return True
    if isinstance(sub, frozenset):
        return all(_assignable(api, s, sup) for s in sub)
    if isinstance(sup, frozenset):
        return _ANY in sup or any(_assignable(api, sub, s) for s in sup)
    kind = sub[0]
    if kind != sup[0] and not (kind == "lit" and sup[0] == "prim"):
        return False
    if kind == "prim":
        return (sub[1], sup[1]) in _PROMOTIONS
    if kind == "lit":
        if sup[0] == "lit":
            return False  # equal literals were caught above
        return sub[1] == sup[1] or (sub[1], sup[1]) in _PROMOTIONS
    if kind == "ref":
        return str(sup[1]) in _ancestors(api, str(sub[1]))
    if kind == "tuple":
        pairs = zip(_args(sub), _args(sup), strict=False)
        return len(sub) == len(sup) and all(_assignable(api, a, b) for a, b in pairs)
    # List and Dict are invariant
    return all(_equivalent(api, a, b) for a, b in zip(_args(sub), _args(sup), strict=True))


def _args(atom: tuple[object, ...]) -> list[Norm]:
    """The type arguments of a ``list``, ``tuple`` or ``dict`` atom."""
    return [cast(Norm, a) for a in atom[1:]]


def _equivalent(api: API, a: Norm, b: Norm) -> bool:
    return _assignable(api, a, b) and _assignable(api, b, a)
