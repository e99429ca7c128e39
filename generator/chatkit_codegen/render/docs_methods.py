"""Markdown views of operations: signature, parameters, returns, responses, examples.

Signatures follow the reference page: path parameters as ``str thread_id``, the
query or body TypedDict as ``ThreadListParams **kwargs``, paginated results as
``Sync{Page}[Item]``, event streams as ``Stream[Event]``. Examples come from the spec:
the request body examples (or the parameters' examples; without a body example, the
required properties with placeholder values) as a Python call and an HTTP request in
the body's media type (JSON, url-encoded form or multipart), the success response's
examples as JSON. Code is escaped by ``pyfmt`` (Python) and ``json`` (JSON) and sits in
fences longer than any backtick run inside.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from keyword import iskeyword
from urllib.parse import quote, urlencode

from ..ir.model import (
    API,
    MISSING,
    FieldDecl,
    JsonValue,
    Nullable,
    OperationDecl,
    ParamDecl,
    Prim,
    TypeExpr,
)
from .client_ops import (
    FORM_MEDIA,
    MULTIPART_MEDIA,
    accept_header,
    error_types,
    file_annotation,
    raw_body_type,
)
from .docs_links import LinkItem, MethodRef, link_items
from .docs_types import (
    SEP,
    DocWriter,
    constraint_facts,
    inner_constraint_facts,
    json_text,
    paragraphs,
)
from .markdown import code_fence, md_blocks, md_cell, md_code, md_text
from .pyfmt import Node, kw, layout, literal_node, py_str
from .pytypes import doc_type


@dataclass(frozen=True)
class ParamItem:
    """One parameter as a list item: ``name: Type``, its description, then its facts
    (``query · optional · default `20` · minimum 0``), as model pages print fields.
    A list, not a wide table: it fits the page whatever the description's length."""

    head: str
    facts: str
    description: tuple[str, ...]


@dataclass(frozen=True)
class CodeBlock:
    lang: str
    lines: list[str]

    @property
    def fence(self) -> str:
        return fence(self.lines)


@dataclass(frozen=True)
class ExampleView:
    title: str
    python: CodeBlock
    http: CodeBlock


@dataclass(frozen=True)
class ResponseExampleView:
    title: str
    json: CodeBlock
    note: str = ""  # said under the block when the example was shortened


SIGNATURE_WIDTH = 88  # longer signatures print one argument a line
EXAMPLE_CHARS = 8_000  # compact JSON up to this size is shown whole
EXAMPLE_NODES = 150  # a longer example keeps about this many values


def shorten(value: JsonValue) -> tuple[JsonValue, str]:
    """``value``, or a shortened copy of it and a note saying so.

    Examples in large specs can be megabytes (YAML aliases expand), which no reader
    wants in a page and which cost more to print than the whole rest of the docs.
    A shortened example keeps its first two array items and its first values, and
    marks what was cut with ``"…"``. Both steps look at a bounded part of the value,
    so a huge example costs no more than a small one.
    """
    if not _larger_than(value, EXAMPLE_CHARS):
        return value, ""
    budget = [EXAMPLE_NODES]

    def prune(v: JsonValue) -> JsonValue:
        budget[0] -= 1
        if isinstance(v, list):
            if budget[0] <= 0:
                return ["…"] if v else []
            return [prune(x) for x in v[:2]] + (["…"] if len(v) > 2 else [])
        if isinstance(v, dict):
            if budget[0] <= 0:
                return {"…": "…"} if v else {}
            return {k: prune(x) for k, x in v.items()}
        return v

    return prune(value), f"Example shortened: `…` marks what was cut from the spec's {EXAMPLE_CHARS // 1000}+ KB value."


def _larger_than(value: JsonValue, limit: int) -> bool:
    """Whether compact JSON of ``value`` would exceed about ``limit`` characters; stops
    walking as soon as it knows."""
    left = limit
    stack: list[JsonValue] = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            left -= 2 + sum(len(k) + 4 for k in v)
            stack.extend(v.values())
        elif isinstance(v, list):
            left -= 2 + len(v)
            stack.extend(v)
        elif isinstance(v, str):
            left -= len(v) + 2
        else:
            left -= len(str(v))
        if left < 0:
            return True
    return False


@dataclass(frozen=True)
class MethodView:
    anchor: str
    title: str
    signature: str
    signature_block: CodeBlock
    http_line: str
    description: list[str]
    deprecated: bool
    params: list[ParamItem]
    notes: list[str]  # const headers, request body
    returns: str
    responses: list[list[str]]  # status, description, type
    errors_note: str  # how a declared error body reaches the caller, or ""
    links: list[LinkItem]  # the responses' links to other methods
    requests: list[ExampleView]
    examples: list[ResponseExampleView]


class MethodWriter:
    """Signature, parameter table, responses and examples of one operation."""

    def __init__(
        self,
        api: API,
        writer: DocWriter,
        pkg: str,
        client_name: str,
        key_env: str = "API_KEY",
        targets: dict[str, MethodRef] | None = None,
    ) -> None:
        self.api = api
        self.targets = targets or {}  # operation pointer -> its section, for links
        self.w = writer
        self.pkg = pkg
        self.client_name = client_name
        self.key_env = key_env

    def signature(self, op: OperationDecl) -> str:
        """``beta.chatkit.threads.list_items(str thread_id, ThreadListItemsParams **kwargs) -> ...``"""
        return self._signature(op, self.signature_args(op))

    def signature_lines(self, op: OperationDecl) -> list[str]:
        """The signature on one line, or one argument a line (as black would) when longer
        than ``SIGNATURE_WIDTH``: the code block then never scrolls sideways."""
        args = self.signature_args(op)
        one = self._signature(op, args)
        if len(one) <= SIGNATURE_WIDTH or not args:
            return [one]
        return [f"{op.sdk_path}(", *(f"    {a}," for a in args), f") -> {self.return_type(op)}"]

    def _signature(self, op: OperationDecl, args: list[str]) -> str:
        return f"{op.sdk_path}({', '.join(args)}) -> {self.return_type(op)}"

    def signature_args(self, op: OperationDecl) -> list[str]:
        args = [f"{doc_type(self.api, p.type)} {p.name}" for p in op.params_in("path")]
        kwargs = []
        if op.params_key:
            kwargs.append(self.api.decls[op.params_key].name)
        raw = self.raw_body_type(op)
        if op.body is not None and raw is not None:
            args.append(f"{raw} body")
        elif op.body is not None:
            renamed = any(f.name != f.wire_name for f in op.body.fields)
            if op.body.params_key and renamed:
                # the TypedDict's keys are the wire names: the keywords are listed instead
                files = self.file_fields(op)
                args += [f"{files.get(f.wire_name) or doc_type(self.api, f.type)} {f.name}" for f in op.body.fields]
            elif op.body.params_key:
                kwargs.append(self.api.decls[op.body.params_key].name)
            else:
                args.append(f"{self.raw_body_type(op) or doc_type(self.api, op.body.type)} body")
        if kwargs:
            args.append(f"{' | '.join(kwargs)} **kwargs")
        return args

    def return_type(self, op: OperationDecl) -> str:
        if op.pagination is not None:
            return f"Sync{op.pagination.page.name}[{doc_type(self.api, op.pagination.item_type)}]"
        if op.success is not None and op.success.streaming:
            return f"Stream[{doc_type(self.api, op.success.type)}]"
        return doc_type(self.api, op.success.type if op.success else None)

    def raw_body_type(self, op: OperationDecl) -> str | None:
        """``FileInput`` or ``str`` when the body is sent raw (not JSON, not a form)."""
        return None if op.body is None else raw_body_type(self.api, op.body)

    def file_fields(self, op: OperationDecl) -> dict[str, str]:
        """Wire names of multipart properties that take a file -> their Python type."""
        body = op.body
        if body is None or body.kind != "multipart":
            return {}
        found = {f.wire_name: file_annotation(self.api, f.type) for f in body.fields}
        return {name: ann for name, ann in found.items() if ann is not None}

    def params(self, op: OperationDecl) -> list[ParamItem]:
        rows = [self.param_item(p) for p in op.params if p.const is MISSING]
        files = self.file_fields(op)
        if op.body is not None and op.body.params_key and self.raw_body_type(op) is None:
            for f in op.body.fields:  # named as the methods' keyword arguments
                file_type = files.get(f.wire_name)
                if file_type and not f.required and not file_type.startswith("Optional"):
                    file_type = f"Optional[{file_type}]"
                kind = md_text(file_type) if file_type else self.w.field_type_md(f)
                facts = ["body", "*required*" if f.required else "*optional*", *sent_as(f.name, f.wire_name)]
                if f.has_default:
                    facts.append(f"default {md_code(json_text(f.default))}")
                facts += constraint_facts(f.constraints) + inner_constraint_facts(f.type)
                if f.deprecated:
                    facts.append("deprecated")
                rows.append(
                    ParamItem(
                        head=f"{md_code(f.name)}: {kind}",
                        facts=SEP.join(facts),
                        description=tuple(paragraphs(f.description)),
                    )
                )
        return rows

    def param_item(self, p: ParamDecl) -> ParamItem:
        t = self.w.type_md(p.type)
        if not p.required and not isinstance(p.type, Nullable):
            t = f"Optional\\[{t}\\]"
        name = p.name if p.location != "header" else p.wire_name
        facts = [p.location, "*required*" if p.required else "*optional*", *sent_as(name, p.wire_name)]
        if p.default is not MISSING:
            facts.append(f"default {md_code(json_text(p.default))}")
        facts += constraint_facts(p.constraints) + inner_constraint_facts(p.type)
        if p.deprecated:
            facts.append("deprecated")
        return ParamItem(
            head=f"{md_code(name)}: {t}",
            facts=SEP.join(facts),
            description=tuple(paragraphs(p.description)),
        )

    def notes(self, op: OperationDecl) -> list[str]:
        out = []
        if op.params_key:
            out.append(
                f"Query parameters are the keys of {self.w.link(op.params_key)}, passed as keyword arguments."
            )
        if op.body is not None:
            what = (
                self.w.link(op.body.params_key)
                if op.body.params_key
                else md_code(self.raw_body_type(op) or doc_type(self.api, op.body.type))
            )
            how = (
                "passed as keyword arguments"
                if op.body.params_key
                else "passed as `body`"
            )
            if op.body.params_key and self.raw_body_type(op) is not None:
                # structured data the client does not encode (XML...): the schema documents it
                how = f"serialised by the caller and passed as `body` ({md_code(self.raw_body_type(op) or '')})"
            req = "required" if op.body.required else "optional"
            text = (
                f"Request body ({md_code(op.body.media_type)}, {req}): {what}, {how}."
            )
            if self.file_fields(op) or self.raw_body_type(op) == "FileInput":
                text += (
                    f" A file ({md_code('FileInput')}) is bytes, a binary file object, a path, "
                    f"or a tuple {md_code('(filename, content[, content_type])')}; it is read "
                    "into memory once, so a retry sends the same bytes."
                )
            out.append(lead(text, op.body.description))
        for p in op.params:
            if p.const is not MISSING:
                value = p.const if isinstance(p.const, str) else json_text(p.const)
                header = md_code(f"{p.wire_name}: {value}")
                sentence = (
                    f"Every call sends the {p.location} {header}; the client sets it."
                )
                out.append(lead(sentence, p.description))
        return out

    def returns(self, op: OperationDecl) -> str:
        success = op.success
        desc = md_cell(success.description) if success else ""
        if op.pagination is not None and success is not None:
            page = op.pagination.page
            return (
                f"{md_code(self.return_type(op))}: iterating it yields every "
                f"{self.w.type_md(op.pagination.item_type)} across pages, requesting the next page "
                f"with {md_code(page.cursor_param)} set to the response's {md_code(page.next_cursor_field)} "
                f"while {md_code(page.has_more_field)} is true. Each page is a {self.w.type_md(success.type)}: "
                f"{desc}"
            ).rstrip(": ")
        if success is None or success.type is None:
            return f"{md_code('None')}{': ' + desc if desc else ''}"
        if success.streaming:
            event = self.w.type_md(success.type)
            return (
                f"{md_code('Stream')}\\[{event}\\]: iterating it yields the data of each "
                f"server-sent event (`text/event-stream`) as {event}, until the stream ends"
                f"{'. ' + desc if desc else '.'}"
            )
        media = success.media_type or ""
        kind = f" ({md_code(media)})" if media and success.kind != "json" else ""
        return f"{self.w.type_md(success.type)}{kind}{': ' + desc if desc else ''}"

    def responses(self, op: OperationDecl) -> list[list[str]]:
        return [
            [
                md_code(r.status),
                md_cell(r.description),
                self.w.type_md(r.type) if r.type else "",
            ]
            for r in op.responses
        ]

    def errors_note(self, op: OperationDecl) -> str:
        declared = error_types(op)
        if not declared:
            return ""
        statuses = ", ".join(md_code(status) for status, _ in declared)
        return (
            f"Error statuses raise {md_code('APIStatusError')} subclasses (such as "
            f"{md_code('NotFoundError')}); for {statuses} the exception's {md_code('data')} "
            "holds the body validated as the type above (None if it does not match; the raw "
            f"JSON is in {md_code('body')})."
        )

    # -- examples

    def example_value(self, p: ParamDecl) -> JsonValue:
        if p.examples:
            return p.examples[0]
        if p.default is not MISSING:
            return p.default
        return p.name

    def requests(self, op: OperationDecl) -> list[ExampleView]:
        """One example per request-body example of the spec (or one without a body)."""
        bodies: list[tuple[str, JsonValue]] = list(op.body.examples) if op.body else []
        if op.body is not None and op.body.required and not bodies and op.body.fields:
            bodies = [("", {f.wire_name: self.placeholder(f) for f in op.body.fields if f.required})]
        if op.body is not None and op.body.required and not bodies and self.raw_body_type(op):
            bodies = [("", "body")]
        views = []
        for name, body in bodies or [("", None)]:
            shown, note = shorten(body)
            title = md_code(name) if name else ""
            views.append(
                ExampleView(
                    title=f"{title} {note}".strip() if note else title,
                    python=CodeBlock("python", self.python(op, shown)),
                    http=CodeBlock("http", self.http(op, shown)),
                )
            )
        return views

    def placeholder(self, f: FieldDecl) -> JsonValue:
        """A stand-in value for a required property the spec gives no example of."""
        if f.default is not MISSING:
            return f.default
        t: TypeExpr = f.type
        if isinstance(t, Prim) and t.name in ("int", "float"):
            return 0
        if isinstance(t, Prim) and t.name == "bool":
            return False
        return f.wire_name

    def _wanted_query(self, op: OperationDecl) -> list[ParamDecl]:
        return [p for p in op.params_in("query") if p.required]

    def python(self, op: OperationDecl, body: JsonValue) -> list[str]:
        items: list[Node | str] = [
            literal_node(self.example_value(p)) for p in op.params_in("path")
        ]
        for p in self._wanted_query(op):
            items.append(kw(p.name, literal_node(self.example_value(p))))
        if op.body is not None and body is not None:
            if op.body.params_key and isinstance(body, dict):
                # properties are keyword arguments by their Python names; other keys
                # that are names stay as they are, the rest go in **{...}
                files = self.file_fields(op)
                names = {f.wire_name: f.name for f in op.body.fields}
                rest = {}
                for key, value in body.items():
                    arg = names.get(str(key), str(key))
                    if str(key) in files:
                        items.append(kw(arg, f"open({py_str(str(value))}, \"rb\")"))
                    elif arg.isidentifier() and not iskeyword(arg):
                        items.append(kw(arg, literal_node(value)))
                    else:
                        rest[str(key)] = value
                if rest:
                    items.append(Node("**", "", [literal_node(rest)], "", atom=True))
            elif self.raw_body_type(op) == "FileInput":
                items.append(kw("body", f"open({py_str(str(body))}, \"rb\")"))
            else:
                items.append(kw("body", literal_node(body)))
        call = Node(f"client.{op.sdk_path}", "(", items, ")")
        lines = [
            f"from {self.pkg} import {self.client_name}",
            "",
            f"client = {self.client_name}()",
        ]
        if op.pagination is not None:
            lines += layout("for item in ", call, ":", 0)
            lines.append("    print(item)")
        elif op.success is not None and op.success.streaming:
            lines += layout("for event in ", call, ":", 0)
            lines.append("    print(event)")
        else:
            lines += layout("result = ", call, "", 0)
            lines.append("print(result)")
        return lines

    def http(self, op: OperationDecl, body: JsonValue) -> list[str]:
        path = op.path
        for p in op.params_in("path"):
            value = self.example_value(p)
            text = value if isinstance(value, str) else json_text(value)
            path = path.replace("{" + p.wire_name + "}", quote(str(text), safe=""))
        query = [
            (p.wire_name, self._query_text(self.example_value(p)))
            for p in self._wanted_query(op)
        ]
        auth = self.api.auth if op.authenticated else None
        key = f"${self.key_env}"
        if auth is not None and auth.kind == "query":
            query.append((auth.name, key))
        base = self.api.servers[0].url.rstrip("/") if self.api.servers else ""
        target = base + path + ("?" + urlencode(query) if query else "")
        lines = [f"{op.method} {target}"]
        if auth is not None and auth.kind in ("bearer", "basic", "header"):
            value = {"bearer": f"Bearer {key}", "basic": f"Basic <base64 of {key}>"}.get(auth.kind, key)
            lines.append(f"{auth.name}: {value}")
        for p in op.params:
            if p.location == "header" and (p.const is not MISSING or p.required):
                value = p.const if p.const is not MISSING else self.example_value(p)
                lines.append(
                    f"{p.wire_name}: {value if isinstance(value, str) else json_text(value)}"
                )
        cookies = [
            f"{p.wire_name}={self._query_text(self.example_value(p))}"
            for p in op.params_in("cookie")
            if p.required
        ]
        if auth is not None and auth.kind == "cookie":
            cookies.append(f"{auth.name}={key}")
        if cookies:
            lines.append(f"Cookie: {'; '.join(cookies)}")
        accept = accept_header(op)
        if accept is not None:
            lines.append(f"Accept: {accept}")
        if op.body is not None and body is not None:
            lines += self.http_body(op, body)
        return [_one_line(line) for line in lines]

    def http_body(self, op: OperationDecl, body: JsonValue) -> list[str]:
        """The body in its media type: JSON, a url-encoded form, or multipart parts."""
        assert op.body is not None
        if op.body.kind == "form" and isinstance(body, dict):
            pairs = [
                (key, self._query_text(item))
                for key, value in body.items()
                for item in (value if isinstance(value, list) else [value])
            ]
            return [f"Content-Type: {FORM_MEDIA}", "", urlencode(pairs)]
        if op.body.kind == "multipart" and isinstance(body, dict):
            files = self.file_fields(op)
            lines = [f"Content-Type: {MULTIPART_MEDIA}; boundary=BOUNDARY", ""]
            for key, value in body.items():
                lines.append("--BOUNDARY")
                disposition = f'Content-Disposition: form-data; name="{key}"'
                if key in files:
                    lines += [f'{disposition}; filename="{value}"', "", f"<contents of {value}>"]
                elif isinstance(value, dict):
                    lines += [disposition, "Content-Type: application/json", "", json_text(value)]
                else:
                    lines += [disposition, "", self._query_text(value)]
            return [*lines, "--BOUNDARY--"]
        raw = self.raw_body_type(op)
        if raw is not None:
            text = f"<contents of {body}>" if raw == "FileInput" else str(body)
            return [f"Content-Type: {op.body.media_type}", "", *text.splitlines()]
        return [
            f"Content-Type: {op.body.media_type}",
            "",
            *json.dumps(body, indent=2, ensure_ascii=False).splitlines(),
        ]

    @staticmethod
    def _query_text(value: JsonValue) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        return value if isinstance(value, str) else json_text(value)

    def response_examples(self, op: OperationDecl) -> list[ResponseExampleView]:
        if op.success is None:
            return []
        views = []
        for name, value in op.success.examples:
            shown, note = shorten(value)
            views.append(
                ResponseExampleView(
                    title=f"{md_code(op.success.status)} {md_code(name)}",
                    json=CodeBlock(
                        "json", json.dumps(shown, indent=2, ensure_ascii=False).splitlines()
                    ),
                    note=note,
                )
            )
        return views

    def view(self, op: OperationDecl, anchor: str) -> MethodView:
        description = paragraphs(op.description)
        signature = self.signature(op)
        return MethodView(
            anchor=anchor,
            title=md_text(op.summary or op.sdk_path),
            signature=signature,
            signature_block=CodeBlock("python", self.signature_lines(op)),
            http_line=f"**{md_code(op.method)}** {md_code(op.path)}",
            description=description,
            deprecated=op.deprecated,
            params=self.params(op),
            notes=self.notes(op),
            returns=self.returns(op),
            responses=self.responses(op),
            errors_note=self.errors_note(op),
            links=link_items(self.api, op, self.w.page, self.targets),
            requests=self.requests(op),
            examples=self.response_examples(op),
        )


def lead(sentence: str, description: str | None) -> str:
    """``sentence`` followed by a spec description: its first paragraph continues the
    sentence's paragraph, further blocks (lists, code) follow as blocks."""
    blocks = list(md_blocks(description))
    if blocks and "\n" not in blocks[0] and not blocks[0].startswith(("- ", "> ")) and not blocks[0][:1].isdigit():
        return "\n\n".join([f"{sentence} {blocks[0]}", *blocks[1:]])
    return "\n\n".join([sentence, *blocks])


def _one_line(text: str) -> str:
    """Code block lines never contain raw control characters (a spec value could)."""
    return "".join(
        ch if ch.isprintable() or ch == "\t" else repr(ch)[1:-1] for ch in text
    )


def fence(lines: list[str]) -> str:
    """A code fence longer than any run of backticks in ``lines``."""
    return code_fence(lines)


def sent_as(name: str, wire: str) -> list[str]:
    """The fact that a parameter's Python name is not what the request carries."""
    return [] if name == wire else [f"sent as {md_code(wire)}"]
