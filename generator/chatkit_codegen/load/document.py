"""Safe loading of OpenAPI documents (YAML or JSON) with source locations.

Only PyYAML's safe loader is used, so ``!!python/...`` tags are refused, and it is
narrowed to JSON data: YAML 1.2 core scalars, string keys, no bytes, sets or pairs.
Duplicate mapping keys are reported. Alias bombs and absurd nesting are stopped by limits on
the expanded size and depth of the loaded tree. Line numbers are looked up lazily:
the document is re-composed into YAML nodes only when a problem needs a location.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
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


_TAG = "tag:yaml.org,2002:"
# YAML 1.2 core schema (what OpenAPI asks for): ``on``/``yes``/``no`` stay strings,
# ``012`` is twelve, ``1e3`` is a number, and dates stay strings.
_CORE_RESOLVERS: list[tuple[str, str, str]] = [
    (_TAG + "null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    (_TAG + "bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (_TAG + "int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        _TAG + "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
]
# Tags the safe loader would build into non-JSON values (bytes, sets, tuples).
_REFUSED_TAGS = ("binary", "set", "omap", "pairs")
_KEY_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null")}


class SafeJSONLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader restricted to JSON data: YAML 1.2 core scalars, string
    keys (a plain ``200:`` key is the string ``"200"``), duplicate keys recorded."""

    duplicates: list[tuple[int, int, str]]

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, "expected a mapping", node.start_mark
            )
        seen: set[str] = set()
        for key_node, _ in node.value:
            if key_node.tag == _TAG + "merge":
                continue
            key = self._key(key_node)
            if key in seen:
                mark = key_node.start_mark
                self.duplicates.append((mark.line + 1, mark.column + 1, key))
            seen.add(key)
        self.flatten_mapping(node)  # ``<<`` merge keys; explicit keys win
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            mapping[self._key(key_node)] = self.construct_object(value_node, deep=deep)
        return mapping

    @staticmethod
    def _key(node: yaml.Node) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag not in _KEY_TAGS:
            raise yaml.constructor.ConstructorError(
                None, None, "mapping keys must be plain strings", node.start_mark
            )
        return str(node.value)

    def construct_core_int(self, node: yaml.Node) -> int:
        text = str(self.construct_scalar(node))
        try:
            if text.startswith(("0o", "0x")):
                return int(text[2:], 8 if text[1] == "o" else 16)
            return int(text, 10)
        except ValueError:
            raise yaml.constructor.ConstructorError(
                None, None, f"not an integer: {text!r}", node.start_mark
            ) from None

    def construct_core_float(self, node: yaml.Node) -> float:
        text = str(self.construct_scalar(node))
        lowered = text.lower().lstrip("+")
        try:
            if lowered in (".inf", "-.inf", ".nan"):
                return float(lowered.replace(".", ""))
            return float(text)
        except ValueError:
            raise yaml.constructor.ConstructorError(
                None, None, f"not a number: {text!r}", node.start_mark
            ) from None

    def refuse(self, node: yaml.Node) -> None:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"could not determine a constructor for the tag {node.tag!r}",
            node.start_mark,
        )


SafeJSONLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag == _TAG + "merge"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
for _tag, _regexp, _first in _CORE_RESOLVERS:
    SafeJSONLoader.add_implicit_resolver(_tag, re.compile(_regexp), list(_first))
SafeJSONLoader.add_constructor(_TAG + "int", SafeJSONLoader.construct_core_int)
SafeJSONLoader.add_constructor(_TAG + "float", SafeJSONLoader.construct_core_float)
# An explicit ``!!timestamp`` stays the string it was written as: OpenAPI is JSON.
SafeJSONLoader.add_constructor(_TAG + "timestamp", SafeJSONLoader.construct_yaml_str)
for _name in _REFUSED_TAGS:
    SafeJSONLoader.add_constructor(_TAG + _name, SafeJSONLoader.refuse)


def _yaml_load(text: str, duplicates: list[tuple[int, int, str]]) -> Any:
    loader = SafeJSONLoader(text)
    loader.duplicates = duplicates
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


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
        if self.content_sha256:
            return self.content_sha256
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def locate(self, pointer: str) -> tuple[int, int]:
        """Line and column (1-based) of the deepest node along ``pointer``: a scalar or
        flow value where it starts, a block mapping or sequence at its key."""
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
            mark = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == part:
                        nxt = value_node
                        block = isinstance(nxt, yaml.CollectionNode) and not nxt.flow_style
                        mark = key_node.start_mark if block else nxt.start_mark
                        break
            elif isinstance(node, yaml.SequenceNode) and part.isdigit():
                idx = int(part)
                if idx < len(node.value):
                    nxt = node.value[idx]
                    mark = nxt.start_mark
            if nxt is None or mark is None:
                break
            node = nxt
            best = mark
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
        located: list[tuple[int, int, str]] = []
        try:
            _yaml_load(text, located)
        except (yaml.YAMLError, RecursionError):
            located = []
        if len(located) != len(dup_keys):
            located = [(*_find_key(text, key), key) for key in dup_keys]
        for line, col, key in located:
            problems.append(Problem(name, line, col, Level.ERROR, "", f"duplicate key {key!r}"))
    return data


def _load_yaml(text: str, name: str, problems: list[Problem]) -> Any:
    dups: list[tuple[int, int, str]] = []
    try:
        data = _yaml_load(text, dups)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (exc.problem or "").strip()
        tag = re.search(r"constructor for the tag '(.*)'", problem)
        if tag:
            message = f"refused YAML tag {tag.group(1)!r}: only plain JSON data is allowed"
        else:
            message = f"invalid YAML: {problem}"
        raise _LoadError(line, col, message) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise _LoadError(line, col, f"invalid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise _LoadError(1, 1, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise _LoadError(1, 1, f"document nests deeper than {MAX_DEPTH} levels") from None
    for line, col, key in dups:
        problems.append(Problem(name, line, col, Level.ERROR, "", f"duplicate key {key!r}"))
    return data


def load_text(text: str, path: Path, display_name: str | None = None) -> Document:
    """Parse ``text`` (JSON or YAML). Raises CodegenError with located problems."""
    name = display_name or path.name
    doc = Document(path=path, text=text, data=None, display_name=name)
    problems: list[Problem] = []
    try:
        if path.suffix.lower() == ".json":
            data = _load_json(text, name, problems)
        elif text.lstrip().startswith("{"):
            # JSON in a .yaml file, or a YAML flow mapping: JSON's errors are clearer.
            try:
                data = _load_json(text, name, problems)
            except _LoadError:
                problems.clear()
                data = _load_yaml(text, name, problems)
        else:
            data = _load_yaml(text, name, problems)
        _check_shape(data, name)
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
