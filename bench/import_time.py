"""Issue 8.5: import time of the generated package against openai's own ChatKit types.

Two measures, each over several fresh interpreters: ``python -X importtime`` (the sum
of the cumulative times of the top-level imports the statement triggers, so the
interpreter's own start-up is left out) and the whole process's wall time.

``import chatkit_api`` is the issue's figure; ``import chatkit_api.types`` loads every
model and is the like-for-like peer of ``import openai.types.beta.chatkit``. The
target is judged on the slower of our two.

    python bench/import_time.py [--runs N] [--package-dir generated]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from common import (
    GENERATED,
    BenchError,
    Figure,
    Sample,
    Series,
    capture,
    cli,
    env_with,
    interleave,
    print_figure,
    print_header,
    print_series,
    run_process,
)

OURS_ROOT = "chatkit_api"
OURS_TYPES = "chatkit_api.types"
PEER = "openai.types.beta.chatkit"

_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)\s*$")


def top_level_imports(stderr: str) -> dict[str, int]:
    """Cumulative microseconds of each top-level (unindented) import."""
    out: dict[str, int] = {}
    for line in stderr.splitlines():
        m = _LINE.match(line)
        if m and not m.group(3).strip(" ") and len(m.group(3)) == 1:
            out[m.group(4)] = int(m.group(2))
    return out


def importtime_us(statement: str, env: dict[str, str], baseline: set[str]) -> int:
    proc = capture([sys.executable, "-X", "importtime", "-c", statement], env=env)
    found = top_level_imports(proc.stderr)
    if not found:
        raise BenchError(f"no -X importtime output for {statement!r}")
    return sum(us for name, us in found.items() if name not in baseline)


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--package-dir", type=Path, default=GENERATED, help="folder holding chatkit_api/")
    args = parser.parse_args(argv)
    runs = max(1, args.runs)

    print_header(
        "8.5 import time",
        f"package: {args.package_dir}; {runs} fresh interpreters each, interleaved",
    )
    try:
        import openai  # noqa: F401
    except ImportError:
        have_peer = False
    else:
        have_peer = True
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        # A private copy, so the bytecode our runs write stays out of the work tree.
        shutil.copytree(args.package_dir / "chatkit_api", Path(tmp) / "chatkit_api")
        env = env_with(PYTHONPATH=tmp)
        base = set(top_level_imports(capture([sys.executable, "-X", "importtime", "-c", "pass"], env=env).stderr))
        statements = {"import chatkit_api": OURS_ROOT, "import chatkit_api.types": OURS_TYPES}
        if have_peer:
            statements["import openai.types.beta.chatkit"] = PEER
        else:
            print("   openai is not installed: its figures are skipped (nox -s bench installs it)")

        def importtime_case(stmt: str) -> Sample:
            return Sample(importtime_us(stmt, env, base) / 1e6)

        def wall_case(stmt: str) -> Sample:
            return run_process([sys.executable, "-c", stmt], env=env)

        cases = {f"{stmt}  (-X importtime)": (lambda s=stmt: importtime_case(s)) for stmt in statements}
        cases.update({f"{stmt}  (process wall)": (lambda s=stmt: wall_case(s)) for stmt in statements})
        series = interleave(cases, runs)
    print_series(series, unit="ms", scale=1000)
    by_stmt: dict[str, Series] = {mod: series[f"{stmt}  (-X importtime)"] for stmt, mod in statements.items()}
    ours = max(statistics.median(by_stmt[OURS_ROOT].seconds), statistics.median(by_stmt[OURS_TYPES].seconds))
    if not have_peer:
        fig = Figure("8.5", "import time, ours vs openai.types.beta.chatkit", f"ours {ours * 1000:.1f} ms; openai not installed", "ours lower", None)
    else:
        peer = by_stmt[PEER].median
        fig = Figure(
            "8.5",
            "import time (-X importtime), ours vs openai.types.beta.chatkit",
            f"chatkit_api {by_stmt[OURS_ROOT].median * 1000:.1f} ms, chatkit_api.types "
            f"{by_stmt[OURS_TYPES].median * 1000:.1f} ms vs {peer * 1000:.1f} ms (ratio {ours / peer:.2f})",
            "ours lower",
            ours < peer,
        )
    print_figure(fig)
    return [fig]


if __name__ == "__main__":
    cli(main)
