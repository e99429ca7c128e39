"""Request bodies and responses: content, media types, examples."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Any

from ...load.document import join_pointer
from ...load.walk import resolve_pointer
from .. import naming
from ..model import (
    BodyDecl,
    FieldDecl,
    JsonValue,
    ModelDecl,
    Prim,
    Ref,
    ResponseDecl,
    TypeExpr,
    media_kind,
)
from .base import BuildBase, Ctx
from .parameters import ParametersLayer
from .schema import (
    as_dict,
    is_object,
    needs_module,
    pick_media,
    text,
)


class BodiesLayer(ParametersLayer):
    def _body(
        self, ptr: str, op: dict[str, Any], resource: tuple[str, ...], method_name: str, taken: Iterable[str] = ()
    ) -> BodyDecl | None:
        """The operation's request body; ``taken`` are the Python names of its other
        parameters, which the body's keyword arguments must not repeat."""
        raw = op.get("requestBody")
        if raw is None:
            return None
        bptr, body = self._deref(raw, ptr + "/requestBody")
        content = body.get("content") if isinstance(body, dict) else None
        if not isinstance(content, dict) or not content:
            return None
        media = pick_media(content)
        mobj = content[media] if isinstance(content[media], dict) else {}
        schema = mobj.get("schema", {})
        sptr = join_pointer(bptr, "content", media, "schema")
        params_key: str | None = None
        fields: tuple[FieldDecl, ...] = ()
        if isinstance(schema, dict) and "$ref" in schema:
            typ = self._type(schema, sptr, Ctx("", "", "", "request"), "", True)  # a $ref: no inline declaration
            if isinstance(typ, Ref):
                tptr = self._ptr_of(typ.key)
                target = resolve_pointer(self.data, "#" + tptr)
                if is_object(target):
                    params_key = typ.key
                    self._ensure(typ.key)
                    decl = self.decls.get(typ.key)
                    if isinstance(decl, ModelDecl):
                        fields = decl.fields
        elif is_object(schema):
            wanted = naming.pascal(naming.singular(resource[-1])) + naming.pascal(method_name) + "Params"
            key = self._key(sptr, "request")
            name, module = self._synthetic_top(wanted, sptr)
            self.top_names[key] = (name, module)
            self._ensure(key)
            typ = Ref(key)
            params_key = key
            decl = self.decls[key]
            fields = decl.fields if isinstance(decl, ModelDecl) else ()
        else:
            prefix = naming.pascal(str(op.get("operationId") or "Operation")) + "Body"
            typ = self._type(schema, sptr, Ctx("", "", prefix, "request"), "", False)
        examples = named_examples(self, mobj)
        return BodyDecl(
            media_type=media,
            type=typ,
            required=bool(body.get("required")),
            description=text(body.get("description")),
            fields=keyword_fields(fields, taken),
            params_key=params_key,
            examples=examples,
            pointer=join_pointer(bptr, "content", media),
        )

    def _responses(self, ptr: str, op: dict[str, Any]) -> tuple[list[ResponseDecl], ResponseDecl | None]:
        out = []
        for code, raw in as_dict(op.get("responses")).items():
            rptr, resp = self._deref(raw, join_pointer(ptr, "responses", str(code)))
            if not isinstance(resp, dict):
                continue
            content = as_dict(resp.get("content"))
            media = pick_media(content) if content else None
            typ: TypeExpr | None = None
            examples: tuple[tuple[str, JsonValue], ...] = ()
            if media is not None:
                mobj = content[media] if isinstance(content[media], dict) else {}
                kind = media_kind(media)
                raw = Prim("str") if kind == "text" else Prim("bytes")  # what a non-JSON body is read as
                schema = mobj.get("schema")
                sptr = join_pointer(rptr, "content", media, "schema")
                if schema is None and kind == "event-stream" and "itemSchema" in mobj:
                    # 3.2 describes each event of a stream by itemSchema
                    schema, sptr = mobj["itemSchema"], join_pointer(rptr, "content", media, "itemSchema")
                if schema is not None:
                    wanted = naming.pascal(str(op.get("operationId") or "Operation")) + "Response" + status_suffix(str(code))
                    if isinstance(schema, dict) and "$ref" in schema:
                        typ = self._type(schema, sptr, Ctx("", "", wanted, "response"), "", True)
                    elif needs_module(schema):
                        typ = self._site_decl(self._key(sptr, "response"), wanted, sptr)
                    else:
                        typ = self._type(schema, sptr, Ctx("", "", wanted, "response"), "", False)
                    if kind not in ("json", "event-stream") and typ is not None:
                        typ = raw
                elif kind not in ("json", "event-stream"):
                    typ = raw
                examples = named_examples(self, mobj)
            out.append(
                ResponseDecl(
                    status=str(code),
                    description=text(resp.get("description")),
                    media_type=media,
                    type=typ,
                    examples=examples,
                    pointer=rptr if media is None else join_pointer(rptr, "content", media),
                )
            )
        success = next((r for r in out if r.status.startswith("2")), None)
        if success is None:
            success = next((r for r in out if r.status == "default"), None)
        return out, success

    def payload_type(self, schema: Any, ptr: str, wanted: str) -> TypeExpr:
        """The type of a webhook's or callback's payload (``ir/events.py``): the user's
        server parses it, so it is read like a response."""
        if isinstance(schema, dict) and "$ref" in schema:
            return self._type(schema, ptr, Ctx("", "", wanted, "response"), "", True)
        if needs_module(schema):
            return self._site_decl(self._key(ptr, "response"), wanted, ptr)
        return self._type(schema, ptr, Ctx("", "", wanted, "response"), "", False)


def keyword_fields(fields: tuple[FieldDecl, ...], taken: Iterable[str]) -> tuple[FieldDecl, ...]:
    """The body's properties named as the keyword arguments of the generated methods:
    snake_case (``petName`` -> ``pet_name``) and unique beside the operation's other
    parameters (``limit`` beside a query ``limit`` -> ``limit2``), in property order.
    The wire name stays, and is what the request sends."""
    used = set(taken)
    names = naming.dedupe([naming.param_name(naming.snake(f.wire_name)) for f in fields], used)
    return tuple(f if f.name == name else dataclasses.replace(f, name=name) for f, name in zip(fields, names, strict=True))


def named_examples(builder: BuildBase, mobj: dict[str, Any]) -> tuple[tuple[str, JsonValue], ...]:
    out: list[tuple[str, JsonValue]] = []
    examples = mobj.get("examples")
    if isinstance(examples, dict):
        for name, ex in examples.items():
            _, ex = builder._deref(ex, "")
            if isinstance(ex, dict) and "value" in ex:
                out.append((str(name), ex["value"]))
    if "example" in mobj:
        out.append(("example", mobj["example"]))
    return tuple(out)


def status_suffix(code: str) -> str:
    """How a response's status names its inline declaration: nothing for 2xx, else
    ``400``, ``4XX``, ``Default``."""
    if code.startswith("2"):
        return ""
    if re.fullmatch(r"[0-9xX]+", code):
        return code.upper()
    return naming.pascal(code)

