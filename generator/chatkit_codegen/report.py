"""How problems are printed: errors one per line, warnings (and generate's notes)
grouped by kind, a summary.

A kind of warning or note seen more than once prints as one line: its first occurrence in the
usual ``file:line:col: warning: /pointer: message`` form (so tools still parse it),
followed by the count and the next locations. ``verbose`` prints every warning on its
own line. Documentation-quality warnings ("has no description") are left out unless
``doc_warnings`` asks for them; the summary says how many were left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import Level, Problem
from .load.severity import is_doc_warning, policy_kind

SHOWN_LOCATIONS = 3  # locations named on a grouped line, the first included

_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\b\d+\b")


@dataclass(frozen=True)
class ReportOptions:
    verbose: bool = False
    doc_warnings: bool = False


def kind_of(problem: Problem) -> str:
    """What warnings are grouped by: the policy kind, or the message with its quoted
    names and numbers masked (``property name '…' needs sanitising; it becomes '…'``)."""
    return policy_kind(problem) or _QUOTED.sub("…", problem.message.split(": at ", 1)[0])


def shown(problems: Iterable[Problem], options: ReportOptions) -> list[Problem]:
    return [p for p in problems if options.doc_warnings or not is_doc_warning(p)]


def problem_lines(problems: Iterable[Problem], options: ReportOptions = ReportOptions()) -> list[str]:
    """The lines to print for ``problems`` (in their order), grouped unless verbose."""
    visible = shown(problems, options)
    if options.verbose:
        return [p.format() for p in visible]
    groups: dict[tuple[str, Level, str], list[Problem]] = {}
    for p in visible:
        if p.level is not Level.ERROR:
            groups.setdefault((p.file, p.level, kind_of(p)), []).append(p)
    lines = []
    for p in visible:
        if p.level is Level.ERROR:
            lines.append(p.format())
            continue
        group = groups[(p.file, p.level, kind_of(p))]
        if group[0] is p:
            lines.append(_grouped(group))
    return lines


def _grouped(group: list[Problem]) -> str:
    first = group[0].format()
    if len(group) == 1:
        return first
    more = group[1:SHOWN_LOCATIONS]
    where = ", ".join(f"{p.line}:{p.col} {p.pointer or '/'}" for p in more)
    rest = len(group) - 1 - len(more)
    tail = f", and {rest} more; --verbose lists them" if rest else ""
    return f"{first} [{len(group)} {group[0].level.value}s of this kind; also at {where}{tail}]"


def summary(name: str, problems: Iterable[Problem], options: ReportOptions = ReportOptions()) -> str:
    """``NAME: valid: 0 errors, 2 warnings`` (``invalid`` when there are errors)."""
    problems = list(problems)
    errors = sum(p.level is Level.ERROR for p in problems)
    visible = shown(problems, options)
    warnings = sum(p.level is Level.WARNING for p in visible)
    hidden = len(problems) - len(visible)
    text = f"{name}: {'invalid' if errors else 'valid'}: {_count(errors, 'error')}, {_count(warnings, 'warning')}"
    if hidden:
        text += f" ({_count(hidden, 'documentation warning')} not shown: --doc-warnings)"
    return text


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
