"""The one Jinja environment: strict, whitespace-controlled, user-overridable.

A user's ``--templates DIR`` wins by file name: ``DIR/model_module.py.jinja``
overrides ``models/model_module.py.jinja`` (the relative path works too).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from .. import __version__
from .builtin import builtin_templates
from .pyfmt import py_str

__all__ = ["builtin_templates", "indent_lines", "make_env", "write_compiled"]


class _OverrideLoader(jinja2.BaseLoader):
    """Looks a template up in the user's folder by relative path, then by file name."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        for candidate in (self.folder / template, self.folder / Path(template).name):
            path = candidate.resolve()
            if path.is_file() and path.is_relative_to(self.folder):
                text = path.read_text(encoding="utf-8")
                mtime = path.stat().st_mtime
                return text, str(path), lambda p=path, m=mtime: p.stat().st_mtime == m
        raise jinja2.TemplateNotFound(template)


def indent_lines(lines: list[str], indent: int) -> str:
    """Join pre-laid-out code lines, indenting all but blank ones."""
    pad = " " * indent
    return "\n".join(pad + line if line else "" for line in lines)


def make_env(
    user_dir: Path | None = None,
    filters: dict[str, Callable[..., Any]] | None = None,
    *,
    precompiled: bool = True,
) -> jinja2.Environment:
    """The environment; built-in templates come precompiled unless ``precompiled`` is
    off (``render/precompiled.py``), a user's ``user_dir`` always from source."""
    from .precompiled import BuiltinLoader

    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        loaders.append(_OverrideLoader(user_dir))
    folder = builtin_templates()
    loaders.append(BuiltinLoader(folder) if precompiled else jinja2.FileSystemLoader(str(folder)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.globals["generator_version"] = __version__
    env.filters["lines"] = indent_lines
    env.filters["py"] = py_str  # the one path for spec strings into Python literals
    env.filters.update(filters or {})
    env.bytecode_cache = _bytecode_cache(env)
    return env


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in the user cache; one that cannot be written is skipped."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache(env: jinja2.Environment) -> jinja2.BytecodeCache | None:
    """Jinja checks each entry against its template's source; the folder name covers
    what else the compiled code depends on (Jinja's version, the syntax options)."""
    from ..cache import cache_dir
    from .precompiled import options_key

    folder = cache_dir() / f"jinja-{options_key(env)}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _BytecodeCache(str(folder))


def write_compiled(folder: Path | None = None) -> dict[str, str]:
    """Regenerate the compiled folder (stale modules are removed); returns its files."""
    from .precompiled import COMPILED, compile_all

    folder = folder or COMPILED
    files: dict[str, str] = compile_all(builtin_templates(), lambda: make_env(precompiled=False))
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.py"):
        if old.name not in files:
            old.unlink()
    for name, text in files.items():
        target = folder / name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    return files
