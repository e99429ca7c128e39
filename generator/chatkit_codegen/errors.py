"""Problems are values: a level, a location and a message, reported all at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"


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
        pointer = self.pointer or "/"
        return (
            f"{self.file}:{self.line}:{self.col}: {self.level.value}: "
            f"{pointer}: {self.message}"
        )


class CodegenError(Exception):
    """Raised when the input cannot be turned into output; carries the problems."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(p.format() for p in self.problems))


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.level is Level.ERROR for p in problems)
