"""Issue 14: CLI start-up, ``chatkit-codegen --version`` and the time to the first line of work.

Both are whole fresh processes, interleaved with a bare interpreter start
(``python -c pass``, the floor) and with ``datamodel-codegen --version`` (the peer):

* ``--version``: the console script, start to exit;
* ``validate``, start-up: the console script's code (``from chatkit_codegen.cli import
  main; main()``) run with an audit hook that ends the process (``os._exit``) when the
  spec is first opened: interpreter start, imports, argument parsing and the pyproject
  lookup, i.e. everything before the command's first line of work. Cold: an empty
  ``XDG_CACHE_HOME`` every run; warm: the cache a ``validate`` and a ``generate`` filled.

Then ``-X importtime`` of each: the top entries by own time and by cumulative time
(what a further cut would have to remove), and the heavy packages loaded (none should be:
PyYAML, jinja2, black, the validators are imported by the work, not the start-up).

    python bench/cli_startup.py [--runs N] [--spec PATH] [--top 12]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from common import (
    SPEC,
    Figure,
    Ratio,
    Sample,
    capture,
    cli,
    env_with,
    fresh_dir,
    interleave,
    ours,
    print_figure,
    print_header,
    print_series,
    run_process,
    tool,
)

TARGET_MS = 60.0
VERSION = "chatkit-codegen --version"
START_COLD = "chatkit-codegen validate, start-up, cold cache"
START_WARM = "chatkit-codegen validate, start-up, warm cache"
FLOOR = "python -c pass"
PEER = "datamodel-codegen --version"
HEAVY = ("yaml", "jinja2", "black", "jsonschema_rs", "jsonschema", "openapi_spec_validator", "markdown_it")

# The console script's code, stopped at the first open() of the spec (sys.argv[1]).
STOP_AT_WORK = """\
import os, sys
spec = os.path.realpath(sys.argv[1])
def stop(event, args):
    if event == "open" and isinstance(args[0], (str, os.PathLike)) and os.path.realpath(args[0]) == spec:
        os._exit(0)
sys.addaudithook(stop)
sys.argv = ["chatkit-codegen", "validate", *sys.argv[1:]]
from chatkit_codegen.cli import main
sys.exit(main())
"""

_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)\s*$")


def importtime_rows(stderr: str) -> list[tuple[str, int, int, int]]:
    """(module, self us, cumulative us, depth) of every ``-X importtime`` line."""
    rows = []
    for line in stderr.splitlines():
        m = _LINE.match(line)
        if m:
            rows.append((m[4], int(m[1]), int(m[2]), (len(m[3]) - 1) // 2))
    return rows


def print_importtime(label: str, argv: list[str], env: dict[str, str], top: int) -> list[str]:
    """Print the top entries of ``argv``'s ``-X importtime``; return the heavy packages."""
    proc = capture([sys.executable, "-X", "importtime", *argv], env=env)
    rows = importtime_rows(proc.stderr)
    total = sum(cum for _, _, cum, depth in rows if depth == 0)
    heavy = sorted({name.split(".")[0] for name, *_ in rows} & set(HEAVY))
    print(f"\n   -X importtime, {label}: {len(rows)} modules, {total / 1000:.1f} ms cumulative "
          f"(inflated by -X importtime itself); heavy packages: {', '.join(heavy) or 'none'}")
    by_self = sorted(rows, key=lambda r: -r[1])[:top]
    by_cum = sorted((r for r in rows if r[0].startswith("chatkit_codegen") or r[3] == 0), key=lambda r: -r[2])[:top]
    print(f"   {'top by own time':<44} {'own ms':>7}   {'top by cumulative time':<44} {'cum ms':>7}")
    for i in range(max(len(by_self), len(by_cum))):
        left = f"{by_self[i][0]:<44} {by_self[i][1] / 1000:7.2f}" if i < len(by_self) else " " * 52
        right = f"{by_cum[i][0]:<44} {by_cum[i][2] / 1000:7.2f}" if i < len(by_cum) else ""
        print(f"   {left}   {right}")
    return heavy


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--top", type=int, default=12, help="entries of each -X importtime list")
    parser.add_argument("--warmup", type=int, default=2, help="untimed rounds first")
    args = parser.parse_args(argv)
    runs = max(1, args.runs)
    spec = str(args.spec.resolve())

    print_header(
        "14 CLI start-up (whole process)",
        f"spec: {args.spec.name}; {runs} interleaved runs after {args.warmup} warm-up rounds",
    )
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        work = Path(tmp)
        warm_cache = work / "cache-warm"
        warm_env = env_with(XDG_CACHE_HOME=str(warm_cache))
        run_process(ours("validate", spec), env=warm_env, ok_codes=(0, 1))
        run_process(ours("generate", "--spec", spec, "--out", str(work / "out")), env=warm_env)
        probe = [sys.executable, "-c", STOP_AT_WORK, spec]

        def cold_env() -> dict[str, str]:
            return env_with(XDG_CACHE_HOME=str(fresh_dir(work, "cache-cold-")))

        cases: dict[str, Callable[[], Sample]] = {
            VERSION: lambda: run_process(ours("--version"), env=cold_env()),
            START_COLD: lambda: run_process(probe, env=cold_env()),
            START_WARM: lambda: run_process(probe, env=warm_env),
            FLOOR: lambda: run_process([sys.executable, "-c", "pass"]),
            PEER: lambda: run_process([tool("datamodel-codegen"), "--version"]),
        }
        series = interleave(cases, runs, warmup=args.warmup)
        print_series(series, unit="ms", scale=1000)
        for label in (VERSION, START_COLD, START_WARM):
            print(f"   {label} / {PEER}: {Ratio.of(series[label], series[PEER]).text()}")
        heavy_version = print_importtime(VERSION, ["-m", "chatkit_codegen", "--version"], cold_env(), args.top)
        heavy_start = print_importtime(
            "validate up to its first line of work", ["-c", STOP_AT_WORK, spec], cold_env(), args.top
        )
    def ms(label: str) -> str:
        s = series[label]
        return f"{s.median * 1000:.1f} ms (min {s.min * 1000:.1f}, max {s.max * 1000:.1f})"

    context = f"interpreter start {ms(FLOOR)}; {PEER} {series[PEER].median * 1000:.0f} ms"
    figures = [
        Figure(
            "14",
            "CLI start-up: chatkit-codegen --version (ms)",
            f"{ms(VERSION)}; {context}; heavy imports: {', '.join(heavy_version) or 'none'}",
            f"<= {TARGET_MS:.0f} ms",
            series[VERSION].median * 1000 <= TARGET_MS and not heavy_version,
            cold=ms(VERSION),
            warm="(no cache use)",
        ),
        Figure(
            "14",
            "CLI start-up: validate, to its first line of work (ms)",
            f"cold {ms(START_COLD)}; warm {ms(START_WARM)}; {context}; heavy imports: {', '.join(heavy_start) or 'none'}",
            f"<= {TARGET_MS:.0f} ms",
            max(series[START_COLD].median, series[START_WARM].median) * 1000 <= TARGET_MS and not heavy_start,
            cold=ms(START_COLD),
            warm=ms(START_WARM),
        ),
    ]
    for fig in figures:
        print_figure(fig)
    return figures


if __name__ == "__main__":
    cli(main)
