"""``docs/webhooks.md`` and ``docs/callbacks.md``: what the API sends to its user's server,
the payload models, how to parse them, and what the server should answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..ir.model import EventKind
from .docs_types import DocWriter, paragraphs
from .events import MODULES
from .markdown import md_code, md_text
from .pyfmt import py_str

if TYPE_CHECKING:
    from .context import RenderContext

TITLES: dict[EventKind, str] = {"webhook": "Webhooks", "callback": "Callbacks"}


@dataclass(frozen=True)
class EventDocView:
    title: str  # md-escaped
    anchor: str
    facts: list[str]  # bullet lines: method, URL expression, operation, payload
    description: list[str]  # paragraphs
    responses: list[str]  # bullet lines


@dataclass(frozen=True)
class EventsPageView:
    title: str
    intro: list[str]
    example: list[str]  # Python code lines
    events: list[EventDocView]


def events_page(ctx: RenderContext, kind: EventKind) -> EventsPageView | None:
    events = [e for e in ctx.api.events if e.kind == kind]
    if not events:
        return None
    writer = DocWriter(ctx.api)
    writer.page = f"{MODULES[kind]}.md"
    module = f"{ctx.pkg}.{MODULES[kind]}"
    views = []
    for e in events:
        facts = [f"Request: {md_code(e.method)}" + (f" to {md_code(e.expression)}" if e.expression else "")]
        if e.operation_id:
            facts.append(f"Registered by the operation {md_code(e.operation_id)}")
        if e.payload is not None:
            facts.append(f"Payload: {writer.type_md(e.payload.type)} ({md_code(e.payload.media_type)})")
            facts.append(f"Parse it with {md_code(f'{module}.{e.func_name}(body)')}")
        else:
            facts.append("No payload")
        responses = [f"{md_code(r.status)}: {md_text(r.description)}" for r in e.responses]
        views.append(
            EventDocView(
                title=md_text(e.name),
                anchor=e.func_name,
                facts=facts,
                description=paragraphs(e.summary)
                + paragraphs(e.description)
                + paragraphs(e.payload.description if e.payload else None),
                responses=responses,
            )
        )
    first = next((e for e in events if e.payload is not None), None)
    example = []
    if first is not None:
        example = [
            f"from {module} import parse_{kind}, {first.func_name}",
            "",
            f"payload = {first.func_name}(request_body)  # bytes, str or decoded JSON",
            f"payload = parse_{kind}({py_str(first.name)}, request_body)  # by its name in the document",
        ]
    intro = [
        md_text("Requests this API sends to your server. Each payload is a typed model; the functions of")
        + f" {md_code(module)} "
        + md_text(
            "validate a body as it arrived (bytes or str) or already decoded, and raise pydantic's "
            "ValidationError when it does not fit."
        )
    ]
    return EventsPageView(title=TITLES[kind], intro=intro, example=example, events=views)


def render_events_docs(ctx: RenderContext) -> dict[str, str]:
    out = {}
    for kind, module in MODULES.items():
        page = events_page(ctx, kind)
        if page is not None:
            text = ctx.render("docs/events.md.jinja", page=page)
            out[f"docs/{module}.md"] = text.rstrip("\n") + "\n"
    return out
