"""The user cache: validation results and formatted files, remembered by content hash.

Everything kept here is keyed by a hash of all it depends on, so deleting the folder
(``$XDG_CACHE_HOME/chatkit-codegen``, else ``~/.cache/chatkit-codegen``) changes
nothing but speed, and a folder that cannot be written is simply not used. Entries
are written to a temporary name and renamed, so concurrent runs never read half a
file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "chatkit-codegen"


def read_bytes_entry(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def read_entry(path: Path) -> str | None:
    data = read_bytes_entry(path)
    try:
        return None if data is None else data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def write_entry(path: Path, text: str | bytes) -> None:
    """Write atomically; any OS error (read-only home, full disk) is ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(text if isinstance(text, bytes) else text.encode("utf-8"))
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass


def black_identity() -> str | None:
    """Which black would run, without importing it (that alone costs ~50 ms).

    The path and size and modification time of its compiled or source module change
    whenever black is upgraded or reinstalled. None when black is not installed.
    """
    from importlib.util import find_spec

    try:
        spec = find_spec("black")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    try:
        st = os.stat(spec.origin)
    except OSError:
        return None
    return hashlib.sha256(f"{spec.origin}\0{st.st_size}\0{st.st_mtime_ns}".encode()).hexdigest()[:16]


class FormatCache:
    """Formatter output by input text, for one formatter build and configuration."""

    def __init__(self, formatter_key: str) -> None:
        self.folder = cache_dir() / f"format-{formatter_key}"

    def _path(self, text: str) -> Path:
        return self.folder / hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get(self, text: str) -> str | None:
        return read_entry(self._path(text))

    def put(self, text: str, formatted: str) -> None:
        write_entry(self._path(text), formatted)
