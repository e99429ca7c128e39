"""Where the built-in templates are, without importing Jinja (the result cache asks)."""

from __future__ import annotations

from pathlib import Path


def builtin_templates() -> Path:
    """Templates shipped in the wheel, or the repository's ``templates/`` folder."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "templates"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "templates"
