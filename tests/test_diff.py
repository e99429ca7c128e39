"""``chatkit-codegen diff``: every row of tests/diff_cases/cases.yaml, the formats, exit codes."""

from __future__ import annotations

import copy
import json
from collections import Counter
from pathlib import Path
from typing import Any

import jsonpatch
import pytest
import yaml
from chatkit_codegen.workflow.diff import (
    Side,
    diff_apis,
    load_api,
    next_version,
    suggest_bump,
)
from conftest import ROOT, SPEC, run_cli

CASES = yaml.safe_load((ROOT / "tests" / "diff_cases" / "cases.yaml").read_text(encoding="utf-8"))
BASE = yaml.safe_load(SPEC.read_text(encoding="utf-8"))


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _apply(ops: list[dict[str, Any]] | None, *, reorder: bool = False) -> dict[str, Any]:
    data = jsonpatch.apply_patch(copy.deepcopy(BASE), ops or [])
    if reorder:
        schemas = data["components"]["schemas"]
        data["components"]["schemas"] = dict(reversed(list(schemas.items())))
    return data


def make_pair(case: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    old = _write(folder / "old.yaml", _apply(case.get("old")))
    new = _write(folder / "new.yaml", _apply(case.get("new"), reorder=case.get("reorder_components", False)))
    return old, new


def test_table_rows_are_well_formed() -> None:
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names))
    levels = {c["changes"][0].split()[0] for c in CASES if c["changes"]}
    assert levels == {"breaking", "additive", "patch"}  # the table covers every level
    for case in CASES:
        assert set(case) <= {"name", "old", "new", "reorder_components", "bump", "changes", "version_ok"}
        assert case["bump"] in {"major", "minor", "patch", "none"}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_diff_table(case: dict[str, Any], tmp_path: Path) -> None:
    old, new = make_pair(case, tmp_path)
    report = diff_apis(Side("old.yaml", load_api(old)), Side("new.yaml", load_api(new)))
    got = Counter(f"{c.level} {c.kind} {c.subject_kind} {c.subject}" for c in report.changes)
    want = Counter(case["changes"])
    assert got == want, "\n".join(f"{c.level} {c.kind} {c.subject_kind} {c.subject}: {c.message.text()}" for c in report.changes)
    assert report.bump == case["bump"]
    if "version_ok" in case:
        assert report.version_ok is case["version_ok"]
    breaking = [c for c in case["changes"] if c.startswith("breaking ")]
    assert (report.count("breaking") > 0) == bool(breaking)


def test_report_is_sorted_and_deterministic(tmp_path: Path) -> None:
    case = {"new": [op for c in CASES for op in c.get("new") or [] if c["name"] in {"operation removed", "new endpoint", "description edited"}]}
    old, new = make_pair(case, tmp_path)
    outputs = {
        fmt: [run_cli("diff", str(old), str(new), "--format", fmt, cwd=tmp_path).stdout for _ in range(2)]
        for fmt in ("text", "json", "markdown")
    }
    for first, second in outputs.values():
        assert first == second
    data = json.loads(outputs["json"][0])
    levels = [c["level"] for c in data["changes"]]
    assert levels == sorted(levels, key=["breaking", "additive", "patch"].index)
    assert data["bump"] == "major"
    assert data["summary"] == {"breaking": 1, "additive": 1, "patch": 1}
    assert data["suggested_version"] == "2.0.0" and data["version_ok"] is False
    text = outputs["text"][0]
    assert text.index("Breaking:") < text.index("Additive") < text.index("Patch")
    assert "operation beta.chatkit.threads.delete: removed (`DELETE /chatkit/threads/{thread_id}`)" in text
    assert "suggested bump: major (1.0.0 → 2.0.0 or later)" in text
    markdown = outputs["markdown"][0]
    assert "| operation `beta.chatkit.threads.archive` | added \\(`POST /chatkit/threads/{thread_id}/archive`\\) |" in markdown
    assert markdown.startswith("## API changes: OpenAI ChatKit API `1.0.0` → `1.0.0`")


@pytest.mark.parametrize(
    ("fail_on", "rows", "code"),
    [
        ("breaking", ["operation removed"], 1),
        ("breaking", ["new endpoint"], 0),
        ("any", ["new endpoint"], 1),
        ("any", ["identical documents"], 0),
        ("never", ["operation removed"], 0),
    ],
)
def test_fail_on(fail_on: str, rows: list[str], code: int, tmp_path: Path) -> None:
    ops = [op for c in CASES if c["name"] in rows for op in c.get("new") or []]
    old, new = make_pair({"new": ops}, tmp_path)
    proc = run_cli("diff", str(old), str(new), "--fail-on", fail_on)
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert proc.stderr == ""


def test_markdown_escapes_spec_names(tmp_path: Path) -> None:
    odd = "a|b`c*d"
    old, new = make_pair(
        {"new": [{"op": "add", "path": "/components/schemas/ChatKitThread/properties/" + odd.replace("~", "~0"), "value": {"type": "string"}}]},
        tmp_path,
    )
    proc = run_cli("diff", str(old), str(new), "--format", "markdown")
    row = next(line for line in proc.stdout.splitlines() if "field" in line)
    assert row.count(" | ") == 1 and row.startswith("| ") and row.endswith(" |")  # the cell stayed one cell
    assert "``a\\|b`c*d``" in row


def test_git_revision_syntax(tmp_path: Path) -> None:
    proc = run_cli("diff", "HEAD:spec/chatkit.yaml", str(SPEC))
    assert proc.returncode == 0, proc.stderr
    assert "old: HEAD:spec/chatkit.yaml" in proc.stdout
    missing = run_cli("diff", "no-such-rev-xyz:spec/chatkit.yaml", str(SPEC))
    assert missing.returncode == 1
    assert "cannot read from git" in missing.stderr and "Traceback" not in missing.stderr


def test_missing_file_is_reported(tmp_path: Path) -> None:
    proc = run_cli("diff", str(tmp_path / "nope.yaml"), str(SPEC))
    assert proc.returncode == 1
    assert "no such file" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("levels", "version", "bump", "nxt"),
    [
        ({"breaking", "patch"}, "1.4.2", "major", "2.0.0"),
        ({"additive"}, "1.4.2", "minor", "1.5.0"),
        ({"patch"}, "1.4.2", "patch", "1.4.3"),
        (set(), "1.4.2", "none", "1.4.2"),
        ({"breaking"}, "0.4.2", "minor", "0.5.0"),
        ({"additive"}, "0.4.2", "patch", "0.4.3"),
        ({"breaking"}, "0.0.0+2024.06.01", "major", None),
    ],
)
def test_bump_rules(levels: set[str], version: str, bump: str, nxt: str | None) -> None:
    from chatkit_codegen.workflow.diff import Change, Msg

    changes = [Change(level, "x", "api", "t", Msg("m")) for level in levels]  # type: ignore[arg-type]
    assert suggest_bump(changes, version, spec_changed=False) == bump
    assert next_version(version, suggest_bump(changes, version, spec_changed=False)) == nxt
