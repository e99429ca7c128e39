"""Helpers for the docs tests: generate the Markdown, render it as MkDocs would, read text.

The Markdown is rendered with Python-Markdown and the extensions listed in
``mkdocs.yml`` (what ``mkdocs build`` uses), then reduced to the lines a reader sees:
one line per block element (heading, paragraph, list item, table cell, code line).
"""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
MKDOCS_YML = ROOT / "mkdocs.yml"
SEED = ROOT.parent / "shared" / "seeds" / "000_10d8d9a7daf749c7.txt"

_BLOCK = {
    "p",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "th",
    "tr",
    "table",
    "pre",
    "div",
    "dt",
    "dd",
    "dl",
    "blockquote",
    "label",
    "br",
    "hr",
}


def generate_docs(
    spec: Path | None = None,
    out: Path | None = None,
    package: str | None = None,
    allow_refs: tuple[Path, ...] | None = None,
) -> dict[str, str]:
    """The ``docs/`` part of a generation run, in memory: {path under docs/: Markdown}."""
    from chatkit_codegen.config import load_config
    from chatkit_codegen.pipeline import generate

    cfg = load_config(ROOT).with_overrides(
        spec=spec, out=out, package_name=package, allow_refs=allow_refs
    )
    files = generate(cfg).files
    return {
        p.removeprefix("docs/"): t for p, t in files.items() if p.startswith("docs/")
    }


def mkdocs_extensions() -> tuple[list[str], dict[str, Any]]:
    """The ``markdown_extensions`` of mkdocs.yml as Python-Markdown wants them."""
    config = yaml.safe_load(MKDOCS_YML.read_text(encoding="utf-8"))
    names: list[str] = []
    configs: dict[str, Any] = {}
    for entry in config.get("markdown_extensions", []):
        if isinstance(entry, dict):
            ((name, options),) = entry.items()
            names.append(name)
            configs[name] = options or {}
        else:
            names.append(entry)
    return names, configs


def to_html(markdown_text: str) -> str:
    import markdown

    names, configs = mkdocs_extensions()
    return markdown.markdown(markdown_text, extensions=names, extension_configs=configs)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.ids: set[str] = set()
        self.elements: list[str] = []
        self._buf: list[str] = []
        self._skip = 0  # inside a permalink (the toc extension's "¶")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(tag)
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if self._skip or (tag == "a" and "headerlink" in (found.get("class") or "")):
            self._skip += 1
        if tag in _BLOCK:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            self._skip -= 1
        if tag in _BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._buf.append(data)

    def _flush(self) -> None:
        for line in "".join(self._buf).split("\n"):
            line = " ".join(line.split())
            if line:
                self.lines.append(line)
        self._buf = []

    def close(self) -> None:
        super().close()
        self._flush()


def read_html(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def visible_lines(markdown_text: str) -> list[str]:
    return read_html(to_html(markdown_text)).lines


def build_site(site_dir: Path) -> None:
    """``mkdocs build --strict`` into ``site_dir``: the command the nox ``docs`` session runs."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            str(MKDOCS_YML),
            "-d",
            str(site_dir),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, f"mkdocs build failed:\n{proc.stdout}\n{proc.stderr}"
