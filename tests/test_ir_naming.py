"""Identifiers from the document are made safe in one place (``ir/naming.py``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from chatkit_codegen.ir import naming


@pytest.mark.parametrize(
    ("wire", "cls", "field"),
    [
        ("O", "O_", "O_"),  # ruff E741/E742: reads as zero
        ("I", "I_", "I_"),
        ("l", "L", "l_"),  # a class name is PascalCase: no longer ambiguous
        ("class", "Class", "class_"),
        ("model_config", "ModelConfig", "model_config_"),
        ("Größe", "Grosse", "grosse"),
    ],
)
def test_names_are_safe_identifiers(wire: str, cls: str, field: str) -> None:
    assert (naming.class_name(wire), naming.field_name(wire)) == (cls, field)


def test_ambiguous_names_pass_ruff_in_generated_code(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.1.0\n"
        "info: {title: Ambiguous, version: '1'}\n"
        "paths: {}\n"
        "components:\n"
        "  schemas:\n"
        "    O: {type: object, properties: {l: {type: string}, I: {type: integer}}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    gen = [sys.executable, "-m", "chatkit_codegen", "generate", "--spec", str(spec), "--out", str(out)]
    result = subprocess.run(gen, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "class O_(BaseModel):" in (out / "ambiguous" / "types" / "o.py").read_text(encoding="utf-8")
    ruff = [sys.executable, "-m", "ruff", "check", "--config", str(out / "pyproject.toml"), str(out)]
    checked = subprocess.run(ruff, capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout
