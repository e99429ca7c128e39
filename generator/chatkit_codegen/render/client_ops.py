"""One operation as Python: its parameters, request builder and resource methods.

Everything a template prints for an operation is decided here, from the IR only:
path parameters are positional, everything else keyword-only (required first, in
spec order); an object body (JSON, form or multipart) becomes one keyword per
property, typed with the request TypedDicts, binary multipart properties taking a
``FileInput``; constant parameters (``OpenAI-Beta``) are always sent and are not
parameters. Array parameters follow their ``style``/``explode``: exploded ones
repeat the key, the others are joined (``join_values``). Annotations use
``Optional``/``Union`` so the generated package reads the same on Python 3.9.

Objects travel in the style the document gives them (``ir/support.py`` decides
what is supported, before anything is rendered): deepObject and exploded form
objects as ``QueryPairs`` (``object_query``), non-exploded ones and header or
cookie objects joined (``join_object``), ``label``/``matrix`` paths and non-scalar
path values through ``expand_path``. Nothing here refuses a construct.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import quote

from ..errors import SPEC_FILE, CodegenError, Level, Problem
from ..ir import naming
from ..ir.model import (
    API,
    MISSING,
    AliasDecl,
    Constrained,
    JsonValue,
    ListOf,
    ModelDecl,
    Nullable,
    OperationDecl,
    ParamDecl,
    Prim,
    Ref,
    TypeExpr,
    media_essence,
)
from ..ir.support import (
    FORM_MEDIA,
    MULTIPART_MEDIA,
    field_encoding,
    raw_body_type,
    separator,
    value_shape,
)
from .client_retries import (
    explicit_default,
    idempotency_header,
    idempotent_doc,
    takes_idempotent,
)
from .pyfmt import Node, docstring, kw, layout, py_str
from .pytypes import TypePrinter

PLACEHOLDER = re.compile(r"\{([^{}]+)\}")

# Names the generated function bodies and signatures use; a spec parameter called
# like one of them gets a trailing underscore instead of shadowing it.
BODY_NAMES = frozenset(
    {
        "self",
        "cls",
        "extra_headers",
        "timeout",
        "max_retries",
        "idempotent",
        "APIRequest",
        "NOT_GIVEN",
        "NotGiven",
        "format_path",
        "merge_headers",
        "strip_not_given",
        "optional_body",
        "NoneType",
        "join_values",
        "json_text",
        "join_object",
        "object_query",
        "expand_path",
        "FileInput",
    }
)
__all__ = ["FORM_MEDIA", "MULTIPART_MEDIA", "raw_body_type"]

ParamKind = Literal["path", "query", "header", "cookie", "field", "file", "body", "content"]
BodyKind = Literal["none", "fields", "whole", "form", "multipart", "content"]

EXTRA_HEADERS_DOC = "Headers sent with this request, over the generated ones."
TIMEOUT_DOC = "Override the client's timeout for this request, in seconds."
MAX_RETRIES_DOC = "Override the client's maximum number of retries for this request."


def problem(op: OperationDecl, message: str, pointer: str = "") -> CodegenError:
    """A located error about ``op``; ``pointer`` narrows it to a parameter or body.

    Kept for renderers outside this module; the client's wire decisions are all
    made (and reported together) by ``ir.support.check_support``."""
    return CodegenError([Problem(SPEC_FILE, 1, 1, Level.ERROR, pointer or op.pointer, message)])


@dataclass(frozen=True)
class ParamView:
    """One Python parameter of a builder (and of the resource methods)."""

    name: str
    wire: str
    kind: ParamKind
    type: TypeExpr
    required: bool
    doc: str | None
    separator: str | None = None  # an array sent as one delimited value
    annotation: str | None = None  # instead of the type's (file fields: FileInput)
    style: str = ""  # the parameter's style, for objects and non-simple paths
    explode: bool = False
    shape: str = "scalar"  # ir.support.ValueShape of the value
    json_text: bool = False  # sent as JSON text (ParamDecl.json_text)

    def lines(self, printer: TypePrinter, indent: int = 4) -> list[str]:
        """The parameter as black prints it inside an exploded signature at ``indent``."""
        annotation = self.annotation or printer.node(self.type)
        if self.required:
            return layout(f"{self.name}: ", annotation, ",", indent)
        ann = Node("Union", "[", [annotation, "NotGiven"], "]")
        return layout(f"{self.name}: ", ann, " = NOT_GIVEN,", indent)


@dataclass
class FunctionView:
    """A function or method: pre-laid-out lines, relative to its own indentation."""

    name: str
    is_async: bool
    params: list[str]  # one or more lines per parameter, each ending in ","
    returns: list[str]  # ") -> X:" (possibly wrapped)
    doc: list[str]
    body: list[str]


@dataclass
class OperationView:
    """An operation's parameters and the names its generated code refers to."""

    op: OperationDecl
    builder: str
    positional: list[ParamView]
    keywords: list[ParamView]
    fixed_headers: list[tuple[str, str]]
    fixed_query: list[tuple[str, str]]
    body_kind: BodyKind
    body_required: bool
    idempotent_param: bool
    errors: list[tuple[str, TypeExpr]] = field(default_factory=list)  # status -> body type
    anonymous: bool = False  # sent without credentials (``security: []``)
    uses: set[str] = field(default_factory=set)  # runtime helpers the builder calls

    @property
    def params(self) -> list[ParamView]:
        return [*self.positional, *self.keywords]

    def param_docs(self) -> list[tuple[str, str]]:
        return [(p.name, p.doc) for p in self.params if p.doc]


# ----------------------------------------------------------------------------- types


def _alias_target(api: API, t: TypeExpr) -> TypeExpr:
    """``t`` without constraints and named aliases around it (nullability kept)."""
    while True:
        if isinstance(t, Constrained):
            t = t.inner
        elif isinstance(t, Ref) and isinstance(api.decls.get(t.key), AliasDecl):
            decl = api.decls[t.key]
            assert isinstance(decl, AliasDecl)
            t = decl.type
        else:
            return t


def file_annotation(api: API, t: TypeExpr) -> str | None:
    """``FileInput`` for a binary property (``list[FileInput]`` for an array of them)."""
    t = _alias_target(api, t)
    if isinstance(t, Prim) and t.name == "bytes":
        return "FileInput"
    if isinstance(t, ListOf):
        item = file_annotation(api, t.item)
        return f"List[{item}]" if item == "FileInput" else None
    if isinstance(t, Nullable):
        inner = file_annotation(api, t.inner)
        return f"Optional[{inner}]" if inner else None
    return None


def accept_header(op: OperationDecl) -> str | None:
    """The Accept header the builder sends: the success media type, unless that is
    plain JSON (the client's default) or the spec declares an Accept parameter."""
    success = op.success
    if success is None or success.media_type is None or media_essence(success.media_type) == "application/json":
        return None
    if any(p.wire_name.lower() == "accept" for p in op.params_in("header")):
        return None
    return success.media_type


def wire_text(value: JsonValue) -> str:
    """A constant parameter value as it is sent: booleans as true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def quote_path(path: str) -> str:
    """Percent-encode the literal parts of a path template, keeping ``{name}``."""
    safe = "/!$&'()*+,;=:@-._~"
    out: list[str] = []
    last = 0
    for match in PLACEHOLDER.finditer(path):
        out.append(quote(path[last : match.start()], safe=safe))
        out.append(match.group(0))
        last = match.end()
    out.append(quote(path[last:], safe=safe))
    return "".join(out)


# ------------------------------------------------------------------------ operations


def operation_view(api: API, op: OperationDecl, reserved: set[str]) -> OperationView:
    """Python parameters of ``op``; ``reserved`` are names its bodies refer to."""
    taken = set(BODY_NAMES) | reserved
    positional: list[ParamView] = []
    required: list[ParamView] = []
    optional: list[ParamView] = []
    fixed_headers: list[tuple[str, str]] = []
    fixed_query: list[tuple[str, str]] = []

    def claim(name: str) -> str:
        name = naming.param_name(name)
        while name in taken:
            name += "_"
        taken.add(name)
        return name

    path_params = {p.wire_name: p for p in op.params_in("path")}
    placeholders = [w for w in dict.fromkeys(PLACEHOLDER.findall(op.path)) if w in path_params]
    for wire in placeholders:
        p = path_params[wire]
        positional.append(
            ParamView(
                claim(p.name), wire, "path", p.type, True, p.description,
                style=p.style, explode=p.explode, shape=value_shape(api, p.type),
            )
        )

    def add(view: ParamView) -> None:
        (required if view.required else optional).append(view)

    body_kind: BodyKind = "none"
    body = op.body
    if body is not None:
        decl = api.decls.get(body.type.key) if isinstance(body.type, Ref) else None
        is_object = isinstance(decl, ModelDecl) and bool(body.fields)
        if body.kind in ("form", "multipart") and is_object:
            body_kind = "form" if body.kind == "form" else "multipart"
        elif body.kind not in ("json", "form", "multipart") and raw_body_type(api, body) is not None:
            body_kind = "content"
            fixed_headers.append(("Content-Type", body.media_type))
        else:  # JSON (anything else was refused by ir.support before rendering)
            body_kind = "fields" if is_object else "whole"
        if body_kind == "whole":
            add(ParamView(claim("body"), "", "body", body.type, body.required, body.description))
        if body_kind == "content":
            raw = raw_body_type(api, body)
            add(ParamView(claim("body"), "", "content", body.type, body.required, body.description, annotation=raw))
        for f in body.fields if body_kind not in ("whole", "content") else ():
            needed = f.required and body.required
            files = file_annotation(api, f.type) if body_kind == "multipart" else None
            if files is not None:
                add(ParamView(claim(f.name), f.wire_name, "file", f.type, needed, f.description, annotation=files))
                continue
            encoding = field_encoding(body, f.wire_name) if body_kind == "form" else None
            style, explode = encoding or ("", False)
            shape = value_shape(api, f.type)
            add(ParamView(claim(f.name), f.wire_name, "field", f.type, needed, f.description, style=style, explode=explode, shape=shape))
    for location in ("query", "header", "cookie"):
        for p in op.params_in(location):
            if p.const is not MISSING:
                (fixed_headers if location == "header" else fixed_query).append((p.wire_name, wire_text(p.const)))
                continue
            shape = value_shape(api, p.type)
            kind: ParamKind = location
            add(
                ParamView(
                    claim(p.name), p.wire_name, kind, p.type, p.required, _param_doc(p),
                    separator=None if p.json_text else _separator(p, shape), style=p.style,
                    explode=p.explode, shape=shape, json_text=p.json_text,
                )
            )
    accept = accept_header(op)
    if accept is not None and "accept" not in {name.lower() for name, _ in fixed_headers}:
        fixed_headers.append(("Accept", accept))
    view = OperationView(
        op=op,
        builder=op.name,
        positional=positional,
        keywords=[*required, *optional],
        fixed_headers=fixed_headers,
        fixed_query=fixed_query,
        body_kind=body_kind,
        body_required=body is not None and body.required,
        idempotent_param=takes_idempotent(op),
        errors=error_types(op),
        anonymous=api.auth is not None and not op.authenticated,
    )
    if any(p.annotation == "FileInput" or p.kind == "file" for p in view.params):
        view.uses.add("FileInput")
    if any(p.annotation and "List[" in p.annotation for p in view.params):
        view.uses.add("List")
    return view


def error_types(op: OperationDecl) -> list[tuple[str, TypeExpr]]:
    """The JSON bodies the operation declares for its errors, by status key."""
    out: list[tuple[str, TypeExpr]] = []
    for r in op.responses:
        if r is op.success or r.type is None or r.status.startswith("2"):
            continue
        if r.kind == "json":
            out.append((r.status.upper() if r.status != "default" else r.status, r.type))
    return out


def _separator(p: ParamDecl, shape: str) -> str | None:
    """How an array parameter travels: None repeats the key, else the join separator."""
    if shape != "array" or p.style == "deepObject":
        return None
    if p.location == "query" and p.explode:
        return None
    return separator(p.style)


def _param_doc(p: ParamDecl) -> str | None:
    text = p.description
    if p.deprecated:
        text = (text + " " if text else "") + "Deprecated."
    return text


def _doc(summary: str | None, args: list[tuple[str, str]], indent: int) -> list[str]:
    parts: list[str] = []
    if summary:
        parts.append(summary)
    if args:
        if parts:
            parts.append("")
        parts.append("Args:")
        for i, (name, text) in enumerate(args):
            if i:
                parts.append("")
            parts.append(f"  {name}: {' '.join(text.split())}")
    return docstring("\n".join(parts), indent, keep_indent=True)


def _signature(printer: TypePrinter, self_param: bool, view: OperationView, extra: list[tuple[str, str]]) -> list[str]:
    """The parameter lines of a module function (``self_param`` False, its parameters
    at column 4) or of a method (at column 8), without that indentation."""
    indent = 8 if self_param else 4
    lines: list[str] = ["self,"] if self_param else []
    for p in view.positional:
        lines.extend(line[indent:] for line in p.lines(printer, indent))
    lines.append("*,")
    for p in view.keywords:
        lines.extend(line[indent:] for line in p.lines(printer, indent))
    for name, text in extra:
        lines.append(f"{name}: {text},")
    return lines


def _returns(annotation: Node | str, indent: int = 0) -> list[str]:
    """``) -> annotation:`` as black prints it at ``indent``, without that indentation."""
    return [line[indent:] for line in layout(") -> ", annotation, ":", indent)]


# --------------------------------------------------------------------------- builder


def builder_function(view: OperationView, printer: TypePrinter, type_ref: Callable[[TypeExpr], str]) -> FunctionView:
    """``def name(path..., *, keywords..., extra_headers, [idempotent]) -> APIRequest``.

    ``type_ref`` names a type at run time (a class, or a module-level TypeAdapter).
    """
    op = view.op
    extra = [("extra_headers", "Optional[Mapping[str, str]] = None")]
    if view.idempotent_param:
        extra.append(("idempotent", "Optional[bool] = None"))
    text = op.summary or op.sdk_path
    if op.description and op.description != op.summary:
        text += "\n\n" + op.description
    text += f"\n\n``{op.method} {op.path}``, sent by ``{op.sdk_path}``."
    if op.deprecated:
        text += "\n\nDeprecated."
    args = [*view.param_docs(), ("extra_headers", EXTRA_HEADERS_DOC)]
    if view.idempotent_param:
        args.append(("idempotent", idempotent_doc(op)))
    items: list[Node | str] = [py_str(op.method), _path_expr(view)]
    query: list[tuple[str, Node | str]] = [(py_str(w), py_str(v)) for w, v in view.fixed_query]
    query += _values(view, "query")
    if query:
        items.append(kw("query", _dict(query)))
    headers: list[tuple[str, Node | str]] = [(py_str(w), py_str(v)) for w, v in view.fixed_headers]
    headers += _values(view, "header")
    view.uses.update({"APIRequest", "merge_headers"})
    sources: list[Node | str] = [_dict(headers), "extra_headers"] if headers else ["extra_headers"]
    items.append(kw("headers", Node("merge_headers", "(", sources, ")")))
    fields: list[tuple[str, Node | str]] = [(py_str(p.wire), _field_value(view, p)) for p in view.keywords if p.kind == "field"]
    if view.body_kind == "fields":
        helper = "strip_not_given" if view.body_required else "optional_body"
        view.uses.add(helper)
        items.append(kw("json", Node(helper, "(", [_dict(fields)], ")")))
    elif view.body_kind == "whole":
        items.append(kw("json", next(p.name for p in view.keywords if p.kind == "body")))
    default = explicit_default(op)
    if view.idempotent_param and default is not None:  # the spec's x-idempotent
        items.append(kw("idempotent", f"{default} if idempotent is None else idempotent"))
    elif view.idempotent_param:
        items.append(kw("idempotent", "idempotent"))
    elif default is not None:
        items.append(kw("idempotent", str(default)))
    key_header = idempotency_header(op)
    if key_header is not None:  # retried by default, with a generated key
        items.append(kw("idempotency_header", py_str(key_header)))
    if view.anonymous:
        items.append(kw("authenticated", "False"))
    cookies = _values(view, "cookie")
    if cookies:
        items.append(kw("cookies", _dict(cookies)))
    if view.body_kind in ("form", "multipart"):
        items.append(kw("form", _dict(fields)))
    if view.body_kind == "content":
        items.append(kw("content", next(p.name for p in view.keywords if p.kind == "content")))
    if view.body_kind == "multipart":
        files: list[tuple[str, Node | str]] = [(py_str(p.wire), p.name) for p in view.keywords if p.kind == "file"]
        items.append(kw("files", _dict(files)))
    if view.errors:
        items.append(kw("error_types", _dict([(py_str(status), type_ref(t)) for status, t in view.errors])))
    call = Node("APIRequest", "(", items, ")")
    return FunctionView(
        name=view.builder,
        is_async=False,
        params=_signature(printer, False, view, extra),
        returns=_returns("APIRequest"),
        doc=_doc(text, args, 4),
        body=[line[4:] for line in layout("return ", call, "", 4)],
    )


def _dict(entries: list[tuple[str, Node | str]]) -> Node:
    return Node("", "{", [Node(f"{k}: ", "", [v], "", atom=True) for k, v in entries], "}")


def _values(view: OperationView, kind: ParamKind) -> list[tuple[str, Node | str]]:
    """``"wire": value`` entries of one location: joined arrays call ``join_values``,
    objects ``object_query`` (query) or ``join_object`` (headers, cookies)."""
    out: list[tuple[str, Node | str]] = []
    for p in view.keywords:
        if p.kind != kind:
            continue
        value: Node | str = p.name
        if p.json_text:
            view.uses.add("json_text")
            value = Node("json_text", "(", [p.name], ")")
        elif p.separator is not None:
            view.uses.add("join_values")
            value = Node("join_values", "(", [p.name, py_str(p.separator)], ")")
        elif kind == "query" and (p.shape in ("object", "deep") or (p.shape == "array" and p.style == "deepObject")):
            view.uses.add("object_query")
            args: list[Node | str] = [p.name, py_str(p.wire), py_str(p.style), str(p.explode)]
            value = Node("object_query", "(", args, ")")
        elif kind in ("header", "cookie") and p.shape == "object":
            view.uses.add("join_object")
            value = Node("join_object", "(", [p.name, str(p.explode and kind == "header")], ")")
        out.append((py_str(p.wire), value))
    return out


def _field_value(view: OperationView, p: ParamView) -> Node | str:
    """A url-encoded property with an ``encoding`` style is encoded like a query
    parameter of that style; without one the runtime's defaults apply (arrays of
    scalars repeat the key, objects use bracket notation)."""
    if not p.style or p.shape == "scalar":
        return p.name
    if p.shape == "array" and p.style != "deepObject":
        if p.explode:
            return p.name
        view.uses.add("join_values")
        return Node("join_values", "(", [p.name, py_str(separator(p.style))], ")")
    view.uses.add("object_query")
    return Node("object_query", "(", [p.name, py_str(p.wire), py_str(p.style), str(p.explode)], ")")


def _path_value(view: OperationView, p: ParamView) -> Node | str:
    """A scalar ``simple`` value goes to ``format_path`` as it is; anything else is
    expanded in its style first (``expand_path``)."""
    if p.style in ("", "simple") and p.shape == "scalar":
        return p.name
    view.uses.add("expand_path")
    return Node("expand_path", "(", [py_str(p.wire), p.name, py_str(p.style), str(p.explode)], ")")


def _path_expr(view: OperationView) -> Node | str:
    template = quote_path(view.op.wire_path)
    if not view.positional:
        return py_str(template)
    view.uses.add("format_path")
    values = _dict([(py_str(p.wire), _path_value(view, p)) for p in view.positional])
    return Node("format_path", "(", [py_str(template), values], ")")


# -------------------------------------------------------------------------- methods


@dataclass(frozen=True)
class MethodTarget:
    """What a resource method does with the request: parse, paginate, stream or go raw."""

    returns: Node | str  # the annotation after "->"
    call: str  # "self._client.request", "SyncXPage.fetch", "Stream", ...
    cast: str | None  # cast_to=... (request / request_raw); the event type of a stream
    item: str | None  # the item type argument of a page's fetch()
    response_format: str | None = None  # "text" / "binary": not a JSON body
    stream: bool = False  # call(send_request(..., stream=True), cast)


def resource_method(
    view: OperationView, printer: TypePrinter, name: str, target: MethodTarget, *, is_async: bool
) -> FunctionView:
    op = view.op
    extra = [
        ("extra_headers", "Optional[Mapping[str, str]] = None"),
        ("timeout", "Union[TimeoutTypes, NotGiven] = NOT_GIVEN"),
        ("max_retries", "Union[int, NotGiven] = NOT_GIVEN"),
    ]
    if view.idempotent_param:
        extra.append(("idempotent", "Optional[bool] = None"))
    text = op.description or op.summary or f"``{op.method} {op.path}``."
    if op.deprecated:
        text += "\n\nDeprecated."
    args = [*view.param_docs(), ("extra_headers", EXTRA_HEADERS_DOC), ("timeout", TIMEOUT_DOC), ("max_retries", MAX_RETRIES_DOC)]
    if view.idempotent_param:
        args.append(("idempotent", idempotent_doc(op)))
    builder_args: list[Node | str] = [p.name for p in view.positional]
    builder_args += [kw(p.name, p.name) for p in view.keywords]
    builder_args.append(kw("extra_headers", "extra_headers"))
    if view.idempotent_param:
        builder_args.append(kw("idempotent", "idempotent"))
    request = Node(view.builder, "(", builder_args, ")")
    items: list[Node | str]
    limits = [kw("timeout", "timeout"), kw("max_retries", "max_retries")]
    prefix = "return await " if is_async else "return "
    if target.stream:
        send = "await self._client.send_request" if is_async else "self._client.send_request"
        response = Node(send, "(", [request, kw("stream", "True"), *limits], ")")
        body = layout("return ", Node(target.call, "(", [response, target.cast or ""], ")"), "", 8)
    else:
        if target.item is not None:
            items = ["self._client", request, target.item, *limits]
        else:
            items = [request, kw("cast_to", target.cast or "type(None)"), *limits]
            if target.response_format is not None:
                items.append(kw("response_format", py_str(target.response_format)))
        body = layout(prefix, Node(target.call, "(", items, ")"), "", 8)
    return FunctionView(
        name=name,
        is_async=is_async,
        params=_signature(printer, True, view, extra),
        returns=_returns(target.returns, 4),
        doc=_doc(text, args, 8),
        body=[line[8:] for line in body],
    )
