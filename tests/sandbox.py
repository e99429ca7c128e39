"""Generate a package from an in-memory spec and exercise it in a fresh interpreter.

Generated packages are imported in a subprocess so hostile or random specs never
share ``sys.modules`` with the test run (or with each other).
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from chatkit_codegen.config import Config, load_config
from chatkit_codegen.load.yaml_loader import SafeJSONLoader
from chatkit_codegen.pipeline import generate, write_tree
from conftest import ROOT


class CoreDumper(yaml.SafeDumper):
    """Quotes exactly the strings our YAML 1.2 core-schema loader would read as
    something else (``1e3``, ``0o12``), so any string survives the round trip."""


CoreDumper.yaml_implicit_resolvers = {k: list(v) for k, v in SafeJSONLoader.yaml_implicit_resolvers.items()}


def write_spec(spec: dict[str, Any], path: Path) -> Path:
    """The spec as JSON or YAML (by suffix); both load back to exactly ``spec``."""
    if path.suffix == ".json":
        text = json.dumps(spec, indent=1)
    else:
        # allow_unicode=False: PyYAML's emitter folds a raw U+0085 (NEL) in quoted
        # scalars into a space; with escapes every string comes back exactly.
        text = yaml.dump(spec, Dumper=CoreDumper, sort_keys=False, allow_unicode=False, width=1_000_000)
    path.write_text(text, encoding="utf-8")
    return path


def config(spec: Path, out: Path, package: str, **overrides: Any) -> Config:
    return load_config(ROOT).with_overrides(spec=spec, out=out, package_name=package, **overrides)


def generate_into(
    spec: dict[str, Any] | Path, out: Path, package: str, *, validate: bool = True
) -> dict[str, str]:
    """Generate ``package`` from ``spec`` into ``out`` (a folder that must not exist yet)."""
    if isinstance(spec, dict):
        spec = write_spec(spec, out.parent / f"{package}.yaml")
    files = generate(config(spec, out, package), validate=validate).files
    write_tree(out, files)
    return files


def assert_every_python_file_parses(files: dict[str, str]) -> None:
    for path, text in files.items():
        if path.endswith(".py"):
            ast.parse(text, filename=path)


def run_python(root: Path, code: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter with ``root`` first on the import path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(root)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


IMPORT_ALL = """
import importlib, json, pkgutil, sys
name = sys.argv[1]
package = importlib.import_module(name)
modules = [name] + sorted(m.name for m in pkgutil.walk_packages(package.__path__, name + "."))
for module in modules:
    importlib.import_module(module)
print(json.dumps(modules))
"""


def import_all(root: Path, package: str) -> list[str]:
    """Import every module of the generated ``package``; fail with its stderr if one fails."""
    result = run_python(root, IMPORT_ALL, package)
    assert result.returncode == 0, result.stderr[-4000:]
    modules: list[str] = json.loads(result.stdout)
    return modules
