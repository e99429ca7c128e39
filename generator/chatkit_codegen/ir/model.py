"""The intermediate representation: typed, immutable records, built once per document.

Every renderer (models, requests and clients, docs) reads this and nothing else.
Names are final Python identifiers; wire names are kept beside them; types are a
small tagged union (``TypeExpr``) so each renderer prints them its own way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal as TLiteral
from typing import TypeAlias

JsonValue: TypeAlias = object  # a plain JSON value (dict, list, str, int, float, bool, None)

# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class Prim:
    """A builtin or stdlib type: str, int, float, bool, bytes, datetime, date, UUID, Any, None."""

    name: str


@dataclass(frozen=True)
class Lit:
    """``Literal[...]``: enum and const values, in spec order."""

    values: tuple[str | int | float | bool | None, ...]


@dataclass(frozen=True)
class Ref:
    """A reference to a named declaration (model class or alias) by its key."""

    key: str


@dataclass(frozen=True)
class ListOf:
    item: TypeExpr


@dataclass(frozen=True)
class TupleOf:
    items: tuple[TypeExpr, ...]


@dataclass(frozen=True)
class MapOf:
    value: TypeExpr
    key: TypeExpr = Prim("str")


@dataclass(frozen=True)
class UnionOf:
    """A union; with ``discriminator`` it is tagged. ``tags`` (one tuple per variant)
    is set when the document maps tag values explicitly (``discriminator.mapping``)."""

    variants: tuple[TypeExpr, ...]
    discriminator: str | None = None
    tags: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Nullable:
    inner: TypeExpr


@dataclass(frozen=True)
class Constrained:
    """A type with validation constraints that sits inside another type (list items, map keys)."""

    inner: TypeExpr
    constraints: Constraints


TypeExpr: TypeAlias = Prim | Lit | Ref | ListOf | TupleOf | MapOf | UnionOf | Nullable | Constrained


@dataclass(frozen=True)
class Constraints:
    ge: int | float | None = None
    gt: int | float | None = None
    le: int | float | None = None
    lt: int | float | None = None
    multiple_of: int | float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None

    def items(self) -> list[tuple[str, int | float | str]]:
        out: list[tuple[str, int | float | str]] = []
        for name in (
            "ge",
            "gt",
            "le",
            "lt",
            "multiple_of",
            "min_length",
            "max_length",
            "pattern",
        ):
            value = getattr(self, name)
            if value is not None:
                out.append((name, value))
        return out

    def __bool__(self) -> bool:
        return bool(self.items())


NO_CONSTRAINTS = Constraints()


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "MISSING"  # unpickled as this module's one MISSING (the result cache)


MISSING: JsonValue = _Missing()

# --------------------------------------------------------------------- declarations

Shape: TypeAlias = TLiteral["response", "request"]


@dataclass(frozen=True)
class FieldDecl:
    wire_name: str
    name: str
    type: TypeExpr
    required: bool
    description: str | None
    default: JsonValue = MISSING
    constraints: Constraints = NO_CONSTRAINTS
    deprecated: bool = False
    read_only: bool = False
    write_only: bool = False
    pointer: str = ""

    @property
    def nullable(self) -> bool:
        return isinstance(self.type, Nullable)

    @property
    def has_default(self) -> bool:
        return self.default is not MISSING


@dataclass(frozen=True)
class ModelDecl:
    """An object schema in one shape: a BaseModel (response) or TypedDict (request)."""

    key: str
    name: str
    module: str
    owner: str | None  # key of the top-level declaration whose module holds this one
    shape: Shape
    description: str | None
    fields: tuple[FieldDecl, ...]
    bases: tuple[str, ...] = ()
    extra: TLiteral["allow", "forbid"] = "allow"
    extra_type: TypeExpr | None = None
    deprecated: bool = False
    examples: tuple[JsonValue, ...] = ()
    pointer: str = ""
    title: str | None = None


@dataclass(frozen=True)
class AliasDecl:
    """A named type: an enum (Literal), a union, or an alias of another type."""

    key: str
    name: str
    module: str
    owner: str | None
    shape: Shape
    description: str | None
    type: TypeExpr
    kind: TLiteral["enum", "union", "alias"]
    deprecated: bool = False
    examples: tuple[JsonValue, ...] = ()
    pointer: str = ""


Decl: TypeAlias = ModelDecl | AliasDecl


@dataclass(frozen=True)
class Module:
    """One generated file under ``types/``: a top-level declaration and its nested ones."""

    name: str
    top: str  # key of the top-level declaration
    decls: tuple[str, ...]  # keys in definition order (dependencies first)
    cyclic_imports: frozenset[str] = frozenset()  # modules imported at the bottom


# ------------------------------------------------------------------------ operations

ParamLocation: TypeAlias = TLiteral["path", "query", "header", "cookie"]


@dataclass(frozen=True)
class ParamDecl:
    wire_name: str
    name: str
    location: ParamLocation
    type: TypeExpr
    required: bool
    description: str | None
    default: JsonValue = MISSING
    constraints: Constraints = NO_CONSTRAINTS
    const: JsonValue = MISSING  # a header every call sends with a fixed value
    explode: bool = True
    style: str = "form"
    deprecated: bool = False
    examples: tuple[JsonValue, ...] = ()
    pointer: str = ""
    # The value travels as JSON text: a ``content: application/json`` parameter, or
    # the safe reading of nested values a style cannot write (``ir.support``).
    json_text: bool = False


MediaKind: TypeAlias = TLiteral["json", "form", "multipart", "event-stream", "text", "binary"]
_JSON_ESSENCE = re.compile(r"application/([a-z0-9.+-]*\+)?json")


def media_essence(media: str) -> str:
    """``multipart/form-data; boundary=x`` -> ``multipart/form-data``."""
    return media.split(";", 1)[0].strip().lower()


def media_kind(media: str) -> MediaKind:
    """What a media type means to the generated client, decided in one place:
    ``application/json``, ``application/problem+json; charset=utf-8`` -> json,
    url-encoded -> form, ``multipart/form-data`` -> multipart, ``text/event-stream``,
    other ``text/*`` -> text, anything else -> binary."""
    essence = media_essence(media)
    if _JSON_ESSENCE.fullmatch(essence):
        return "json"
    if essence == "application/x-www-form-urlencoded":
        return "form"
    if essence == "multipart/form-data":
        return "multipart"
    if essence == "text/event-stream":
        return "event-stream"
    return "text" if essence.startswith("text/") else "binary"


@dataclass(frozen=True)
class BodyDecl:
    media_type: str
    type: TypeExpr
    required: bool
    description: str | None
    # the object's properties, when the body is an object; ``name`` is the keyword
    # argument of the generated methods (snake_case, unique among the operation's
    # parameters), ``wire_name`` the property the request sends
    fields: tuple[FieldDecl, ...]
    params_key: str | None  # the TypedDict declaration of the body, when there is one
    examples: tuple[tuple[str, JsonValue], ...] = ()
    pointer: str = ""  # of the chosen media type object
    # url-encoded bodies: (property wire name, style, explode) from the media type's
    # ``encoding`` object, for the properties that give a style or explode
    encoding: tuple[tuple[str, str, bool], ...] = ()

    @property
    def kind(self) -> MediaKind:
        return media_kind(self.media_type)


@dataclass(frozen=True)
class ResponseDecl:
    status: str
    description: str | None
    media_type: str | None
    type: TypeExpr | None
    examples: tuple[tuple[str, JsonValue], ...] = ()
    pointer: str = ""

    @property
    def kind(self) -> MediaKind | None:
        """None: the response has no body."""
        return None if self.media_type is None else media_kind(self.media_type)

    @property
    def streaming(self) -> bool:
        return self.kind == "event-stream"


@dataclass(frozen=True)
class PageDecl:
    name: str
    items_field: str
    cursor_param: str
    next_cursor_field: str
    has_more_field: str


@dataclass(frozen=True)
class Pagination:
    page: PageDecl
    item_type: TypeExpr


AuthKind: TypeAlias = TLiteral["bearer", "basic", "header", "query", "cookie"]


@dataclass(frozen=True)
class AuthDecl:
    """How the client sends its API key, from the document's security requirement."""

    kind: AuthKind
    name: str  # the header, query or cookie name ("Authorization" for bearer and basic)
    scheme: str  # its key under components.securitySchemes
    pointer: str = ""


# Methods idempotent by HTTP's definition (RFC 9110 9.2.2), retried by default: the one
# list the request builders and the generated runtime (``_request.py``) are printed from.
IDEMPOTENT_METHODS: tuple[str, ...] = ("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE", "QUERY")  # QUERY: 3.2, safe
IDEMPOTENCY_HEADER = "idempotency-key"  # compared case-insensitively

# What decided whether an operation is retried by default: its HTTP method, an
# ``Idempotency-Key`` header parameter, or the document's ``x-idempotent`` extension.
RetryRule: TypeAlias = TLiteral["method", "idempotency-key", "x-idempotent"]


@dataclass(frozen=True)
class OperationDecl:
    operation_id: str
    name: str  # snake_case function name of the request builder
    method: str  # upper case
    path: str
    summary: str | None
    description: str | None
    tags: tuple[str, ...]
    resource: tuple[str, ...]  # ("beta", "chatkit", "sessions")
    method_name: str  # "cancel"
    params: tuple[ParamDecl, ...]
    body: BodyDecl | None
    responses: tuple[ResponseDecl, ...]
    success: ResponseDecl | None
    pagination: Pagination | None
    params_key: str | None  # TypedDict of query parameters (ThreadListParams)
    deprecated: bool = False
    pointer: str = ""
    authenticated: bool = True  # False when the operation says ``security: []``
    retried: bool = False  # retried on 408/409/429/5xx without the caller opting in
    retry_rule: RetryRule = "method"  # which rule set ``retried``
    idempotency_header: str | None = None  # wire name of its Idempotency-Key header: a key is generated

    @property
    def sdk_path(self) -> str:
        return ".".join((*self.resource, self.method_name))

    @property
    def wire_path(self) -> str:
        """The path the request goes to: the document's path without a fragment
        (Box writes ``/files/{file_id}#remove_shared_link`` to tell apart two
        operations on one path; a fragment is never sent)."""
        return self.path.split("#", 1)[0]

    def params_in(self, location: ParamLocation) -> tuple[ParamDecl, ...]:
        return tuple(p for p in self.params if p.location == location)


EventKind: TypeAlias = TLiteral["webhook", "callback"]


@dataclass(frozen=True)
class EventDecl:
    """A request the API sends to its user's server: a 3.1 webhook or an operation's callback."""

    kind: EventKind
    name: str  # the webhook's or the callback's name in the document
    func_name: str  # the generated function that parses its payload (parse_new_pet)
    method: str  # upper case
    expression: str  # callbacks: the runtime expression of the URL; webhooks: ""
    operation_id: str | None  # callbacks: the operation that registers it
    summary: str | None
    description: str | None
    payload: BodyDecl | None  # None: the request has no body
    responses: tuple[ResponseDecl, ...]  # what the user's server answers
    pointer: str = ""


@dataclass(frozen=True)
class LinkDecl:
    """A response link: how a value of one response feeds another operation."""

    name: str
    operation: str  # pointer of the operation whose response has the link
    status: str
    target_operation_id: str | None
    target_ref: str | None
    parameters: tuple[tuple[str, str], ...]  # (parameter, runtime expression)
    request_body: str | None
    description: str | None
    pointer: str = ""


# ------------------------------------------------------------------------------- API


@dataclass(frozen=True)
class Server:
    url: str
    description: str | None


NoteLevel: TypeAlias = TLiteral["note", "warning"]


@dataclass(frozen=True)
class Note:
    """Something the generator approximated or renamed; reported at the end of a run.

    A ``warning`` is a defect of the document that has a safe reading: the message
    says what was generated instead."""

    pointer: str
    message: str
    line: int = 0
    col: int = 0
    level: NoteLevel = "note"
    # ``validate`` reports the same defect (under the severity policy): when it ran,
    # the pipeline drops this note, so each defect is said once.
    validated: bool = False


@dataclass(frozen=True)
class API:
    title: str
    version: str
    description: str | None
    openapi: str
    servers: tuple[Server, ...]
    decls: dict[str, Decl]
    modules: tuple[Module, ...]
    operations: tuple[OperationDecl, ...]
    pages: tuple[PageDecl, ...]
    tags: tuple[tuple[str, str | None], ...]
    spec_name: str
    spec_sha256: str
    notes: tuple[Note, ...] = field(default=())
    license: str | None = None  # info.license.identifier (SPDX), when the spec gives one
    auth: AuthDecl | None = None  # None: the document declares no security
    events: tuple[EventDecl, ...] = ()  # webhooks and callbacks, in document order
    links: tuple[LinkDecl, ...] = ()
    # what the document itself holds, for "kept N of M" in the end-of-run summary
    document_schemas: int = 0  # entries of components/schemas
    document_operations: int = 0  # operations under paths

    def decl(self, key: str) -> Decl:
        return self.decls[key]

    def module_of(self, key: str) -> str:
        return self.decls[key].module
