"""The severity policy: which defects refuse a document and which have a safe reading.

An error is a defect no correct code can be written for (the document does not parse,
a ``$ref`` does not resolve, a name cannot be made safe, a type does not exist...).
A defect with a safe reading is a warning that says what ``generate`` does instead:
its message is ``<what is wrong>; <fallback>``, the fallback fixed per kind (``FALLBACKS``).
``--strict`` turns every such warning back into the error it was before the policy
(``harden``), with the fallback dropped: generate refuses the document again.

Findings of the structural engine are classified by their JSON pointer (the keyword it
ends in) and the value the document holds there, never by the engine's message text,
so a change of engine does not change the policy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from ..errors import Level, Problem
from .document import Document, split_pointer
from .walk import resolve_pointer

# Part of the validation cache's key: bump it when a rule or a message changes.
POLICY_VERSION = 2

# kind -> what generate does instead (the tail of the warning's message).
FALLBACKS: dict[str, str] = {
    "discriminator": "read as a plain union (variants tried in order)",
    "discriminator-unused": "the discriminator is ignored",
    "invalid-example": "reported and not trusted",
    "invalid-default": "reported and not trusted (the field gets no default)",
    "duplicate-required": "read once",
    "empty-required": "read as no required properties",
    "oas30-keyword": "read as OpenAPI 3.0 meant it",
    "recursive-anchor": "ignored ($ref recursion is followed as usual)",
    "unknown-keyword": "noted and ignored",
    "json-text": "sent as JSON text",
}
# Warnings about the documentation, not the API: shown only when asked for.
DOC_MESSAGES = frozenset({"schema has no description", "property has no description"})

TYPES_31 = ("array", "boolean", "integer", "null", "number", "object", "string")
TYPES_30 = tuple(t for t in TYPES_31 if t != "null")


def downgrade(problem: Problem, kind: str) -> Problem:
    """``problem`` as the warning of ``kind``: located where it was, saying the fallback."""
    return replace(problem, level=Level.WARNING, message=f"{problem.message}; {FALLBACKS[kind]}")


def policy_kind(problem: Problem) -> str | None:
    """The policy kind of a downgraded warning, or None."""
    if problem.level is not Level.WARNING:
        return None
    for kind, fallback in FALLBACKS.items():
        if problem.message.endswith("; " + fallback):
            return kind
    return None


def harden(problems: Iterable[Problem]) -> list[Problem]:
    """``--strict``: each warning of a policy kind becomes the error it stands for."""
    out = []
    for p in problems:
        kind = policy_kind(p)
        if kind is not None:
            p = replace(p, level=Level.ERROR, message=p.message[: -len(FALLBACKS[kind]) - 2])
        out.append(p)
    return sorted(set(out))


def is_doc_warning(problem: Problem) -> bool:
    return problem.level is Level.WARNING and problem.message in DOC_MESSAGES


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    import difflib  # only when there is a misspelling to explain

    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def suggest_ref(data: Any, ref: str) -> str | None:
    """The nearest existing pointer to an unresolvable local ``ref`` (its first bad step
    replaced by the closest key there), if one is close enough."""
    parts = split_pointer(ref[1:]) if ref.startswith("#") else []
    node: Any = data
    good: list[str] = []
    for i, part in enumerate(parts):
        if isinstance(node, dict) and part in node:
            node, good = node[part], [*good, part]
            continue
        if not isinstance(node, dict):
            return None
        close = did_you_mean(part, [k for k in node if isinstance(k, str)])
        if close is None:
            return None
        fixed = [*good, close, *parts[i + 1 :]]
        candidate = "#" + "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in fixed)
        try:
            resolve_pointer(data, candidate)
        except KeyError:
            return None
        return candidate
    return None


def _value(data: Any, pointer: str) -> tuple[bool, Any]:
    try:
        return True, resolve_pointer(data, "#" + pointer)
    except (KeyError, TypeError, ValueError):
        return False, None


def classify_structural(doc: Document, problems: Iterable[Problem]) -> Iterator[Problem]:
    """The structural engine's findings with the policy applied: defects with a safe
    reading become warnings, a misspelt ``type`` gets a suggestion; one finding per node
    for the keywords rewritten here (engines report some nodes more than once)."""
    version = doc.data.get("openapi") if isinstance(doc.data, dict) else None
    is_31 = isinstance(version, str) and version.startswith(("3.1", "3.2"))
    rewritten: set[str] = set()
    for p in problems:
        if p.level is not Level.ERROR:
            yield p
            continue
        keyword = p.pointer.rsplit("/", 1)[-1] if p.pointer else ""
        found, value = _value(doc.data, p.pointer)
        new = _rewrite(p, keyword, value, is_31) if found else None
        if new is None:
            yield p
        elif p.pointer not in rewritten:
            rewritten.add(p.pointer)
            yield new


def _rewrite(p: Problem, keyword: str, value: Any, is_31: bool) -> Problem | None:
    if keyword in ("exclusiveMinimum", "exclusiveMaximum") and is_31 and isinstance(value, bool):
        bound = "minimum" if keyword == "exclusiveMinimum" else "maximum"
        base = (
            f"boolean {keyword} is OpenAPI 3.0 syntax (3.1 gives the bound itself: "
            f"{keyword}: <number>)"
        )
        if not value:
            base += f"; false leaves {bound} inclusive"
        return downgrade(replace(p, message=base), "oas30-keyword")
    if keyword == "required" and value == []:  # 3.0 (JSON Schema draft 4) wants one or more
        return downgrade(replace(p, message="required is an empty list"), "empty-required")
    if keyword == "required" and isinstance(value, list):
        seen: set[Any] = set()
        dups = []
        for item in value:
            key = repr(item)
            if key in seen and item not in dups:
                dups.append(item)
            seen.add(key)
        if dups and all(isinstance(d, str) for d in value):
            names = ", ".join(repr(d) for d in dups)
            return downgrade(replace(p, message=f"required lists {names} more than once"), "duplicate-required")
        return None
    if keyword in ("$recursiveAnchor", "$recursiveRef"):
        return recursive_anchor(p)
    if keyword == "type":
        return _bad_type(p, value, TYPES_31 if is_31 else TYPES_30)
    return None


def recursive_anchor(p: Problem) -> Problem:
    """The one finding for ``$recursiveAnchor``/``$recursiveRef`` at ``p``'s pointer
    (validate and the engine both report it; the two are the same problem)."""
    keyword = p.pointer.rsplit("/", 1)[-1]
    message = f"{keyword} is JSON Schema 2019-09, not part of OpenAPI 3.1's dialect"
    return downgrade(replace(p, message=message), "recursive-anchor")


def _bad_type(p: Problem, value: Any, valid: tuple[str, ...]) -> Problem | None:
    names = value if isinstance(value, list) else [value]
    bad = [n for n in names if isinstance(n, str) and n not in valid]
    if not bad:
        return None
    word = bad[0]
    close = did_you_mean(word, valid)
    hint = f"; did you mean {close!r}?" if close else ""
    return replace(
        p, message=f"{word!r} is not a type{hint} (valid types: {', '.join(valid)})"
    )
