"""JSON pointers and the size limits of loading: the bottom of ``load/``, importing nothing of it."""

from __future__ import annotations

MAX_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 128
MAX_NODES = 2_000_000


class LoadError(Exception):
    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.col = col
        self.message = message


def split_pointer(pointer: str) -> list[str]:
    if pointer in ("", "#", "/", "#/"):
        return []
    pointer = pointer[1:] if pointer.startswith("#") else pointer
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def join_pointer(base: str, *parts: str | int) -> str:
    out = base
    for part in parts:
        out += "/" + str(part).replace("~", "~0").replace("/", "~1")
    return out
