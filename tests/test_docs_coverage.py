"""How much of the published reference page the generated docs say, line by line.

The page (``shared/seeds/000_...txt``) is a text scrape of the OpenAI reference for
ChatKit. Each of its meaningful lines must appear in the generated docs as a line a
reader sees: the Markdown is rendered with the extensions of mkdocs.yml and reduced to
one line per block (heading, paragraph, list item, table cell, code line).

Normalisation, the same on both sides: all whitespace is removed before comparing.
The scrape glued inline elements together (``cancel(strsession_id)``,
``POST/chatkit/sessions``, ``maximum512``, ``ChatKitSessions`` for the heading
"ChatKit Sessions"), so spaces carry no information there. A field's facts line
(``optional · default 512 · minimum 1 · maximum 512``) also counts as its parts,
which the page shows as separate pills (``maximum512``, ``minimum1``). A code block
also counts as one line, without black's trailing comma: a signature longer than 88
columns is printed one argument a line, the page prints it on one.

Two figures are printed and both must be 100%, except for the lines explained below:
- anywhere: the line appears somewhere in the docs;
- in context: it appears on the page a reader of that section would be on. The walk
  follows the scrape: a resource heading (``ChatKitSessions``) opens that resource's
  page; ``class X:`` stays on the current page if that page shows class X (nested and
  union classes are shown in full under their field), else opens the page that
  anchors X.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pytest
from docs_support import SEED, generate_docs, read_html, to_html

# Navigation chrome of the scraped site, not reference content.
BOILERPLATE = {
    "Skip to content": "the site's skip link",
    "Primary navigation": "the site's navigation landmark",
    "ModelsExpand Collapse": "the site's collapsible 'Models' toggle (label and button text)",
}

# Lines found in the docs but not on the page the walk is on, by (line number, text).
_LOST_HEADING = "continues the ChatSessionStatus alias whose heading the scrape lost"
EXPLAINED_OUT_OF_CONTEXT = {
    (222, 'Literal["active", "expired", "cancelled"]'): (
        "the scrape lost the `ChatSessionStatus` heading before this alias, so the walk is "
        "still on ChatSessionRateLimitsParam; the line is on models/chat_session_status.md"
    ),
    (223, "One of the following:"): _LOST_HEADING,
    (224, '"active"'): _LOST_HEADING,
    (225, '"expired"'): _LOST_HEADING,
    (226, '"cancelled"'): _LOST_HEADING,
}

# Page lines that cannot be matched at all, by (line number, text), and why (none today).
_LOSSY = "the page drops upstream's integer; the docs say Union[str, int, bool, float] (README: Upstream drift)"
EXPLAINED_MISSING: dict[tuple[int, str], str] = {
    (15, "state_variables: Optional[Dict[str, Union[str, bool, float]]]"): _LOSSY,
    (235, "state_variables: Optional[Dict[str, Union[str, bool, float]]]"): _LOSSY,
}


def key(line: str) -> str:
    return "".join(line.split())


@dataclass
class Page:
    keys: set[str]
    ids: set[str]
    h1: str | None


def _pages() -> dict[str, Page]:
    pages = {}
    for path, text in generate_docs().items():
        if not path.endswith(".md"):
            continue
        html = to_html(text)
        reader = read_html(html)
        keys: set[str] = set()
        for line in reader.lines:
            keys.add(key(line))
            keys.update(key(part) for part in line.split(" · "))
        for block in re.findall(r"<pre[^>]*>(.*?)</pre>", html, re.S):
            keys.add(key(" ".join(read_html(block).lines)).replace(",)", ")"))
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
        h1_text = read_html(h1.group(1)).lines if h1 else []
        pages[path] = Page(keys, reader.ids, key(h1_text[0]) if h1_text else None)
    return pages


@dataclass
class Result:
    total: int
    anywhere: list[tuple[int, str]]  # misses
    in_context: list[
        tuple[int, str, str | None]
    ]  # misses: line number, line, page walked


def measure(pages: dict[str, Page], page_lines: list[str]) -> Result:
    every = set().union(*(p.keys for p in pages.values()))
    by_h1 = {p.h1: path for path, p in pages.items() if p.h1}
    anchors: dict[str, list[str]] = {}
    for path, p in pages.items():
        for anchor in p.ids:
            anchors.setdefault(anchor, []).append(path)
    current: str | None = None
    total = 0
    missing: list[tuple[int, str]] = []
    out_of_context: list[tuple[int, str, str | None]] = []
    for number, raw in enumerate(page_lines, 1):
        line = raw.strip()
        if not line or line in BOILERPLATE:
            continue
        total += 1
        k = key(line)
        if k in by_h1:
            current = by_h1[k]
        m = re.fullmatch(r"class(\w+):", k)
        if m and (current is None or k not in pages[current].keys):
            homes = anchors.get(m.group(1), [])
            if len(homes) == 1:
                current = homes[0]
        if k not in every:
            missing.append((number, line))
        elif current is not None and k not in pages[current].keys:
            out_of_context.append((number, line, current))
    return Result(total, missing, out_of_context)


@pytest.fixture(scope="module")
def page_lines() -> list[str]:
    if not SEED.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"the reference page is missing in CI: {SEED}")
        pytest.skip(
            f"reference page not found at {SEED} (shared/ is not beside the repo)"
        )
    return SEED.read_text(encoding="utf-8").splitlines()


def test_docs_cover_every_line_of_the_reference_page(page_lines: list[str]) -> None:
    result = measure(_pages(), page_lines)
    found = result.total - len(result.anywhere)
    in_context = found - len(result.in_context)
    explained = [
        (n, line)
        for n, line, _ in result.in_context
        if (n, line) in EXPLAINED_OUT_OF_CONTEXT
    ]
    report = [
        f"docs coverage: {found}/{result.total} meaningful lines ({100 * found / result.total:.1f}%)",
        f"docs coverage in context: {in_context}/{result.total} meaningful lines "
        f"({100 * in_context / result.total:.1f}%; {len(explained)} more explained below)",
    ]
    report += [
        f"  line {n} not in the docs: {line!r} ({EXPLAINED_MISSING.get((n, line), 'UNEXPLAINED')})"
        for n, line in result.anywhere
    ]
    report += [
        f"  line {n} not on {page}: {line!r} ({EXPLAINED_OUT_OF_CONTEXT.get((n, line), 'UNEXPLAINED')})"
        for n, line, page in result.in_context
    ]
    print("\n" + "\n".join(report))
    unexplained = [m for m in result.anywhere if m not in EXPLAINED_MISSING]
    unexplained += [
        (n, line)
        for n, line, _ in result.in_context
        if (n, line) not in EXPLAINED_OUT_OF_CONTEXT
    ]
    assert not unexplained, "\n".join(report)
    # An explanation that no longer applies must go: the lists stay exact.
    stale = set(EXPLAINED_OUT_OF_CONTEXT) - {
        (n, line) for n, line, _ in result.in_context
    }
    stale |= set(EXPLAINED_MISSING) - set(result.anywhere)
    assert not stale, f"explanations for lines that now match: {sorted(stale)}"
    assert (
        result.total >= 500
    )  # the whole page was read (506 meaningful lines), not a stub
