"""SDK method names: ``client.<resource>.<method>``, decided for all operations at once.

The resource is ``x-sdk-method``'s prefix, else the operation's first tag, else the
first literal path segment that is not a version (``/v1/customers`` -> ``customers``). The method is ``x-sdk-method``'s last part, else the
``operationId`` in snake_case with a leading repeat of the resource dropped
(``repos/get`` under tag ``repos`` -> ``repos.get``; the resource's singular counts
too: ``pet_show`` under ``pets`` -> ``pets.show``). The short name is used only when
it is a plain identifier and no other method of the same resource has, or would get,
that name; otherwise the full name stays, with a note.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import naming


@dataclass(frozen=True)
class MethodName:
    resource: tuple[str, ...]
    method: str


def _short(resource: str, full: str) -> str | None:
    """``full`` without a leading repeat of ``resource``, when that leaves a name."""
    words = full.split("_")
    head = resource.split("_")
    for prefix in (head, [*head[:-1], naming.singular(head[-1])]):
        if len(words) > len(prefix) and words[: len(prefix)] == prefix:
            rest = "_".join(words[len(prefix) :])
            if rest and not rest[0].isdigit() and naming.param_name(rest) == rest:
                return rest
    return None


_VERSION = re.compile(r"(v\d+([._]\d+)*|api|\d{4}-\d{2}-\d{2})", re.IGNORECASE)


def _path_resource(path: str) -> str:
    """The first literal segment of ``path`` that names something: a version or
    ``api`` prefix is skipped while another segment follows (``/v1/customers`` ->
    ``customers``, ``/api/v2/users/{id}`` -> ``users``; ``/v1`` stays ``v1``)."""
    literal = [s for s in path.split("#", 1)[0].split("/") if s and not s.startswith("{")]
    named = [s for s in literal if not _VERSION.fullmatch(s)]
    return (named or literal or ["api"])[0]


def method_names(
    operations: list[tuple[str, str, str, dict[str, Any]]], note: Callable[[str, str], None]
) -> dict[str, MethodName]:
    """``(pointer, path, method, operation)`` -> the resource and method name of each."""
    fixed: dict[str, MethodName] = {}
    full: dict[str, MethodName] = {}
    short: dict[str, str] = {}
    for ptr, path, method, op in operations:
        op_id = str(op.get("operationId") or f"{method}_{path}")
        sdk = op.get("x-sdk-method")
        if isinstance(sdk, str) and sdk.strip():
            parts = [naming.field_name(p) for p in sdk.split(".") if p]
            fixed[ptr] = MethodName(tuple(parts[:-1]) or ("api",), parts[-1])
            continue
        tags = op.get("tags")
        tag = str(tags[0]) if isinstance(tags, list) and tags else None
        seg = _path_resource(path)
        resource = naming.param_name(naming.snake(tag if tag is not None else seg))
        name = full[ptr] = MethodName((resource,), naming.param_name(naming.snake(op_id)))
        candidate = _short(resource, name.method)
        if candidate is not None:
            short[ptr] = candidate
    while True:  # a short name that collides falls back to the full one, until none does
        taken: dict[tuple[tuple[str, ...], str], list[str]] = {}
        for ptr, name in [*fixed.items(), *full.items()]:
            taken.setdefault((name.resource, short.get(ptr, name.method)), []).append(ptr)
        clashing = sorted(p for ptrs in taken.values() if len(ptrs) > 1 for p in ptrs if p in short)
        if not clashing:
            break
        for ptr in clashing:
            kept = full[ptr].method
            note(ptr, f"method name {short.pop(ptr)!r} would collide in {'.'.join(full[ptr].resource)!r}; kept {kept!r}")
    out = dict(fixed)
    for ptr, name in full.items():
        out[ptr] = MethodName(name.resource, short.get(ptr, name.method))
    return out
