"""The one escaping path from spec text to Python source, and black-style layout.

Everything a spec says that lands in a ``.py`` file passes through ``py_str`` (string
literals), ``py_literal`` (JSON values), ``docstring`` (docstrings) or
``safe_comment`` (comments). None of them can produce text that ends the construct
it sits in. ``Node``/``layout`` print bracketed expressions the way black would, so
generated files are black-stable without running black.
"""

from __future__ import annotations

import ast
import math
import re
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tokenize

LINE_LENGTH = 88
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _visible(ch: str) -> bool:
    if ch in _BIDI:
        return False
    if ch == " ":
        return True
    return ch.isprintable() and unicodedata.category(ch) not in ("Zl", "Zp", "Cf")


def py_str(value: str) -> str:
    """A Python string literal for ``value``, quoted the way black prefers."""
    quote = '"'
    if '"' in value and "'" not in value:
        quote = "'"
    out = [quote]
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == quote:
            out.append("\\" + quote)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif not _visible(ch):
            out.append(_escape_char(ch))
        else:
            out.append(ch)
    out.append(quote)
    return "".join(out)


def py_literal(value: object) -> str:
    """Python source for a JSON value (dict, list, str, number, bool, None)."""
    if value is None:
        return "None"
    if value is True:
        return "True"
    if value is False:
        return "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f'float("{value}")'
        return repr(value)
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_str(str(k))}: {py_literal(v)}" for k, v in value.items()) + "}"
    return py_str(str(value))


def literal_node(value: object) -> Node | str:
    """Like ``py_literal`` but as a layout node, so long values wrap like black."""
    if isinstance(value, list | tuple) and value:
        return Node("", "[", [literal_node(v) for v in value], "]")
    if isinstance(value, dict) and value:
        return Node(
            "",
            "{",
            [Node(f"{py_str(str(k))}: ", "", [literal_node(v)], "", atom=True) for k, v in value.items()],
            "}",
        )
    return py_literal(value)


def _doc_escape(text: str) -> str:
    if text.isascii() and text.isprintable() and "\\" not in text:
        # the common case: nothing to escape but runs of quotes
        return text.replace('"', '\\"') if '""' in text else text
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\n")
        elif ch == "\t":
            out.append("    ")
        elif not _visible(ch):
            out.append(_escape_char(ch))
        else:
            out.append(ch)
    escaped = "".join(out)
    # No run of three quotes may survive, and the text may not end with a quote.
    escaped = escaped.replace('"', '\\"') if '""' in escaped else escaped
    return escaped


def docstring(text: str | None, indent: int, *, keep_indent: bool = False) -> list[str]:
    """Docstring lines (without indentation) for ``text``; empty list for no text.

    With ``keep_indent`` a line's leading spaces are kept and its continuation lines
    get four more (Google-style ``Args:`` entries); otherwise they are dropped.
    """
    if not text or not text.strip():
        return []
    width = max(LINE_LENGTH - indent, 40)
    paragraphs = [p for p in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines: list[str] = []
    for para in paragraphs:
        lead = " " * (len(para) - len(para.lstrip(" "))) if keep_indent else ""
        para = " ".join(para.split())
        if not para:
            if lines and lines[-1] != "":
                lines.append("")
            continue
        escaped = _doc_escape(para)
        if len(lead) + len(escaped) <= width:  # fits: what textwrap would return
            lines.append(lead + escaped)
            continue
        wrapped = textwrap.wrap(
            escaped,
            width=width,
            initial_indent=lead,
            subsequent_indent=lead + "    " if lead else "",
            break_long_words=False,
            break_on_hyphens=False,
        )
        lines.extend(w.rstrip() for w in wrapped)
    while lines and lines[-1] == "":
        lines.pop()
    if not lines:
        return []
    first = lines[0]
    ends_badly = first.endswith(('"', "\\")) or first.startswith(('"', " "))
    if len(lines) == 1 and not ends_badly:  # black keeps a one-line docstring on one line
        return [f'"""{first}"""']
    if lines[0].startswith('"'):
        lines[0] = "\\" + lines[0]
    out = ['"""' + lines[0], *lines[1:], '"""']
    return out


def safe_comment(text: str) -> str:
    """One comment line's text: newlines and control characters cannot escape it."""
    return "".join(ch if _visible(ch) else _escape_char(ch) for ch in " ".join(text.split()))


# ------------------------------------------------------------------------- layout


@dataclass
class Node:
    """``head open items... close``: a call, subscript, list or dict that may wrap."""

    head: str
    open: str
    items: Sequence[Node | str] = field(default_factory=list)
    close: str = ""
    atom: bool = False  # a prefix glued to one item (dict entries, keyword=value)

    def flat(self) -> str:
        inner = ", ".join(flat(i) for i in self.items)
        return f"{self.head}{self.open}{inner}{self.close}"


def flat(item: Node | str) -> str:
    return item if isinstance(item, str) else item.flat()


def kw(name: str, value: Node | str) -> Node:
    return Node(f"{name}=", "", [value], "", atom=True)


def layout(prefix: str, item: Node | str, suffix: str, indent: int) -> list[str]:
    """Lines for ``prefix + item + suffix`` at ``indent`` as black prints them."""
    pad = " " * indent
    one = pad + prefix + flat(item) + suffix
    if len(one) <= LINE_LENGTH or isinstance(item, str):
        return [one]
    if item.atom:
        inner = item.items[0]
        return layout(prefix + item.head, inner, suffix, indent)
    head = pad + prefix + item.head + item.open
    tail_pad = pad
    body_indent = indent + 4
    joined = ", ".join(flat(i) for i in item.items)
    # black keeps a split call's arguments on one line if they fit, but always puts
    # the items of a split list/dict/tuple literal one per line.
    literal = not item.head and item.open in "[{(" and len(item.items) > 1
    if len(" " * body_indent + joined) <= LINE_LENGTH and item.items and not literal:
        return [head, " " * body_indent + joined, tail_pad + item.close + suffix]
    lines = [head]
    single_subscript = item.open == "[" and len(item.items) == 1 and item.head
    for sub in item.items:
        comma = "" if single_subscript else ","
        lines.extend(layout("", sub, comma, body_indent))
    lines.append(tail_pad + item.close + suffix)
    return lines


def assignment(name: str, annotation: Node | str | None, value: Node | str, indent: int) -> list[str]:
    """``name: annotation = value`` as black prints it, for the shapes generated code
    has: on one line; else split in the value's brackets when the line up to its
    opening bracket fits; else the value in parentheses on its own line (black's
    invisible parentheses made visible, if that makes it fit); else split in the
    annotation's brackets."""
    pad = " " * indent
    ann = "" if annotation is None else ": " + flat(annotation)
    prefix = f"{name}{ann} = "
    if len(pad + prefix + flat(value)) <= LINE_LENGTH:
        return [pad + prefix + flat(value)]
    if isinstance(value, Node) and not value.atom and len(pad + prefix + value.head + value.open) <= LINE_LENGTH:
        return layout(prefix, value, "", indent)
    if len(pad + prefix + "(") <= LINE_LENGTH:
        inner = layout("", value, "", indent + 4)
        if not too_long(inner):  # black wraps only where the parentheses make it fit
            return [pad + prefix + "(", *inner, pad + ")"]
        if isinstance(value, Node) and not value.atom:
            return layout(prefix, value, "", indent)
    if isinstance(annotation, Node):
        return layout(f"{name}: ", annotation, f" = {flat(value)}", indent)
    return layout(prefix, value, "", indent)


def adapter_lines(name: str, annotation: Node | str) -> list[str]:
    """``name: TypeAdapter[T] = TypeAdapter(T)``, laid out as black does (``assignment``)."""
    return assignment(name, Node("TypeAdapter", "[", [annotation], "]"), Node("TypeAdapter", "(", [annotation], ")"), 0)


def too_long(lines: Sequence[str]) -> bool:
    return any(len(line) > LINE_LENGTH for line in lines)


# ------------------------------------------------------------- is black needed?

# Black splits a line inside brackets only at a bracket, a comma, an operator or one
# of these keywords; a line holding one item of an already exploded bracket (an
# import's ``A as A,``) made of names, dots and commas alone stays as it is.
_SPLITTING_NAMES = frozenset({"and", "or", "not", "in", "is", "if", "else", "for", "async", "lambda", "await"})


# One string token: an optional prefix, then a quoted body in which a backslash takes
# the next character along (in raw strings too, as the tokenizer reads them). Each
# character of a body matches one way only, so a text that is not one token fails in
# linear time: a run like `[^"]+` inside the loop would try every split of a long body.
_STRING_TOKEN = re.compile(
    r"[rRuU]?(?:"
    r"'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|"(?:[^"\\\n]|\\.)*")',
    re.DOTALL,
)
# Lines no tokenizing can show black splitting: ``from a.long.module import (`` (the
# module path is one atom) and an import item ``A as A,`` (only ever inside brackets).
_KEPT_LINE = re.compile(r"\s*from (?:\.+|\.*\w+(?:\.\w+)*) import \(|\s+\w+ as \w+,?")


def _one_string_statement(source: Sequence[str], node: ast.Expr) -> bool | None:
    """Whether the statement ``node`` (a string constant) is written as one string
    token, from its text alone: True, False (``"a" "b"``), or None when its text is
    not plain enough to tell (brackets, a statement after it) and the tokenizer must."""
    first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
    start, end = node.col_offset, node.end_col_offset
    if end is None:
        return None
    head = source[first].encode("utf-8")
    tail = source[last].encode("utf-8")
    if head[:start].strip() or tail[end:].split(b"#", 1)[0].strip():
        return None  # a bracket before it, or more after it
    if first == last:
        text = head[start:end].decode("utf-8")
    else:
        text = head[start:].decode("utf-8") + "".join(source[first + 1 : last]) + tail[:end].decode("utf-8")
    return _STRING_TOKEN.fullmatch(text) is not None


def _lone_string_lines(text: str, tree: ast.Module, lines: Sequence[int]) -> set[int]:
    """Those of ``lines`` inside a statement that is one string token alone (a docstring)
    of a module, class or function body, found from the parsed ``tree`` instead of
    tokenizing the whole file. Lines it does not settle are left to the tokenizer."""
    wanted = set(lines)
    found: set[int] = set()
    source = text.splitlines(keepends=True)
    bodies: list[list[ast.stmt]] = [tree.body]
    while bodies:
        for node in bodies.pop():
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                bodies.append(node.body)
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                span = range(node.lineno, (node.end_lineno or node.lineno) + 1)
                if wanted.isdisjoint(span):
                    continue
                single = _one_string_statement(source, node)
                if single is None:
                    single = _tokenized_one_string("".join(source[span.start - 1 : span.stop - 1]))
                if single:
                    found.update(span)  # not "a" "b": black could still wrap two strings
    return found


def _tokenized_one_string(segment: str) -> bool:
    """``_one_string_statement`` by the tokenizer: ``segment`` is one string token."""
    import io
    import tokenize

    layout = {tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
    try:
        kinds = [t.type for t in tokenize.generate_tokens(io.StringIO(segment).readline)]
    except (tokenize.TokenError, SyntaxError):
        return False
    return [k for k in kinds if k not in layout] == [tokenize.STRING]


def lines_black_would_change(text: str, tree: ast.Module | None = None) -> list[int]:
    """Numbers of the over-long lines of ``text`` that black could still split.

    Black (default mode) never splits a string, so a docstring line or a lone string
    statement stays long, and neither can it split one item of an exploded bracket
    that has no bracket, operator or splitting keyword of its own. Any other line
    over ``LINE_LENGTH`` columns (comments aside) is reported. Only a file with a
    long line is tokenized, so the common case costs one pass over its lines; given
    the file's ``tree`` (parsed already), docstring lines are known without tokenizing.
    """
    long = [
        n
        for n, line in enumerate(text.splitlines(), 1)
        if len(line) > LINE_LENGTH and not line.lstrip().startswith("#") and not _KEPT_LINE.fullmatch(line)
    ]
    if long and tree is not None:  # docstrings, the usual long lines, need no tokenizing
        docstrings = _lone_string_lines(text, tree, long)
        long = [n for n in long if n not in docstrings]
    if not long:
        return []
    import io
    import tokenize

    on_line: dict[int, list[tokenize.TokenInfo]] = {n: [] for n in long}
    inside: dict[int, bool] = {}  # the line starts within brackets (or a string)
    lone_strings: set[int] = set()  # lines of a string that is a whole statement
    ignored = {tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT, tokenize.ENDMARKER}
    depth = 0
    statement: list[tokenize.TokenInfo] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.NEWLINE:
                if len(statement) == 1 and statement[0].type == tokenize.STRING:
                    lone_strings.update(range(statement[0].start[0], statement[0].end[0] + 1))
                statement = []
                continue
            if tok.type in ignored:
                continue
            statement.append(tok)
            for n in range(tok.start[0], tok.end[0] + 1):
                if n in on_line:
                    inside.setdefault(n, depth > 0 or tok.start[0] < n)
                    on_line[n].append(tok)
            if tok.type == tokenize.OP and tok.string in "([{":
                depth += 1
            elif tok.type == tokenize.OP and tok.string in ")]}":
                depth -= 1
    except (tokenize.TokenError, SyntaxError):
        return long  # black could not parse it either: leave the verdict to black
    return [n for n in long if not _black_keeps(n, on_line[n], inside.get(n, False), lone_strings)]


def _black_keeps(n: int, tokens: Sequence[tokenize.TokenInfo], inside: bool, lone_strings: set[int]) -> bool:
    """Whether black leaves over-long line ``n`` (holding ``tokens``) as it is."""
    import tokenize

    if all(t.type == tokenize.STRING and t.start[0] < n for t in tokens):
        return True  # a continuation line of a multi-line string
    if n in lone_strings:
        return True  # a docstring or another lone string statement
    shape = [t.string if t.type == tokenize.OP else tokenize.tok_name[t.type] for t in tokens]
    words = [t.string for t in tokens]
    if not inside and words[:1] == ["from"] and words[-2:] == ["import", "("] and set(shape[1:-2]) <= {"NAME", "."}:
        return True  # ``from a.long.module import (``: nothing in it to split
    if not inside and words[-1:] == ["("] and words[:-2] in (["def"], ["async", "def"], ["class"]):
        return True  # ``def a_long_name(``: black cannot split the name from its bracket
    # One item of an exploded bracket: names, strings, and the dots, commas, ``=`` of
    # keyword arguments and ``:`` of dict entries, none of which black splits at.
    return inside and all(
        (t.type == tokenize.NAME and t.string not in _SPLITTING_NAMES)
        or t.type == tokenize.STRING
        or (t.type == tokenize.OP and t.string in ",.=:")
        for t in tokens
    )
