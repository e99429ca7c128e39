"""Issues 8.3 and 14: whole-process time of ``chatkit-codegen check`` on the ChatKit spec.

The tree to check is generated into a temporary folder first, so the figure does not
depend on whether the committed ``generated/`` is current. Measured in the same run,
interleaved: datamodel-codegen's generate (models only; issue 14 asks for check <= 0.25
of it, cold) and a bare interpreter start (``python -c pass``): the floor no Python
CLI can go below. Warm cache: the spec's validation and formatting are remembered
from the generate run, as in CI after ``generate``; cold: an empty cache (a fresh
temporary folder) every run, as in a fresh CI job.

    python bench/check_time.py [--runs N] [--spec PATH]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from common import (
    SPEC,
    Figure,
    Ratio,
    Sample,
    cli,
    cold_warm_figure,
    dmcg,
    env_with,
    fresh_dir,
    interleave,
    ours,
    print_figure,
    print_header,
    print_series,
    run_process,
)

WARM = "chatkit-codegen check, warm cache"
COLD = "chatkit-codegen check, cold cache"
FLOOR = "python -c pass"
PEER = "datamodel-codegen (models only)"
TARGET = 0.3  # issue 8.3, seconds, warm
COLD_TARGET = 0.25  # issue 14, of the peer's generate, cold
WARM_BEFORE = 0.170  # README before issue 14: 0.127 s vs the peer's 0.747 s generate


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (0 in smoke runs)")
    args = parser.parse_args(argv)

    print_header("8.3 drift check time (whole process)", f"spec: {args.spec.name}; {args.runs} interleaved runs after {args.warmup} warm-up round(s)")
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        work = Path(tmp)
        out = work / "generated"
        warm_cache = work / "cache-warm"
        common_args = ("--spec", str(args.spec), "--out", str(out))
        run_process(ours("generate", *common_args), env=env_with(XDG_CACHE_HOME=str(warm_cache)))

        def warm() -> Sample:
            return run_process(ours("check", *common_args), env=env_with(XDG_CACHE_HOME=str(warm_cache)))

        def cold() -> Sample:
            cache = fresh_dir(work, "cache-cold-")
            return run_process(ours("check", *common_args), env=env_with(XDG_CACHE_HOME=str(cache)))

        def floor() -> Sample:
            return run_process([sys.executable, "-c", "pass"])

        def peer() -> Sample:
            return run_process(dmcg(args.spec, work / "dmcg_models.py"))

        cases = {WARM: warm, COLD: cold, PEER: peer, FLOOR: floor}
        series = interleave(cases, max(1, args.runs), warmup=args.warmup)
    print_series(series, memory=True)
    print(f"   check/interpreter start, warm cache: {Ratio.of(series[WARM], series[FLOOR]).text()}")
    cold_ratio, warm_ratio = Ratio.of(series[COLD], series[PEER]), Ratio.of(series[WARM], series[PEER])
    print(f"   check/peer's generate, cold cache: {cold_ratio.text()}")
    print(f"   check/peer's generate, warm cache: {warm_ratio.text()}")
    median = series[WARM].median
    figures = [
        Figure(
            "8.3",
            "check on the ChatKit spec (s, warm cache)",
            f"{median:.3f} s (cold cache {series[COLD].median:.3f} s; interpreter start {series[FLOOR].median:.3f} s)",
            f"<= {TARGET} s",
            median <= TARGET,
        ),
        cold_warm_figure(
            "check, ChatKit spec, vs datamodel-codegen's generate",
            cold_ratio,
            warm_ratio,
            target=COLD_TARGET,
            warm_before=WARM_BEFORE,
            detail=f"{series[COLD].median:.3f} s cold, {median:.3f} s warm vs {series[PEER].median:.3f} s",
        ),
    ]
    for fig in figures:
        print_figure(fig)
    return figures


if __name__ == "__main__":
    cli(main)
