"""The ``diff`` report as text (terminals, CI logs), JSON (tools) or Markdown (PRs).

All three list the same changes in the same order: breaking first, then additive,
then patch; within a level by subject kind, subject and message.
"""

from __future__ import annotations

import json

from ..render.markdown import md_code, md_text
from .diff_records import LEVELS, Report, Side

HEADINGS = {"breaking": "Breaking", "additive": "Additive (non-breaking)", "patch": "Patch (docs and metadata)"}


def _summary(report: Report) -> str:
    parts = [f"{report.count(level)} {level}" for level in LEVELS]
    return ", ".join(parts)


def _bump_line(report: Report) -> str:
    if report.bump == "none":
        return "suggested bump: none (the documents build the same package)"
    target = f" ({report.old_version} → {report.suggested_version} or later)" if report.suggested_version else ""
    return f"suggested bump: {report.bump}{target}"


def _version_note(report: Report) -> str | None:
    if report.version_ok is False:
        return (
            f"info.version {report.new_version} is below the suggested {report.suggested_version}: "
            "raise it in the new document before publishing"
        )
    if report.version_ok is None and report.bump != "none":
        return f"info.version {report.new_version!r} is not a plain release; choose the next version by hand"
    return None


def _side_line(label: str, side: Side, version: str) -> str:
    return f"{label}: {side.display} (info.version {side.api.version}, package {version}, sha256 {side.api.spec_sha256[:16]})"


def render_text(report: Report) -> str:
    lines = [
        _side_line("old", report.old, report.old_version),
        _side_line("new", report.new, report.new_version),
        f"{len(report.changes)} changes: {_summary(report)}",
        _bump_line(report),
    ]
    note = _version_note(report)
    if note:
        lines.append(f"warning: {note}")
    for level in LEVELS:
        rows = [c for c in report.changes if c.level == level]
        if not rows:
            continue
        lines.append("")
        lines.append(f"{HEADINGS[level]}:")
        lines.extend(f"  {c.subject_kind} {c.subject}: {c.message.text()}" for c in rows)
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    def side(s: Side, version: str) -> dict[str, object]:
        return {
            "spec": s.display,
            "title": s.api.title,
            "info_version": s.api.version,
            "package_version": version,
            "sha256": s.api.spec_sha256,
        }

    data = {
        "old": side(report.old, report.old_version),
        "new": side(report.new, report.new_version),
        "summary": {level: report.count(level) for level in LEVELS},
        "bump": report.bump,
        "suggested_version": report.suggested_version,
        "version_ok": report.version_ok,
        "changes": [
            {
                "level": c.level,
                "breaking": c.level == "breaking",
                "kind": c.kind,
                "subject_kind": c.subject_kind,
                "subject": c.subject,
                "message": c.message.text(),
            }
            for c in report.changes
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _cell_code(text: str) -> str:
    """A code span inside a table cell: GFM needs its pipes escaped even there."""
    return md_code(text).replace("|", "\\|")


def render_markdown(report: Report) -> str:
    title = md_text(report.new.api.title)
    lines = [
        f"## API changes: {title} {md_code(report.old_version)} → {md_code(report.new_version)}",
        "",
        f"Compared {md_code(report.old.display)} with {md_code(report.new.display)}: "
        f"{len(report.changes)} changes ({_summary(report)}).",
        "",
        f"**{md_text(_bump_line(report)[0].upper() + _bump_line(report)[1:])}**",
    ]
    note = _version_note(report)
    if note:
        lines += ["", f"> **Warning:** {md_text(note)}"]
    for level in LEVELS:
        rows = [c for c in report.changes if c.level == level]
        if not rows:
            continue
        lines += ["", f"### {HEADINGS[level]}", "", "| Where | Change |", "|---|---|"]
        lines.extend(f"| {c.subject_kind} {_cell_code(c.subject)} | {c.message.markdown()} |" for c in rows)
    return "\n".join(lines) + "\n"


def render_report(report: Report, fmt: str) -> str:
    if fmt == "json":
        return render_json(report)
    if fmt == "markdown":
        return render_markdown(report)
    return render_text(report)
