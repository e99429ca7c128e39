"""Markdown for IR types and declarations, in the reference page's notation.

``DocWriter`` prints one page at a time: field lists (``field: Optional[int]``, a
facts line ``optional · default 512 · minimum 1 · maximum 512``, the description),
``One of the following:`` lists for unions and enums, and nested classes in full under
the field that uses them, as the published reference does. Named types link to the
page (and anchor) that documents them; a class is anchored where it is first shown in
full on its own module's page. Every spec string passes through ``md_text``/``md_code``, descriptions
through ``md_blocks`` (CommonMark printed as safe Markdown).
"""

from __future__ import annotations

import json
import posixpath
from functools import lru_cache

from ..ir.model import (
    API,
    Constrained,
    Constraints,
    FieldDecl,
    JsonValue,
    ListOf,
    Lit,
    MapOf,
    ModelDecl,
    Nullable,
    Ref,
    TupleOf,
    TypeExpr,
    UnionOf,
)
from .markdown import md_blocks, md_code, md_text
from .pytypes import doc_type

INDENT = "    "  # Python-Markdown nests list content by four spaces
SEP = " · "  # separates the facts of a field on one line
MAX_DEPTH = 12  # nested expansions deeper than this are linked, not repeated
# A page shows the models its fields refer to in full, and theirs, until this many
# top-level models (the page's own included) are open along one path; further ones
# are links. Without a bound, a page of a large
# spec holds every model reachable from it and the docs grow quadratically.
MAX_MODEL_HOPS = 3

_CONSTRAINT_WORDS = {
    "ge": "minimum",
    "gt": "exclusive minimum",
    "le": "maximum",
    "lt": "exclusive maximum",
    "multiple_of": "multiple of",
    "min_length": "min length",
    "max_length": "max length",
}


def paragraphs(text: str | None) -> list[str]:
    """A spec description (CommonMark) as blocks of safe Markdown: see ``md_blocks``."""
    return list(md_blocks(text))


def json_text(value: JsonValue) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


def _num(value: int | float | str) -> str:
    return json.dumps(value) if not isinstance(value, str) else value


def constraint_facts(c: Constraints, prefix: str = "") -> list[str]:
    out = []
    for name, value in c.items():
        if name == "pattern":
            out.append(f"{prefix}pattern {md_code(str(value))}")
        else:
            out.append(f"{prefix}{_CONSTRAINT_WORDS[name]} {md_text(_num(value))}")
    return out


def inner_constraint_facts(t: TypeExpr) -> list[str]:
    """Constraints on map keys, map values and list items, e.g. ``keys: max length 64``."""
    out: list[str] = []
    if isinstance(t, Nullable):
        return inner_constraint_facts(t.inner)
    if isinstance(t, MapOf):
        if isinstance(t.key, Constrained):
            out += constraint_facts(t.key.constraints, "keys: ")
        if isinstance(t.value, Constrained):
            out += constraint_facts(t.value.constraints, "values: ")
    if isinstance(t, ListOf) and isinstance(t.item, Constrained):
        out += constraint_facts(t.item.constraints, "items: ")
    return out


def core_type(t: TypeExpr) -> TypeExpr:
    """What a field holds once Optional, List, Dict values and constraints are peeled off."""
    while True:
        if isinstance(t, Nullable | Constrained):
            t = t.inner
        elif isinstance(t, ListOf):
            t = t.item
        elif isinstance(t, MapOf):
            t = t.value
        else:
            return t


def page_of_module(module: str) -> str:
    return f"models/{module}.md"


@lru_cache(maxsize=65536)
def relative(from_page: str, to_page: str) -> str:
    """A relative link between two pages of the docs tree (both ``a/b.md`` style)."""
    if from_page == to_page:
        return ""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


class DocWriter:
    """Prints IR types and declarations as Markdown for one page at a time."""

    def __init__(self, api: API) -> None:
        self.api = api
        self.page = ""  # path of the page being written, relative to docs/
        self.anchored: set[str] = set()  # declaration keys anchored on this page
        # Top-level models already shown in full under this declaration: later uses
        # link instead, so diamond-shaped references cannot multiply the page size.
        self.expanded: set[str] = set()

    # -- types

    def link(self, key: str) -> str:
        decl = self.api.decls[key]
        target = relative(self.page, page_of_module(decl.module))
        return f"[{md_text(decl.name)}]({target}#{decl.name})"

    def type_md(self, t: TypeExpr | None) -> str:
        """``doc_type`` with every named type linked to its page."""
        if t is None:
            return "None"
        if isinstance(t, Ref):
            return self.link(t.key)
        if isinstance(t, ListOf):
            return f"List\\[{self.type_md(t.item)}\\]"
        if isinstance(t, TupleOf):
            return "Tuple\\[" + ", ".join(self.type_md(i) for i in t.items) + "\\]"
        if isinstance(t, MapOf):
            return f"Dict\\[{self.type_md(t.key)}, {self.type_md(t.value)}\\]"
        if isinstance(t, Nullable):
            return f"Optional\\[{self.type_md(t.inner)}\\]"
        if isinstance(t, Constrained):
            return self.type_md(t.inner)
        if isinstance(t, UnionOf):
            return "Union\\[" + ", ".join(self.type_md(v) for v in t.variants) + "\\]"
        return md_text(doc_type(self.api, t))

    def literal(self, value: str | int | float | bool | None) -> str:
        """One enum value as the page prints it: ``"active"``, ``1``, ``True``."""
        return doc_type(self.api, Lit((value,)))[len("Literal[") : -1]

    def field_type_md(self, f: FieldDecl) -> str:
        text = self.type_md(f.type)
        if not f.required and not isinstance(f.type, Nullable):
            text = f"Optional\\[{text}\\]"
        return text

    # -- facts

    def field_facts(self, decl: ModelDecl, f: FieldDecl) -> str:
        facts = ["*required*" if f.required else "*optional*"]
        if f.has_default:
            facts.append(f"default {md_code(json_text(f.default))}")
        facts += constraint_facts(f.constraints)
        facts += inner_constraint_facts(f.type)
        if decl.shape == "response" and f.name != f.wire_name:
            facts.append(f"JSON key {md_code(json_text(f.wire_name))}")
        if f.deprecated:
            facts.append("deprecated")
        if f.read_only:
            facts.append("read-only")
        if f.write_only:
            facts.append("write-only")
        return SEP.join(facts)

    # -- blocks of a nested list

    def anchor_for(self, key: str) -> str | None:
        """The anchor to attach where ``key`` is first shown on its own module's page."""
        decl = self.api.decls[key]
        if key in self.anchored or page_of_module(decl.module) != self.page:
            return None
        self.anchored.add(key)
        return decl.name

    def item(
        self, depth: int, head: str, anchor: str | None, body: list[str]
    ) -> list[str]:
        """A list item: ``head`` on the bullet line, then paragraphs/lists indented under it."""
        pad = INDENT * depth
        first = f"{pad}- {head}"
        if anchor:
            first += f"\n{pad}{INDENT}{{ #{anchor} }}"
        return [first, *body]

    def para(self, depth: int, text: str) -> str:
        """A block under a list item at ``depth``: every line indented (lists, code)."""
        pad = INDENT * (depth + 1)
        return "\n".join(f"{pad}{line}" if line else "" for line in text.split("\n"))

    def fields(self, decl: ModelDecl, depth: int, stack: tuple[str, ...]) -> list[str]:
        blocks: list[str] = []
        for f in decl.fields:
            name = f.name if decl.shape == "response" else f.wire_name
            head = f"{md_code(name)}: {self.field_type_md(f)}"
            core = core_type(f.type)
            # A nested class (or union) is anchored at the first field that shows it in full.
            shown = (
                isinstance(core, Ref)
                and core.key not in stack
                and depth + 1 <= MAX_DEPTH
            )
            anchor = (
                self.anchor_for(core.key) if isinstance(core, Ref) and shown else None
            )
            body = [self.para(depth, p) for p in paragraphs(f.description)]
            body.append(self.para(depth, self.field_facts(decl, f)))
            body += self.expand(f.type, depth + 1, stack)
            blocks += self.item(depth, head, anchor, body)
        return blocks

    def expand(self, t: TypeExpr, depth: int, stack: tuple[str, ...]) -> list[str]:
        """What a reader needs under a field of type ``t``: the nested fields or the choices."""
        core = core_type(t)
        if depth > MAX_DEPTH:
            return []
        if isinstance(core, Lit) and len(core.values) > 1:
            return self.one_of([md_code(self.literal(v)) for v in core.values], depth)
        if isinstance(core, UnionOf):
            return self.union(core, depth, stack)
        if not isinstance(core, Ref) or core.key in stack:
            return []
        decl = self.api.decls[core.key]
        stack = (*stack, core.key)
        if isinstance(decl, ModelDecl):
            if decl.owner is None:
                hops = sum(1 for key in stack if self.api.decls[key].owner is None)
                if core.key in self.expanded or hops > MAX_MODEL_HOPS:
                    return [self.para(depth - 1, f"See {self.link(core.key)}.")]
                self.expanded.add(core.key)
            return self.fields(decl, depth, stack)
        return self.expand(decl.type, depth, stack)

    def _seen_top_level(self, key: str, decl: ModelDecl, stack: tuple[str, ...]) -> bool:
        """Whether a top-level model met again on this page is linked, not shown: it is
        shown in full once per page, and not beyond ``MAX_MODEL_HOPS`` models deep
        (as a field's type is, in ``expand``)."""
        if decl.owner is not None:
            return False
        hops = 1 + sum(1 for k in stack if self.api.decls[k].owner is None)
        if key in self.expanded or hops > MAX_MODEL_HOPS:
            return True
        self.expanded.add(key)
        return False

    def one_of(self, heads: list[str], depth: int) -> list[str]:
        """``One of the following:`` and a tight list of the choices (enum values)."""
        pad = INDENT * depth
        return [f"{pad}One of the following:", "\n".join(f"{pad}- {h}" for h in heads)]

    def union(self, u: UnionOf, depth: int, stack: tuple[str, ...]) -> list[str]:
        blocks = [f"{INDENT * depth}One of the following:"]
        for v in u.variants:
            if isinstance(v, Ref) and isinstance(self.api.decls[v.key], ModelDecl):
                decl = self.api.decls[v.key]
                assert isinstance(decl, ModelDecl)
                head = md_code(f"class {decl.name}:")
                anchor = self.anchor_for(v.key) if v.key not in stack else None
                body = [self.para(depth, p) for p in paragraphs(decl.description)]
                if v.key not in stack and not self._seen_top_level(v.key, decl, stack):
                    body += self.fields(decl, depth + 1, (*stack, v.key))
                else:
                    body.append(self.para(depth, f"See {self.link(v.key)}."))
                blocks += self.item(depth, head, anchor, body)
            elif isinstance(v, Ref):
                anchor = self.anchor_for(v.key) if v.key not in stack else None
                blocks += self.item(
                    depth, self.link(v.key), anchor, self.expand(v, depth + 1, stack)
                )
            else:
                blocks += self.item(
                    depth,
                    md_code(doc_type(self.api, v)),
                    None,
                    self.expand(v, depth + 1, stack),
                )
        return blocks

    # -- whole declarations

    def signature(self, key: str) -> str:
        decl = self.api.decls[key]
        if isinstance(decl, ModelDecl):
            return md_code(f"class {decl.name}:")
        return md_code(doc_type(self.api, decl.type))

    def decl_blocks(self, key: str) -> list[str]:
        self.expanded = {key}
        decl = self.api.decls[key]
        if isinstance(decl, ModelDecl):
            return self.fields(decl, 0, (key,))
        return self.expand(decl.type, 0, (key,))
