"""Response ``links`` on method pages: which value of a response feeds which method.

A link (``API.links``, read by ``ir/events.py``) is printed under the method whose
response has it, as a list item like a parameter: the link's name and the method it
leads to (linked to that method's section when the document has it, found by
``operationId`` or by a local ``operationRef``), its description, then its facts: the
response status, each target parameter (by its Python name when the target has it)
with the runtime expression that gives its value, and the request body's expression.
Every spec string goes through ``md_code`` (names, expressions) or ``md_blocks``
(descriptions), like the rest of the docs.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from ..ir.model import API, LinkDecl, OperationDecl
from .docs_types import SEP, paragraphs, relative
from .markdown import md_code


@dataclass(frozen=True)
class MethodRef:
    """Where a method's section is: its page (``methods/pets.md``) and anchor."""

    page: str
    anchor: str
    op: OperationDecl


@dataclass(frozen=True)
class LinkItem:
    """One link, printed by the ``params`` macro: head, description blocks, facts."""

    head: str
    facts: str
    description: tuple[str, ...]


def link_items(api: API, op: OperationDecl, page: str, targets: dict[str, MethodRef]) -> list[LinkItem]:
    """The links of ``op``'s responses, in document order; ``targets`` maps operation
    pointers to their sections and ``page`` is the page being written."""
    by_id = {ref.op.operation_id: ref for ref in targets.values()}
    return [_item(link, page, _target(link, targets, by_id)) for link in api.links if link.operation == op.pointer]


def _target(link: LinkDecl, targets: dict[str, MethodRef], by_id: dict[str, MethodRef]) -> MethodRef | None:
    if link.target_operation_id is not None:
        return by_id.get(link.target_operation_id)
    ref = link.target_ref or ""  # a URI fragment: {braces} may be percent-encoded
    return targets.get(unquote(ref[1:])) if ref.startswith("#/") else None


def _item(link: LinkDecl, page: str, target: MethodRef | None) -> LinkItem:
    if target is not None:
        href = relative(page, target.page) + "#" + target.anchor
        leads_to = f"[{md_code(target.op.sdk_path)}]({href})"
    else:
        named = link.target_operation_id or link.target_ref or ""
        leads_to = f"{md_code(named)} (not a method of this client)" if named else "no operation named"
    facts = [f"{md_code(link.status)} response"]
    for name, expression in link.parameters:
        facts.append(f"{md_code(_param_name(name, target))} = {md_code(expression)}")
    if link.request_body is not None:
        facts.append(f"body = {md_code(link.request_body)}")
    return LinkItem(
        head=f"{md_code(link.name)} → {leads_to}",
        facts=SEP.join(facts),
        description=tuple(paragraphs(link.description)),
    )


def _param_name(name: str, target: MethodRef | None) -> str:
    """The Python name of the target's parameter ``name`` (``path.petId`` or ``petId``)."""
    if target is None:
        return name
    location, _, wire = name.partition(".")
    if location not in ("path", "query", "header", "cookie") or not wire:
        location, wire = "", name
    for p in target.op.params:
        if p.wire_name == wire and location in ("", p.location):
            return p.name
    return name
