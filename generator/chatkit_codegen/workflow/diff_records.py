"""The records a ``diff`` produces: changes, their levels, and the report of a run.

Kept apart from the comparison (``diff.py``) and the printing (``diff_report.py``),
which both use them, so that neither imports the other's module back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..ir.model import API

ChangeLevel = Literal["breaking", "additive", "patch"]
Bump = Literal["major", "minor", "patch", "none"]
LEVELS: tuple[ChangeLevel, ...] = ("breaking", "additive", "patch")
SUBJECTS = ("api", "operation", "model", "alias")


@dataclass(frozen=True)
class Msg:
    """Message text whose ``{}`` slots hold spec names (code in Markdown)."""

    template: str
    args: tuple[str, ...] = ()

    def text(self) -> str:
        return self.template.format(*(f"`{_oneline(a)}`" for a in self.args))

    def markdown(self) -> str:
        """For a Markdown table cell: text escaped, names as code spans with pipes escaped."""
        from ..render.markdown import md_code, md_text

        def text(piece: str) -> str:  # md_text trims; the spaces around slots matter
            lead = " " if piece[:1].isspace() else ""
            trail = " " if piece[-1:].isspace() and piece.strip() else ""
            return lead + md_text(piece) + trail

        pieces = self.template.split("{}")
        out = [text(pieces[0])]
        for arg, piece in zip(self.args, pieces[1:], strict=True):
            out.append(md_code(arg).replace("|", "\\|"))
            out.append(text(piece))
        return "".join(out)


def _oneline(text: str) -> str:
    return " ".join(text.split()) if text.isprintable() else repr(text)


@dataclass(frozen=True)
class Change:
    level: ChangeLevel
    kind: str  # stable machine-readable code, e.g. "field-removed"
    subject_kind: str  # api | operation | model | alias
    subject: str  # sdk method path or the declaration's display name
    message: Msg

    def sort_key(self) -> tuple[int, int, str, str, str]:
        return (
            LEVELS.index(self.level),
            SUBJECTS.index(self.subject_kind),
            self.subject,
            self.message.text(),
            self.kind,
        )


@dataclass(frozen=True)
class Side:
    display: str
    api: API


@dataclass(frozen=True)
class Report:
    old: Side
    new: Side
    changes: tuple[Change, ...]
    bump: Bump
    old_version: str
    new_version: str
    suggested_version: str | None
    version_ok: bool | None  # does NEW's info.version reach the suggestion?

    def count(self, level: ChangeLevel) -> int:
        return sum(1 for c in self.changes if c.level == level)
