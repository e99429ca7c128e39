"""``webhooks.py`` and ``callbacks.py``: parse what the API sends to its user's server.

One function per webhook (or callback) takes the request body as it arrived
(``bytes`` or ``str``) or as decoded JSON, and returns the typed payload;
``parse_webhook(name, body)`` (``parse_callback``) dispatches by the name in the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..ir.model import EventDecl, EventKind
from .pyfmt import LINE_LENGTH, Node, adapter_lines, docstring, flat, layout, py_str
from .pytypes import Imports, TypePrinter

if TYPE_CHECKING:
    from .context import RenderContext

MODULES: dict[EventKind, str] = {"webhook": "webhooks", "callback": "callbacks"}
BODY = "Union[bytes, str, Mapping[str, Any]]"


@dataclass(frozen=True)
class EventView:
    func: str
    name_literal: str  # the event's name in the document, as a Python literal
    signature: list[str]  # the ``def`` line(s)
    doc: list[str]  # docstring lines
    adapter_lines: list[str]  # ``_<func> = TypeAdapter(...)`` with its annotation
    adapter: str
    json: bool  # False: a raw (bytes or text) body is validated as it is, not decoded


def _summary(event: EventDecl) -> str:
    if event.kind == "webhook":
        first = f"Parse the body of the ``{event.name}`` webhook ({event.method})."
    else:
        owner = f", registered by ``{event.operation_id}``" if event.operation_id else ""
        first = f"Parse the body of the ``{event.name}`` callback ({event.method} ``{event.expression}``{owner})."
    parts = [first]
    for text in (event.summary, event.description, event.payload.description if event.payload else None):
        if text:
            parts += ["", text]
    return "\n".join(parts)


def _signature(func: str, returns: str) -> list[str]:
    """The ``def`` line, or black's exploded form (with its trailing comma) when too long."""
    one = f"def {func}(body: {BODY}) -> {returns}:"
    if len(one) <= LINE_LENGTH:
        return [one]
    return [f"def {func}(", f"    body: {BODY},", f") -> {returns}:"]


def event_views(ctx: RenderContext, kind: EventKind) -> tuple[list[EventView], Imports]:
    imports = Imports()
    for module, name in (("typing", "Any"), ("typing", "Union"), ("typing", "Callable"), ("typing", "TypeVar"), ("collections.abc", "Mapping"), ("pydantic", "TypeAdapter")):
        imports.add(module, name)
    printer = TypePrinter(ctx.api, "", imports, local_prefix=".types.")
    views = []
    for event in ctx.api.events:
        if event.kind != kind or event.payload is None:
            continue
        typ = printer.node(event.payload.type)
        adapter = f"_{event.func_name.removeprefix('parse_')}_adapter"
        views.append(
            EventView(
                func=event.func_name,
                name_literal=py_str(event.name),
                signature=_signature(event.func_name, flat(typ)),
                doc=docstring(_summary(event), 4),
                # black splits the right-hand side first
                adapter_lines=adapter_lines(adapter, typ),
                adapter=adapter,
                json=event.payload.kind == "json",
            )
        )
    return views, imports


def render_events(ctx: RenderContext) -> dict[str, str]:
    out: dict[str, str] = {}
    for kind, module in MODULES.items():
        views, imports = event_views(ctx, kind)
        if not views:
            continue
        names = [py_str(v.func) for v in views] + [py_str(f"parse_{kind}")]
        out[f"{ctx.pkg}/{module}.py"] = ctx.render(
            "package/events.py.jinja",
            kind=kind,
            events=views,
            body=BODY,
            imports=imports.lines(),
            all_lines=layout("__all__ = ", Node("", "[", names, "]"), "", 0),
        )
    return out
