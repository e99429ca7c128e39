"""The ``upstream`` report as text (terminals, CI logs), JSON (tools) or Markdown (PRs).

All three list the same findings in the same order: what upstream has more, what the
curated document claims beyond upstream, informational, then accepted differences;
within a level by curated name, kind and message.
"""

from __future__ import annotations

import json

from ..render.markdown import md_code, md_text
from .upstream_match import LEVELS, Finding, UpstreamReport

HEADINGS = {
    "upstream-more": "Upstream has more (the curated spec lacks it)",
    "curated-more": "Curated claims what upstream does not",
    "info": "Informational",
    "accepted": "Accepted (recorded with x-upstream-note)",
}


def _summary(report: UpstreamReport) -> str:
    return ", ".join(f"{report.count(level)} {level}" for level in LEVELS)


def _where(report: UpstreamReport, f: Finding) -> str:
    loc = report.locations.get(f.curated)
    return f"{report.curated.display_name}:{loc[0]}:{loc[1]}" if loc else report.curated.display_name


def render_text(report: UpstreamReport) -> str:
    lines = [
        f"curated: {report.curated.display_name}",
        f"upstream: {report.upstream.display_name}",
        f"{len(report.findings)} findings: {_summary(report)}",
    ]
    for level in LEVELS:
        rows = [f for f in report.findings if f.level == level]
        if not rows:
            continue
        lines += ["", f"{HEADINGS[level]}:"]
        for f in rows:
            lines.append(f"  {f.subject}: {f.message.text()} [{f.kind}]")
            lines.append(f"    curated {f.curated or '-'} ({_where(report, f)}); upstream {f.upstream or '-'}")
            if f.note:
                lines.append(f"    note: {' '.join(f.note.split())}")
    if report.pairs:
        lines += ["", "Corresponding schemas (curated = upstream):"]
        lines += [f"  {c} = {', '.join(u)}" for c, u in report.pairs.items() if (c,) != u]
    return "\n".join(lines) + "\n"


def render_json(report: UpstreamReport) -> str:
    data = {
        "curated": report.curated.display_name,
        "upstream": report.upstream.display_name,
        "summary": {level: report.count(level) for level in LEVELS},
        "findings": [
            {
                "level": f.level,
                "kind": f.kind,
                "subject": f.subject,
                "message": f.message.text(),
                "curated": f.curated,
                "curated_line": report.locations.get(f.curated, (None, None))[0],
                "upstream": f.upstream,
                "note": f.note,
            }
            for f in report.findings
        ],
        "pairs": {c: list(u) for c, u in report.pairs.items()},
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_markdown(report: UpstreamReport) -> str:
    drift = len(report.drift)
    lines = [
        f"## Upstream drift: {md_code(report.curated.display_name)} against {md_code(report.upstream.display_name)}",
        "",
        f"{drift} differences to act on ({md_text(_summary(report))}).",
    ]
    for level in LEVELS:
        rows = [f for f in report.findings if f.level == level]
        if not rows:
            continue
        lines += ["", f"### {md_text(HEADINGS[level])}", "", "| Curated name | Finding | Curated pointer | Upstream pointer |", "|---|---|---|---|"]
        for f in rows:
            msg = f.message.markdown() + " " + md_code(f.kind).replace("|", "\\|")
            if f.note:
                msg += " — " + md_text(" ".join(f.note.split())).replace("|", "\\|")
            cells = [md_code(f.subject), msg, md_code(f.curated or "-"), md_code(f.upstream or "-")]
            lines.append("| " + " | ".join(c if c is msg else c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def render(report: UpstreamReport, fmt: str) -> str:
    if fmt == "json":
        return render_json(report)
    if fmt == "markdown":
        return render_markdown(report)
    return render_text(report)
