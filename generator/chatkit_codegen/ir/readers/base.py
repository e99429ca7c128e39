"""The state every part of the build shares, and the helpers they all use.

The build is a stack of layers, one module each; a layer uses the ones below it
(``Builder`` in ``ir/build.py`` stacks them). Reading a schema is recursive across layers,
so the two entry points of that recursion are declared here and implemented above:
``_type`` (``types.py``) and ``_object_parts`` (``objects.py``).
"""

from __future__ import annotations

from typing import Any

from ...errors import Level, Problem
from ...load.document import Document
from ...load.walk import resolve_pointer
from ..model import Decl, FieldDecl, Note, PageDecl, Shape, TypeExpr
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

    # ------------------------------------------------------ implemented above
    def _type(self, schema: Any, ptr: str, ctx: Ctx, hint: str, named: bool) -> TypeExpr:
        raise NotImplementedError  # types.py

    def _object_parts(
        self, schema: dict[str, Any], ptr: str, ctx: Ctx
    ) -> tuple[list[FieldDecl], list[str], Any, TypeExpr | None]:
        raise NotImplementedError  # objects.py

    # ----------------------------------------------------------------- notes
    def _note(self, pointer: str, message: str) -> None:
        self.notes.append(Note(pointer, message))

    def _located_notes(self) -> tuple[Note, ...]:
        unique = sorted(set(self.notes), key=lambda n: (n.pointer, n.message))
        where = self.doc.locate_many(n.pointer for n in unique)
        return tuple(Note(n.pointer, n.message, *where[n.pointer]) for n in unique)

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

    def _deref(self, schema: Any, ptr: str) -> tuple[str, Any]:
        seen = set()
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if ref in seen:
                self._error(ptr, f"reference cycle through {ref!r}")
                return ptr, {}
            seen.add(ref)
            ptr, schema = self._resolve(ref, ptr)
        return ptr, schema
