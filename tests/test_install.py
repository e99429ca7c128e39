"""The toolkit as a user installs it: a wheel of chatkit-codegen in a fresh virtualenv,
then ``chatkit-codegen generate`` in an empty folder far from this repository.

The wheel must carry the templates (hatch's force-include puts ``templates/`` into the
package) and the command must work without any ``[tool.chatkit-codegen]`` table: the
names then come from the document. Installing pulls the toolkit's dependencies from
the package index (registries only, at install time), as ``pip install`` would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from sandbox import run_python

FIXTURE = ROOT / "tests" / "fixtures" / "operations" / "spec.yaml"  # title "Operations", secured
pytestmark = pytest.mark.slow


def run(*cmd: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, check=False, env=env, timeout=900
    )
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("toolkit")
    src = base / "src"  # a copy: the build writes nothing into the repository
    shutil.copytree(
        ROOT,
        src,
        ignore=shutil.ignore_patterns(
            ".git", ".nox", "node_modules", "build", "dist", "artifacts", "generated", "golden",
            "__pycache__", "*.egg-info", ".mypy_cache", ".ruff_cache", ".pytest_cache",
        ),
    )  # fmt: skip
    run(sys.executable, "-m", "build", "--wheel", "--outdir", base / "dist", src, cwd=base)
    (found,) = (base / "dist").glob("chatkit_codegen-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("venv") / "env"
    run(sys.executable, "-m", "venv", folder, cwd=folder.parent)  # no system site-packages
    run(folder / "bin" / "python", "-m", "pip", "install", "--quiet", wheel, cwd=folder.parent)
    return folder


def test_wheel_ships_the_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = ROOT / "templates"
    expected = {f"chatkit_codegen/templates/{p.relative_to(templates).as_posix()}" for p in templates.rglob("*.jinja")}
    assert expected and expected <= names, sorted(expected - names)
    assert "chatkit_codegen/cli.py" in names


def test_installed_command_generates_in_an_empty_folder(venv: Path, tmp_path: Path) -> None:
    work = tmp_path / "project"
    work.mkdir()
    shutil.copyfile(FIXTURE, work / "api.yaml")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    command = venv / "bin" / "chatkit-codegen"
    assert "chatkit-codegen" in run(command, "--version", cwd=work, env=env).stdout
    proc = run(command, "generate", "--spec", "api.yaml", "--out", "out", cwd=work, env=env)
    assert "generated" in proc.stderr
    # the toolkit ran from the virtualenv, not from this checkout
    where = run(venv / "bin" / "python", "-c", "import chatkit_codegen; print(chatkit_codegen.__file__)", cwd=work, env=env)
    assert str(ROOT) not in where.stdout and str(venv) in where.stdout
    # no configuration anywhere: the package and client are named from info.title
    assert sorted(p.name for p in (work / "out").iterdir()) == ["README.md", "docs", "operations", "pyproject.toml"]
    probe = (
        "import json, operations; from operations import _base_client as b;"
        "print(json.dumps([operations.OperationsClient.__name__, b.API_KEY_ENV, b.BASE_URL_ENV]))"
    )
    imported = run_python(work / "out", probe)
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout) == ["OperationsClient", "OPERATIONS_API_KEY", "OPERATIONS_BASE_URL"]
    # and check agrees that the tree is up to date
    assert "up to date" in run(command, "check", "--spec", "api.yaml", "--out", "out", cwd=work, env=env).stdout
