"""What the generated client can send on the wire, decided once for the whole API.

Every "can this parameter or body be sent faithfully" decision lives here, so the
renderers only print. ``check_support`` looks at all operations after the IR is
built and returns every problem at once, each at its parameter's or body's JSON
pointer; ``supported_api`` (called by the pipeline) raises them together.

Parameters follow the OpenAPI 3.1 style table (RFC 6570 for paths):

* path: ``simple`` (``5``, ``3,4``, ``k,v`` / ``k=v``), ``label`` (``.5``, ``.3.4``),
  ``matrix`` (``;id=5``, ``;id=3,4`` / ``;id=3;id=4``), for scalars, arrays and
  objects of scalars;
* query: ``form`` (arrays repeat the key when exploded, else ``a,b``; objects become
  ``k=v`` pairs when exploded, else ``k,v,k2,v2``), ``spaceDelimited``,
  ``pipeDelimited`` and ``deepObject`` (``metadata[key]=value``, nested objects and
  arrays in bracket notation ``a[b][0]=v``, as Stripe and OpenAI read them);
* header: ``simple``; cookie: ``form`` (arrays and objects only with
  ``explode: false``: one cookie holds one value).

url-encoded bodies carry nested objects and arrays of objects in bracket notation
(``card[number]=...``, ``items[0][price]=...``); a property the media type's
``encoding`` gives a style is sent like a query parameter of that style (Stripe's
``expand: {style: deepObject}`` -> ``expand[0]=a``). Values with a ``format`` the models
map to a Python type (date, date-time, UUID) are sent as ISO 8601 / canonical text.

Object-valued parameters whose inline schema the IR types as plain text (maps with
``additionalProperties``) get their real type here (``with_object_params``), read
from the document at the parameter's pointer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any, Literal

from ..errors import CodegenError, Level, Problem
from ..load.walk import resolve_pointer
from .model import (
    API,
    MISSING,
    AliasDecl,
    BodyDecl,
    Constrained,
    ListOf,
    Lit,
    MapOf,
    ModelDecl,
    Note,
    Nullable,
    OperationDecl,
    ParamDecl,
    Prim,
    Ref,
    TupleOf,
    TypeExpr,
    UnionOf,
)

# Python types a parameter value may have and the runtime writes as text.
SCALAR_PRIMS = frozenset({"str", "int", "float", "bool", "datetime", "date", "UUID", "Any"})
FORM_MEDIA = "application/x-www-form-urlencoded"
MULTIPART_MEDIA = "multipart/form-data"
STYLES: dict[str, tuple[str, ...]] = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form",),
}
# (style, explode) of a non-exploded array or object -> the separator of its items
SEPARATORS = {
    "form": ",",
    "simple": ",",
    "spaceDelimited": " ",
    "pipeDelimited": "|",
}

# scalar: one value; array: a list of scalars; object: a mapping of scalars;
# deep: objects or arrays nested in each other; binary: bytes; other: not sendable
ValueShape = Literal["scalar", "array", "object", "deep", "binary", "other"]
Locate = Callable[[str, str], Problem]


# ----------------------------------------------------------------------- shapes


def unalias(api: API, t: TypeExpr) -> TypeExpr:
    """``t`` without constraints, nullability and named aliases around it."""
    while True:
        if isinstance(t, Constrained | Nullable):
            t = t.inner
        elif isinstance(t, Ref) and isinstance(api.decls.get(t.key), AliasDecl):
            decl = api.decls[t.key]
            assert isinstance(decl, AliasDecl)
            t = decl.type
        else:
            return t


def value_shape(api: API, t: TypeExpr, depth: int = 0) -> ValueShape:
    """What a value of type ``t`` looks like on the wire (see ``ValueShape``)."""
    t = unalias(api, t)
    if isinstance(t, Prim):
        if t.name == "bytes":
            return "binary"
        return "scalar" if t.name in SCALAR_PRIMS or t.name == "None" else "other"
    if isinstance(t, Lit):
        return "scalar"
    if depth > 8:  # a recursive type: bracket notation still writes it out
        return "deep"
    if isinstance(t, UnionOf):
        shapes = {value_shape(api, v, depth) for v in t.variants}
        if shapes <= {"scalar"}:
            return "scalar"
        if "other" in shapes or "binary" in shapes:
            return "other"
        return shapes.pop() if len(shapes) == 1 else "deep"
    items: list[TypeExpr]
    if isinstance(t, ListOf | TupleOf):
        items = [t.item] if isinstance(t, ListOf) else list(t.items)
        inner = {value_shape(api, i, depth + 1) for i in items}
        if inner <= {"scalar"}:
            return "array"
        if inner <= {"binary"}:
            return "binary"
        return "other" if "other" in inner or "binary" in inner else "deep"
    if isinstance(t, MapOf):
        items = [t.value]
    elif isinstance(t, Ref) and isinstance(api.decls.get(t.key), ModelDecl):
        decl = api.decls[t.key]
        assert isinstance(decl, ModelDecl)
        items = [f.type for f in _all_fields(api, decl)]
        if decl.extra_type is not None:
            items.append(decl.extra_type)
    else:
        return "other"
    inner = {value_shape(api, i, depth + 1) for i in items}
    if inner <= {"scalar"}:
        return "object"
    return "other" if "other" in inner or "binary" in inner else "deep"


def _all_fields(api: API, decl: ModelDecl) -> list[Any]:
    fields = list(decl.fields)
    for base in decl.bases:
        parent = api.decls.get(base)
        if isinstance(parent, ModelDecl):
            fields.extend(_all_fields(api, parent))
    return fields


def separator(style: str) -> str:
    """The separator of a non-exploded array or object of ``style``."""
    return SEPARATORS.get(style, ",")


# ---------------------------------------------------------------------- checks


def param_problem(api: API, p: ParamDecl) -> str | None:
    """Why ``p`` cannot be sent, or None when the runtime sends it faithfully."""
    where = f"{p.location} parameter {p.wire_name!r}"
    if p.json_text:
        if p.location == "path":
            return f"{where}: a path parameter cannot be sent as JSON text (content)"
        return None
    if p.const is not MISSING:
        return f"{where}: constant cookies are not supported" if p.location == "cookie" else None
    if p.style not in STYLES[p.location]:
        allowed = ", ".join(repr(s) for s in STYLES[p.location])
        return f"{where}: style {p.style!r} is not supported (only {allowed})"
    shape = value_shape(api, p.type)
    if shape in ("other", "binary"):
        return f"{where}: only scalar values (text, numbers, booleans, dates, UUIDs), arrays and objects of them are supported"
    if shape == "deep" and p.style != "deepObject":
        return f"{where}: nested objects and arrays of objects need style: deepObject (a query parameter)"
    if p.location == "cookie" and p.explode and shape in ("array", "object"):
        kind = "array" if shape == "array" else "object"
        return f"{where}: an exploded {kind} cannot be sent as one cookie; set explode: false"
    return None


def body_problem(api: API, body: BodyDecl) -> str | None:
    """Why ``body`` cannot be sent, or None."""
    is_object = isinstance(body.type, Ref) and isinstance(api.decls.get(body.type.key), ModelDecl) and bool(body.fields)
    if body.kind in ("form", "multipart") and not is_object:
        media = FORM_MEDIA if body.kind == "form" else MULTIPART_MEDIA
        return f"request body {media!r}: only an object schema with properties can be sent as a form"
    if body.kind in ("json", "form", "multipart"):
        return None
    if raw_body_type(api, body) is None:
        return (
            f"request body {body.media_type!r}: only JSON, {FORM_MEDIA}, {MULTIPART_MEDIA} and raw "
            "(a string or binary schema, or none) bodies are supported"
        )
    return None


def field_encoding(body: BodyDecl, wire_name: str) -> tuple[str, bool] | None:
    """(style, explode) the ``encoding`` object gives a url-encoded property, if any."""
    for name, style, explode in body.encoding:
        if name == wire_name:
            return style, explode
    return None


def field_problem(api: API, body: BodyDecl, wire_name: str, t: TypeExpr) -> str | None:
    """Why a property of a form body cannot be sent, or None."""
    if body.kind != "form":
        return None
    shape = value_shape(api, t)
    if shape == "binary":
        return f"form field {wire_name!r}: binary values need {MULTIPART_MEDIA}, not {FORM_MEDIA}"
    if shape == "other":
        return f"form field {wire_name!r}: {FORM_MEDIA} bodies carry scalar values, arrays and objects of them"
    encoding = field_encoding(body, wire_name)
    if encoding is not None:
        style, _ = encoding
        if style not in STYLES["query"]:
            allowed = ", ".join(repr(s) for s in STYLES["query"])
            return f"form field {wire_name!r}: encoding style {style!r} is not supported (only {allowed})"
        if shape == "deep" and style != "deepObject":
            return f"form field {wire_name!r}: nested objects and arrays of objects need encoding style: deepObject"
    return None


def raw_body_type(api: API, body: BodyDecl) -> str | None:
    """The parameter type of a raw body (neither JSON nor a form): ``FileInput`` for
    binary content, ``str`` for text; None when it is neither. Structured data in a
    media type the client does not encode (``application/xml``, ``text/csv``) is raw
    content too, serialised by the caller (``structured_raw_body`` says so)."""
    if body.kind in ("json", "form", "multipart", "event-stream"):
        return None
    if structured_raw_body(api, body):
        return "str" if body.kind == "text" else "FileInput"
    t = unalias(api, body.type)
    text = body.kind == "text"
    if t == Prim("bytes") or (t == Prim("Any") and not text):
        return "FileInput"
    if t == Prim("str") or (t == Prim("Any") and text):
        return "str"
    return None


def structured_raw_body(api: API, body: BodyDecl) -> bool:
    """A body whose schema is structured data in a media type that is neither JSON nor
    a form (XML, CSV...): the client sends what the caller serialised."""
    if body.kind not in ("text", "binary"):
        return False
    return unalias(api, body.type) not in (Prim("bytes"), Prim("str"), Prim("Any"))


def raw_content_notes(api: API, locate: Locate) -> API:
    """``api`` with a located note for each body ``structured_raw_body`` holds."""
    notes = list(api.notes)
    for op in api.operations:
        if op.body is not None and structured_raw_body(api, op.body):
            message = (
                f"the client does not encode {op.body.media_type!r} bodies: the schema documents "
                "the content, which the caller passes serialised"
            )
            notes.append(_note(locate, op.body.pointer or op.pointer, message))
    return dataclasses.replace(api, notes=tuple(notes))


def _note(locate: Locate, pointer: str, message: str) -> Note:
    """A Note located in the document as ``locate`` locates a problem."""
    where = locate(pointer, message)
    return Note(where.pointer, where.message, where.line, where.col)


def path_problem(op: OperationDecl) -> str | None:
    import re

    placeholders = re.findall(r"\{([^{}]+)\}", op.path)
    names = sorted(p.wire_name for p in op.params_in("path"))
    if sorted(placeholders) != names or len(set(placeholders)) != len(placeholders):
        return f"path parameters {names} do not match the template {op.path!r}"
    return None


def operation_problems(api: API, op: OperationDecl) -> Iterable[tuple[str, str]]:
    """(pointer, message) of everything in ``op`` the client cannot send."""
    message = path_problem(op)
    if message:
        yield op.pointer, message
    for p in op.params:
        message = param_problem(api, p)
        if message:
            yield p.pointer or op.pointer, message
    if op.success is not None and op.success.streaming and op.success.type is None:
        yield op.success.pointer or op.pointer, "a text/event-stream response needs a schema: the type of its events"
    body = op.body
    if body is None:
        return
    message = body_problem(api, body)
    if message:
        yield body.pointer or op.pointer, message
        return
    for f in body.fields:
        message = field_problem(api, body, f.wire_name, f.type)
        if message:
            yield f.pointer or body.pointer or op.pointer, message


def check_support(api: API, locate: Locate) -> list[Problem]:
    """Every problem of every operation, located by ``locate(pointer, message)``."""
    return [locate(pointer, message) for op in api.operations for pointer, message in operation_problems(api, op)]


# ----------------------------------------------------- object-valued parameters


def schema_value_type(data: Any, schema: Any, depth: int = 0) -> TypeExpr | None:
    """A parameter value type for a schema without a declaration of its own: scalars,
    arrays and maps of them. None when ``schema`` is not one of those."""
    if not isinstance(schema, dict) or depth > 8:
        return None
    if "$ref" in schema and isinstance(schema["$ref"], str):
        try:
            return schema_value_type(data, resolve_pointer(data, schema["$ref"]), depth + 1)
        except KeyError:
            return None
    for key in ("anyOf", "oneOf"):
        variants = schema.get(key)
        if isinstance(variants, list):
            non_null = [v for v in variants if not (isinstance(v, dict) and v.get("type") == "null")]
            if len(non_null) == 1:
                inner = schema_value_type(data, non_null[0], depth + 1)
                return Nullable(inner) if inner is not None and len(non_null) < len(variants) else inner
            return None
    types = schema.get("type")
    names = [types] if isinstance(types, str) else [t for t in types if isinstance(t, str)] if isinstance(types, list) else []
    nullable = "null" in names or schema.get("nullable") is True
    names = [t for t in names if t != "null"]
    if not names and ("properties" in schema or "additionalProperties" in schema):
        names = ["object"]
    if len(names) != 1:
        return None
    kind = names[0]
    out: TypeExpr | None
    if kind == "object":
        values: list[TypeExpr] = []
        props = schema.get("properties")
        for prop in props.values() if isinstance(props, dict) else ():
            values.append(schema_value_type(data, prop, depth + 1) or Prim("Any"))
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            values.append(schema_value_type(data, extra, depth + 1) or Prim("Any"))
        elif extra is not False and not values:
            values.append(Prim("Any"))
        unique = list(dict.fromkeys(values))
        out = MapOf(unique[0] if len(unique) == 1 else UnionOf(tuple(unique))) if unique else MapOf(Prim("Any"))
    elif kind == "array":
        item = schema_value_type(data, schema.get("items", {}), depth + 1)
        out = ListOf(item or Prim("Any"))
    elif kind == "string":
        fmt = schema.get("format")
        out = Prim({"date-time": "datetime", "date": "date", "uuid": "UUID"}.get(str(fmt), "str"))
    else:
        out = {"integer": Prim("int"), "number": Prim("float"), "boolean": Prim("bool")}.get(kind)
    if out is None:
        return None
    return Nullable(out) if nullable else out


def _retyped(data: Any, p: ParamDecl) -> ParamDecl:
    """``p`` with its object type when the IR typed an object schema as text."""
    if p.type != Prim("str") or not p.pointer:
        return p
    try:
        schema = resolve_pointer(data, "#" + p.pointer + "/schema")
    except KeyError:
        return p
    t = schema_value_type(data, schema)
    if t is None or not isinstance(Nullable(t).inner if not isinstance(t, Nullable) else t.inner, MapOf):
        return p
    return dataclasses.replace(p, type=t)


# The IR's note for an inline object parameter it typed as text; once the parameter
# has its object type here, the note no longer holds.
_TEXT_NOTE = "object-valued parameters are sent as JSON text"


def with_object_params(api: API, data: Any) -> API:
    """``api`` with object-valued parameters typed as maps (``Dict[str, str]``)."""
    ops = []
    retyped: set[str] = set()
    decls = dict(api.decls)
    for op in api.operations:
        params = tuple(_retyped(data, p) for p in op.params)
        changed = {p.wire_name: p.type for p, old in zip(params, op.params, strict=True) if p is not old}
        retyped.update(p.pointer + "/schema" for p in params if p.wire_name in changed)
        ops.append(op if not changed else dataclasses.replace(op, params=params))
        holder = decls.get(op.params_key) if op.params_key and changed else None
        if isinstance(holder, ModelDecl):  # the query parameters' TypedDict says the same
            fields = tuple(
                dataclasses.replace(f, type=changed[f.wire_name]) if f.wire_name in changed else f for f in holder.fields
            )
            decls[holder.key] = dataclasses.replace(holder, fields=fields)
    notes = tuple(n for n in api.notes if not (n.pointer in retyped and n.message == _TEXT_NOTE))
    return dataclasses.replace(api, operations=tuple(ops), notes=notes, decls=decls)


def _form_encoding(data: Any, body: BodyDecl) -> tuple[tuple[str, str, bool], ...]:
    try:
        raw = resolve_pointer(data, "#" + body.pointer + "/encoding") if body.pointer else None
    except KeyError:
        return ()
    out: list[tuple[str, str, bool]] = []
    for f in body.fields:
        entry = raw.get(f.wire_name) if isinstance(raw, dict) else None
        if isinstance(entry, dict) and ("style" in entry or "explode" in entry):
            style = str(entry.get("style", "form"))
            out.append((f.wire_name, style, bool(entry.get("explode", style == "form"))))
    return tuple(out)


def with_form_encoding(api: API, data: Any) -> API:
    """``api`` with the ``encoding`` styles of url-encoded bodies (``BodyDecl.encoding``)."""
    ops = []
    for op in api.operations:
        body = op.body
        if body is not None and body.kind == "form" and not body.encoding:
            encoding = _form_encoding(data, body)
            if encoding:
                op = dataclasses.replace(op, body=dataclasses.replace(body, encoding=encoding))
        ops.append(op)
    return dataclasses.replace(api, operations=tuple(ops))


# ----------------------------------------------------------------- empty forms


def is_empty_form(api: API, body: BodyDecl) -> bool:
    """A form body whose object has no properties and admits no others (Stripe puts
    ``{type: object, properties: {}, additionalProperties: false}`` on every GET)."""
    if body.kind not in ("form", "multipart") or body.fields or not isinstance(body.type, Ref):
        return False
    decl = api.decls.get(body.type.key)
    return isinstance(decl, ModelDecl) and not _all_fields(api, decl) and decl.extra_type is None and decl.extra == "forbid"


def without_empty_forms(api: API, locate: Locate) -> API:
    """``api`` without the form bodies that cannot hold anything, each a located note:
    such an operation sends no body."""
    ops = []
    notes = list(api.notes)
    for op in api.operations:
        if op.body is not None and is_empty_form(api, op.body):
            notes.append(_note(locate, op.body.pointer or op.pointer, "the form body has no properties: no body is sent"))
            op = dataclasses.replace(op, body=None)
        ops.append(op)
    return dataclasses.replace(api, operations=tuple(ops), notes=tuple(notes))


# ------------------------------------------------------------ JSON text values

# The fallback of the safe reading below (a policy kind of ``load.severity``).
JSON_TEXT_KIND = "json-text"


def json_text_reading(api: API, p: ParamDecl) -> str | None:
    """Why ``p`` is sent as JSON text although its style says otherwise, or None:
    nested objects and arrays of objects outside ``deepObject`` (Box's
    ``mdfilters=[{...}]``) have no serialization in OpenAPI's style table; JSON text
    is what such APIs read."""
    if p.json_text or p.location == "path" or p.const is not MISSING:
        return None
    if value_shape(api, p.type) != "deep" or p.style == "deepObject":
        return None
    return f"{p.location} parameter {p.wire_name!r}: nested objects and arrays of objects have no {p.style!r} serialization"


def with_json_text(api: API, warn: Locate) -> tuple[API, list[Problem]]:
    """``api`` with every parameter ``json_text_reading`` gives a reason for sent as
    JSON text, and one located warning each."""
    warnings: list[Problem] = []
    ops = []
    for op in api.operations:
        params = []
        for p in op.params:
            reason = json_text_reading(api, p)
            if reason is not None:
                warnings.append(warn(p.pointer or op.pointer, reason))
                p = dataclasses.replace(p, json_text=True)
            params.append(p)
        ops.append(dataclasses.replace(op, params=tuple(params)))
    return dataclasses.replace(api, operations=tuple(ops)), warnings


def supported_api(api: API, data: Any, problem: Callable[[Level, str, str], Problem]) -> tuple[API, list[Problem]]:
    """The API the renderers print and the warnings of its safe readings; raises every
    problem of every operation at once. ``problem`` is ``Document.problem``."""
    from ..load.severity import downgrade

    api = with_form_encoding(with_object_params(api, data), data)
    def note(pointer: str, message: str) -> Problem:  # located like a problem, kept as a Note
        return problem(Level.NOTE, pointer, message)

    api = raw_content_notes(without_empty_forms(api, note), note)
    api, warnings = with_json_text(
        api, lambda pointer, message: downgrade(problem(Level.ERROR, pointer, message), JSON_TEXT_KIND)
    )
    problems = check_support(api, lambda pointer, message: problem(Level.ERROR, pointer, message))
    if problems:
        raise CodegenError(problems)
    return api, warnings
