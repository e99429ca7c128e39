"""Timing helpers shared by the bench scripts.

Every figure is a set of runs summarised as median, min and max, and compared with a
peer measured in the same run: runs of the two are interleaved (in alternating order)
so that machine noise lands on both. Whole-process figures come from fresh child
processes. Their peak RSS comes from ``/usr/bin/time -f %M``: Linux carries a
process's RSS high-water mark across fork and exec, so ``os.wait4`` (or
``getrusage(RUSAGE_CHILDREN)``) on a child of this (large) process would report at
least this process's own size; ``time`` is small and forks the command itself.
Without ``/usr/bin/time`` the ``wait4`` figure is used and is an upper bound.

Figures are printed, never asserted: a bench script exits non-zero only when a
command it runs fails, not when a target is missed.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "chatkit.yaml"
GENERATED = ROOT / "generated"
# OpenAI's whole document (3.1, ~1,400 schemas), in ../shared beside the checkouts.
REALWORLD = next(
    (p for p in (ROOT.parent.parent / "shared" / "realworld" / "openai-openapi.yaml",
                 Path("/work/shared/realworld/openai-openapi.yaml")) if p.is_file()),
    ROOT.parent.parent / "shared" / "realworld" / "openai-openapi.yaml",
)  # fmt: skip
BIN = Path(sys.executable).parent
TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None  # GNU time, for peak RSS

# datamodel-code-generator's usual flags for pydantic v2 with black and isort.
DMCG_FLAGS = (
    "--input-file-type", "openapi",
    "--output-model-type", "pydantic_v2.BaseModel",
    "--use-annotated",
    "--field-constraints",
    "--use-standard-collections",
    "--target-python-version", "3.10",
    "--formatters", "black", "isort",
)  # fmt: skip


class BenchError(RuntimeError):
    """A command under measurement failed; the figures would mean nothing."""


def tool(name: str) -> str:
    """The console script ``name`` next to this interpreter, else on PATH."""
    local = BIN / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if found is None:
        raise BenchError(f"{name} is not installed (run `nox -s bench`)")
    return found


def ours(*args: str) -> list[str]:
    return [tool("chatkit-codegen"), *args]


def dmcg(spec: Path, output: Path) -> list[str]:
    return [tool("datamodel-codegen"), "--input", str(spec), *DMCG_FLAGS, "--output", str(output)]


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_kb: int = 0


@dataclass
class Series:
    """Repeated measurements of one thing."""

    label: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def seconds(self) -> list[float]:
        return [s.seconds for s in self.samples]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def min(self) -> float:
        return min(self.seconds)

    @property
    def max(self) -> float:
        return max(self.seconds)

    @property
    def peak_mb(self) -> float:
        """Median peak RSS in MiB (0 when not measured)."""
        return statistics.median(s.peak_kb for s in self.samples) / 1024


@dataclass(frozen=True)
class Ratio:
    """Per-run ratios ``a/b`` of two interleaved series."""

    values: tuple[float, ...]

    @classmethod
    def of(cls, a: Series, b: Series) -> Ratio:
        return cls(tuple(x / y for x, y in zip(a.seconds, b.seconds, strict=True)))

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def min(self) -> float:
        return min(self.values)

    @property
    def max(self) -> float:
        return max(self.values)

    def text(self) -> str:
        return f"{self.median:.3f} (min {self.min:.3f}, max {self.max:.3f})"


@dataclass(frozen=True)
class Figure:
    """One headline figure, for the summary table.

    Issue 14's figures also fill ``cold`` and ``warm`` (each "median (min, max)"), so
    ``run_all`` can print them as the issue's table: one row, a column for each.
    """

    issue: str
    what: str
    measured: str
    target: str
    met: bool | None  # None: informational
    cold: str = ""
    warm: str = ""


# Warm figures may not get worse than the README's previous ones ("no worse than
# today"); on a shared 2-core box a run is judged against them with this allowance.
WARM_NOISE = 1.10


def cold_warm_figure(
    what: str,
    cold: Ratio,
    warm: Ratio,
    *,
    target: float,
    warm_before: float | None,
    detail: str = "",
) -> Figure:
    """Issue 14: a ratio against the peer, cold (judged on ``target``) and warm (judged
    against the previous warm figure, ``warm_before``, within ``WARM_NOISE``)."""
    warm_ok = warm_before is None or warm.median <= warm_before * WARM_NOISE
    before = f"; warm no worse than {warm_before:.3f} (+{WARM_NOISE - 1:.0%} noise)" if warm_before else ""
    return Figure(
        "14",
        what,
        f"cold {cold.text()}; warm {warm.text()}" + (f"; {detail}" if detail else ""),
        f"cold <= {target}{before}",
        cold.median <= target and warm_ok,
        cold=cold.text(),
        warm=warm.text(),
    )


def run_process(
    argv: Sequence[str],
    *,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    ok_codes: tuple[int, ...] = (0,),
) -> Sample:
    """Wall time and peak RSS of one fresh process; raises if it fails."""
    env = env if env is not None else env_with()
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        wrapped = [TIME, "-f", "%M", "-o", rss.name, *argv] if TIME else list(argv)
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in ok_codes:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-2000:]
            raise BenchError(f"{' '.join(argv)} exited {proc.returncode}:\n{tail}")
        peak_kb = usage.ru_maxrss  # KiB on Linux; an upper bound (see the module docstring)
        if TIME:
            lines = rss.read().split()
            peak_kb = int(lines[-1]) if lines and lines[-1].isdigit() else peak_kb
    return Sample(elapsed, peak_kb)


def capture(argv: Sequence[str], *, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(list(argv), cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BenchError(f"{' '.join(argv)} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    return proc


def interleave(
    cases: dict[str, Callable[[], Sample]], runs: int, *, warmup: int = 1, budget: float | None = None
) -> dict[str, Series]:
    """Run every case ``runs`` times, alternating the order each round.

    With a ``budget`` (seconds), no new round starts once the timed rounds have used
    it up, so a very slow size still finishes; at least one round always runs and
    each series says how many it got (``n=``).
    """
    names = list(cases)
    for _ in range(warmup):
        for name in names:
            cases[name]()
    out = {name: Series(name) for name in names}
    started = time.perf_counter()
    for i in range(runs):
        if i and budget is not None and time.perf_counter() - started > budget:
            break
        order = names if i % 2 == 0 else names[::-1]
        for name in order:
            out[name].samples.append(cases[name]())
    return out


def time_call(fn: Callable[[], object], runs: int, *, warmup: int = 1) -> Series:
    """In-process timing of ``fn``; one call per sample."""
    for _ in range(warmup):
        fn()
    series = Series(getattr(fn, "__name__", "call"))
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        series.samples.append(Sample(time.perf_counter() - start))
    return series


def env_with(**values: str) -> dict[str, str]:
    """This environment plus ``values``, with bytecode writing on.

    Some shells and CI images set PYTHONDONTWRITEBYTECODE; then every run would
    recompile every module it imports from a source tree (the editable install),
    which users do not pay. The warm-up run writes the bytecode for all.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(values)
    return env


def print_header(title: str, detail: str = "") -> None:
    print()
    print(f"== {title}")
    if detail:
        for line in detail.strip().splitlines():
            print(f"   {line}")


def print_series(series: dict[str, Series], *, unit: str = "s", scale: float = 1.0, memory: bool = False) -> None:
    width = max(len(s.label) for s in series.values())
    for s in series.values():
        line = (
            f"   {s.label:<{width}}  median {s.median * scale:8.4f} {unit}"
            f"  (min {s.min * scale:.4f}, max {s.max * scale:.4f}, n={len(s.samples)})"
        )
        if memory:
            line += f"  peak RSS {s.peak_mb:6.1f} MiB"
        print(line)


def verdict(met: bool | None) -> str:
    return "informational" if met is None else "MET" if met else "NOT MET"


def print_figure(fig: Figure) -> None:
    print(f"   -> {fig.what}: {fig.measured}; target {fig.target}: {verdict(fig.met)}")


def fresh_dir(parent: Path, prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))


def cli(main: Callable[[Sequence[str]], object]) -> None:
    """Run a bench script's ``main``; a failing command is one line, not a traceback."""
    try:
        main(sys.argv[1:])
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        sys.exit(1)
