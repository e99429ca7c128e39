"""Non-local ``$ref``: refused by default; allow-listed files are inlined.

A reference is *local* (``#/...``), *remote* (any URI scheme, or ``//host/...``) or a
*file* (a relative or absolute path, optionally with a ``#/...`` fragment). Remote
references are never fetched, whatever the allow-list says. File references are
refused (validate reports them) unless ``--allow-ref`` names the file or a folder
holding it; allowed files are loaded with the same safe loader and limits as the
main document and their content is inlined where the reference was, so the rest
of the toolkit only ever sees one self-contained document. References inside an
inlined file are resolved against that file; any that cannot be inlined (remote,
not allowed, missing, circular) is an error located in the file that holds it.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote

from ..errors import CodegenError, Level, Problem
from .parse import read_document
from .pointers import MAX_DEPTH, MAX_NODES, join_pointer
from .source import Document
from .walk import resolve_pointer

RefKind = Literal["local", "remote", "file"]
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def ref_kind(ref: str) -> RefKind:
    if ref.startswith("#"):
        return "local"
    if _SCHEME.match(ref) or ref.startswith("//") or ref.startswith("\\\\"):
        return "remote"
    return "file"


def refusal(ref: str) -> str:
    """The message for a non-local reference that is not (or cannot be) inlined."""
    if ref_kind(ref) == "remote":
        return f"remote reference {ref!r} refused: remote references are never fetched"
    return (
        f"file reference {ref!r} refused: only local '#/' references are allowed "
        "unless --allow-ref names the file or its folder"
    )


class _Bundler:
    def __init__(self, main: Document, allow: Sequence[Path]) -> None:
        self.main = main
        self.allow = [p.resolve() for p in allow]
        self.docs: dict[Path, Document] = {}
        self.problems: list[Problem] = []
        self.nodes = 0
        self.deepest = 0
        # Each target is inlined once and shared (like a YAML alias): a file that
        # refers to another many times costs its size in the budget, not its time.
        self.inlined: dict[str, tuple[Any, int, int]] = {}  # key -> (value, nodes, height)
        self.paths: dict[tuple[Path, str], Path] = {}
        self.main_path = main.path.resolve()

    # ----------------------------------------------------------------- helpers
    def allowed(self, target: Path) -> bool:
        return any(target == root or target.is_relative_to(root) for root in self.allow)

    def display(self, target: Path) -> str:
        base = Path(self.main.display_name).parent
        try:
            rel = os.path.relpath(target, self.main.path.resolve().parent)
        except ValueError:  # pragma: no cover - another drive on Windows
            return str(target)
        return str(base / rel) if str(base) not in ("", ".") else rel

    def resolve(self, doc: Document, raw: str) -> Path:
        key = (doc.path, raw)
        if key not in self.paths:
            self.paths[key] = (doc.path.resolve().parent / unquote(raw)).resolve()
        return self.paths[key]

    def count(self, doc: Document, ptr: str, nodes: int, depth: int) -> None:
        self.nodes += nodes
        self.deepest = max(self.deepest, depth)
        if self.nodes > MAX_NODES:
            raise CodegenError(
                [doc.problem(Level.ERROR, ptr, f"bundled document expands to more than {MAX_NODES} nodes")]
            )
        if depth > MAX_DEPTH:
            raise CodegenError(
                [doc.problem(Level.ERROR, ptr, f"bundled document nests deeper than {MAX_DEPTH} levels")]
            )

    def load(self, target: Path) -> Document:
        doc = self.docs.get(target)
        if doc is None:
            doc = read_document(target, self.display(target))
            self.docs[target] = doc
        return doc

    def fail(self, doc: Document, ptr: str, message: str) -> dict[str, Any]:
        self.problems.append(doc.problem(Level.ERROR, ptr, message))
        return {}

    # -------------------------------------------------------------------- walk
    def walk(
        self, node: Any, doc: Document, ptr: str, depth: int, stack: tuple[str, ...]
    ) -> Any:
        """A copy of ``node`` (from ``doc`` at ``ptr``) with file references inlined.

        In the main document local and refused references stay as they are (validate
        reports the refused ones); inside an inlined file every reference is inlined.
        """
        self.count(doc, ptr, 1, depth)
        if isinstance(node, list):
            return [self.walk(v, doc, join_pointer(ptr, i), depth + 1, stack) for i, v in enumerate(node)]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            inlined = self.reference(ref, node, doc, ptr, depth, stack)
            if inlined is not None:
                return inlined
        return {k: self.walk(v, doc, join_pointer(ptr, k), depth + 1, stack) for k, v in node.items()}

    def reference(
        self, ref: str, node: dict[str, Any], doc: Document, ptr: str, depth: int, stack: tuple[str, ...]
    ) -> Any:
        """The inlined target of ``ref``, or None to keep the reference as it is."""
        in_main = doc is self.main
        kind = ref_kind(ref)
        where = join_pointer(ptr, "$ref")
        if kind == "remote":
            return None if in_main else self.fail(doc, where, refusal(ref))
        if kind == "local":
            if in_main:
                return None
            target_path, fragment = self.resolve(doc, doc.path.name), ref[1:]
        else:
            raw, _, fragment = ref.partition("#")
            target_path = self.resolve(doc, raw)
            if target_path == self.main_path:
                # A reference back into the main document is a local one there.
                siblings = {k: v for k, v in node.items() if k != "$ref"}
                return {"$ref": "#" + fragment, **siblings}
            if not self.allowed(target_path):
                return None if in_main else self.fail(doc, where, refusal(ref))
        key = f"{target_path}#{fragment}"
        cached = self.inlined.get(key)
        if cached is not None:
            value, nodes, height = cached
            self.count(doc, ptr, nodes, depth + height)
            return self.with_siblings(value, node, doc, ptr, depth, stack)
        if key in stack:
            return self.fail(
                doc, where, f"circular reference {ref!r} through an inlined file cannot be inlined"
            )
        try:
            target_doc = self.load(target_path)
        except CodegenError as exc:
            self.problems.extend(exc.problems)
            return self.fail(doc, where, f"referenced file {ref!r} could not be loaded")
        if fragment and not fragment.startswith("/"):
            return self.fail(doc, where, f"unresolvable reference {ref!r}: fragment must be a JSON pointer")
        try:
            target = resolve_pointer(target_doc.data, "#" + fragment)
        except KeyError:
            return self.fail(doc, where, f"unresolvable reference {ref!r}")
        nodes_before, deepest_before = self.nodes, self.deepest
        self.deepest = depth
        problems_before = len(self.problems)
        inlined = self.walk(target, target_doc, fragment, depth + 1, (*stack, key))
        height = self.deepest - depth
        self.deepest = max(self.deepest, deepest_before)
        if len(self.problems) == problems_before:
            self.inlined[key] = (inlined, self.nodes - nodes_before, height)
        return self.with_siblings(inlined, node, doc, ptr, depth, stack)

    def with_siblings(
        self, inlined: Any, node: dict[str, Any], doc: Document, ptr: str, depth: int, stack: tuple[str, ...]
    ) -> Any:
        """Keys beside ``$ref`` (OpenAPI 3.1 ``description``, ``summary``) override."""
        siblings = {
            k: self.walk(v, doc, join_pointer(ptr, k), depth + 1, stack) for k, v in node.items() if k != "$ref"
        }
        if isinstance(inlined, dict) and siblings:
            return {**inlined, **siblings}
        return inlined


def bundle(doc: Document, allow: Sequence[Path]) -> None:
    """Inline every allow-listed file reference of ``doc`` in place.

    Raises CodegenError when an allowed reference cannot be inlined. References that
    are not allowed are left for validation to report.
    """
    if not allow:
        return
    bundler = _Bundler(doc, allow)
    data = bundler.walk(doc.data, doc, "", 0, ())
    if bundler.problems:
        raise CodegenError(bundler.problems)
    if bundler.docs:
        doc.data = data
        digest = hashlib.sha256(doc.text.encode("utf-8"))
        for path in sorted(bundler.docs):
            inlined = bundler.docs[path]
            digest.update(b"\0" + inlined.display_name.encode() + b"\0" + inlined.text.encode("utf-8"))
        doc.content_sha256 = digest.hexdigest()
