"""The rendered runtime: header, context values, and mypy/ruff/black cleanliness.

The tool checks are marked ``tooling`` and skip when the tool is not installed.
ruff runs isolated from any project config with its default rules plus ``I`` and
``--target-version py39`` (the oldest Python the generated package supports).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from jinja2 import UndefinedError

RUNTIME_MODULES = ("_exceptions", "_request", "_response", "_base_client", "pagination")
RUNTIME_FILES = [f"{module}.py" for module in RUNTIME_MODULES]


def run_tool(module: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed")
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_file_starts_with_the_header(
    rendered_package: Path, render_kit: SimpleNamespace
) -> None:
    assert tuple(render_kit.modules) == RUNTIME_MODULES
    for name in RUNTIME_FILES:
        text = (rendered_package / name).read_text(encoding="utf-8")
        assert text.splitlines()[0] == render_kit.header
        assert text.endswith("\n") and not text.endswith("\n\n")
        assert "{{" not in text and "{%" not in text and "{#" not in text


def test_templates_document_their_context_contract(render_kit: SimpleNamespace) -> None:
    for module in RUNTIME_MODULES:
        source = (render_kit.templates / f"{module}.py.jinja").read_text(
            encoding="utf-8"
        )
        assert source.startswith("{#"), module
        assert "Context used:" in source.split("#}", 1)[0], module


def test_context_values_are_rendered(rt: SimpleNamespace) -> None:
    assert rt.API_KEY_ENV == "RTPKG_TEST_API_KEY"
    assert rt.BASE_URL_ENV == "RTPKG_TEST_BASE_URL"
    assert rt.DEFAULT_BASE_URL == "https://api.openai.com/v1"
    assert rt.VERSION == "1.0.0"
    assert rt.USER_AGENT == "chatkit_api/1.0.0"
    assert set(rt.pagination.__all__) >= {
        "SyncConversationCursorPage",
        "AsyncConversationCursorPage",
        "SyncTokenPage",
        "AsyncTokenPage",
    }


def test_rendering_needs_only_the_documented_context(
    render_kit: SimpleNamespace,
) -> None:
    env = render_kit.make_env()
    context = render_kit.make_context()
    for module in RUNTIME_MODULES:
        template = env.get_template(f"{module}.py.jinja")
        template.render(**context)
        without_header = {k: v for k, v in context.items() if k != "header"}
        with pytest.raises(UndefinedError):
            template.render(**without_header)
    empty = env.get_template("pagination.py.jinja").render(**{**context, "pages": []})
    compile(empty, "pagination.py", "exec")


@pytest.mark.tooling
def test_rendered_package_passes_mypy_strict(
    rendered_package: Path, tmp_path: Path
) -> None:
    result = run_tool(
        "mypy",
        "--strict",
        "--no-error-summary",
        "--cache-dir",
        str(tmp_path / ".mypy_cache"),
        "-p",
        rendered_package.name,
        cwd=rendered_package.parent,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.tooling
def test_rendered_runtime_passes_ruff(rendered_package: Path) -> None:
    result = run_tool(
        "ruff",
        "check",
        "--isolated",
        "--no-cache",
        "--extend-select",
        "I",
        "--target-version",
        "py39",
        *RUNTIME_FILES,
        cwd=rendered_package,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.tooling
def test_rendered_runtime_is_black_stable(rendered_package: Path) -> None:
    result = run_tool(
        "black", "--check", "--diff", *RUNTIME_FILES, cwd=rendered_package
    )
    assert result.returncode == 0, result.stdout + result.stderr
