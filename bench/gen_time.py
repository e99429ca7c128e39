"""Issue 8.1: whole-process time of ``chatkit-codegen generate`` against datamodel-codegen.

Ours writes the whole tree (models, request TypedDicts, client and docs, formatted);
datamodel-codegen writes models only, formatted with black and isort. Both run as
fresh processes on the same spec, interleaved.

Ours is measured twice: with a warm cache (the spec was validated and the output
formatted before: the everyday regenerate/check loop) and with a cold one (an empty
``XDG_CACHE_HOME`` every run: full validation and formatting, as on a first run).
The target is judged on the warm figure; the cold one is printed beside it.

    python bench/gen_time.py [--runs N] [--spec PATH]
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from common import (
    SPEC,
    Figure,
    Ratio,
    Sample,
    Series,
    cli,
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

WARM = "chatkit-codegen generate, warm cache"
COLD = "chatkit-codegen generate, cold cache"
COLD_NO_VALIDATE = "chatkit-codegen generate --no-validate, cold cache"
PEER = "datamodel-codegen (models only)"
TARGET = 0.2


def generation_cases(
    spec: Path, work: Path, *, cold: bool = True, no_validate: bool = False
) -> dict[str, Callable[[], Sample]]:
    """Ours (warm cache, optionally cold, optionally cold without validation) and the peer."""
    warm_cache = work / "cache-warm"
    argv = ours("generate", "--spec", str(spec), "--out", str(work / "ours"))
    peer_out = work / "dmcg_models.py"

    def warm() -> Sample:
        return run_process(argv, env=env_with(XDG_CACHE_HOME=str(warm_cache)))

    def cold_run() -> Sample:
        return run_process(argv, env=env_with(XDG_CACHE_HOME=str(fresh_dir(work, "cache-cold-"))))

    def cold_no_validate() -> Sample:
        return run_process([*argv, "--no-validate"], env=env_with(XDG_CACHE_HOME=str(fresh_dir(work, "cache-cold-"))))

    def peer() -> Sample:
        return run_process(dmcg(spec, peer_out))

    cases = {WARM: warm}
    if cold:
        cases[COLD] = cold_run
    if no_validate:
        cases[COLD_NO_VALIDATE] = cold_no_validate
    cases[PEER] = peer
    return cases


def measure(spec: Path, runs: int, *, warmup: int = 1) -> dict[str, Series]:
    with tempfile.TemporaryDirectory(prefix="bench-gen-") as tmp:
        return interleave(generation_cases(spec, Path(tmp)), runs, warmup=warmup)


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (0 in smoke runs)")
    args = parser.parse_args(argv)

    print_header(
        "8.1 generation time (whole process)",
        f"spec: {args.spec.name}; {args.runs} interleaved runs after one warm-up",
    )
    series = measure(args.spec, max(1, args.runs), warmup=args.warmup)
    print_series(series, memory=True)
    warm = Ratio.of(series[WARM], series[PEER])
    cold = Ratio.of(series[COLD], series[PEER])
    print(f"   ours/peer, warm cache: {warm.text()}")
    print(f"   ours/peer, cold cache: {cold.text()}")
    fig = Figure(
        "8.1",
        "generate vs datamodel-codegen, ChatKit spec (time ratio, warm cache)",
        f"{warm.median:.3f} ({series[WARM].median:.3f} s vs {series[PEER].median:.3f} s; cold cache {cold.median:.3f})",
        f"<= {TARGET}",
        warm.median <= TARGET,
    )
    print_figure(fig)
    return [fig]


if __name__ == "__main__":
    cli(main)
