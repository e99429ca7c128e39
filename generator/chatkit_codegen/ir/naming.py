"""Deterministic, safe Python identifiers from arbitrary spec names.

Every identifier the generator writes comes from one of these functions. They are
pure: the same input always gives the same output, independent of hash seed, locale
or platform. Non-ASCII letters are transliterated where NFKD gives an ASCII base and
dropped otherwise; the wire name is always kept separately (as a pydantic alias or a
TypedDict key), so nothing is lost.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Iterable

# Names a pydantic BaseModel defines or reserves; a field may not shadow them.
PYDANTIC_RESERVED = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "from_orm",
        "json",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
        "fields",
        "register",
    }
)

# Names generated modules import or define at module level; a field named like one of
# them would shadow it inside the class body, where annotations are evaluated.
MODULE_NAMES = frozenset(
    {
        "Annotated",
        "Any",
        "BaseModel",
        "ConfigDict",
        "Dict",
        "Discriminator",
        "Field",
        "List",
        "Literal",
        "Optional",
        "Required",
        "Tag",
        "Tuple",
        "TypeAlias",
        "TypedDict",
        "Union",
        "bool",
        "bytes",
        "date",
        "datetime",
        "float",
        "int",
        "str",
        "UUID",
        "__all__",
        "mapping_discriminator",
    }
)

_WORD_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
# Words kept as one token when splitting and casing, as openai-python does.
_KEEP_WORDS = {"chatkit": "ChatKit"}
_JOIN_WORDS = {("chat", "kit"): "chatkit"}


# Latin letters NFKD does not decompose, written as their usual ASCII spelling.
_LETTERS = {"ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
            "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D"}


def ascii_fold(text: str) -> str:
    """Fold to ASCII: accents stripped via NFKD, ß/æ/ø... spelt out; other characters
    become separators."""
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if ch.isascii():
            out.append(ch)
        elif ch in _LETTERS:
            out.append(_LETTERS[ch])
        elif unicodedata.combining(ch):
            continue
        else:
            out.append(" ")
    return "".join(out)


def words(text: str) -> list[str]:
    """Split any name (camelCase, snake_case, kebab, dotted, spaced) into words."""
    folded = ascii_fold(text)
    result: list[str] = []
    for chunk in re.split(r"[^A-Za-z0-9]+", folded):
        if not chunk:
            continue
        lowered = chunk.lower()
        if lowered in _KEEP_WORDS:
            result.append(lowered)
            continue
        result.extend(_WORD_RE.findall(chunk))
    merged: list[str] = []
    for word in (w.lower() for w in result):
        if merged and (merged[-1], word) in _JOIN_WORDS:
            merged[-1] = _JOIN_WORDS[(merged[-1], word)]
        else:
            merged.append(word)
    return merged


def _fix_start(name: str, prefix: str) -> str:
    if not name:
        return prefix
    if name[0].isdigit():
        return prefix + name
    return name


def pascal(text: str) -> str:
    """``chatkit.client_tool_call`` -> ``ChatKitClientToolCall``; stable for any input."""
    if _is_pascal_identifier(text):
        return text
    parts = []
    for word in words(text):
        parts.append(_KEEP_WORDS.get(word, word[:1].upper() + word[1:]))
    return _fix_start("".join(parts), "Model")


def _is_pascal_identifier(text: str) -> bool:
    return (
        text.isascii()
        and text.isidentifier()
        and text[:1].isupper()
        and "_" not in text
        and not keyword.iskeyword(text)
    )


def snake(text: str) -> str:
    """``ChatKitThread`` -> ``chatkit_thread``; ``maxRetries`` -> ``max_retries``."""
    if text.isascii() and re.fullmatch(r"[a-z_][a-z0-9_]*", text):
        return text
    return _fix_start("_".join(words(text)), "n_")


# Names pycodestyle (ruff E741-E743) refuses: they read as 1 and 0 in many fonts.
AMBIGUOUS = frozenset({"l", "O", "I"})


def class_name(text: str) -> str:
    name = pascal(text)
    if keyword.iskeyword(name) or name in MODULE_NAMES or name in AMBIGUOUS:
        name += "_"
    return name


def module_name(class_or_schema_name: str) -> str:
    name = snake(class_or_schema_name) or "model"
    if keyword.iskeyword(name) or name in {"types", "typing", "pydantic", "__init__"}:
        name += "_"
    return name


def field_name(wire: str) -> str:
    """A safe attribute name for a property; the wire name stays the alias."""
    if wire.isascii() and wire.isidentifier() and not wire.startswith("_"):
        name = wire
    else:
        name = snake(wire)
        if not name or name[0] == "_":
            name = "field" + name if name else "field"
    if (
        keyword.iskeyword(name)
        or name in PYDANTIC_RESERVED
        or name.startswith("model_")
        or name in MODULE_NAMES
        or name in AMBIGUOUS
    ):
        name += "_"
    return name


def param_name(wire: str) -> str:
    """Function parameter names: like fields, plus names our builders use."""
    name = field_name(wire)
    if name in {"self", "cls", "options", "extra_headers", "timeout"}:
        name += "_"
    return name


def needs_sanitising(wire: str) -> bool:
    return field_name(wire) != wire


def singular(word: str) -> str:
    """A deliberately small singulariser for array item names (annotations -> annotation)."""
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def dedupe(names: Iterable[str], taken: set[str]) -> list[str]:
    """Give each name a unique spelling, appending 2, 3, ... in input order."""
    out = []
    for name in names:
        candidate = name
        n = 2
        while candidate in taken:
            candidate = f"{name}{n}"
            n += 1
        taken.add(candidate)
        out.append(candidate)
    return out
