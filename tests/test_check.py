"""``chatkit-codegen check``: passes on a fresh tree, fails with a diff on every kind of drift.

Each test generates the ChatKit spec into its own folder with the CLI, changes
something, and runs ``check`` in a subprocess from that folder (relative paths, as a
developer or the pre-commit hook would).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from chatkit_codegen.workflow.check import compare
from conftest import SPEC, run_cli

PKG = "openai_chatkit"  # no pyproject.toml in the folder: named from info.title


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """tmp_path/spec.yaml and tmp_path/out, freshly generated."""
    shutil.copyfile(SPEC, tmp_path / "spec.yaml")
    proc = run_cli("generate", "--spec", "spec.yaml", "--out", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    return tmp_path


def check(folder: Path, *extra: str) -> tuple[int, str]:
    proc = run_cli("check", "--spec", "spec.yaml", "--out", "out", *extra, cwd=folder)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stdout


def test_clean_tree_passes(tree: Path) -> None:
    code, out = check(tree)
    assert code == 0, out
    assert out.startswith("out is up to date with spec.yaml (")


def test_build_artefacts_are_not_drift(tree: Path) -> None:
    for folder in ("dist", "build", f"{PKG}/__pycache__", ".mypy_cache", f"{PKG}.egg-info"):
        (tree / "out" / folder).mkdir(parents=True)
        (tree / "out" / folder / "x.pyc").write_bytes(b"\0\1")
    assert check(tree)[0] == 0


def test_hand_edit_fails_with_a_diff(tree: Path) -> None:
    target = tree / "out" / PKG / "_version.py"
    target.write_text(target.read_text(encoding="utf-8").replace('"1.0.0"', '"9.9.9"'), encoding="utf-8")
    code, out = check(tree)
    assert code == 1
    assert f"--- out/{PKG}/_version.py\n+++ out/{PKG}/_version.py (regenerated)\n" in out
    assert '-__version__ = "9.9.9"\n+__version__ = "1.0.0"\n' in out
    assert f"  changed file: {PKG}/_version.py" in out
    assert "out is stale against spec.yaml" in out
    assert str(tree) not in out  # paths are shown relative to the working directory


def test_whitespace_only_edit_is_drift(tree: Path) -> None:
    target = tree / "out" / "README.md"
    target.write_bytes(target.read_bytes().rstrip(b"\n"))  # the final newline removed
    code, out = check(tree)
    assert code == 1
    assert "\\ No newline at end of file" in out
    assert "  changed file: README.md" in out


def test_deleted_file_fails(tree: Path) -> None:
    (tree / "out" / PKG / "types" / "chat_session.py").unlink()
    code, out = check(tree)
    assert code == 1
    assert f"  missing file (would be generated): {PKG}/types/chat_session.py" in out
    assert f"--- /dev/null\n+++ out/{PKG}/types/chat_session.py (regenerated)\n" in out


def test_stray_file_fails(tree: Path) -> None:
    (tree / "out" / PKG / "types" / "leftover.py").write_text("x = 1\n", encoding="utf-8")
    (tree / "out" / "notes.txt").write_text("mine\n", encoding="utf-8")
    code, out = check(tree)
    assert code == 1
    assert f"  stray file (not generated): {PKG}/types/leftover.py" in out
    assert "  stray file (not generated): notes.txt" in out
    assert f"--- out/{PKG}/types/leftover.py\n+++ /dev/null\n" in out


def test_spec_changed_without_regenerating_fails(tree: Path) -> None:
    spec = tree / "spec.yaml"
    text = spec.read_text(encoding="utf-8")
    assert "Identifier of the thread." in text
    spec.write_text(text.replace("Identifier of the thread.", "The thread's identifier."), encoding="utf-8")
    code, out = check(tree)
    assert code == 1
    assert '-    """Identifier of the thread."""\n+    """The thread\'s identifier."""\n' in out
    # the header hash changes in every file: all of them are reported
    assert f"  changed file: {PKG}/_version.py" in out
    # and regenerating makes the tree clean again
    assert run_cli("generate", "--spec", "spec.yaml", "--out", "out", cwd=tree).returncode == 0
    assert check(tree)[0] == 0


def test_missing_output_folder_fails(tree: Path) -> None:
    shutil.rmtree(tree / "out")
    code, out = check(tree)
    assert code == 1
    assert f"  missing file (would be generated): {PKG}/__init__.py" in out


def test_invalid_spec_is_an_error_not_drift(tree: Path) -> None:
    (tree / "spec.yaml").write_text("openapi: 3.1.0\ninfo: {}\npaths: {}\n", encoding="utf-8")
    proc = run_cli("check", "--spec", "spec.yaml", "--out", "out", cwd=tree)
    assert proc.returncode == 1
    assert "error" in proc.stderr and "Traceback" not in proc.stderr
    assert "stale" not in proc.stdout


def test_check_is_fast(tree: Path) -> None:
    """The whole process (start-up, load, validate from cache, IR, render, compare)."""
    check(tree)  # warm the validation cache
    start = time.perf_counter()
    code, _ = check(tree)
    elapsed = time.perf_counter() - start
    assert code == 0
    assert elapsed < 10, f"check took {elapsed:.1f}s on the ChatKit spec"


def test_compare_lists_and_diff() -> None:
    drift = compare(
        {"a.py": "x = 1\n", "b.py": "y\n", "same": "s\n"},
        {"a.py": "x = 2\n", "c.py": "z\n", "same": "s\n"},
        "out",
    )
    assert (drift.added, drift.removed, drift.changed) == (["b.py"], ["c.py"], ["a.py"])
    assert not drift.clean
    assert "-x = 2\n+x = 1\n" in drift.diff
    assert compare({"a": "1\n"}, {"a": "1\n"}, "out").clean
