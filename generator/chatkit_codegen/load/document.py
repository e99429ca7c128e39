"""Loading an OpenAPI document: the one entry point the rest of the toolkit calls.

The work is done below, each step in its own module and none importing this one:
``pointers`` (JSON pointers, limits), ``source`` (the ``Document`` record and its
locations), ``parse`` (safe YAML/JSON parsing of one file), ``yaml_loader`` (PyYAML,
imported only when YAML must be parsed or located) and ``refs`` (allow-listed file
references bundled into one self-contained document).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .parse import load_text, read_document, read_text
from .pointers import MAX_BYTES, MAX_DEPTH, MAX_NODES, join_pointer, split_pointer
from .source import Document, text_sha256

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "Document",
    "join_pointer",
    "load_document",
    "load_text",
    "read_text",
    "split_pointer",
    "text_sha256",
]


def load_document(
    path: Path, display_name: str | None = None, allow_refs: Sequence[Path] = ()
) -> Document:
    """Read and parse a document file with size limits; bundle allow-listed file refs."""
    doc = read_document(path, display_name)
    if allow_refs:
        from .refs import bundle  # file references are followed only when allowed

        bundle(doc, allow_refs)
    return doc
