"""The state every part of the build shares, and the helpers they all use.

The build is a stack of layers, one module each; a layer uses the ones below it
(``Builder`` in ``ir/build.py`` stacks them). Reading a schema is recursive across layers,
so the two entry points of that recursion are declared here and implemented above:
``_type`` (``types.py``) and ``_object_parts`` (``objects.py``).
"""

from __future__ import annotations

from typing import Any

from ...errors import Level, Problem
from ...load.document import Document, join_pointer, split_pointer
from ...load.walk import resolve_pointer
from ..model import Decl, FieldDecl, Note, NoteLevel, PageDecl, Shape, TypeExpr
from .keywords import keyword_findings
from .schema import IGNORED_KEYWORDS


class Ctx:
    """Where an inline schema is being built: its owner, module and name prefix.

    An empty ``module`` means a schema inside an operation (a parameter, body or
    response): a declaration it needs becomes top-level, named from ``prefix``.
    """

    __slots__ = ("module", "owner", "prefix", "shape")

    def __init__(self, owner: str, module: str, prefix: str, shape: Shape) -> None:
        self.owner = owner
        self.module = module
        self.prefix = prefix
        self.shape = shape

    def nested(self, prefix: str) -> Ctx:
        return Ctx(self.owner, self.module, prefix, self.shape)


class BuildBase:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data if isinstance(doc.data, dict) else {}
        self.version = str(self.data.get("openapi", ""))
        self.is30 = self.version.startswith("3.0")
        self.decls: dict[str, Decl] = {}
        self.members: dict[str, list[str]] = {}  # module -> decl keys in creation order
        self.module_top: dict[str, str] = {}
        self.taken: dict[str, set[str]] = {}  # module -> names used
        self.top_names: dict[str, tuple[str, str]] = {}  # key -> (name, module)
        self._taken_top: set[str] = set()  # every top-level class name
        self._taken_modules: set[str] = set()
        self.usage: dict[str, set[Shape]] = {}
        self.pure: dict[str, bool] = {}
        self.notes: list[Note] = []
        self.errors: list[Problem] = []
        self.pending: list[str] = []
        self.building: set[str] = set()
        self.pages: dict[str, PageDecl] = {}
        # the alias being declared (a union or enum component) and the name its
        # variants are prefixed with; see DeclarationsLayer._named_inline
        self._current_alias = ""
        self._declaring: tuple[str, str] = ("", "")
        self._checked: set[str] = set()  # schemas whose keywords were reported

    # ------------------------------------------------------ implemented above
    def _type(self, schema: Any, ptr: str, ctx: Ctx, hint: str, named: bool) -> TypeExpr:
        raise NotImplementedError  # types.py

    def _object_parts(
        self, schema: dict[str, Any], ptr: str, ctx: Ctx
    ) -> tuple[list[FieldDecl], list[str], Any, TypeExpr | None]:
        raise NotImplementedError  # objects.py

    # ----------------------------------------------------------------- notes
    def _note(self, pointer: str, message: str, level: NoteLevel = "note", *, validated: bool = False) -> None:
        self.notes.append(Note(pointer, message, level=level, validated=validated))

    def _warn(self, pointer: str, message: str) -> None:
        """A defect of the document with a safe reading; ``message`` says which."""
        self._note(pointer, message, "warning")

    def _located_notes(self) -> tuple[Note, ...]:
        unique = sorted(set(self.notes), key=lambda n: (n.pointer, n.message, n.level))
        where = self.doc.locate_many(n.pointer for n in unique)
        return tuple(
            Note(n.pointer, n.message, *where[n.pointer], level=n.level, validated=n.validated) for n in unique
        )

    def _check_keywords(self, schema: dict[str, Any], ptr: str) -> None:
        """Report, once per schema, its unknown keywords and those read another way."""
        if ptr in self._checked:
            return
        self._checked.add(ptr)
        for suffix, level, message in keyword_findings(schema, self.is30):
            # validate's severity policy says each of these too (``load.severity``)
            self._note(ptr + suffix, message, level, validated=True)

    def _error(self, pointer: str, message: str) -> None:
        self.errors.append(self.doc.problem(Level.ERROR, pointer, message))

    def _note_ignored(self, schema: dict[str, Any], ptr: str) -> None:
        for kw in sorted(IGNORED_KEYWORDS.intersection(schema)):
            self._note(ptr, f"keyword {kw!r} is not enforced by the generated models")

    # ------------------------------------------------------------------ keys
    @staticmethod
    def _key(ptr: str, shape: Shape) -> str:
        return f"{ptr}@{shape}"

    @staticmethod
    def _ptr_of(key: str) -> str:
        return key.rsplit("@", 1)[0]

    @staticmethod
    def _shape_of(key: str) -> Shape:
        return "request" if key.endswith("@request") else "response"

    # ------------------------------------------------------------ references
    def _resolve(self, ref: str, at: str) -> tuple[str, Any]:
        if not ref.startswith("#/"):
            self._error(at, f"reference {ref!r} refused: only local '#/' references are allowed")
            return at, {}
        try:
            return ref[1:], resolve_pointer(self.data, ref)
        except KeyError:
            self._error(at, f"unresolvable reference {ref!r}")
            return at, {}

    def _ref_of(self, schema: Any, ptr: str) -> str | None:
        """The reference ``schema`` (at ``ptr``) makes: its ``$ref``, or a
        ``$recursiveRef``/``$dynamicRef`` read as the plain reference it means in a
        single document: the nearest enclosing schema with the matching anchor
        (``$recursiveAnchor: true``, ``$dynamicAnchor: name``), else the enclosing
        component."""
        if not isinstance(schema, dict):
            return None
        if isinstance(schema.get("$ref"), str):
            return str(schema["$ref"])
        for key in ("$recursiveRef", "$dynamicRef"):
            if isinstance(schema.get(key), str):
                target = self._dynamic_target(key, str(schema[key]), ptr)
                if target is None:
                    self._warn(ptr, f"{key} {schema[key]!r} has no enclosing schema to refer to: generated as Any")
                    return None
                self._warn(ptr, f"{key} {schema[key]!r} is read as a reference to {target!r}")
                return "#" + target
        return None

    def _dynamic_target(self, key: str, value: str, ptr: str) -> str | None:
        parts = split_pointer(ptr)
        anchor = value.partition("#")[2] if key == "$dynamicRef" else ""
        ancestors = [join_pointer("", *parts[:n]) for n in range(len(parts) - 1, 0, -1)]
        for candidate in ancestors:
            node = self._node(candidate)
            if not isinstance(node, dict):
                continue
            if key == "$recursiveRef" and node.get("$recursiveAnchor") is True:
                return candidate
            if key == "$dynamicRef" and anchor and node.get("$dynamicAnchor") == anchor:
                return candidate
        if anchor:
            schemas = self._node("/components/schemas")
            for name in sorted(schemas, key=str) if isinstance(schemas, dict) else []:
                if isinstance(schemas[name], dict) and schemas[name].get("$dynamicAnchor") == anchor:
                    return join_pointer("/components/schemas", str(name))
        if len(parts) >= 3 and parts[:2] == ["components", "schemas"]:
            return join_pointer("/components/schemas", parts[2])
        return None

    def _node(self, ptr: str) -> Any:
        try:
            return resolve_pointer(self.data, "#" + ptr)
        except (KeyError, IndexError, TypeError, ValueError):
            return None

    def _deref(self, schema: Any, ptr: str) -> tuple[str, Any]:
        seen = set()
        while (ref := self._ref_of(schema, ptr)) is not None:
            if ref in seen:
                self._error(ptr, f"reference cycle through {ref!r}")
                return ptr, {}
            seen.add(ref)
            ptr, schema = self._resolve(ref, ptr)
        return ptr, schema
