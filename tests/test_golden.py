"""The committed trees are the golden record: regenerate in memory, compare byte for byte."""

from __future__ import annotations

import difflib

import pytest
from chatkit_codegen.pipeline import read_tree
from golden import REFRESH, Case, cases, render


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_golden_tree_matches(case: Case) -> None:
    expected = render(case)
    actual = read_tree(case.out)
    problems = []
    for path in sorted(set(expected) | set(actual)):
        if expected.get(path) != actual.get(path):
            diff = difflib.unified_diff(
                actual.get(path, "").splitlines(keepends=True),
                expected.get(path, "").splitlines(keepends=True),
                fromfile=f"committed/{path}",
                tofile=f"regenerated/{path}",
            )
            problems.append("".join(diff) or f"{path}: missing on one side")
    assert not problems, (
        f"golden files for {case.name!r} are stale; refresh with: {REFRESH}\n\n" + "\n".join(problems)[:20000]
    )
