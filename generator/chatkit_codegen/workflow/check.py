"""``chatkit-codegen check``: regenerate in memory and compare with the committed tree."""

from __future__ import annotations

import difflib
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..pipeline import generate_and_save, read_tree


@dataclass(frozen=True)
class Drift:
    added: list[str]  # would be generated but is missing on disk
    removed: list[str]  # on disk but not generated (stray files)
    changed: list[str]
    diff: str

    @property
    def clean(self) -> bool:
        return not (self.added or self.removed or self.changed)


def compare(expected: dict[str, str], actual: dict[str, str], label: str) -> Drift:
    added = sorted(set(expected) - set(actual))
    removed = sorted(set(actual) - set(expected))
    changed = sorted(p for p in set(expected) & set(actual) if expected[p] != actual[p])
    chunks: list[str] = []
    for path in sorted(set(added) | set(removed) | set(changed)):
        old = actual.get(path, "").splitlines(keepends=True)
        new = expected.get(path, "").splitlines(keepends=True)
        chunks.extend(
            difflib.unified_diff(
                old,
                new,
                fromfile=f"{label}/{path}" if path in actual else "/dev/null",
                tofile=f"{label}/{path} (regenerated)" if path in expected else "/dev/null",
            )
        )
    text = "".join(c if c.endswith("\n") else c + "\n\\ No newline at end of file\n" for c in chunks)
    return Drift(added, removed, changed, text)


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when it is below it (shorter, and the
    same on every machine), else as given."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def run_check(cfg: Config, *, validate: bool = True) -> int:
    start = time.perf_counter()
    result, saving = generate_and_save(cfg, validate=validate)
    try:
        out_dir, spec = display_path(cfg.out), display_path(cfg.spec)
        drift = compare(result.files, read_tree(cfg.out), out_dir)
    finally:
        saving.result()
    elapsed = time.perf_counter() - start
    if drift.clean:
        print(f"{out_dir} is up to date with {spec} ({len(result.files)} files, {elapsed:.2f}s)")
        return 0
    out = sys.stdout
    out.write(drift.diff)
    out.write(
        f"\n{out_dir} is stale against {spec}: run `chatkit-codegen generate` and commit the result.\n"
    )
    for path in drift.added:
        out.write(f"  missing file (would be generated): {path}\n")
    for path in drift.removed:
        out.write(f"  stray file (not generated): {path}\n")
    for path in drift.changed:
        out.write(f"  changed file: {path}\n")
    return 1
