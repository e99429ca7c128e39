"""Escaping spec text for Markdown (and the HTML it becomes)."""

from __future__ import annotations

import html
import re
from functools import lru_cache

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
# At the start of a block these would open a list ("1. x", "2) x", "- x").
_LIST_START = re.compile(r"^(\d+)([.)])|^-")


@lru_cache(maxsize=65536)  # docs print the same descriptions and names again and again
def md_text(text: str | None) -> str:
    """Inline Markdown text: HTML-escaped, Markdown punctuation backslash-escaped."""
    if not text:
        return ""
    collapsed = " ".join(str(text).split())
    escaped = _MD_SPECIAL.sub(r"\\\1", html.escape(collapsed, quote=False))
    return _LIST_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else "\\-", escaped)


@lru_cache(maxsize=65536)
def md_code(text: str) -> str:
    """Inline code span that no backtick in ``text`` can close."""
    text = " ".join(str(text).split())
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"
