"""Publishing: the committed generated/ builds into a wheel and an sdist that pass
``twine check``, and the wheel installs into a fresh virtualenv and imports.

The build runs in a copy of generated/ and writes into tmp_path, never into the
repository. Installing pulls pydantic, httpx and typing-extensions from the package
index (allowed: registries only, at install time).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
from chatkit_codegen.render.package import _pep440
from conftest import ROOT

GENERATED = ROOT / "generated"
pytestmark = pytest.mark.slow


def run(*cmd: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("publish")
    src = base / "src"
    shutil.copytree(GENERATED, src, ignore=shutil.ignore_patterns("__pycache__", "dist", "build", "*.egg-info"))
    run(sys.executable, "-m", "build", src, "--outdir", base / "dist", cwd=base)
    found = {p.suffix: p for p in (base / "dist").iterdir()}
    assert set(found) == {".whl", ".gz"}, found
    return {"wheel": found[".whl"], "sdist": found[".gz"], "base": base}


def test_version_is_info_version() -> None:
    import yaml

    spec = yaml.safe_load((ROOT / "spec" / "chatkit.yaml").read_text(encoding="utf-8"))
    project = tomllib.loads((GENERATED / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == _pep440(str(spec["info"]["version"])) == "1.0.0"
    version_py = (GENERATED / "chatkit_api" / "_version.py").read_text(encoding="utf-8")
    assert f'__version__ = "{project["version"]}"' in version_py


@pytest.mark.parametrize(
    ("info_version", "package_version"),
    [("1.2.3", "1.2.3"), ("2.0.0rc1", "2.0.0rc1"), ("2024-06-01", "0.0.0+2024.06.01"), ("v1 beta", "0.0.0+v1.beta")],
)
def test_non_pep440_versions_become_local_labels(info_version: str, package_version: str) -> None:
    from packaging.version import Version

    assert _pep440(info_version) == package_version
    Version(package_version)  # always valid for pip and twine


def test_twine_check_passes(dists: dict[str, Path]) -> None:
    proc = run(sys.executable, "-m", "twine", "check", "--strict", dists["wheel"], dists["sdist"], cwd=dists["base"])
    assert proc.stdout.count("PASSED") == 2


def test_archives_hold_package_readme_and_docs(dists: dict[str, Path]) -> None:
    with zipfile.ZipFile(dists["wheel"]) as whl:
        names = whl.namelist()
        meta = whl.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "chatkit_api/__init__.py" in names and "chatkit_api/py.typed" in names
    assert "Name: chatkit-api\n" in meta and "Version: 1.0.0\n" in meta
    assert "Description-Content-Type: text/markdown" in meta
    assert "# OpenAI ChatKit API" in meta  # the generated README is the long description
    with tarfile.open(dists["sdist"]) as sdist:
        members = {m.name.split("/", 1)[1] for m in sdist.getmembers() if "/" in m.name}
    assert {"README.md", "pyproject.toml", "chatkit_api/__init__.py", "docs/index.md"} <= members


def test_wheel_installs_and_imports_in_a_fresh_venv(dists: dict[str, Path]) -> None:
    venv = dists["base"] / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=dists["base"])  # no system site-packages
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    run(python, "-m", "pip", "install", "--quiet", dists["wheel"], cwd=dists["base"])
    probe = """
import json, chatkit_api
from chatkit_api.types import ChatKitThread
t = ChatKitThread.model_validate({"id": "cthr_1", "created_at": 1, "object": "chatkit.thread",
    "status": {"type": "locked", "reason": None}, "title": None, "user": "u", "future": 1})
print(json.dumps({"file": chatkit_api.__file__, "version": chatkit_api.__version__,
    "status": type(t.status).__name__, "extra": t.model_extra}))
"""
    out = json.loads(run(python, "-c", probe, cwd=dists["base"]).stdout)
    assert out["version"] == "1.0.0"
    assert Path(out["file"]).is_relative_to(venv)  # the installed copy, not the repository's
    assert out["status"] == "StatusLocked"
    assert out["extra"] == {"future": 1}
