"""Markdown views of operations: signature, parameters, returns, responses, examples.

Signatures follow the reference page: path parameters as ``str thread_id``, the
query or body TypedDict as ``ThreadListParams **kwargs``, paginated results as
``Sync{Page}[Item]``. Examples come from the spec: the request body examples (or the
parameters' examples) as a Python call and an HTTP request, the success response's
examples as JSON. Code is escaped by ``pyfmt`` (Python) and ``json`` (JSON) and sits in
fences longer than any backtick run inside.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from keyword import iskeyword
from urllib.parse import quote, urlencode

from ..ir.model import (
    API,
    MISSING,
    JsonValue,
    ModelDecl,
    Nullable,
    OperationDecl,
    ParamDecl,
)
from .docs_types import (
    DocWriter,
    constraint_facts,
    inner_constraint_facts,
    json_text,
    paragraphs,
)
from .markdown import md_code, md_text
from .pyfmt import Node, kw, layout, literal_node
from .pytypes import doc_type


@dataclass(frozen=True)
class ParamRow:
    name: str
    location: str
    type: str
    required: str
    default: str
    constraints: str
    description: str

    @property
    def cells(self) -> list[str]:
        return [
            self.name,
            self.location,
            self.type,
            self.required,
            self.default,
            self.constraints,
            self.description,
        ]


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


@dataclass(frozen=True)
class MethodView:
    anchor: str
    title: str
    signature: str
    signature_block: CodeBlock
    http_line: str
    description: list[str]
    deprecated: bool
    rows: list[list[str]]  # cells of the parameters table (ParamRow.cells)
    notes: list[str]  # const headers, request body
    returns: str
    responses: list[list[str]]  # status, description, type
    requests: list[ExampleView]
    examples: list[ResponseExampleView]


class MethodWriter:
    """Signature, parameter table, responses and examples of one operation."""

    def __init__(self, api: API, writer: DocWriter, pkg: str, client_name: str) -> None:
        self.api = api
        self.w = writer
        self.pkg = pkg
        self.client_name = client_name

    def signature(self, op: OperationDecl) -> str:
        """``beta.chatkit.threads.list_items(str thread_id, ThreadListItemsParams **kwargs) -> ...``"""
        args = [f"{doc_type(self.api, p.type)} {p.name}" for p in op.params_in("path")]
        kwargs = []
        if op.params_key:
            kwargs.append(self.api.decls[op.params_key].name)
        if op.body is not None:
            if op.body.params_key:
                kwargs.append(self.api.decls[op.body.params_key].name)
            else:
                args.append(f"{doc_type(self.api, op.body.type)} body")
        if kwargs:
            args.append(f"{' | '.join(kwargs)} **kwargs")
        return f"{op.sdk_path}({', '.join(args)}) -> {self.return_type(op)}"

    def return_type(self, op: OperationDecl) -> str:
        if op.pagination is not None:
            return f"Sync{op.pagination.page.name}[{doc_type(self.api, op.pagination.item_type)}]"
        return doc_type(self.api, op.success.type if op.success else None)

    def rows(self, op: OperationDecl) -> list[ParamRow]:
        rows = [self.param_row(p) for p in op.params if p.const is MISSING]
        if op.body is not None and op.body.params_key:
            decl = self.api.decls[op.body.params_key]
            assert isinstance(decl, ModelDecl)
            for f in decl.fields:
                rows.append(
                    ParamRow(
                        name=md_code(f.wire_name),
                        location="body",
                        type=self.w.field_type_md(f),
                        required="required" if f.required else "optional",
                        default=md_code(json_text(f.default)) if f.has_default else "",
                        constraints=", ".join(
                            constraint_facts(f.constraints)
                            + inner_constraint_facts(f.type)
                        ),
                        description=" ".join(paragraphs(f.description)),
                    )
                )
        return rows

    def param_row(self, p: ParamDecl) -> ParamRow:
        t = self.w.type_md(p.type)
        if not p.required and not isinstance(p.type, Nullable):
            t = f"Optional\\[{t}\\]"
        return ParamRow(
            name=md_code(p.name if p.location != "header" else p.wire_name),
            location=p.location,
            type=t,
            required="required" if p.required else "optional",
            default=md_code(json_text(p.default)) if p.default is not MISSING else "",
            constraints=", ".join(
                constraint_facts(p.constraints) + inner_constraint_facts(p.type)
            ),
            description=" ".join(paragraphs(p.description))
            + (" Deprecated." if p.deprecated else ""),
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
                else md_code(doc_type(self.api, op.body.type))
            )
            how = (
                "passed as keyword arguments"
                if op.body.params_key
                else "passed as `body`"
            )
            req = "required" if op.body.required else "optional"
            text = (
                f"Request body ({md_code(op.body.media_type)}, {req}): {what}, {how}."
            )
            out.append(" ".join([text, *paragraphs(op.body.description)]))
        for p in op.params:
            if p.const is not MISSING:
                value = p.const if isinstance(p.const, str) else json_text(p.const)
                header = md_code(f"{p.wire_name}: {value}")
                sentence = (
                    f"Every call sends the {p.location} {header}; the client sets it."
                )
                out.append(" ".join([sentence, *paragraphs(p.description)]))
        return out

    def returns(self, op: OperationDecl) -> str:
        success = op.success
        desc = " ".join(paragraphs(success.description)) if success else ""
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
        stream = " (a stream of server-sent events)" if success.streaming else ""
        return f"{self.w.type_md(success.type)}{stream}{': ' + desc if desc else ''}"

    def responses(self, op: OperationDecl) -> list[list[str]]:
        return [
            [
                md_code(r.status),
                " ".join(paragraphs(r.description)),
                self.w.type_md(r.type) if r.type else "",
            ]
            for r in op.responses
        ]

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
        return [
            ExampleView(
                title=md_code(name) if name else "",
                python=CodeBlock("python", self.python(op, body)),
                http=CodeBlock("http", self.http(op, body)),
            )
            for name, body in bodies or [("", None)]
        ]

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
                # TypedDict keys are keyword arguments; keys that are not names go in **{...}
                rest = {}
                for key, value in body.items():
                    if str(key).isidentifier() and not iskeyword(str(key)):
                        items.append(kw(str(key), literal_node(value)))
                    else:
                        rest[str(key)] = value
                if rest:
                    items.append(Node("**", "", [literal_node(rest)], "", atom=True))
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
        base = self.api.servers[0].url.rstrip("/") if self.api.servers else ""
        target = base + path + ("?" + urlencode(query) if query else "")
        lines = [f"{op.method} {target}"]
        for p in op.params:
            if p.location == "header" and (p.const is not MISSING or p.required):
                value = p.const if p.const is not MISSING else self.example_value(p)
                lines.append(
                    f"{p.wire_name}: {value if isinstance(value, str) else json_text(value)}"
                )
        if op.body is not None and body is not None:
            lines.append(f"Content-Type: {op.body.media_type}")
            lines.append("")
            lines += json.dumps(body, indent=2, ensure_ascii=False).splitlines()
        return [_one_line(line) for line in lines]

    @staticmethod
    def _query_text(value: JsonValue) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        return value if isinstance(value, str) else json_text(value)

    def response_examples(self, op: OperationDecl) -> list[ResponseExampleView]:
        if op.success is None:
            return []
        return [
            ResponseExampleView(
                title=f"{md_code(op.success.status)} {md_code(name)}",
                json=CodeBlock(
                    "json", json.dumps(value, indent=2, ensure_ascii=False).splitlines()
                ),
            )
            for name, value in op.success.examples
        ]

    def view(self, op: OperationDecl, anchor: str) -> MethodView:
        description = paragraphs(op.description)
        signature = self.signature(op)
        return MethodView(
            anchor=anchor,
            title=md_text(op.summary or op.sdk_path),
            signature=signature,
            signature_block=CodeBlock("python", [signature]),
            http_line=f"**{md_code(op.method)}** {md_code(op.path)}",
            description=description,
            deprecated=op.deprecated,
            rows=[row.cells for row in self.rows(op)],
            notes=self.notes(op),
            returns=self.returns(op),
            responses=self.responses(op),
            requests=self.requests(op),
            examples=self.response_examples(op),
        )


def _one_line(text: str) -> str:
    """Code block lines never contain raw control characters (a spec value could)."""
    return "".join(
        ch if ch.isprintable() or ch == "\t" else repr(ch)[1:-1] for ch in text
    )


def fence(lines: list[str]) -> str:
    """A code fence longer than any run of backticks in ``lines``."""
    longest = max(
        (len(m) for line in lines for m in re.findall(r"`+", line)), default=0
    )
    return "`" * max(3, longest + 1)
