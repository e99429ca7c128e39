"""Safe loading of OpenAPI documents (YAML or JSON) with source locations.

Only PyYAML's safe loader is used, so ``!!python/...`` tags are refused. Duplicate
mapping keys are reported. Alias bombs and absurd nesting are stopped by limits on
the expanded size and depth of the loaded tree. Line numbers are looked up lazily:
the document is re-composed into YAML nodes only when a problem needs a location.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import CodegenError, Level, Problem

MAX_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 128
MAX_NODES = 2_000_000

try:  # libyaml is much faster; fall back to the pure-Python safe loader.
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseLoader = yaml.SafeLoader


class _LoadError(Exception):
    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.col = col
        self.message = message


def _make_loader(duplicates: list[tuple[int, int, str]]) -> type[yaml.SafeLoader]:
    class Loader(_BaseLoader):  # type: ignore[misc, valid-type]
        def construct_mapping(
            self, node: yaml.MappingNode, deep: bool = False
        ) -> dict[Any, Any]:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if isinstance(key, str | int | float | bool) and key in seen:
                    mark = key_node.start_mark
                    duplicates.append((mark.line + 1, mark.column + 1, str(key)))
                seen.add(key) if isinstance(key, str | int | float | bool) else None
            return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]

    # YAML 1.1 turns unquoted dates and times into datetime objects; OpenAPI is JSON.
    Loader.add_constructor(
        "tag:yaml.org,2002:timestamp", Loader.construct_yaml_str
    )
    return Loader


@dataclass
class Document:
    """A loaded document: its data, where it came from, and a way to locate pointers."""

    path: Path
    text: str
    data: Any
    display_name: str
    _nodes: Any = field(default=None, repr=False)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def locate(self, pointer: str) -> tuple[int, int]:
        """Line and column (1-based) of the deepest node along ``pointer``."""
        if self._nodes is None:
            try:
                self._nodes = yaml.compose(self.text, Loader=_BaseLoader)
            except yaml.YAMLError:
                self._nodes = False
        node = self._nodes
        if not node:
            return (1, 1)
        best = node.start_mark
        for part in split_pointer(pointer):
            nxt = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == part:
                        nxt = value_node
                        break
            elif isinstance(node, yaml.SequenceNode) and part.isdigit():
                idx = int(part)
                if idx < len(node.value):
                    nxt = node.value[idx]
            if nxt is None:
                break
            node = nxt
            best = node.start_mark
        return (best.line + 1, best.column + 1)

    def problem(self, level: Level, pointer: str, message: str) -> Problem:
        line, col = self.locate(pointer)
        return Problem(self.display_name, line, col, level, pointer, message)


def split_pointer(pointer: str) -> list[str]:
    if pointer in ("", "#", "/", "#/"):
        return []
    pointer = pointer[1:] if pointer.startswith("#") else pointer
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def join_pointer(base: str, *parts: str | int) -> str:
    out = base
    for part in parts:
        out += "/" + str(part).replace("~", "~0").replace("/", "~1")
    return out


def _check_shape(data: Any, name: str) -> None:
    """Refuse trees whose alias-expanded size or depth is absurd (alias bombs)."""
    count = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise _LoadError(
                1, 1, f"document expands to more than {MAX_NODES} nodes (alias bomb?)"
            )
        if depth > MAX_DEPTH:
            raise _LoadError(1, 1, f"document nests deeper than {MAX_DEPTH} levels")
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)


def _json_pairs(duplicates: list[str]) -> Any:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                duplicates.append(key)
            out[key] = value
        return out

    return hook


def load_text(text: str, path: Path, display_name: str | None = None) -> Document:
    """Parse ``text`` (JSON or YAML). Raises CodegenError with located problems."""
    name = display_name or path.name
    doc = Document(path=path, text=text, data=None, display_name=name)
    problems: list[Problem] = []
    stripped = text.lstrip()
    try:
        if path.suffix.lower() == ".json" or stripped.startswith("{"):
            dup_keys: list[str] = []
            try:
                data = json.loads(text, object_pairs_hook=_json_pairs(dup_keys))
            except json.JSONDecodeError as exc:
                raise _LoadError(exc.lineno, exc.colno, f"invalid JSON: {exc.msg}") from None
            for key in dup_keys:
                line, col = _find_key(text, key)
                problems.append(
                    Problem(name, line, col, Level.ERROR, "", f"duplicate key {key!r}")
                )
        else:
            dups: list[tuple[int, int, str]] = []
            try:
                data = yaml.load(text, Loader=_make_loader(dups))
            except yaml.constructor.ConstructorError as exc:
                mark = exc.problem_mark
                line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
                tag = (exc.problem or "").strip()
                raise _LoadError(
                    line, col, f"refused YAML tag (only plain data is allowed): {tag}"
                ) from None
            except yaml.MarkedYAMLError as exc:
                mark = exc.problem_mark
                line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
                raise _LoadError(line, col, f"invalid YAML: {exc.problem}") from None
            except yaml.YAMLError as exc:
                raise _LoadError(1, 1, f"invalid YAML: {exc}") from None
            except RecursionError:
                raise _LoadError(1, 1, "document nests too deeply to load") from None
            for line, col, key in dups:
                problems.append(
                    Problem(name, line, col, Level.ERROR, "", f"duplicate key {key!r}")
                )
        _check_shape(data, name)
    except _LoadError as exc:
        raise CodegenError([Problem(name, exc.line, exc.col, Level.ERROR, "", exc.message)]) from None
    if not isinstance(data, dict):
        raise CodegenError(
            [Problem(name, 1, 1, Level.ERROR, "", "document is not a mapping (object)")]
        )
    if problems:
        raise CodegenError(problems)
    doc.data = data
    return doc


def _find_key(text: str, key: str) -> tuple[int, int]:
    needle = json.dumps(key)
    first = text.find(needle)
    second = text.find(needle, first + 1) if first >= 0 else -1
    pos = second if second >= 0 else max(first, 0)
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def load_document(path: Path, display_name: str | None = None) -> Document:
    """Read and parse a document file with size limits."""
    name = display_name or path.name
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CodegenError(
                [Problem(name, 1, 1, Level.ERROR, "", f"file is larger than {MAX_BYTES} bytes")]
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise CodegenError(
            [Problem(name, 1, 1, Level.ERROR, "", f"cannot read file: {exc.strerror or exc}")]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodegenError(
            [Problem(name, 1, 1, Level.ERROR, "", f"file is not UTF-8: {exc.reason}")]
        ) from None
    return load_text(text, path, name)
