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
from .pyfmt import py_str


def builtin_templates() -> Path:
    """Templates shipped in the wheel, or the repository's ``templates/`` folder."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "templates"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "templates"


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


def make_env(user_dir: Path | None = None, filters: dict[str, Callable[..., Any]] | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        loaders.append(_OverrideLoader(user_dir))
    loaders.append(jinja2.FileSystemLoader(str(builtin_templates())))
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
    import hashlib

    from ..cache import cache_dir

    options = (
        getattr(jinja2, "__version__", ""), env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string,
        env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
        env.newline_sequence, env.keep_trailing_newline, env.optimized,
        getattr(env.autoescape, "__qualname__", env.autoescape),
        sorted(env.extensions),
    )  # fmt: skip
    folder = cache_dir() / f"jinja-{hashlib.sha256(repr(options).encode()).hexdigest()[:16]}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _BytecodeCache(str(folder))
