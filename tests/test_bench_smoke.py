"""Smoke test: every bench script runs end to end on tiny inputs, once.

Figures are printed by the scripts, never asserted here: timing on a shared CI
machine is noise. What is checked is that each script runs, measures every peer it
names and prints its figures and the summary table (`nox -s bench` does the real run).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SECTIONS = (
    "== 8.1 / 14 generation time",
    "== 8.2 scale: synthetic specs",
    "== 8.3 drift check time",
    "== 8.4 parse speed",
    "== 8.5 import time",
    "== 14 cold validation",
    "== 14 CLI start-up",
    "== issue 14: cold and warm",
)
# Issue 14's table: every row of the issue, each with a cold and a warm column.
COLD_WARM_ROWS = (
    "| generate, ChatKit spec, validation on",
    "| check, ChatKit spec, vs datamodel-codegen's generate |",
    "synthetic schemas, validation on, vs datamodel-codegen |",
    "| growth exponent between sizes",
    "| CLI start-up: chatkit-codegen --version (ms) |",
    "| CLI start-up: validate, to its first line of work (ms) |",
)


@pytest.mark.slow
def test_every_bench_script_runs_once_on_tiny_inputs() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run_all.py"), "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = proc.stdout
    for section in SECTIONS:
        assert section in out, section
    table = out.split("== summary", 1)[1]
    for issue in ("8.1", "8.2", "8.3", "8.4", "8.5", "14"):
        assert f"| {issue} |" in table, issue
    cold_warm = out.split("== issue 14: cold and warm", 1)[1]
    for row in COLD_WARM_ROWS:
        line = next((x for x in cold_warm.splitlines() if row in x), None)
        assert line is not None, row
        assert line.count("|") == 6, line  # measure, cold, warm, target, verdict
    assert "-X importtime, validate up to its first line of work" in out
    assert "datamodel-codegen --version" in out
    # Each peer was really run: its own row is printed next to ours.
    assert "datamodel-codegen (models only)" in out
    assert "ideal      model_validate_json" in out
    assert "python -c pass" in out


def test_synthetic_specs_are_deterministic_and_sized() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from synth_spec import synthesize
    finally:
        sys.path.remove(str(ROOT / "bench"))
    a, b = synthesize(120, seed=3), synthesize(120, seed=3)
    assert a == b
    assert synthesize(120, seed=4) != a
    schemas = a["components"]["schemas"]
    assert len(schemas) == 120
    assert sum(len(ops) for ops in a["paths"].values()) == 120 // 5
    kinds = {
        "union": any("discriminator" in s for s in schemas.values()),
        "anyOf": any("anyOf" in s for s in schemas.values()),
        "allOf": any("allOf" in s for s in schemas.values()),
        "enum": any("enum" in s for s in schemas.values()),
        "collision": all(name in schemas for name in ("Settings", "Metadata", "Limits")),
    }
    assert all(kinds.values()), kinds
