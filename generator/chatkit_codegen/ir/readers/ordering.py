"""Module layout of the generated types: declarations in dependency order, and the
imports between modules that form a cycle (those are imported at the bottom)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..model import (
    Constrained,
    Decl,
    ListOf,
    MapOf,
    ModelDecl,
    Module,
    Nullable,
    Ref,
    TupleOf,
    TypeExpr,
    UnionOf,
)


def modules_of(decls: dict[str, Decl], members: dict[str, list[str]], module_top: dict[str, str]) -> tuple[Module, ...]:
    """One Module per module name that holds a declaration, sorted by name."""
    modules = []
    for module in sorted(members):
        keys = [k for k in members[module] if k in decls]
        if not keys:
            continue
        order = _dependency_order(decls, keys)
        modules.append(Module(name=module, top=module_top.get(module, keys[0]), decls=tuple(order)))
    return tuple(_mark_cycles(decls, modules))


def refs_in(typ: TypeExpr | None) -> list[str]:
    """Keys of the declarations a type names, in order of appearance."""
    out: list[str] = []
    stack: list[Any] = [typ]
    while stack:
        t = stack.pop()
        if t is None:
            continue
        if isinstance(t, Ref):
            out.append(t.key)
        elif isinstance(t, ListOf | Nullable):
            stack.append(t.item if isinstance(t, ListOf) else t.inner)
        elif isinstance(t, Constrained):
            stack.append(t.inner)
        elif isinstance(t, MapOf):
            stack.extend([t.value, t.key])
        elif isinstance(t, UnionOf | TupleOf):
            stack.extend(reversed(t.variants if isinstance(t, UnionOf) else t.items))
    return out


def decl_refs(decl: Decl) -> list[str]:
    if isinstance(decl, ModelDecl):
        out = list(decl.bases)
        for f in decl.fields:
            out.extend(refs_in(f.type))
        out.extend(refs_in(decl.extra_type))
        return out
    return refs_in(decl.type)


def _dependency_order(decls: dict[str, Decl], keys: list[str]) -> list[str]:
    """Post-order DFS from creation order: what a declaration names comes first."""
    members = set(keys)
    done: list[str] = []
    state: dict[str, int] = {}

    def visit(k: str) -> None:
        if state.get(k):
            return
        state[k] = 1
        for dep in decl_refs(decls[k]):
            if dep in members:
                visit(dep)
        state[k] = 2
        done.append(k)

    for k in keys:
        visit(k)
    return done


def _mark_cycles(decls: dict[str, Decl], modules: Iterable[Module]) -> list[Module]:
    """Find import cycles between modules; those imports go to the bottom of the file."""
    mods = list(modules)
    graph: dict[str, set[str]] = {}
    for m in mods:
        deps = set()
        for k in m.decls:
            for dep in decl_refs(decls[k]):
                dm = decls[dep].module if dep in decls else None
                if dm and dm != m.name:
                    deps.add(dm)
        graph[m.name] = deps
    # Tarjan's SCC, iterative-safe for our sizes via recursion limit guard
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on: set[str] = set()
    stack: list[str] = []
    comp_of: dict[str, int] = {}
    counter = [0, 0]

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            while True:
                w = stack.pop()
                on.discard(w)
                comp_of[w] = counter[1]
                if w == v:
                    break
            counter[1] += 1

    for v in sorted(graph):
        if v not in index:
            strong(v)
    out = []
    for m in mods:
        cyc = frozenset(d for d in graph[m.name] if comp_of.get(d) == comp_of.get(m.name))
        out.append(Module(m.name, m.top, m.decls, cyc))
    return out
