"""Safe parsing of one file (YAML or JSON) into a ``Document``, with size limits.

Only PyYAML's safe loader is used, so ``!!python/...`` tags are refused, and it is
narrowed to JSON data. Duplicate mapping keys are reported. Alias bombs and absurd
nesting are stopped by limits on the expanded size and depth of the loaded tree.
A YAML text that loaded cleanly is remembered (marshalled) in the user cache, so the
next run of the same spec neither parses YAML nor imports PyYAML (``yaml_loader``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import CodegenError, Level, Problem
from .pointers import MAX_BYTES, MAX_DEPTH, MAX_NODES, LoadError
from .source import Document, cache_entry


def _check_shape(data: Any, name: str) -> None:
    """Refuse trees whose alias-expanded size or depth is absurd (alias bombs).

    A YAML alias is the same Python object at every place it is used, so each object's
    expanded size and height are computed once: the cost follows the text, not the
    expansion (a document whose examples reuse each other expands many times over).
    """
    size: dict[int, int] = {}  # id of a list or mapping -> its expanded node count
    height: dict[int, int] = {}  # ... and its height (a scalar counts as one level)
    open_: set[int] = set()  # entered, children not yet measured
    stack: list[Any] = [data]
    while stack:
        node = stack[-1]
        key = id(node)
        if key in size:
            stack.pop()
            continue
        children = list(node.values()) if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            stack.pop()
            continue
        if key not in open_:
            open_.add(key)
            for child in children:
                if isinstance(child, dict | list):
                    if id(child) in open_ and id(child) not in size:
                        raise LoadError(1, 1, f"document nests deeper than {MAX_DEPTH} levels")
                    stack.append(child)
            continue
        stack.pop()
        count, tallest = 1, 1
        for child in children:
            if isinstance(child, dict | list):
                count += size[id(child)]
                tallest = max(tallest, height[id(child)] + 1)
            else:
                count += 1
                tallest = max(tallest, 2)
        if count > MAX_NODES:
            raise LoadError(1, 1, f"document expands to more than {MAX_NODES} nodes (alias bomb?)")
        if tallest > MAX_DEPTH + 1:
            raise LoadError(1, 1, f"document nests deeper than {MAX_DEPTH} levels")
        size[key], height[key] = count, tallest


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
        raise LoadError(exc.lineno, exc.colno, f"invalid JSON: {exc.msg}") from None
    except ValueError as exc:
        raise LoadError(1, 1, f"invalid JSON: {exc}") from None
    except RecursionError:
        raise LoadError(1, 1, f"document nests deeper than {MAX_DEPTH} levels") from None
    if dup_keys:
        # JSON is YAML: the YAML composer knows where each duplicate key sits.
        from .yaml_loader import duplicate_keys

        located = duplicate_keys(text)
        if len(located) != len(dup_keys):
            located = [(*_find_key(text, key), key) for key in dup_keys]
        for line, col, key in located:
            problems.append(Problem(name, line, col, Level.ERROR, "", f"duplicate key {key!r}"))
    return data



def _parse_yaml(doc: Document, problems: list[Problem]) -> Any:
    """The data of a YAML text: from the cache when this exact text loaded before."""
    import marshal

    from ..cache import read_bytes_entry, write_entry

    # marshal keeps the sharing of YAML aliases (an example reused a thousand times is
    # stored once) and reads fastest.
    entry = cache_entry(doc, ".marshal")
    cached = read_bytes_entry(entry)
    if cached is not None:
        try:
            return marshal.loads(cached)
        except (ValueError, EOFError, TypeError):
            pass  # a damaged entry: parse again
    from .yaml_loader import load_yaml

    nodes: list[Any] = []
    data = load_yaml(doc.text, doc.display_name, problems, nodes)
    if nodes and nodes[0] is not None:
        doc._nodes = nodes[0]  # the same parse locates the document's problems
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
            except LoadError:
                problems.clear()
                data = _parse_yaml(doc, problems)
        else:
            data = _parse_yaml(doc, problems)
    except LoadError as exc:
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


def read_text(path: Path, display_name: str | None = None) -> str:
    """The text of one document file, read with the size limit and decoded as UTF-8."""
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
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodegenError(
            [Problem(name, 1, 1, Level.ERROR, "", f"file is not UTF-8: {exc.reason}")]
        ) from None


def read_document(path: Path, display_name: str | None = None) -> Document:
    """Read and parse one document file with size limits (no file references followed)."""
    return load_text(read_text(path, display_name), path, display_name or path.name)
