"""The YAML side of loading, imported only when YAML must be parsed or located.

A warm run reads the parsed document from the cache and never imports PyYAML. The
loader is PyYAML's safe loader (libyaml when available) narrowed to JSON data: YAML
1.2 core scalars, string keys, no bytes, sets or pairs; duplicate mapping keys are
recorded with their position.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import Level, Problem
from .pointers import MAX_DEPTH, LoadError, split_pointer

try:  # libyaml is much faster; fall back to the pure-Python safe loader.
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseLoader = yaml.SafeLoader


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


def _yaml_load(text: str, duplicates: list[tuple[int, int, str]], nodes: list[Any] | None = None) -> Any:
    """The data of ``text``; its node tree (for locations) appended to ``nodes``."""
    loader = SafeJSONLoader(text)
    loader.duplicates = duplicates
    try:
        node = loader.get_single_node()
        if nodes is not None:
            nodes.append(node)
        return None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


def load_yaml(text: str, name: str, problems: list[Problem], nodes: list[Any] | None = None) -> Any:
    """Parse YAML text; duplicate keys become problems, other errors LoadError. The
    node tree the data was built from is appended to ``nodes`` (one parse serves both
    the data and the locations of its problems)."""
    dups: list[tuple[int, int, str]] = []
    try:
        data = _yaml_load(text, dups, nodes)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (exc.problem or "").strip()
        tag = re.search(r"constructor for the tag '(.*)'", problem)
        if tag:
            message = f"refused YAML tag {tag.group(1)!r}: only plain JSON data is allowed"
        else:
            message = f"invalid YAML: {problem}"
        raise LoadError(line, col, message) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise LoadError(line, col, f"invalid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise LoadError(1, 1, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise LoadError(1, 1, f"document nests deeper than {MAX_DEPTH} levels") from None
    for line, col, key in dups:
        problems.append(Problem(name, line, col, Level.ERROR, "", f"duplicate key {key!r}"))
    return data



def duplicate_keys(text: str) -> list[tuple[int, int, str]]:
    """Where the duplicate keys of ``text`` sit (empty if it does not parse as YAML)."""
    located: list[tuple[int, int, str]] = []
    try:
        _yaml_load(text, located)
    except (yaml.YAMLError, RecursionError):
        return []
    return located


def compose(text: str) -> Any:
    """The YAML node tree of ``text`` (for locations), or False if it does not parse."""
    try:
        return yaml.compose(text, Loader=_BaseLoader)
    except yaml.YAMLError:
        return False


def locate(nodes: Any, pointer: str, index: dict[int, dict[str, Any]] | None = None) -> tuple[int, int]:
    """Line and column (1-based) of the deepest node along ``pointer``: a scalar or
    flow value where it starts, a block mapping or sequence at its key. ``index``
    remembers each mapping's keys, so many lookups in a large mapping stay cheap."""
    node = nodes
    if not node:
        return (1, 1)
    best = node.start_mark
    index = {} if index is None else index
    for part in split_pointer(pointer):
        nxt = None
        mark = None
        if isinstance(node, yaml.MappingNode):
            keys = index.get(id(node))
            if keys is None:
                keys = index[id(node)] = {}
                for key_node, value_node in node.value:  # the last wins, as in the data
                    keys[key_node.value] = (key_node, value_node)
            found = keys.get(part)
            if found is not None:
                key_node, nxt = found
                block = isinstance(nxt, yaml.CollectionNode) and not nxt.flow_style
                mark = key_node.start_mark if block else nxt.start_mark
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
