"""``chatkit-codegen upstream UPSTREAM``: where the curated spec and the published one differ.

Both documents are loaded (never fetched: UPSTREAM is a file), matched by structure
(``upstream_match``), and every difference is reported per curated name with a JSON
pointer on both sides. A difference the curated document keeps on purpose is recorded
there with ``x-upstream-note`` on the node (or an ancestor) the finding points at:

    x-upstream-note: The reference page documents the header on every method.
    x-upstream-note: {kinds: [default-removed], reason: Defaults from the page's text.}

A string accepts every finding at or below that node; a mapping only the listed kinds
(``kinds: []`` records a difference the command does not compare); a list holds
several notes.
Accepted findings are reported with the reason and never fail the command.
``x-upstream-name`` pins a correspondence: on a schema, the upstream component it is;
on an operation, the upstream operationId.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import CodegenError, Level, Problem
from ..load.document import Document, join_pointer, load_document, split_pointer
from .upstream_match import LEVELS, Finding, Matcher, UpstreamReport

FAIL_ON = ("upstream-more", "curated-more", "any", "never")


def _notes(data: Any) -> dict[str, list[tuple[frozenset[str] | None, str]]]:
    """Every ``x-upstream-note`` of the curated document: pointer -> [(kinds, reason)]."""
    out: dict[str, list[tuple[frozenset[str] | None, str]]] = {}
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        ptr, node = stack.pop()
        if isinstance(node, dict):
            note = node.get("x-upstream-note")
            for one in note if isinstance(note, list) else [note]:
                if isinstance(one, str):
                    out.setdefault(ptr, []).append((None, one))
                elif isinstance(one, dict):
                    kinds = one.get("kinds")
                    reason = str(one.get("reason", ""))
                    out.setdefault(ptr, []).append((frozenset(map(str, kinds)) if isinstance(kinds, list) else None, reason))
            for key, value in node.items():
                if isinstance(value, dict | list) and key not in ("example", "examples", "x-upstream-note"):
                    stack.append((join_pointer(ptr, key), value))
        elif isinstance(node, list):
            stack.extend((join_pointer(ptr, i), v) for i, v in enumerate(node) if isinstance(v, dict | list))
    return out


def _ancestors(ptr: str) -> Iterator[str]:
    parts = split_pointer(ptr)
    for n in range(len(parts), -1, -1):
        yield join_pointer("", *parts[:n])


def accept(findings: Sequence[Finding], data: Any) -> list[Finding]:
    notes = _notes(data)
    out: list[Finding] = []
    for f in findings:
        reason = None
        for anchor in f.anchors:
            if not anchor:
                continue
            for ptr in _ancestors(anchor):
                hits = [why for kinds, why in notes.get(ptr, ()) if kinds is None or f.kind in kinds]
                if hits:
                    reason = hits[0]
                    break
            if reason is not None:
                break
        out.append(replace(f, level="accepted", note=reason) if reason is not None else f)
    return out


def compare_documents(curated: Document, upstream: Document, descriptions: bool = False) -> UpstreamReport:
    matcher = Matcher(curated.data, upstream.data, descriptions)
    found = accept(matcher.run(), curated.data)
    findings = tuple(sorted(set(found), key=Finding.sort_key))
    pointers = {f.curated for f in findings if f.curated}
    return UpstreamReport(
        curated=curated,
        upstream=upstream,
        findings=findings,
        pairs={k: tuple(sorted(v)) for k, v in sorted(matcher.pairs.items())},
        touched=len(matcher.touched),
        locations=_locations(curated, pointers),
    )


def _locations(doc: Document, pointers: set[str]) -> dict[str, tuple[int, int]]:
    try:
        return doc.locate_many(pointers)
    except Exception:  # pragma: no cover - locations are a convenience
        return {}


def select(findings: Sequence[Finding], patterns: Sequence[str]) -> list[Finding]:
    """Findings a ``--select`` pattern names (kind, level, subject or curated pointer,
    shell wildcards); without patterns every finding that is drift."""
    if not patterns:
        return [f for f in findings if f.level in ("upstream-more", "curated-more")]
    return [
        f
        for f in findings
        if f.level != "accepted"
        and any(fnmatch.fnmatchcase(field, p) for p in patterns for field in (f.kind, f.level, f.subject, f.curated))
    ]


def exit_code(report: UpstreamReport, fail_on: str) -> int:
    if fail_on == "never":
        return 0
    if fail_on == "any":
        return 1 if report.drift else 0
    return 1 if report.count(fail_on) else 0


def load(path: Path) -> Document:
    if not path.is_file():
        raise CodegenError([Problem(str(path), 1, 1, Level.ERROR, "", "no such file")])
    return load_document(path, str(path))


def run_upstream(
    upstream: Path,
    spec: Path,
    fmt: str = "text",
    fail_on: str = "never",
    descriptions: bool = False,
    patch: Path | None = None,
    selected: Sequence[str] = (),
) -> int:
    from .upstream_patch import build_patch
    from .upstream_report import render

    report = compare_documents(load(spec), load(upstream), descriptions)
    print(render(report, fmt), end="")
    if patch is not None:
        ops = build_patch(report.curated.data, report.upstream.data, select(report.findings, selected), report.pairs)
        patch.write_text(json.dumps(ops, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return exit_code(report, fail_on)


__all__ = ["FAIL_ON", "LEVELS", "UpstreamReport", "compare_documents", "run_upstream", "select"]
