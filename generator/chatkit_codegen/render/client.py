"""The client side of a generated package: runtime, request builders, resources, clients.

``render_client`` writes, when the API has operations:

* ``_request.py``, ``_exceptions.py``, ``_base_client.py``, ``pagination.py``: the
  runtime, rendered from ``templates/runtime`` (no import of this toolkit);
* ``operations.py``: one pure request builder per operation (``client_ops``);
* ``resources/...``: one module per resource node of the SDK path
  (``beta.chatkit.sessions``), each with sync and async classes, and for each of
  them a ``WithRawResponse`` and a ``WithStreamingResponse`` view that wraps its
  methods (``_response.py``'s wrappers) the way openai-python's resources do;
* ``_client.py``: the client classes, the root of that tree.

The tree, class names, module paths and imports are decided here; templates print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..errors import SPEC_FILE, CodegenError, Level, Problem
from ..ir import naming
from ..ir.model import (
    API,
    Constrained,
    ListOf,
    MapOf,
    ModelDecl,
    Nullable,
    OperationDecl,
    Prim,
    Ref,
    TupleOf,
    TypeExpr,
    UnionOf,
)
from .client_ops import (
    FunctionView,
    MethodTarget,
    OperationView,
    builder_function,
    error_types,
    operation_view,
    problem,
    resource_method,
)
from .client_retries import idempotent_methods_literal
from .context import RenderContext
from .pyfmt import (
    LINE_LENGTH,
    Node,
    adapter_lines,
    assignment,
    docstring,
    layout,
    py_str,
)
from .pytypes import Imports, TypePrinter

RUNTIME_MODULES = ("_request", "_exceptions", "_response", "_base_client", "pagination")
# The views of a resource: (class-name suffix, attribute, sync wrapper, async wrapper)
FLAVOURS = (
    ("", "", "", ""),
    ("WithRawResponse", "with_raw_response", "to_raw_response_wrapper", "async_to_raw_response_wrapper"),
    (
        "WithStreamingResponse",
        "with_streaming_response",
        "to_streamed_response_wrapper",
        "async_to_streamed_response_wrapper",
    ),
)
VIEW_ATTRS = frozenset(attr for _, attr, _, _ in FLAVOURS if attr)
# Attributes of the runtime clients a resource may not shadow on the client class.
CLIENT_ATTRS = frozenset(
    {
        "api_key",
        "base_url",
        "timeout",
        "retry_policy",
        "request",
        "request_raw",
        "send_request",
        "close",
        "aclose",
        "copy",
        "with_options",
        "strict_response_validation",
        "with_raw_response",
        "with_streaming_response",
    }
)
# Names the client modules import from the runtime; declarations may not reuse them.
RUNTIME_NAMES = frozenset(
    {
        "APIRequest",
        "AsyncAPIClient",
        "Mapping",
        "NOT_GIVEN",
        "NoneType",
        "NotGiven",
        "Optional",
        "RawResponse",
        "SyncAPIClient",
        "TimeoutTypes",
        "Union",
        "async_to_raw_response_wrapper",
        "async_to_streamed_response_wrapper",
        "cached_property",
        "format_path",
        "merge_headers",
        "optional_body",
        "pydantic",
        "strip_not_given",
        "to_raw_response_wrapper",
        "to_streamed_response_wrapper",
    }
)
# Names of the event-stream runtime (``_streaming.py``), reserved when it is rendered.
STREAMING_NAMES = frozenset({"Stream", "AsyncStream", "raw_stream", "raw_async_stream"})
EXCEPTIONS = (
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
)


Adapters = dict[str, tuple[str, list[str]]]  # type text -> (variable, its lines)


@dataclass(frozen=True)
class ClientConfig:
    """The ``client`` context of the runtime templates."""

    package_name: str
    api_key_env: str
    base_url_env: str
    log_env: str
    default_base_url: str
    version: str
    user_agent: str
    auth_kind: str = "bearer"
    auth_name: str = "Authorization"


@dataclass
class PropertyView:
    """A ``cached_property`` returning ``cls(arg)``: a sub-resource or a response view."""

    attr: str
    cls: str
    arg: str  # "self" (client), "self._client" or "self._resource.<attr>"

    @property
    def lines(self) -> list[str]:
        """The property as black prints it, relative to the class body."""
        head = f"def {self.attr}(self) -> {self.cls}:"
        if 4 + len(head) > LINE_LENGTH:
            defn = [f"def {self.attr}(", "    self,", f") -> {self.cls}:"]
        else:
            defn = [head]
        body = [line[4:] for line in layout("return ", Node(self.cls, "(", [self.arg], ")"), "", 8)]
        return ["@cached_property", *defn, *body]


@dataclass
class ClassView:
    name: str
    bases: str
    doc: list[str]
    client_type: str | None  # None: __init__ inherited (the client classes)
    properties: list[PropertyView]  # response views (with_raw_response, ...), then children
    methods: list[FunctionView]
    wrapped: str | None = None  # a view class: the class whose methods it wraps
    wrappers: list[list[str]] = field(default_factory=list)  # "self.m = wrap(resource.m)"

    @property
    def init_head(self) -> list[str]:
        """A view class's ``def __init__(self, resource: <wrapped>) -> None:``, laid out."""
        params = Node("__init__", "(", ["self", f"resource: {self.wrapped}"], ")")
        return [line[4:] for line in layout("def ", params, " -> None:", 4)]


@dataclass
class ModuleView:
    header: str
    doc: str
    imports: list[list[str]]
    all_lines: list[str]
    adapters: list[list[str]]
    classes: list[ClassView]


@dataclass
class InitView:
    header: str
    imports: list[list[str]]
    all_lines: list[str]


@dataclass
class _Node:
    """One resource: a step of the SDK path, with its operations and sub-resources."""

    path: tuple[str, ...]
    ops: list[OperationDecl] = field(default_factory=list)
    children: dict[str, _Node] = field(default_factory=dict)
    base: str = ""  # class name stem: "Sessions" -> Sessions, AsyncSessions, ...
    module: tuple[str, ...] = ()  # module path inside the package
    attrs: dict[str, str] = field(default_factory=dict)  # child key -> attribute name
    methods: dict[str, str] = field(default_factory=dict)  # operation name -> method

    def walk(self) -> list[_Node]:
        out = [self]
        for child in self.children.values():
            out.extend(child.walk())
        return out

    def names(self, *, is_async: bool, suffix: str = "") -> str:
        return ("Async" if is_async else "") + self.base + suffix


def _variants(stem: str) -> set[str]:
    return {f"{a}{stem}{suffix}" for a in ("", "Async") for suffix, _, _, _ in FLAVOURS}


def _unique(name: str, used: set[str]) -> str:
    while name in used:
        name += "_"
    used.add(name)
    return name


def _streams(api: API) -> bool:
    return any(op.success is not None and op.success.streaming for op in api.operations)


def _tree(api: API, client_name: str, runtime_names: frozenset[str]) -> _Node:
    root = _Node(path=())
    for op in api.operations:
        node = root
        for part in op.resource or ("api",):  # the client class itself has no methods
            node = node.children.setdefault(part, _Node(path=(*node.path, part)))
        node.ops.append(op)
    taken = {d.name for d in api.decls.values()} | set(runtime_names)
    taken |= {client_name, f"Async{client_name}"}
    root.base = client_name
    root.module = ("_client",)
    for node in root.walk()[1:]:
        stem = naming.class_name(node.path[-1])
        if _variants(stem) & taken:
            stem += "Resource"
        n = 2
        candidate = stem
        while _variants(candidate) & taken:
            candidate = f"{stem}{n}"
            n += 1
        taken |= _variants(candidate)
        node.base = candidate
    for node in root.walk():
        used = set(CLIENT_ATTRS) if not node.path else set(VIEW_ATTRS)
        for op in node.ops:
            node.methods[op.name] = _unique(op.method_name, used)
        for key in node.children:
            node.attrs[key] = _unique(key, used)
        if node.path:
            parent_dir = ("resources", *node.path[:-1])
            name = node.path[-1]
            if node.children:
                own = name if name not in node.children else f"_{name}"
                node.module = (*parent_dir, name, own)
            else:
                node.module = (*parent_dir, name)
    return root


def _prefix(module: tuple[str, ...]) -> str:
    """The relative-import prefix that reaches the package root from ``module``."""
    return "." * len(module)


def _is_class(api: API, t: TypeExpr | None) -> bool:
    return isinstance(t, Ref) and isinstance(api.decls[t.key], ModelDecl)


class ClientRenderer:
    def __init__(self, ctx: RenderContext) -> None:
        self.ctx = ctx
        self.api = ctx.api
        self.runtime_names = RUNTIME_NAMES | (STREAMING_NAMES if _streams(ctx.api) else frozenset())
        reserved = self.runtime_names | {f"{f}{p.name}" for p in ctx.api.pages for f in ("Sync", "Async")}
        clashes = [d for d in ctx.api.decls.values() if d.name in reserved]
        if clashes:
            raise CodegenError(
                Problem(
                    SPEC_FILE,
                    1,
                    1,
                    Level.ERROR,
                    d.pointer,
                    f"schema name {d.name!r} is also a name of the client runtime; rename it with x-sdk-name",
                )
                for d in clashes
            )
        self.root = _tree(ctx.api, ctx.cfg.client_name, self.runtime_names)
        self.views: dict[str, OperationView] = {}
        self.files: dict[str, str] = {}

    # ---------------------------------------------------------------- operations.py
    def operations_module(self) -> str:
        imports = Imports()
        imports.add("__future__", "annotations")
        imports.add("collections.abc", "Mapping")
        imports.add("typing", "Optional")
        builder_names = {op.name for op in self.api.operations}
        for op in self.api.operations:
            reserved = builder_names | _type_names(self.api, op)
            self.views[op.name] = operation_view(self.api, op, reserved)
        printer = self._printer("", imports, ".")
        used: list[TypeExpr | None] = [p.type for v in self.views.values() for p in v.params]
        used += [t for v in self.views.values() for _, t in v.errors]
        printer.qualified = _clashing(self.api, used)
        adapters: Adapters = {}

        def type_ref(t: TypeExpr) -> str:
            return self._parse_target(t, printer, adapters)

        functions: list[FunctionView] = []
        for op in self.api.operations:
            view = self.views[op.name]
            functions.append(builder_function(view, printer, type_ref))
            for name in view.uses:
                imports.add("typing" if name == "List" else "._request", name)
            if not all(p.required for p in view.params):
                imports.add("typing", "Union")
                imports.add("._request", "NOT_GIVEN")
                imports.add("._request", "NotGiven")
        if adapters:
            imports.add("pydantic", "TypeAdapter")
        names = [f.name for f in functions]
        return self.ctx.render(
            "client/operations.py.jinja",
            imports=imports.lines(),
            all_lines=_all_lines(names),
            adapters=[lines for _, lines in adapters.values()],
            functions=functions,
        )

    def _printer(self, module: str, imports: Imports, prefix: str) -> TypePrinter:
        printer = TypePrinter(self.api, module, imports, local_prefix=f"{prefix}types.")
        printer.runtime_prefix = prefix
        return printer

    # -------------------------------------------------------------------- resources
    def node_module(self, node: _Node) -> str:
        prefix = _prefix(node.module)
        imports = Imports()
        imports.add("__future__", "annotations")
        printer = self._printer("", imports, prefix)
        used: list[TypeExpr | None] = []
        for op in node.ops:
            used += [p.type for p in self.views[op.name].params]
            used += [op.success.type if op.success else None, op.pagination.item_type if op.pagination else None]
        printer.qualified = _clashing(self.api, used)
        adapters: Adapters = {}
        is_root = not node.path
        classes: list[ClassView] = []
        for suffix, _, sync_wrapper, async_wrapper in FLAVOURS:
            for is_async in (False, True):
                wrapper = async_wrapper if is_async else sync_wrapper
                if wrapper:
                    classes.append(self._view_class(node, imports, suffix, wrapper, is_async=is_async))
                else:
                    classes.append(self._class(node, printer, imports, adapters, is_async=is_async))
        for child in node.children.values():
            module = ".".join(child.module[len(node.module) - 1 :])
            for suffix, _, _, _ in FLAVOURS:
                for is_async in (False, True):
                    imports.add(f".{module}", child.names(is_async=is_async, suffix=suffix))
        imports.add("functools", "cached_property")
        if is_root:
            imports.add(f"{prefix}_base_client", "SyncAPIClient")
            imports.add(f"{prefix}_base_client", "AsyncAPIClient")
        if adapters:
            imports.add("pydantic", "TypeAdapter")
        names = [c.name for c in classes]
        doc = f"The ``{'.'.join(node.path)}`` resource." if node.path else "The API clients."
        return self.ctx.render(
            "client/resource.py.jinja",
            doc=docstring(doc, 0),
            imports=imports.lines(),
            all_lines=_all_lines(names),
            adapters=[lines for _, lines in adapters.values()],
            classes=classes,
        )

    def _class(
        self,
        node: _Node,
        printer: TypePrinter,
        imports: Imports,
        adapters: Adapters,
        *,
        is_async: bool,
    ) -> ClassView:
        """A resource class (or the client class itself at the root) with its methods."""
        prefix = printer.runtime_prefix
        is_root = not node.path
        runtime_client = "AsyncAPIClient" if is_async else "SyncAPIClient"
        children = [
            PropertyView(node.attrs[key], child.names(is_async=is_async), "self" if is_root else "self._client")
            for key, child in node.children.items()
        ]
        methods: list[FunctionView] = []
        for op in node.ops:
            view = self.views[op.name]
            target = self._target(op, printer, imports, adapters, is_async=is_async)
            methods.append(resource_method(view, printer, node.methods[op.name], target, is_async=is_async))
            imports.add(f"{prefix}operations", view.builder)
            if "FileInput" in view.uses:
                imports.add(f"{prefix}_request", "FileInput")
            if "List" in view.uses:
                imports.add("typing", "List")
            imports.add("collections.abc", "Mapping")
            imports.add("typing", "Optional")
            imports.add("typing", "Union")
            imports.add(f"{prefix}_request", "NOT_GIVEN")
            imports.add(f"{prefix}_request", "NotGiven")
            imports.add(f"{prefix}_base_client", "TimeoutTypes")
        if not is_root:
            imports.add(f"{prefix}_base_client", runtime_client)
        title = " ".join(self.api.title.split())
        if is_root:
            flavour = "Asynchronous (asyncio)" if is_async else "Synchronous"
            default = _default_base_url(self.api)
            fallback = f"else {default}" if default else "with no default"
            key_env = self.ctx.cfg.api_key_env
            key = (
                f"The API key comes from ``api_key`` or the ``{key_env}`` environment variable; the"
                if key_env
                else "The"
            )
            doc_text = (
                f"{flavour} client for the {title}.\n\n"
                f"{key} base URL from ``base_url`` or the ``{self.ctx.cfg.base_url_env}`` "
                f"environment variable, {fallback}."
            )
        else:
            doc_text = f"Calls under ``{'.'.join(node.path)}``."
        views = [
            PropertyView(attr, node.names(is_async=is_async, suffix=suffix), "self")
            for suffix, attr, _, _ in FLAVOURS
            if attr
        ]
        return ClassView(
            name=node.names(is_async=is_async),
            bases=runtime_client if is_root else "",
            doc=docstring(doc_text, 4),
            client_type=None if is_root else runtime_client,
            properties=[*views, *children],
            methods=methods,
        )

    def _view_class(self, node: _Node, imports: Imports, suffix: str, wrapper: str, *, is_async: bool) -> ClassView:
        """``XWithRawResponse`` / ``XWithStreamingResponse``: X's methods, each wrapped."""
        if node.methods:
            imports.add(f"{_prefix(node.module)}_response", wrapper)
        children = [
            PropertyView(
                node.attrs[key], child.names(is_async=is_async, suffix=suffix), f"self._resource.{node.attrs[key]}"
            )
            for key, child in node.children.items()
        ]
        wrappers = [
            [line[8:] for line in assignment(f"self.{name}", None, Node(wrapper, "(", [f"resource.{name}"], ")"), 8)]
            for name in node.methods.values()
        ]
        if "Streaming" in suffix:
            doc_text = "The same calls, each returning a context manager of the unread response."
        else:
            doc_text = "The same calls, each returning a RawResponse (status, headers, parse())."
        return ClassView(
            name=node.names(is_async=is_async, suffix=suffix),
            bases="",
            doc=docstring(doc_text, 4),
            client_type=None,
            properties=children,
            methods=[],
            wrapped=node.names(is_async=is_async),
            wrappers=wrappers,
        )

    def _target(
        self,
        op: OperationDecl,
        printer: TypePrinter,
        imports: Imports,
        adapters: Adapters,
        *,
        is_async: bool,
    ) -> MethodTarget:
        prefix = printer.runtime_prefix
        success = op.success.type if op.success is not None else None
        if op.pagination is not None:
            page = ("Async" if is_async else "Sync") + op.pagination.page.name
            imports.add(f"{prefix}pagination", page)
            item_type = op.pagination.item_type
            item = self._parse_target(item_type, printer, adapters)
            return MethodTarget(Node(page, "[", [printer.node(item_type)], "]"), f"{page}.fetch", None, item)
        if op.success is not None and op.success.streaming:
            return self._stream_target(op, printer, imports, adapters, is_async=is_async)
        response_format: str | None = None
        if success is None:
            returns: Node | str = "None"
            cast = "NoneType"
            imports.add(f"{prefix}_base_client", "NoneType")
        else:
            returns = printer.node(success)
            cast = self._parse_target(success, printer, adapters)
            if op.success is not None and op.success.kind != "json":
                response_format = "text" if success == Prim("str") else "binary"
        return MethodTarget(returns, "self._client.request", cast, None, response_format=response_format)

    def _stream_target(
        self,
        op: OperationDecl,
        printer: TypePrinter,
        imports: Imports,
        adapters: Adapters,
        *,
        is_async: bool,
    ) -> MethodTarget:
        """``Stream[Event]`` (``AsyncStream``) over send_request(stream=True)."""
        assert op.success is not None
        event_type = op.success.type
        if event_type is None:
            raise problem(op, "a text/event-stream response needs a schema: the type of its events", op.success.pointer)
        module = f"{printer.runtime_prefix}_streaming"
        cls = "AsyncStream" if is_async else "Stream"
        imports.add(module, cls)
        returns: Node | str = Node(cls, "[", [printer.node(event_type)], "]")
        event = self._parse_target(event_type, printer, adapters)
        return MethodTarget(returns, cls, event, None, stream=True)

    def _parse_target(self, t: TypeExpr, printer: TypePrinter, adapters: Adapters) -> str:
        """A model class by name, else a module-level ``TypeAdapter`` for the type."""
        annotation = printer.node(t)
        text = annotation if isinstance(annotation, str) else annotation.flat()
        if _is_class(self.api, t) or t in (Prim("str"), Prim("bytes")):
            return text
        if text not in adapters:
            stem = naming.snake(self.api.decls[t.key].name) if isinstance(t, Ref) else "response"
            name = naming.dedupe([f"_{stem.upper()}_ADAPTER"], {n for n, _ in adapters.values()})[0]
            adapters[text] = (name, adapter_lines(name, annotation))
        return adapters[text][0]

    # ------------------------------------------------------------------------- all
    def render(self) -> dict[str, str]:
        pkg = self.ctx.pkg
        cfg = ClientConfig(
            package_name=pkg,
            api_key_env=self.ctx.cfg.api_key_env,
            base_url_env=self.ctx.cfg.base_url_env,
            log_env=log_env(self.ctx.cfg.base_url_env, pkg),
            default_base_url=_default_base_url(self.api),
            version=self.ctx.package.version,
            user_agent=f"{pkg}/{self.ctx.package.version}",
            auth_kind=self.api.auth.kind if self.api.auth else "none",
            auth_name=self.api.auth.name if self.api.auth else "Authorization",
        )
        streams = _streams(self.api)
        for module in (*RUNTIME_MODULES, *(("_streaming",) if streams else ())):
            self.files[f"{pkg}/{module}.py"] = self.ctx.render(
                f"runtime/{module}.py.jinja",
                client=cfg,
                pages=list(self.api.pages),
                idempotent_methods=idempotent_methods_literal(),
            )
        self.files[f"{pkg}/operations.py"] = self.operations_module()
        for node in self.root.walk():
            self.files[f"{pkg}/{'/'.join(node.module)}.py"] = self.node_module(node)
            if node.children and node.path:
                self.files[f"{pkg}/resources/{'/'.join(node.path)}/__init__.py"] = self._init(node)
        self.files[f"{pkg}/resources/__init__.py"] = self._init(self.root)
        self.ctx.root_exports.extend(
            [
                ("._client", self.root.names(is_async=False)),
                ("._client", self.root.names(is_async=True)),
                ("._request", "NOT_GIVEN"),
                ("._request", "NotGiven"),
                ("._request", "APIRequest"),
                ("._base_client", "RawResponse"),
                ("._base_client", "RetryPolicy"),
                *(("._exceptions", name) for name in EXCEPTIONS),
            ]
        )
        if streams:
            self.ctx.root_exports += [("._streaming", "Stream"), ("._streaming", "AsyncStream")]
        if any("FileInput" in view.uses for view in self.views.values()):
            self.ctx.root_exports.append(("._request", "FileInput"))
        return self.files

    def _init(self, node: _Node) -> str:
        """``__init__.py`` of a resource package: its own classes and its children's."""
        imports = Imports()
        names: list[str] = []
        sources = [node] if node.path else []
        sources += list(node.children.values())
        base = len(node.path) + 1  # the package folder: resources/<path>
        for source in sources:
            module = ".".join(source.module[base:])
            for suffix, _, _, _ in FLAVOURS:
                for is_async in (False, True):
                    name = source.names(is_async=is_async, suffix=suffix)
                    imports.add_reexport(f".{module}", name)
                    names.append(name)
        return self.ctx.render("client/resources_init.py.jinja", imports=imports.lines(), all_lines=_all_lines(names))


def _type_names(api: API, op: OperationDecl) -> set[str]:
    """Names of declarations a method body of ``op`` may refer to (cast and item types)."""
    out: set[str] = set()
    errors = [t for _, t in error_types(op)]
    for t in (op.success.type if op.success else None, op.pagination.item_type if op.pagination else None, *errors):
        if isinstance(t, Ref):
            decl = api.decls[t.key]
            out.add(decl.name)
            if decl.owner is not None:  # nested declarations may be printed module-qualified
                out.add(decl.module)
    if op.pagination is not None:
        out |= {f"Sync{op.pagination.page.name}", f"Async{op.pagination.page.name}"}
    return out


def _refs(t: TypeExpr | None, out: set[str]) -> None:
    if isinstance(t, Ref):
        out.add(t.key)
    elif isinstance(t, ListOf):
        _refs(t.item, out)
    elif isinstance(t, Nullable | Constrained):
        _refs(t.inner, out)
    elif isinstance(t, MapOf):
        _refs(t.key, out)
        _refs(t.value, out)
    elif isinstance(t, TupleOf):
        for item in t.items:
            _refs(item, out)
    elif isinstance(t, UnionOf):
        for variant in t.variants:
            _refs(variant, out)


def _clashing(api: API, types: list[TypeExpr | None]) -> frozenset[str]:
    """Keys of nested declarations whose name another type used in one file shares;
    they are printed qualified by their module (``order_create_params.Item``)."""
    keys: set[str] = set()
    for t in types:
        _refs(t, keys)
    by_name: dict[str, set[str]] = {}
    for key in keys:
        by_name.setdefault(api.decls[key].name, set()).add(key)
    return frozenset(
        key for group in by_name.values() if len(group) > 1 for key in group if api.decls[key].owner is not None
    )


def _all_lines(names: list[str]) -> list[str]:
    return layout("__all__ = ", Node("", "[", [py_str(n) for n in names], "]"), "", 0)


def log_env(base_url_env: str, package: str) -> str:
    """The variable that turns on logging: the base URL variable's prefix + ``_LOG``
    (``CHATKIT_BASE_URL`` -> ``CHATKIT_LOG``), else the package name's."""
    if base_url_env.endswith("_BASE_URL") and len(base_url_env) > len("_BASE_URL"):
        return base_url_env[: -len("_BASE_URL")] + "_LOG"
    return naming.snake(package).upper() + "_LOG"


def _default_base_url(api: API) -> str:
    """The first absolute http(s) server URL without variables, else empty."""
    for server in api.servers:
        parts = urlsplit(server.url)
        if parts.scheme in ("http", "https") and parts.netloc and "{" not in server.url:
            return server.url
    return ""


def render_client(ctx: RenderContext) -> dict[str, str]:
    if not ctx.api.operations:
        return {}
    return ClientRenderer(ctx).render()
