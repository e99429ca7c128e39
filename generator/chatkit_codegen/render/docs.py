"""The Markdown reference under ``docs/``: an index, one page per resource, one per model.

Everything is computed here from the IR and handed to ``templates/docs/*.md.jinja``
as view records; the templates only arrange blocks. Every string from the spec goes
through ``md_text``/``md_code``, descriptions (CommonMark) through ``md_blocks`` /
``md_cell``, which print them again as a safe subset of Markdown (or into a fenced
code block, JSON or Python that ``pyfmt`` escaped), so spec text can style the page
but neither break the Markdown nor inject HTML.

Notation follows the published reference page: ``field: Optional[int]``, method
signatures like ``beta.chatkit.threads.list(ThreadListParams **kwargs) ->
SyncConversationCursorPage[ChatKitThread]``, ``One of the following:`` lists for
unions and enums, and nested classes shown in full under the field that uses them.

Layout of the tree (MkDocs builds its navigation from it, ``methods/`` before
``models/``): ``docs/index.md``, ``docs/methods/<resource path>.md`` and
``docs/models/<module>.md``. Anchors are explicit: a model's is its class name, a
method's its Python name, and a method's sub-headings ``<method>-<section>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ir.model import API, ModelDecl, OperationDecl
from .context import RenderContext
from .docs_links import MethodRef
from .docs_methods import CodeBlock, MethodView, MethodWriter
from .docs_types import DocWriter, page_of_module, paragraphs
from .markdown import md_cell, md_code, md_first, md_text


@dataclass(frozen=True)
class ResourceView:
    path: str  # docs/methods/<x>.md
    key: str  # beta.chatkit.sessions
    title: str
    description: list[str]
    methods: list[MethodView]

    @property
    def index_rows(self) -> list[list[str]]:
        return [[f"[{m.title}](#{m.anchor})", m.http_line] for m in self.methods]


@dataclass(frozen=True)
class ModelPageView:
    path: str
    title: str
    anchor: str
    import_line: str
    signature: str
    description: list[str]
    blocks: list[str]  # pre-indented Markdown blocks of the field list
    extra: list[tuple[str, str, list[str]]] = field(
        default_factory=list
    )  # nested decls not shown inline


# --------------------------------------------------------------------------- pages


def resource_key(op: OperationDecl) -> str:
    return ".".join(op.resource)


def resource_title(api: API, ops: list[OperationDecl]) -> str:
    """The tag all of a resource's operations share (``ChatKit Sessions``), else its name."""
    tags = {op.tags[0] for op in ops if op.tags}
    if len(tags) == 1 and all(op.tags for op in ops):
        return tags.pop()
    return " ".join(w.capitalize() for w in ops[0].resource[-1].split("_"))


def group_title(parts: tuple[str, ...], child_titles: list[str]) -> str:
    """A parent resource's title: the words its children's titles start with (``ChatKit``)."""
    split = [t.split() for t in child_titles]
    common: list[str] = []
    if len(split) > 1:
        for words in zip(*split, strict=False):
            if len(set(words)) != 1:
                break
            common.append(words[0])
    shortest = min(len(s) for s in split)
    if common and len(common) < shortest:
        return " ".join(common)
    return ".".join(parts)


@dataclass(frozen=True)
class IndexResource:
    link: str
    description: list[str]
    methods: list[list[str]]  # link, signature, HTTP line


@dataclass(frozen=True)
class IndexGroup:
    title: str
    path: str
    resources: list[IndexResource]


def _resources(api: API) -> dict[str, list[OperationDecl]]:
    by_resource: dict[str, list[OperationDecl]] = {}
    for op in api.operations:
        by_resource.setdefault(resource_key(op), []).append(op)
    return by_resource


def _method_anchors(ops: list[OperationDecl]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for op in ops:
        n = seen.get(op.method_name, 0)
        seen[op.method_name] = n + 1
        out.append(op.method_name if n == 0 else f"{op.method_name}_{n + 1}")
    return out


def resource_pages(ctx: RenderContext, writer: DocWriter) -> list[ResourceView]:
    api = ctx.api
    tag_text = dict(api.tags)
    resources = sorted(_resources(api).items())
    targets = {
        op.pointer: MethodRef(f"methods/{key}.md", a, op)
        for key, ops in resources
        for op, a in zip(ops, _method_anchors(ops), strict=True)
    }
    methods = MethodWriter(api, writer, ctx.pkg, ctx.cfg.client_name, ctx.cfg.api_key_env, targets)
    views = []
    for key, ops in resources:
        writer.page = f"methods/{key}.md"
        writer.anchored = set()
        title = resource_title(api, ops)
        desc = paragraphs(tag_text.get(title)) if title in tag_text else []
        views.append(
            ResourceView(
                path=writer.page,
                key=key,
                title=md_text(title),
                description=desc,
                methods=[
                    methods.view(op, a)
                    for op, a in zip(ops, _method_anchors(ops), strict=True)
                ],
            )
        )
    return views


def model_pages(ctx: RenderContext, writer: DocWriter) -> list[ModelPageView]:
    api = ctx.api
    views = []
    for module in api.modules:
        top = api.decls[module.top]
        writer.page = page_of_module(module.name)
        writer.anchored = {module.top}
        blocks = writer.decl_blocks(module.top)
        extra = []
        for key in module.decls:
            if key not in writer.anchored:  # a nested declaration no field showed
                writer.anchored.add(key)
                decl = api.decls[key]
                extra.append(
                    (
                        md_text(decl.name),
                        decl.name,
                        [
                            writer.signature(key),
                            *paragraphs(decl.description),
                            *writer.decl_blocks(key),
                        ],
                    )
                )
        views.append(
            ModelPageView(
                path=writer.page,
                title=md_text(top.name),
                anchor=top.name,
                import_line=f"from {ctx.pkg}.types import {top.name}",
                signature=writer.signature(module.top),
                description=paragraphs(top.description)
                + (["Deprecated."] if top.deprecated else []),
                blocks=blocks,
                extra=extra,
            )
        )
    return views


def index_view(
    ctx: RenderContext, resources: list[ResourceView]
) -> tuple[list[IndexGroup], list[list[str]]]:
    api = ctx.api
    groups: dict[str, list[ResourceView]] = {}
    for r in resources:
        groups.setdefault(r.key.rpartition(".")[0], []).append(r)
    out = []
    for parent, members in groups.items():
        title = (
            group_title(
                tuple(parent.split(".")) if parent else (), [m.title for m in members]
            )
            if parent
            else ""
        )
        entries = []
        for r in members:
            entries.append(
                IndexResource(
                    link=f"[{r.title}]({r.path})",
                    description=r.description,
                    methods=[
                        [
                            f"[{m.title}]({r.path}#{m.anchor})",
                            md_code(m.signature),
                            m.http_line,
                        ]
                        for m in r.methods
                    ],
                )
            )
        out.append(
            IndexGroup(
                title=title, path=md_code(parent) if parent else "", resources=entries
            )
        )
    models = []
    for module in api.modules:
        decl = api.decls[module.top]
        kind = (
            "model"
            if isinstance(decl, ModelDecl) and decl.shape == "response"
            else "params"
            if isinstance(decl, ModelDecl)
            else decl.kind
        )
        models.append(
            [
                f"[{md_text(decl.name)}]({page_of_module(module.name)}#{decl.name})",
                kind,
                md_first(decl.description),
            ]
        )
    return out, models


def _comment(header: str) -> str:
    text = header.lstrip("# ").replace("--", "- -")
    return f"<!-- {text} -->"


def render_docs(ctx: RenderContext) -> dict[str, str]:
    api = ctx.api
    writer = DocWriter(api)
    comment = _comment(ctx.header)
    out: dict[str, str] = {}
    resources = resource_pages(ctx, writer)
    template = ctx.env.get_template("docs/resource.md.jinja")
    for r in resources:
        out[f"docs/{r.path}"] = template.render(r=r, comment=comment)
    template = ctx.env.get_template("docs/model.md.jinja")
    for m in model_pages(ctx, writer):
        out[f"docs/{m.path}"] = template.render(m=m, comment=comment)
    groups, models = index_view(ctx, resources)
    server_lines = [
        f"{md_code(s.url)}" + (f": {md_cell(s.description)}" if s.description else "")
        for s in api.servers
    ]
    out["docs/index.md"] = ctx.env.get_template("docs/index.md.jinja").render(
        comment=comment,
        title=md_text(api.title),
        description=paragraphs(api.description),
        version=md_code(api.version),
        openapi=md_code(api.openapi),
        servers=server_lines,
        usage=CodeBlock(
            "python",
            [
                f"from {ctx.pkg} import {ctx.cfg.client_name}",
                "",
                f"client = {ctx.cfg.client_name}()",
            ],
        ),
        groups=groups,
        models=models,
    )
    return {path: text.rstrip("\n") + "\n" for path, text in out.items()}
