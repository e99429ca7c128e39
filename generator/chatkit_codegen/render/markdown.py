"""Spec text as Markdown: escaped names and titles, and descriptions read as CommonMark.

OpenAPI descriptions are CommonMark. ``md_blocks`` parses one with markdown-it-py and
prints it again as Markdown built only from a safe subset: paragraphs, emphasis,
inline code, lists, code blocks and quotes, links to ``http(s):``/``mailto:`` URLs.
Everything else (raw HTML, headings, images, other link schemes) becomes escaped text,
so a description can style the page but never inject markup. ``md_cell`` prints the
same on one line for a table cell; ``md_text`` escapes text that is not Markdown at
all (names, titles, summaries), so it shows character for character.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
# At the start of a block these would open a list ("1. x", "2) x", "- x").
_LIST_START = re.compile(r"^(\d+)([.)])|^-")
_SAFE_URL = re.compile(r"^(?:https?://|mailto:)[^\s<>\"'`\\]*$", re.I)
_LANG = re.compile(r"^[\w+#.-]{1,32}$")
INDENT = "    "  # Python-Markdown nests list content by four spaces


def _escape(text: str) -> str:
    """Inline text that Markdown and HTML both show as it is."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _unlist(text: str) -> str:
    """Escape a list marker that would otherwise open the block."""
    return _LIST_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else "\\-", text)


@lru_cache(maxsize=65536)  # docs print the same descriptions and names again and again
def md_text(text: str | None) -> str:
    """Inline Markdown text: HTML-escaped, Markdown punctuation backslash-escaped."""
    if not text:
        return ""
    return _unlist(_escape(" ".join(str(text).split())))


@lru_cache(maxsize=65536)
def md_code(text: str) -> str:
    """Inline code span that no backtick in ``text`` can close."""
    text = " ".join(str(text).split())
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def code_fence(lines: Sequence[str]) -> str:
    """A code fence longer than any run of backticks in ``lines``."""
    longest = max((len(m) for line in lines for m in re.findall(r"`+", line)), default=0)
    return "`" * max(3, longest + 1)


def _printable(line: str) -> str:
    """Code block lines never contain raw control characters (a spec value could)."""
    return "".join(ch if ch.isprintable() or ch == "\t" else repr(ch)[1:-1] for ch in line)


@cache
def _parser() -> MarkdownIt:
    """The CommonMark parser, imported when a description first needs it (prose does not)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).disable("image")


def _parsed(text: str, flat: bool) -> list[str]:
    return _Printer(flat=flat).blocks(_parser().parse(text))


class _Printer:
    """Prints markdown-it tokens back as Markdown of the safe subset."""

    def __init__(self, flat: bool) -> None:
        self.flat = flat  # one line, for a table cell

    # -- inline

    def inline(self, tokens: list[Token]) -> str:
        out: list[str] = []
        links: list[str | None] = []  # href of each open link, None when shown as text
        for t in tokens:
            if t.type == "text":
                out.append(_escape(t.content))
            elif t.type == "code_inline":
                out.append(md_code(t.content))
            elif t.type in ("softbreak", "hardbreak"):
                out.append(" ")
            elif t.type in ("em_open", "em_close"):
                out.append("*")
            elif t.type in ("strong_open", "strong_close"):
                out.append("**")
            elif t.type == "link_open":
                href = str(t.attrs.get("href", ""))
                safe = href if _SAFE_URL.match(href) else None
                links.append(safe)
                if safe is not None:
                    out.append("[")
            elif t.type == "link_close":
                href_or_none = links.pop() if links else None
                if href_or_none is not None:
                    url = href_or_none.replace("(", "%28").replace(")", "%29")
                    out.append(f"]({url})")
            else:  # anything else the parser may produce is shown as its source text
                out.append(_escape(t.content))
        text = "".join(out)
        # emphasis markers may be left without content ("**" around a dropped link)
        return " ".join(text.split())

    # -- blocks

    def blocks(self, tokens: list[Token]) -> list[str]:
        """Top-level blocks of ``tokens`` (a flat token stream), each as Markdown text."""
        out: list[str] = []
        i = 0
        while i < len(tokens):
            block, i = self.block(tokens, i)
            if block:
                out.append(block)
        return out

    def block(self, tokens: list[Token], i: int) -> tuple[str, int]:
        t = tokens[i]
        if t.type in ("paragraph_open", "heading_open"):
            inline = tokens[i + 1]
            text = _unlist(self.inline(inline.children or []))
            if t.type == "heading_open" and text:
                text = f"**{text}**"
            return text, i + 3
        if t.type in ("fence", "code_block"):
            lines = [_printable(line) for line in t.content.rstrip("\n").split("\n")]
            if self.flat:
                return md_code(" ".join(lines)), i + 1
            lang = t.info.strip().split(" ")[0] if t.type == "fence" else ""
            lang = lang if _LANG.match(lang) else ""
            fence = code_fence(lines)
            return "\n".join([fence + lang, *lines, fence]), i + 1
        if t.type in ("bullet_list_open", "ordered_list_open"):
            return self.list(tokens, i)
        if t.type == "blockquote_open":
            end = self.close_of(tokens, i)
            inner = self.blocks(tokens[i + 1 : end])
            if self.flat:
                return " ".join(inner), end + 1
            quoted = "\n>\n".join(
                "\n".join(f"> {line}" if line else ">" for line in b.split("\n")) for b in inner
            )
            return quoted, end + 1
        if t.type == "hr":
            return "", i + 1
        # html_block cannot occur (html is off); anything unknown is shown as text
        return (_unlist(_escape(" ".join(t.content.split()))) if t.content else ""), i + 1

    def close_of(self, tokens: list[Token], i: int) -> int:
        """Index of the token that closes the one opened at ``i``."""
        depth = 0
        for j in range(i, len(tokens)):
            depth += tokens[j].nesting
            if depth == 0:
                return j
        return len(tokens) - 1

    def list(self, tokens: list[Token], i: int) -> tuple[str, int]:
        end = self.close_of(tokens, i)
        ordered = tokens[i].type == "ordered_list_open"
        start = int(str(tokens[i].attrs.get("start", 1))) if ordered else 1
        items: list[list[str]] = []
        j = i + 1
        while j < end:
            item_end = self.close_of(tokens, j)
            items.append(self.blocks(tokens[j + 1 : item_end]))
            j = item_end + 1
        if self.flat:
            return "; ".join(" ".join(item) for item in items if item), end + 1
        level = tokens[i].level + 2  # paragraphs directly inside the items
        loose = any(
            t.type == "paragraph_open" and t.level == level and not t.hidden
            for t in tokens[i:end]
        )
        lines: list[str] = []
        for n, item in enumerate(items, start):
            marker = f"{n}. " if ordered else "- "
            body = ("\n\n" if loose else "\n").join(item)
            indented = [
                (INDENT + line if line and k else line)
                for k, line in enumerate(body.split("\n"))
            ]
            lines.append(marker + "\n".join(indented))
        return ("\n\n" if loose else "\n").join(lines), end + 1


# Text that CommonMark reads as plain paragraphs: no character that opens inline
# Markdown or an entity, no line that starts a list, quote, heading, fence or indented
# code, no setext underline. Most descriptions are such prose; they skip the parser.
_NOT_PLAIN = re.compile(
    r"[`*\[\]<>&\\!#|~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])"  # an underscore inside a word opens nothing
    r"|^[ \t]*(?:[-+]|\d{1,9}[.)])(?:[ \t]|$)|^(?: {4}|\t)|^[ \t]*(?:[=-]+[ \t]*$|>)",
    re.M,
)


def _plain_paragraphs(text: str) -> tuple[str, ...]:
    return tuple(md_text(p) for p in re.split(r"\n[ \t]*\n", text) if p.strip())


@lru_cache(maxsize=65536)
def md_blocks(text: str | None) -> tuple[str, ...]:
    """A CommonMark description as blocks of safe Markdown (paragraphs, lists, code)."""
    if not text or not str(text).strip():
        return ()
    text = str(text)
    if not _NOT_PLAIN.search(text):
        return _plain_paragraphs(text)
    return tuple(_parsed(text, flat=False))


def _parsed_blocks(text: str) -> tuple[str, ...]:
    """``md_blocks`` without the plain-text shortcut (the tests compare the two)."""
    return tuple(_parsed(text, flat=False))


def _flat_blocks(text: str) -> list[str]:
    if not _NOT_PLAIN.search(text):
        return list(_plain_paragraphs(text))
    return _parsed(text, flat=True)


@lru_cache(maxsize=65536)
def md_cell(text: str | None) -> str:
    """A CommonMark description on one line, for a table cell: pipes and breaks are safe."""
    if not text or not str(text).strip():
        return ""
    blocks = _flat_blocks(str(text))
    return " ".join(" ".join(blocks).split()) if blocks else ""


@lru_cache(maxsize=65536)
def md_first(text: str | None) -> str:
    """The first block of a description on one line (a summary in an index table)."""
    if not text or not str(text).strip():
        return ""
    blocks = _flat_blocks(str(text))
    return " ".join(blocks[0].split()) if blocks else ""
