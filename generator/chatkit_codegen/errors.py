"""Problems are values: a level, a location and a message, reported all at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

# The file of problems found after loading (by renderers, which see only the IR);
# the pipeline replaces it with the document's name, line and column.
SPEC_FILE = "<spec>"


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"  # what generate renamed or approximated (an IR note)


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about a document, printable as ``file:line:col: level: /ptr: msg``."""

    file: str
    line: int
    col: int
    level: Level = field(compare=False)
    pointer: str
    message: str

    def format(self) -> str:
        """One line, whatever the document's keys and strings contain."""
        pointer = self.pointer or "/"
        return _one_line(
            f"{self.file}:{self.line}:{self.col}: {self.level.value}: "
            f"{pointer}: {self.message}"
        )


def _one_line(text: str) -> str:
    """Control and line-breaking characters escaped: a hostile name cannot start a
    line of its own in the output (and so cannot fake a problem or a CI annotation)."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


class CodegenError(Exception):
    """Raised when the input cannot be turned into output; carries the problems."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(p.format() for p in self.problems))

    def __reduce__(self) -> tuple[type[CodegenError], tuple[list[Problem]]]:
        return (CodegenError, (self.problems,))  # pickled with its problems (parallel.py)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.level is Level.ERROR for p in problems)
