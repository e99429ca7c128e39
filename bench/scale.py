"""Issues 8.2 and 14: generation time and peak memory as the spec grows.

For each size (default 100, 500 and 1,500 schemas, with n/5 operations) a synthetic
spec is written by ``synth_spec.py`` into a temporary folder, then ours and
datamodel-codegen run on it as fresh processes, interleaved (fewer rounds than
``--runs`` when a size's rounds outlast ``--budget``; ``n=`` says how many). Ours
runs with a warm cache (spec validated and files formatted before), a cold one (full
validation and formatting) and cold with ``--no-validate`` (datamodel-codegen does
not validate the spec either). Printed: every point, the ratios, peak RSS, and the growth exponent
``log(t2/t1) / log(n2/n1)`` between successive sizes (1.0 is linear). Issue 14 judges
the cold run with validation on (<= 0.20 of the peer at the largest size, growth <= 1.1)
and asks the warm figures to be no worse than before (0.110, growth 1.03).

    python bench/scale.py [--runs N] [--sizes 100,500,1500] [--seed 8] [--budget 240]
"""

from __future__ import annotations

import argparse
import itertools
import math
import tempfile
from collections.abc import Sequence
from pathlib import Path

from common import (
    Figure,
    Ratio,
    Series,
    cli,
    cold_warm_figure,
    interleave,
    print_figure,
    print_header,
    print_series,
)
from gen_time import COLD, COLD_NO_VALIDATE, PEER, WARM, generation_cases
from synth_spec import write_spec

TIME_TARGET = 0.2  # issue 8.2 (warm) and 14 (cold), at the largest size
GROWTH_TARGET = 1.1  # "no worse than linear", with room for noise
WARM_BEFORE = 0.110  # README before issue 14, at 1,500 schemas
WARM_GROWTH_BEFORE = 1.03  # README before issue 14, 500 -> 1,500


def exponent(points: list[tuple[int, float]]) -> list[float]:
    return [math.log(t2 / t1) / math.log(n2 / n1) for (n1, t1), (n2, t2) in itertools.pairwise(points)]


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="100,500,1500", help="comma-separated schema counts")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (0 in smoke runs)")
    parser.add_argument(
        "--budget", type=float, default=240.0, help="seconds per size after which no new round starts"
    )
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    runs = max(1, args.runs)

    print_header(
        "8.2 scale: synthetic specs",
        f"sizes {', '.join(map(str, sizes))} schemas (n/5 operations), seed {args.seed}; "
        f"{runs} interleaved runs per size",
    )
    results: dict[int, dict[str, Series]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        for n in sizes:
            work = Path(tmp) / str(n)
            work.mkdir()
            spec = write_spec(n, work / f"synthetic-{n}.yaml", seed=args.seed)
            print(f"\n   {n} schemas ({spec.stat().st_size / 1e6:.2f} MB YAML)")
            cases = generation_cases(spec, work, cold=True, no_validate=True)
            # One warm-up per size fills the warm cache; bytecode is compiled by the first.
            series = interleave(cases, runs, warmup=args.warmup, budget=args.budget)
            print_series(series, memory=True)
            for label in (WARM, COLD, COLD_NO_VALIDATE):
                print(f"   ours/peer, {label.split(', ')[-1]}{' (--no-validate)' if label == COLD_NO_VALIDATE else ''}: "
                      f"{Ratio.of(series[label], series[PEER]).text()}")
            results[n] = series

    print("\n   points (median seconds):")
    print(f"   {'schemas':>8}  {'ours warm':>10}  {'ours cold':>10}  {'cold, no-val':>12}  {'peer':>8}  {'ms/schema warm':>14}")
    for n, s in results.items():
        print(
            f"   {n:>8}  {s[WARM].median:>10.3f}  {s[COLD].median:>10.3f}  {s[COLD_NO_VALIDATE].median:>12.3f}"
            f"  {s[PEER].median:>8.3f}  {s[WARM].median / n * 1000:>14.2f}"
        )
    growth: dict[str, list[float]] = {}
    for label in (WARM, COLD, COLD_NO_VALIDATE, PEER):
        growth[label] = exponent([(n, s[label].median) for n, s in results.items()])
        if growth[label]:
            print(f"   growth exponent, {label}: {', '.join(f'{g:.2f}' for g in growth[label])}")

    big = max(results)
    s = results[big]
    ratio = Ratio.of(s[WARM], s[PEER])
    figures = [
        Figure(
            "8.2",
            f"generate vs datamodel-codegen at {big} schemas (time ratio, warm cache)",
            f"{ratio.median:.3f} ({s[WARM].median:.2f} s vs {s[PEER].median:.2f} s; cold {Ratio.of(s[COLD], s[PEER]).median:.3f}, "
            f"cold --no-validate {Ratio.of(s[COLD_NO_VALIDATE], s[PEER]).median:.3f})",
            f"<= {TIME_TARGET}",
            ratio.median <= TIME_TARGET,
        ),
        Figure(
            "8.2",
            f"peak RSS at {big} schemas, ours (cold) vs datamodel-codegen",
            f"{s[COLD].peak_mb:.0f} MiB vs {s[PEER].peak_mb:.0f} MiB (warm {s[WARM].peak_mb:.0f} MiB)",
            "ours lower",
            max(s[COLD].peak_mb, s[WARM].peak_mb) < s[PEER].peak_mb,
        ),
    ]
    figures.append(
        cold_warm_figure(
            f"generate, {big} synthetic schemas, validation on, vs datamodel-codegen",
            Ratio.of(s[COLD], s[PEER]),
            ratio,
            target=TIME_TARGET,
            warm_before=WARM_BEFORE if big == 1500 else None,
            detail=f"{s[COLD].median:.2f} s cold, {s[WARM].median:.2f} s warm vs {s[PEER].median:.2f} s",
        )
    )
    if growth[WARM]:
        text = {label: ", ".join(f"{g:.2f}" for g in growth[label]) for label in growth}
        warm_ok = max(growth[WARM][-1:]) <= WARM_GROWTH_BEFORE * 1.10 if big == 1500 else True
        figures.append(
            Figure(
                "14",
                f"growth exponent between sizes {', '.join(map(str, results))} (1.0 = linear)",
                f"cold {text[COLD]}; warm {text[WARM]}; peer {text[PEER]}",
                f"cold <= {GROWTH_TARGET}; warm no worse than {WARM_GROWTH_BEFORE} (+10% noise)",
                max(growth[COLD]) <= GROWTH_TARGET and warm_ok,
                cold=text[COLD],
                warm=text[WARM],
            )
        )
        worst = max(growth[WARM])
        figures.append(
            Figure(
                "8.2",
                "growth exponent of ours (warm cache) between sizes",
                f"{', '.join(f'{g:.2f}' for g in growth[WARM])} (cold: {', '.join(f'{g:.2f}' for g in growth[COLD])})",
                f"<= {GROWTH_TARGET} (linear)",
                worst <= GROWTH_TARGET,
            )
        )
    for fig in figures:
        print_figure(fig)
    return figures


if __name__ == "__main__":
    cli(main)
