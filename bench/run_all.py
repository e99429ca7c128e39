"""Run every benchmark of issues 8 and 14 and print summary tables (Markdown, for the README).

    python bench/run_all.py                 # the full run (what `nox -s bench` does)
    python bench/run_all.py --quick         # 1 run each, small inputs: a smoke run
    python bench/run_all.py --only parse_speed,import_time

The second table is issue 14's: each figure with its cold (empty XDG_CACHE_HOME, a
fresh temporary folder every run) and warm column, as ratios against
datamodel-code-generator measured in the same run: median (min, max) over paired runs.

Each script can also be run alone; see its docstring. Figures are printed, never
asserted: a missed target is reported as NOT MET and the run still exits 0.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import platform
import sys
import time
from collections.abc import Sequence

import check_time
import cli_startup
import gen_time
import import_time
import parse_speed
import scale
import validate_cold
from common import Figure, cli, verdict

SCRIPTS = {
    "gen_time": (gen_time.main, [], ["--runs", "1", "--warmup", "0", "--no-realworld"]),
    "scale": (scale.main, [], ["--runs", "1", "--warmup", "0", "--sizes", "30,60"]),
    "check_time": (check_time.main, [], ["--runs", "1", "--warmup", "0"]),
    "parse_speed": (parse_speed.main, [], ["--runs", "1", "--items", "60"]),
    "import_time": (import_time.main, [], ["--runs", "1"]),
    "validate_cold": (validate_cold.main, [], ["--runs", "1", "--warmup", "0", "--synthetic", "60", "--no-realworld"]),
    "cli_startup": (cli_startup.main, [], ["--runs", "1", "--warmup", "0", "--top", "5"]),
}


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def environment() -> str:
    versions = ", ".join(
        f"{d} {_version(d)}"
        for d in ("chatkit-codegen", "datamodel-code-generator", "black", "isort", "pydantic", "openai")
    )
    return (
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores; "
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}; {versions}"
    )


def summary(figures: list[Figure]) -> str:
    rows = ["| # | figure | measured | target | |", "|---|---|---|---|---|"]
    for f in figures:
        rows.append(f"| {f.issue} | {f.what} | {f.measured} | {f.target} | {verdict(f.met)} |")
    return "\n".join(rows)


def cold_warm_table(figures: list[Figure]) -> str:
    """Issue 14's table: one row per figure that has cold and warm columns."""
    rows = ["| measure | cold | warm | target | |", "|---|---|---|---|---|"]
    for f in figures:
        if f.cold or f.warm:
            rows.append(f"| {f.what} | {f.cold} | {f.warm} | {f.target} | {verdict(f.met)} |")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(description="Run every issue-8 and issue-14 benchmark.")
    parser.add_argument("--quick", action="store_true", help="1 run each on tiny inputs (smoke run)")
    parser.add_argument("--only", default="", help="comma-separated script names: " + ", ".join(SCRIPTS))
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()] or list(SCRIPTS)
    unknown = sorted(set(chosen) - set(SCRIPTS))
    if unknown:
        parser.error(f"unknown script(s): {', '.join(unknown)}")

    print(f"bench: {environment()}")
    figures: list[Figure] = []
    started = time.perf_counter()
    for name in chosen:
        fn, full, quick = SCRIPTS[name]
        figures.extend(fn(quick if args.quick else full))
    print(f"\n== summary ({time.perf_counter() - started:.0f} s)\n")
    print(summary(figures))
    print("\n== issue 14: cold and warm, ratios against datamodel-codegen in the same run: median (min, max)\n")
    print(cold_warm_table(figures))
    missed = [f for f in figures if f.met is False]
    print(f"\n{len(figures) - len(missed)} of {len(figures)} figures meet their target" + (
        "; not met: " + "; ".join(f"{f.issue} {f.what}" for f in missed) if missed else ""
    ))
    sys.stdout.flush()
    return figures


if __name__ == "__main__":
    cli(main)
