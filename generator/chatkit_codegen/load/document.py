"""Safe loading of OpenAPI documents (YAML or JSON) with source locations.

Only PyYAML's safe loader is used, so ``!!python/...`` tags are refused, and it is
narrowed to JSON data: YAML 1.2 core scalars, string keys, no bytes, sets or pairs.
Duplicate mapping keys are reported. Alias bombs and absurd nesting are stopped by limits on
the expanded size and depth of the loaded tree. Line numbers are looked up lazily:
the document is re-composed into YAML nodes only when a problem needs a location.

A YAML document that loaded cleanly is remembered (marshalled) in the user cache, keyed
by the hash of its text, so the next run of the same spec neither parses YAML nor
imports PyYAML (``yaml_loader``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import CodegenError, Level, Problem

MAX_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 128
MAX_NODES = 2_000_000


class _LoadError(Exception):
    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.col = col
        self.message = message



@dataclass
class Document:
    """A loaded document: its data, where it came from, and a way to locate pointers."""

    path: Path
    text: str
    data: Any
    display_name: str
    _nodes: Any = field(default=None, repr=False)
    content_sha256: str | None = None  # set when allow-listed files were inlined

    @property
    def sha256(self) -> str:
        """The hash of everything the document was built from (its inlined files too)."""
        return self.content_sha256 or self.text_sha256

    @cached_property
    def text_sha256(self) -> str:
        """The hash of the text alone: what parsing it and locating pointers depend on."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def locate(self, pointer: str) -> tuple[int, int]:
        """Line and column (1-based) of the deepest node along ``pointer``: a scalar or
        flow value where it starts, a block mapping or sequence at its key."""
        from .yaml_loader import compose, locate

        if self._nodes is None:
            self._nodes = compose(self.text)
        return locate(self._nodes, pointer)

    def locate_many(self, pointers: Iterable[str]) -> dict[str, tuple[int, int]]:
        """``locate`` for many pointers, remembered in the user cache by the text's hash:
        the notes of a run are the same next time, and composing a large YAML document
        for its line numbers costs more than everything else a warm run does."""
        from ..cache import read_entry, write_entry

        wanted = sorted(set(pointers))
        if not wanted:
            return {}
        entry = _cache_entry(self, ".locations.json")
        known: dict[str, list[int]] = {}
        try:
            loaded = json.loads(read_entry(entry) or "{}")
            if isinstance(loaded, dict):
                known = loaded
        except ValueError:
            pass
        missing = [p for p in wanted if not _is_location(known.get(p))]
        for pointer in missing:
            known[pointer] = list(self.locate(pointer))
        if missing:
            write_entry(entry, json.dumps(known, sort_keys=True))
        return {p: (known[p][0], known[p][1]) for p in wanted}

    def problem(self, level: Level, pointer: str, message: str) -> Problem:
        line, col = self.locate(pointer)
        return Problem(self.display_name, line, col, level, pointer, message)


def _is_location(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    )


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


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _load_json(text: str, name: str, problems: list[Problem]) -> Any:
    dup_keys: list[str] = []
    try:
        data = json.loads(
            text, object_pairs_hook=_json_pairs(dup_keys), parse_constant=_refuse_constant
        )
    except json.JSONDecodeError as exc:
        raise _LoadError(exc.lineno, exc.colno, f"invalid JSON: {exc.msg}") from None
    except ValueError as exc:
        raise _LoadError(1, 1, f"invalid JSON: {exc}") from None
    except RecursionError:
        raise _LoadError(1, 1, f"document nests deeper than {MAX_DEPTH} levels") from None
    if dup_keys:
        # JSON is YAML: the YAML composer knows where each duplicate key sits.
        from .yaml_loader import duplicate_keys

        located = duplicate_keys(text)
        if len(located) != len(dup_keys):
            located = [(*_find_key(text, key), key) for key in dup_keys]
        for line, col, key in located:
            problems.append(Problem(name, line, col, Level.ERROR, "", f"duplicate key {key!r}"))
    return data



_YAML_CACHE_VERSION = "1"  # bump when the loader's rules change what a text loads to


def _cache_entry(doc: Document, suffix: str) -> Path:
    """Where something derived from ``doc``'s text alone is remembered: keyed by the
    text's hash, this toolkit's version, the loader's rules and the Python version
    (marshal's format follows it)."""
    import sys

    from .. import __version__
    from ..cache import cache_dir

    parts = (__version__, _YAML_CACHE_VERSION, sys.version, doc.text_sha256)
    key = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    return cache_dir() / "documents" / f"{key}{suffix}"


def _parse_yaml(doc: Document, problems: list[Problem]) -> Any:
    """The data of a YAML text: from the cache when this exact text loaded before."""
    import marshal

    from ..cache import read_bytes_entry, write_entry

    # marshal keeps the sharing of YAML aliases (an example reused a thousand times is
    # stored once) and reads fastest.
    entry = _cache_entry(doc, ".marshal")
    cached = read_bytes_entry(entry)
    if cached is not None:
        try:
            return marshal.loads(cached)
        except (ValueError, EOFError, TypeError):
            pass  # a damaged entry: parse again
    from .yaml_loader import load_yaml

    data = load_yaml(doc.text, doc.display_name, problems)
    _check_shape(data, doc.display_name)
    if not problems and isinstance(data, dict):
        write_entry(entry, marshal.dumps(data))
    return data


def load_text(text: str, path: Path, display_name: str | None = None) -> Document:
    """Parse ``text`` (JSON or YAML). Raises CodegenError with located problems."""
    name = display_name or path.name
    doc = Document(path=path, text=text, data=None, display_name=name)
    problems: list[Problem] = []
    try:
        if path.suffix.lower() == ".json":
            data = _load_json(text, name, problems)
            _check_shape(data, name)
        elif text.lstrip().startswith("{"):
            # JSON in a .yaml file, or a YAML flow mapping: JSON's errors are clearer.
            try:
                data = _load_json(text, name, problems)
                _check_shape(data, name)
            except _LoadError:
                problems.clear()
                data = _parse_yaml(doc, problems)
        else:
            data = _parse_yaml(doc, problems)
    except _LoadError as exc:
        raise CodegenError([Problem(name, exc.line, exc.col, Level.ERROR, "", exc.message)]) from None
    if not isinstance(data, dict):
        what = "document is empty" if data is None else "document is not a mapping (object)"
        raise CodegenError([Problem(name, 1, 1, Level.ERROR, "", what)])
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


def load_document(
    path: Path, display_name: str | None = None, allow_refs: Sequence[Path] = ()
) -> Document:
    """Read and parse a document file with size limits; inline allow-listed file refs."""
    if allow_refs:
        from .refs import bundle

        doc = load_document(path, display_name)
        bundle(doc, allow_refs)
        return doc
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
