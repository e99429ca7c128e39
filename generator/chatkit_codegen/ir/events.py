"""Requests the API sends to its users: OpenAPI 3.1 ``webhooks`` and operations' ``callbacks``,
and the ``links`` of responses.

A webhook or callback is read like an operation whose request body is what the user's
server receives: its payload becomes a response-shaped model (it is parsed, not built),
and the package gets a function that parses it. Links are kept for the docs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Protocol

from ..load.document import join_pointer
from ..load.walk import iter_operations, resolve_pointer
from . import naming
from .model import (
    BodyDecl,
    EventDecl,
    EventKind,
    LinkDecl,
    Prim,
    ResponseDecl,
    TypeExpr,
    media_kind,
)
from .readers.schema import pick_media, text


class EventBuilder(Protocol):
    """What reading events needs of the IR builder."""

    data: dict[str, Any]

    def _deref(self, schema: Any, ptr: str) -> tuple[str, Any]: ...

    def _note(self, pointer: str, message: str) -> None: ...

    def payload_type(self, schema: Any, ptr: str, wanted: str) -> TypeExpr:
        """The type of a body the user's server parses (response-shaped); an inline
        object becomes a top-level class named ``wanted``."""
        ...

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def event_operations(data: dict[str, Any]) -> Iterator[tuple[EventKind, str, str, str, str | None, dict[str, Any]]]:
    """(kind, name, expression, pointer, owning operationId, operation) of every webhook
    and callback operation, in document order."""
    webhooks = data.get("webhooks")
    if isinstance(webhooks, dict):
        for name, item in webhooks.items():
            base = join_pointer("/webhooks", str(name))
            for method, op in _methods(item):
                yield "webhook", str(name), "", join_pointer(base, method), None, op
    paths = data.get("paths")
    for path, item in (paths.items() if isinstance(paths, dict) else ()):
        for method, op in _methods(item):
            callbacks = op.get("callbacks")
            if not isinstance(callbacks, dict):
                continue
            op_id = op.get("operationId")
            for cname, expressions in callbacks.items():
                if not isinstance(expressions, dict):
                    continue
                for expression, cb_item in expressions.items():
                    base = join_pointer("/paths", str(path), method, "callbacks", str(cname), str(expression))
                    for cb_method, cb_op in _methods(cb_item):
                        yield "callback", str(cname), str(expression), join_pointer(base, cb_method), (
                            str(op_id) if op_id else None
                        ), cb_op


def _methods(item: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(item, dict):
        for method in METHODS:
            if isinstance(item.get(method), dict):
                yield method, item[method]


def payload_bodies(data: dict[str, Any]) -> Iterator[Any]:
    """The request bodies of every webhook and callback: what the user's server parses."""
    for *_, op in event_operations(data):
        if "requestBody" in op:
            yield op["requestBody"]


def build_events(b: EventBuilder) -> tuple[EventDecl, ...]:
    out: list[EventDecl] = []
    used: set[str] = set()
    for kind, name, expression, ptr, op_id, op in event_operations(b.data):
        method = ptr.rsplit("/", 1)[1]
        base = naming.snake(name) if kind == "webhook" else f"{naming.snake(op_id or 'operation')}_{naming.snake(name)}"
        if sum(1 for _ in _methods(_parent(b.data, ptr))) > 1:
            base += f"_{method}"
        func = naming.dedupe([naming.param_name(f"parse_{base}")], used)[0]
        used.add(func)
        payload: BodyDecl | None = None
        bptr, body = b._deref(op.get("requestBody"), join_pointer(ptr, "requestBody"))
        if isinstance(body, dict) and isinstance(body.get("content"), dict) and body["content"]:
            content = body["content"]
            media = pick_media(content)
            mobj = content[media] if isinstance(content[media], dict) else {}
            schema = mobj.get("schema")
            suffix = "Event" if kind == "webhook" else "Payload"
            wanted = naming.pascal(base) + ("" if naming.pascal(base).endswith(suffix) else suffix)
            typ: TypeExpr = Prim("Any")
            if schema is not None:
                typ = b.payload_type(schema, join_pointer(bptr, "content", media, "schema"), wanted)
            else:
                b._note(join_pointer(bptr, "content", media), f"{kind} {name!r}: the payload has no schema; it is parsed as any JSON value")
            if media_kind(media) != "json":
                typ = Prim("str") if media_kind(media) == "text" else Prim("bytes")
            payload = BodyDecl(
                media_type=media,
                type=typ,
                required=bool(body.get("required")),
                description=text(body.get("description")),
                fields=(),
                params_key=None,
                pointer=join_pointer(bptr, "content", media),
            )
        else:
            b._note(ptr, f"{kind} {name!r} ({method.upper()}) has no request body: there is nothing to parse")
        responses = tuple(
            ResponseDecl(status=str(code), description=text(r.get("description")), media_type=None, type=None,
                         pointer=join_pointer(ptr, "responses", str(code)))
            for code, raw in (op.get("responses") or {}).items()
            for r in [b._deref(raw, "")[1]]
            if isinstance(r, dict)
        )
        out.append(
            EventDecl(
                kind=kind,
                name=name,
                func_name=func,
                method=method.upper(),
                expression=expression,
                operation_id=op_id,
                summary=text(op.get("summary")),
                description=text(op.get("description")),
                payload=payload,
                responses=responses,
                pointer=ptr,
            )
        )
    return tuple(out)


def _parent(data: dict[str, Any], ptr: str) -> Any:
    try:
        return resolve_pointer(data, "#" + ptr.rsplit("/", 1)[0])
    except KeyError:
        return {}


def build_links(b: EventBuilder) -> tuple[LinkDecl, ...]:
    """Every response link of every operation, for the docs."""
    out: list[LinkDecl] = []
    for ptr, _path, _method, op in iter_operations(b.data):
        for code, raw in (op.get("responses") or {}).items() if isinstance(op.get("responses"), dict) else ():
            rptr, resp = b._deref(raw, join_pointer(ptr, "responses", str(code)))
            links = resp.get("links") if isinstance(resp, dict) else None
            if not isinstance(links, dict):
                continue
            for lname, rawlink in links.items():
                lptr, link = b._deref(rawlink, join_pointer(rptr, "links", str(lname)))
                if not isinstance(link, dict):
                    continue
                params = link.get("parameters")
                out.append(
                    LinkDecl(
                        name=str(lname),
                        operation=ptr,
                        status=str(code),
                        target_operation_id=str(link["operationId"]) if "operationId" in link else None,
                        target_ref=str(link["operationRef"]) if "operationRef" in link else None,
                        parameters=tuple((str(k), _expr(v)) for k, v in params.items()) if isinstance(params, dict) else (),
                        request_body=_expr(link["requestBody"]) if "requestBody" in link else None,
                        description=text(link.get("description")),
                        pointer=lptr,
                    )
                )
    return tuple(out)


def _expr(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)
