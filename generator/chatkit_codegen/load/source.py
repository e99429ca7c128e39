"""A loaded document: its text, its data, and where each JSON pointer sits in the text.

Line numbers are looked up lazily: the text is re-composed into YAML nodes only when a
problem needs a location, and the locations of a run are remembered by the text's hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import Level, Problem

_YAML_CACHE_VERSION = "1"  # bump when the loader's rules change what a text loads to


def text_sha256(text: str) -> str:
    """The hash of a document's text (``Document.text_sha256``), known before it is parsed."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Document:
    """A loaded document: its data, where it came from, and a way to locate pointers."""

    path: Path
    text: str
    data: Any
    display_name: str
    _nodes: Any = field(default=None, repr=False)
    _index: dict[int, dict[str, Any]] = field(default_factory=dict, repr=False)  # locate's
    content_sha256: str | None = None  # set when allow-listed files were inlined

    @property
    def sha256(self) -> str:
        """The hash of everything the document was built from (its inlined files too)."""
        return self.content_sha256 or self.text_sha256

    @cached_property
    def text_sha256(self) -> str:
        """The hash of the text alone: what parsing it and locating pointers depend on."""
        return text_sha256(self.text)

    def locate(self, pointer: str) -> tuple[int, int]:
        """Line and column (1-based) of the deepest node along ``pointer``: a scalar or
        flow value where it starts, a block mapping or sequence at its key."""
        from .yaml_loader import compose, locate

        if self._nodes is None:
            self._nodes = compose(self.text)
        return locate(self._nodes, pointer, self._index)

    def locate_many(self, pointers: Iterable[str]) -> dict[str, tuple[int, int]]:
        """``locate`` for many pointers, remembered in the user cache by the text's hash:
        the notes of a run are the same next time, and composing a large YAML document
        for its line numbers costs more than everything else a warm run does."""
        from ..cache import read_entry, write_entry

        wanted = sorted(set(pointers))
        if not wanted:
            return {}
        entry = cache_entry(self, ".locations.json")
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


def cache_entry(doc: Document, suffix: str) -> Path:
    """Where something derived from ``doc``'s text alone is remembered: keyed by the
    text's hash, this toolkit's version, the loader's rules and the Python version
    (marshal's format follows it)."""
    import sys

    from .. import __version__
    from ..cache import cache_dir

    parts = (__version__, _YAML_CACHE_VERSION, sys.version, doc.text_sha256)
    key = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    return cache_dir() / "documents" / f"{key}{suffix}"
