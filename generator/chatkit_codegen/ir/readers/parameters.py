"""Operation parameters: path, query, header and cookie; style, explode, the query TypedDict."""

from __future__ import annotations

from typing import Any

from ...load.document import join_pointer
from .. import naming
from ..model import (
    MISSING,
    NO_CONSTRAINTS,
    FieldDecl,
    JsonValue,
    Lit,
    MapOf,
    ModelDecl,
    ParamDecl,
    Prim,
    TypeExpr,
    UnionOf,
    media_kind,
)
from .base import Ctx
from .schema import (
    as_dict,
    as_list,
    is_object,
    literal,
    text,
    types_of,
)
from .types import TypesLayer


class ParametersLayer(TypesLayer):
    def _params(self, ptr: str, path: str, op: dict[str, Any]) -> list[ParamDecl]:
        merged: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
        item = as_dict(as_dict(self.data.get("paths")).get(path))
        sources = [(join_pointer("/paths", path, "parameters"), as_list(item.get("parameters")))]
        sources.append((ptr + "/parameters", as_list(op.get("parameters"))))
        for base, plist in sources:
            for i, p in enumerate(plist):
                pptr, param = self._deref(p, join_pointer(base, i))
                if isinstance(param, dict) and "name" in param and "in" in param:
                    merged[(str(param["in"]), str(param["name"]))] = (pptr, param)
        out: list[ParamDecl] = []
        taken: set[str] = set()
        order = {"path": 0, "query": 1, "header": 2, "cookie": 3}
        op_prefix = naming.pascal(str(op.get("operationId") or "Operation"))
        for (loc, wire), (pptr, param) in sorted(merged.items(), key=lambda kv: order.get(kv[0][0], 9)):
            whole_query = loc == "querystring" and self._whole_query(pptr, param)
            if whole_query:  # 3.2: the whole query string, url-encoded from an object
                loc, param = "query", {**param, "style": "form", "explode": True}
            if loc not in order:
                if loc != "querystring":
                    self._note(pptr + "/in", f"a parameter in {loc!r} is not sent: only path, query, header and cookie ones are")
                continue
            schema = param.get("schema")
            sptr = pptr + "/schema"
            json_text = False
            content = param.get("content")
            if schema is None and isinstance(content, dict) and content:
                # OpenAPI's other way to describe a parameter: one media type and its schema
                media = sorted(str(m) for m in content)[0]
                schema = as_dict(content.get(media)).get("schema")
                sptr = join_pointer(pptr, "content", media, "schema")
                json_text = media_kind(media) == "json"
                if not json_text and not whole_query:
                    self._note(join_pointer(pptr, "content", media), f"a {media!r} parameter is sent as text")
            if schema is not None and not isinstance(schema, dict | bool):
                self._warn(sptr, "schema is not an object: the parameter is sent as text")
            schema = as_dict(schema)
            inline_object = is_object(schema) or any(is_object(v) for v in as_list(schema.get("oneOf")))
            if inline_object and (json_text or whole_query):
                typ: TypeExpr = MapOf(Prim("Any"))
            elif inline_object:
                self._note(sptr, "object-valued parameters are sent as JSON text")
                typ = Prim("str")
            else:
                typ = self._type_noninline(schema, sptr, Ctx("", "", op_prefix + naming.pascal(wire), "request"))
            const: JsonValue = MISSING
            if isinstance(typ, Lit) and len(typ.values) == 1 and loc == "header" and param.get("required"):
                const = typ.values[0]
            # snake_case in Python (petId -> pet_id); the wire name is kept beside it
            python_name = naming.param_name(naming.snake(wire))
            name = naming.dedupe([python_name], taken)[0] if const is MISSING else python_name
            ex = param.get("examples")
            examples = tuple(
                e.get("value") for e in (ex.values() if isinstance(ex, dict) else []) if isinstance(e, dict)
            )
            if "example" in param:
                examples = (param["example"], *examples)
            elif isinstance(schema, dict) and "example" in schema:
                examples = (schema["example"], *examples)
            style = str(param.get("style", "simple" if loc in ("path", "header") else "form"))
            out.append(
                ParamDecl(
                    wire_name=wire,
                    name=name,
                    location=loc,  # type: ignore[arg-type]
                    type=typ,
                    required=bool(param.get("required")) or loc == "path",
                    description=text(param.get("description")) or text(schema.get("description")),
                    default=schema.get("default", MISSING) if isinstance(schema, dict) else MISSING,
                    constraints=self._constraints(schema) if isinstance(schema, dict) else NO_CONSTRAINTS,
                    const=const,
                    explode=bool(param.get("explode", style == "form")),
                    style=style,
                    deprecated=bool(param.get("deprecated")),
                    examples=examples,
                    pointer=pptr,
                    json_text=json_text,
                )
            )
        return out

    def _whole_query(self, ptr: str, param: dict[str, Any]) -> bool:
        """Whether a 3.2 ``in: querystring`` parameter can be sent: its content is
        url-encoded (an object becomes the ``k=v`` pairs of the query); else a note."""
        content = as_dict(param.get("content"))
        media = sorted(str(m) for m in content)[0] if content else ""
        if media_kind(media) == "form":
            return True
        self._note(ptr, f"a querystring parameter of {media or 'no media type'!r} is not sent: only url-encoded ones are")
        return False

    def _type_noninline(self, schema: Any, ptr: str, ctx: Ctx) -> TypeExpr:
        """Parameter types: refs become named types; inline enums stay Literal."""
        if isinstance(schema, dict) and "$ref" in schema:
            tptr, target = self._deref(schema, ptr)
            if isinstance(target, dict) and not is_object(target) and self._is_pure(tptr):
                return self._ref_type(tptr, "response", ptr)
            return self._ref_type(tptr, "request", ptr)
        if isinstance(schema, dict) and isinstance(schema.get("enum"), list):
            return Lit(tuple(literal(v) for v in schema["enum"] if v is not None))
        if isinstance(schema, dict) and "const" in schema:
            return Lit((literal(schema["const"]),))
        types = [t for t in types_of(schema) if t != "null"] if isinstance(schema, dict) else []
        if isinstance(schema, dict) and types and all(t in ("string", "integer", "number", "boolean", "array") for t in types):
            variants = [self._simple(t, schema, ptr, ctx, "") for t in types]
            typ: TypeExpr = variants[0] if len(variants) == 1 else UnionOf(tuple(variants))
            return typ
        return Prim("str")

    def _params_typeddict(self, ptr: str, wanted: str, params: list[ParamDecl]) -> str:
        key = self._key(ptr + "/parameters", "request")
        name, module = self._synthetic_top(wanted, ptr)
        self.top_names[key] = (name, module)
        self.members[module] = [key]
        self.module_top[module] = key
        self.taken.setdefault(module, set()).add(name)
        fields = tuple(
            FieldDecl(
                wire_name=p.name,  # the keyword arguments this TypedDict documents
                name=p.name,
                type=p.type,
                required=p.required,
                description=p.description,
                default=p.default,
                constraints=p.constraints,
                deprecated=p.deprecated,
                pointer=ptr,
            )
            for p in params
        )
        self.decls[key] = ModelDecl(
            key=key,
            name=name,
            module=module,
            owner=None,
            shape="request",
            description=f"Query parameters of {wanted.removesuffix('Params') or wanted}.",
            fields=fields,
            pointer=ptr + "/parameters",
        )
        return key

