"""Printing IR types as Python annotations, collecting the imports they need."""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Iterable

from ..ir.model import (
    API,
    Constrained,
    Constraints,
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
from .pyfmt import Node, flat, kw, py_literal, py_str

_PRIM_IMPORTS = {
    "datetime": ("datetime", "datetime"),
    "date": ("datetime", "date"),
    "UUID": ("uuid", "UUID"),
    "Any": ("typing", "Any"),
}
TYPING_EXT = {"Annotated", "Literal", "Required", "TypeAlias", "TypedDict"}


class Imports:
    """``from module import name`` lines, grouped and sorted like isort/ruff."""

    def __init__(self) -> None:
        self.names: dict[str, set[str]] = {}
        self.aliases: dict[str, set[str]] = {}  # re-exports: from .x import X as X

    def add(self, module: str, name: str) -> None:
        self.names.setdefault(module, set()).add(name)

    def add_reexport(self, module: str, name: str) -> None:
        self.aliases.setdefault(module, set()).add(name)

    def lines(self, *, stdlib_first: bool = True) -> list[list[str]]:
        """Import blocks (stdlib, third party, local), each a list of statements."""
        groups: dict[int, list[str]] = {-1: [], 0: [], 1: [], 2: []}
        for module in sorted(set(self.names) | set(self.aliases), key=_module_key):
            if module == "__future__":
                group = -1
            else:
                group = 2 if module.startswith(".") else 0 if module.split(".")[0] in _STDLIB else 1
            names = sorted(self.names.get(module, ()), key=_name_key)
            if names:
                groups[group].append(_from_import(module, names))
            for name in sorted(self.aliases.get(module, ()), key=_name_key):
                line = f"from {module} import {name} as {name}"
                if len(line) > 88:
                    line = f"from {module} import (\n    {name} as {name},\n)"
                groups[group].append(line)
        return [groups[g] for g in (-1, 0, 1, 2) if groups[g]]


_STDLIB = {*sys.stdlib_module_names, "collections.abc"}


NaturalKey = tuple[tuple[int, int], ...]


@functools.cache  # the same module and class names sort in every file
def natural_key(text: str) -> NaturalKey:
    """ruff's isort order for names (the ``natord`` crate): runs of digits compare as
    numbers, so ``param_3`` sorts before ``param_22``; every other character by code."""
    return tuple((ord("0"), int(run)) if run.isdigit() else (ord(run), 0) for run in _RUNS.findall(text))


_RUNS = re.compile(r"[0-9]+|[^0-9]", re.ASCII)


def _module_key(module: str) -> tuple[int, NaturalKey, NaturalKey]:
    # isort: for relative imports, deeper parents first ("..x" before ".x")
    dots = len(module) - len(module.lstrip("."))
    name = module.lstrip(".")
    return (-dots, natural_key(name.lower()), natural_key(name))


def _name_key(name: str) -> tuple[int, NaturalKey, NaturalKey]:
    """Constants, then classes, then the rest; within each, case-insensitively first."""
    if name.isupper() and len(name) > 1:
        rank = 0
    elif name[:1].isupper():
        rank = 1
    else:
        rank = 2
    return (rank, natural_key(name.lower()), natural_key(name))


def _from_import(module: str, names: list[str]) -> str:
    line = f"from {module} import {', '.join(names)}"
    if len(line) <= 88:
        return line
    body = "\n".join(f"    {n}," for n in names)
    return f"from {module} import (\n{body}\n)"


class TypePrinter:
    """Prints types for one module; names from other modules are imported."""

    def __init__(self, api: API, module_path: str, imports: Imports, *, local_prefix: str = ".") -> None:
        self.api = api
        self.module = module_path  # the IR module name this file renders, or "" for others
        self.imports = imports
        self.local_prefix = local_prefix  # how this file reaches the types package
        self.quoted: set[str] = set()  # keys that must be quoted (not yet defined)
        self.runtime_prefix = ".."  # how this file reaches _models.py (override outside types/)
        self.lazy_modules: frozenset[str] = frozenset()
        # Keys printed as ``module.Name`` (their module imported from the types
        # package): nested names that clash with another name used in this file.
        self.qualified: frozenset[str] = frozenset()

    def name(self, key: str) -> str:
        decl = self.api.decls[key]
        if key in self.qualified:
            self.imports.add(self.local_prefix.rstrip(".") or ".", decl.module)
            return f"{decl.module}.{decl.name}"
        if decl.module != self.module and decl.module not in self.lazy_modules:
            self.imports.add(f"{self.local_prefix}{decl.module}", decl.name)
        return decl.name

    def node(self, t: TypeExpr, *, eager: bool = False) -> Node | str:
        """A layout node for ``t``; ``eager`` quotes names not defined yet (aliases)."""
        if isinstance(t, Prim):
            if t.name in _PRIM_IMPORTS:
                mod, nm = _PRIM_IMPORTS[t.name]
                self.imports.add(mod, nm)
            return t.name
        if isinstance(t, Lit):
            self.imports.add("typing_extensions", "Literal")
            return Node("Literal", "[", [py_literal(v) for v in t.values], "]")
        if isinstance(t, Ref):
            name = self.name(t.key)
            decl = self.api.decls[t.key]
            if eager and (t.key in self.quoted or decl.module in self.lazy_modules):
                return py_str(name)
            return name
        if isinstance(t, ListOf):
            self.imports.add("typing", "List")
            return Node("List", "[", [self.node(t.item, eager=eager)], "]")
        if isinstance(t, TupleOf):
            self.imports.add("typing", "Tuple")
            return Node("Tuple", "[", [self.node(i, eager=eager) for i in t.items] or ["()"], "]")
        if isinstance(t, MapOf):
            self.imports.add("typing", "Dict")
            return Node("Dict", "[", [self.node(t.key, eager=eager), self.node(t.value, eager=eager)], "]")
        if isinstance(t, Nullable):
            self.imports.add("typing", "Optional")
            return Node("Optional", "[", [self.node(t.inner, eager=eager)], "]")
        if isinstance(t, Constrained):
            self.imports.add("typing_extensions", "Annotated")
            return Node("Annotated", "[", [self.node(t.inner, eager=eager), self.field_call(t.constraints)], "]")
        if isinstance(t, UnionOf):
            self.imports.add("typing", "Union")
            if t.tags and t.discriminator:
                return self._mapped_union(t, eager)
            union = Node("Union", "[", [self.node(v, eager=eager) for v in t.variants], "]")
            if t.discriminator:
                self.imports.add("typing_extensions", "Annotated")
                self.imports.add("pydantic", "Field")
                return Node(
                    "Annotated",
                    "[",
                    [union, Node("Field", "(", [kw("discriminator", py_str(t.discriminator))], ")")],
                    "]",
                )
            return union
        raise TypeError(f"unknown type expression {t!r}")

    def _mapped_union(self, t: UnionOf, eager: bool) -> Node:
        """A union tagged by an explicit mapping: pydantic's callable discriminator
        with one ``Tag`` per variant (the variants' tag fields need not be Literal)."""
        self.imports.add("typing", "Union")
        self.imports.add("typing_extensions", "Annotated")
        self.imports.add("pydantic", "Discriminator")
        self.imports.add("pydantic", "Tag")
        self.imports.add(f"{self.runtime_prefix}_models", "mapping_discriminator")
        variants: list[Node | str] = []
        table: list[Node | str] = []
        for variant, tags in zip(t.variants, t.tags, strict=True):
            variants.append(Node("Annotated", "[", [self.node(variant, eager=eager), Node("Tag", "(", [py_str(tags[0])], ")")], "]"))
            table.extend(Node(f"{py_str(tag)}: ", "", [py_str(tags[0])], "", atom=True) for tag in tags)
        call = Node(
            "mapping_discriminator",
            "(",
            [py_str(t.discriminator or ""), Node("", "{", table, "}")],
            ")",
        )
        return Node(
            "Annotated",
            "[",
            [Node("Union", "[", variants, "]"), Node("Discriminator", "(", [call], ")")],
            "]",
        )

    def text(self, t: TypeExpr, *, eager: bool = False) -> str:
        return flat(self.node(t, eager=eager))

    def field_call(self, constraints: Constraints, extra: Iterable[Node] = ()) -> Node:
        self.imports.add("pydantic", "Field")
        items: list[Node | str] = list(extra)
        for name, value in constraints.items():
            items.append(kw(name, py_literal(value)))
        return Node("Field", "(", items, ")")


def doc_type(
    api: API,
    t: TypeExpr | None,
    constraints: Callable[[Constraints], str] | None = None,
) -> str:
    """The reference page's notation: ``Optional[Dict[str, Union[str, bool, float]]]``.

    With ``constraints``, constraints nested inside a type are shown as
    ``Annotated[str, <constraints(c)>]`` (the breaking-change report needs them).
    """

    def sub(inner: TypeExpr) -> str:
        return doc_type(api, inner, constraints)

    if t is None:
        return "None"
    if isinstance(t, Prim):
        return t.name
    if isinstance(t, Lit):
        return "Literal[" + ", ".join(_doc_lit(v) for v in t.values) + "]"
    if isinstance(t, Ref):
        return api.decls[t.key].name
    if isinstance(t, ListOf):
        return f"List[{sub(t.item)}]"
    if isinstance(t, TupleOf):
        return "Tuple[" + ", ".join(sub(i) for i in t.items) + "]"
    if isinstance(t, MapOf):
        return f"Dict[{sub(t.key)}, {sub(t.value)}]"
    if isinstance(t, Nullable):
        return f"Optional[{sub(t.inner)}]"
    if isinstance(t, Constrained):
        if constraints is None:
            return sub(t.inner)
        return f"Annotated[{sub(t.inner)}, {constraints(t.constraints)}]"
    if isinstance(t, UnionOf):
        return "Union[" + ", ".join(sub(v) for v in t.variants) + "]"
    return "Any"


def _doc_lit(v: object) -> str:
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return py_literal(v)
