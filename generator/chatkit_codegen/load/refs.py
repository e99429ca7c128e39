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
SCHEMAS = "/components/schemas"
_NOT_A_NAME = re.compile(r"[^A-Za-z0-9._-]+")
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
        # Recursion through files cannot be inlined: the schemas on such a cycle are
        # found by a first walk, then hoisted to components/schemas by a second one.
        self.cyclic: set[str] = set()  # keys met again while being inlined
        self.edges: dict[str, set[str]] = {}  # key -> the keys its content refers to
        self.cycle_hits = 0
        self.hoisted: dict[str, str] = {}  # key -> component name
        self.adopted: set[str] = set()  # components of the main document that are such a ref
        self.components: dict[str, Any] = {}  # hoisted name -> its bundled content

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

    def locate_target(
        self, ref: str, node: dict[str, Any], doc: Document, ptr: str
    ) -> tuple[Path, str] | dict[str, Any] | None:
        """Where ``ref`` (in ``doc`` at ``ptr``) points: a (file, fragment) to inline,
        a node that replaces it (a local ref back into the main document, or {} after a
        reported failure), or None to keep the reference as it is."""
        in_main = doc is self.main
        kind = ref_kind(ref)
        where = join_pointer(ptr, "$ref")
        if kind == "remote":
            return None if in_main else self.fail(doc, where, refusal(ref))
        if kind == "local":
            if in_main:
                return None
            return self.resolve(doc, doc.path.name), ref[1:]
        raw, _, fragment = ref.partition("#")
        target_path = self.resolve(doc, raw)
        if target_path == self.main_path:
            # A reference back into the main document is a local one there.
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            return {"$ref": "#" + fragment, **siblings}
        if not self.allowed(target_path):
            return None if in_main else self.fail(doc, where, refusal(ref))
        return target_path, fragment

    def target(self, doc: Document, ref: str, where: str, target_path: Path, fragment: str) -> tuple[Document, Any] | None:
        """The loaded file and the value ``fragment`` points at, or None (reported)."""
        try:
            target_doc = self.load(target_path)
        except CodegenError as exc:
            self.problems.extend(exc.problems)
            self.fail(doc, where, f"referenced file {ref!r} could not be loaded")
            return None
        if fragment and not fragment.startswith("/"):
            self.fail(doc, where, f"unresolvable reference {ref!r}: fragment must be a JSON pointer")
            return None
        try:
            return target_doc, resolve_pointer(target_doc.data, "#" + fragment)
        except KeyError:
            self.fail(doc, where, f"unresolvable reference {ref!r}")
            return None

    def reference(
        self, ref: str, node: dict[str, Any], doc: Document, ptr: str, depth: int, stack: tuple[str, ...]
    ) -> Any:
        """The inlined target of ``ref``, or None to keep the reference as it is."""
        located = self.locate_target(ref, node, doc, ptr)
        if not isinstance(located, tuple):
            return located
        target_path, fragment = located
        where = join_pointer(ptr, "$ref")
        key = f"{target_path}#{fragment}"
        if stack:
            self.edges.setdefault(stack[-1], set()).add(key)
        hoisted = self.hoisted.get(key)
        if hoisted is not None and not (doc is self.main and ptr == join_pointer(SCHEMAS, hoisted)):
            # A schema on a cycle through files lives once, under its component name.
            self.hoist(key, ref, doc, where, target_path, fragment)
            siblings = {k: self.walk(v, doc, join_pointer(ptr, k), depth + 1, stack) for k, v in node.items() if k != "$ref"}
            return {"$ref": "#" + join_pointer(SCHEMAS, hoisted), **siblings}
        cached = self.inlined.get(key)
        if cached is not None:
            value, nodes, height = cached
            self.count(doc, ptr, nodes, depth + height)
            return self.with_siblings(value, node, doc, ptr, depth, stack)
        if key in stack:
            self.cyclic.add(key)
            self.cycle_hits += 1
            return {}
        found = self.target(doc, ref, where, target_path, fragment)
        if found is None:
            return {}
        target_doc, target = found
        nodes_before, deepest_before = self.nodes, self.deepest
        self.deepest = depth
        problems_before, hits_before = len(self.problems), self.cycle_hits
        inlined = self.walk(target, target_doc, fragment, depth + 1, (*stack, key))
        height = self.deepest - depth
        self.deepest = max(self.deepest, deepest_before)
        if len(self.problems) == problems_before and self.cycle_hits == hits_before:
            self.inlined[key] = (inlined, self.nodes - nodes_before, height)
        return self.with_siblings(inlined, node, doc, ptr, depth, stack)

    def hoist(self, key: str, ref: str, doc: Document, where: str, target_path: Path, fragment: str) -> None:
        """Walk a hoisted schema's content once, into ``self.components``."""
        name = self.hoisted[key]
        if name in self.components or name in self.adopted:
            return
        self.components[name] = {}  # reserved: references inside it are local now
        found = self.target(doc, ref, where, target_path, fragment)
        if found is not None:
            target_doc, target = found
            self.components[name] = self.walk(target, target_doc, fragment, 1, (key,))

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


def _on_cycles(edges: dict[str, set[str]]) -> set[str]:
    """The keys that lie on a cycle of ``edges``: strongly connected components of more
    than one key, or with a key referring to itself (Kosaraju, iteratively)."""
    order: list[str] = []
    seen: set[str] = set()
    for start in sorted(edges):
        if start in seen:
            continue
        seen.add(start)
        stack = [(start, iter(sorted(edges.get(start, ()))))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                order.append(node)
            elif child not in seen:
                seen.add(child)
                stack.append((child, iter(sorted(edges.get(child, ())))))
    reverse: dict[str, set[str]] = {}
    for node, targets in edges.items():
        for target in targets:
            reverse.setdefault(target, set()).add(node)
    found: set[str] = set()
    assigned: set[str] = set()
    for root in reversed(order):
        if root in assigned:
            continue
        component, todo = [], [root]
        assigned.add(root)
        while todo:
            node = todo.pop()
            component.append(node)
            for prev in reverse.get(node, ()):
                if prev not in assigned:
                    assigned.add(prev)
                    todo.append(prev)
        if len(component) > 1 or root in edges.get(root, ()):
            found.update(component)
    return found


def _hoist_names(first: _Bundler) -> dict[str, str]:
    """A component name for each schema on a cycle through files, deterministically:
    a component of the main document that is just that reference keeps its name; others
    are named after their pointer's last part (or the file), numbered when taken."""
    schemas = first.main.data.get("components", {}).get("schemas") if isinstance(first.main.data.get("components"), dict) else None
    schemas = schemas if isinstance(schemas, dict) else {}
    names: dict[str, str] = {}
    for name in sorted(schemas):
        value = schemas[name]
        if isinstance(value, dict) and isinstance(value.get("$ref"), str):
            located = first.locate_target(value["$ref"], value, first.main, join_pointer(SCHEMAS, name))
            if isinstance(located, tuple):
                key = f"{located[0]}#{located[1]}"
                if key in first.cyclic and key not in names:
                    names[key] = name
    taken = set(schemas)
    for key in sorted(first.cyclic - names.keys()):
        path, _, fragment = key.rpartition("#")
        parts = [p for p in fragment.split("/") if p]
        if parts:
            base = _NOT_A_NAME.sub("_", parts[-1].replace("~1", "/").replace("~0", "~")).strip("_")
        else:  # a whole file: pet-category.yaml -> PetCategory
            base = "".join(w[:1].upper() + w[1:] for w in re.split(r"[^A-Za-z0-9]+", Path(path).stem))
        base = base or "Schema"
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}_{n}"
        taken.add(name)
        names[key] = name
    return names


def bundle(doc: Document, allow: Sequence[Path]) -> None:
    """Inline every allow-listed file reference of ``doc`` in place.

    Schemas on a reference cycle through files are hoisted to ``components/schemas``
    (as a bundler would) and referred to locally. Raises CodegenError when an allowed
    reference cannot be inlined. References that are not allowed are left for
    validation to report.
    """
    if not allow:
        return
    bundler = _Bundler(doc, allow)
    data = bundler.walk(doc.data, doc, "", 0, ())
    if bundler.problems:
        raise CodegenError(bundler.problems)
    if bundler.cyclic:
        # Every schema on a cycle is hoisted, not only where the walk met one again:
        # which those are must not depend on the order of the document.
        bundler.cyclic = _on_cycles(bundler.edges)
        names = _hoist_names(bundler)
        bundler = _Bundler(doc, allow)
        bundler.hoisted = names
        bundler.adopted = {n for n in names.values() if n in (doc.data.get("components") or {}).get("schemas", {})}
        data = bundler.walk(doc.data, doc, "", 0, ())
        if bundler.problems:
            raise CodegenError(bundler.problems)
        if bundler.cyclic:  # pragma: no cover - every cycle passes through a hoisted schema
            raise CodegenError([doc.problem(Level.ERROR, "", "a reference cycle through files could not be hoisted")])
        components = data.setdefault("components", {})
        schemas = components.setdefault("schemas", {}) if isinstance(components, dict) else None
        if not isinstance(schemas, dict):
            raise CodegenError([doc.problem(Level.ERROR, SCHEMAS, "components/schemas must be a mapping to hoist recursive schemas into")])
        for name in sorted(bundler.components):
            schemas[name] = bundler.components[name]
    if bundler.docs:
        doc.data = data
        digest = hashlib.sha256(doc.text.encode("utf-8"))
        for path in sorted(bundler.docs):
            inlined = bundler.docs[path]
            # Named relative to the main document, so the hash does not depend on where
            # the tree sits on disk (generated headers are the same on every machine).
            where = Path(os.path.relpath(path, bundler.main_path.parent)).as_posix()
            digest.update(b"\0" + where.encode() + b"\0" + inlined.text.encode("utf-8"))
        doc.content_sha256 = digest.hexdigest()
