"""Shared fixtures: the repository layout and helpers to generate and import packages."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "chatkit.yaml"
UPSTREAM = ROOT.parent / "shared" / "reference" / "openai-chatkit-subset.yaml"
SEED = ROOT.parent / "shared" / "seeds" / "000_10d8d9a7daf749c7.txt"
sys.path.insert(0, str(ROOT / "tests"))


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chatkit_codegen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def generate_package(spec: Path, out: Path, package: str) -> dict[str, str]:
    from chatkit_codegen.config import load_config
    from chatkit_codegen.pipeline import generate, write_tree

    cfg = load_config(ROOT).with_overrides(spec=spec, out=out, package_name=package)
    files = generate(cfg).files
    write_tree(out, files)
    return files


@pytest.fixture
def import_from() -> Iterator[object]:
    """Import modules from a generated tree, then forget them again."""
    added: list[str] = []
    packages: set[str] = set()

    def _import(folder: Path, module: str) -> object:
        sys.path.insert(0, str(folder))
        added.append(str(folder))
        packages.add(module.split(".")[0])
        importlib.invalidate_caches()
        return importlib.import_module(module)

    yield _import
    for path in added:
        if path in sys.path:
            sys.path.remove(path)
    # Only the generated packages are forgotten: libraries they (or the toolkit)
    # imported stay, as C extensions such as PyYAML's cannot be imported twice.
    for name in list(sys.modules):
        if name.split(".")[0] in packages:
            sys.modules.pop(name, None)


@pytest.fixture(scope="session")
def chatkit_api() -> object:
    """The committed generated package, imported from generated/."""
    sys.path.insert(0, str(ROOT / "generated"))
    import chatkit_api

    return chatkit_api
