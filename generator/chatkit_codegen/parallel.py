"""Two independent steps of a run side by side: one in a forked child process.

A cold run of a large document spends most of its time in steps that need each
other's input only at the end: validation and the IR build both read the parsed
document; the docs and the Python modules both read the IR. ``in_child(fn)`` forks,
runs ``fn`` in the child and hands back a waiter for its result, while the parent
goes on with the other step. The child inherits everything the parent has loaded
(copy-on-write), so nothing is parsed or imported twice; its result comes back
pickled through a pipe.

Only where fork is safe and worth it: POSIX, more than one CPU, a step big enough
to cover the fork. ``CHATKIT_CODEGEN_JOBS=1`` turns it off. When the child cannot
start or dies without an answer, the waiter runs ``fn`` in the parent instead: the
result never depends on whether a child ran.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def workers() -> int:
    """How many processes a run may use: ``CHATKIT_CODEGEN_JOBS``, else the CPUs."""
    value = os.environ.get("CHATKIT_CODEGEN_JOBS", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class Pending(Generic[T]):
    """The result of ``fn``: from the child when it ran there, else computed here."""

    def __init__(self, fn: Callable[[], T], *, fork: bool = True) -> None:
        self._fn = fn
        self._outcome: tuple[T | None, Exception | None] | None = None
        self._pid = 0
        self._fd = -1
        if not fork or workers() < 2 or not hasattr(os, "fork"):
            return
        try:
            read_fd, write_fd = os.pipe()
        except OSError:  # pragma: no cover - out of descriptors
            return
        try:
            pid = os.fork()
        except OSError:  # pragma: no cover - out of processes
            os.close(read_fd)
            os.close(write_fd)
            return
        if pid == 0:  # the child: compute, answer, leave without running the parent's exit code
            os.close(read_fd)
            _answer(write_fd, fn)
        os.close(write_fd)
        self._pid, self._fd = pid, read_fd

    @property
    def forked(self) -> bool:
        """Whether a child runs the step (so the parent is free meanwhile)."""
        return self._pid != 0

    def ready(self) -> bool:
        """Whether a child's answer is waiting (``result()`` would not block); False when
        no child runs the step."""
        if not self._pid:
            return False
        import select

        return bool(select.select([self._fd], [], [], 0)[0])

    def cancel(self) -> None:
        """Stop the child, if one runs: its result is not wanted."""
        if self._pid:
            import signal

            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            os.close(self._fd)
            self._pid = 0

    def result(self) -> T:
        """The step's value (or its exception, raised), computed once."""
        if self._outcome is None:
            try:
                self._outcome = (self._compute(), None)
            except Exception as exc:
                self._outcome = (None, exc)
        value, error = self._outcome
        if error is not None:
            raise error
        return value  # type: ignore[return-value]

    def _compute(self) -> T:
        if not self._pid:
            return self._fn()
        import pickle

        chunks = []
        with os.fdopen(self._fd, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        os.waitpid(self._pid, 0)
        self._pid = 0
        try:
            ok, value = pickle.loads(b"".join(chunks))
        except Exception:  # the child died (killed, out of memory): do the step here
            return self._fn()
        if ok:
            return value  # type: ignore[no-any-return]
        raise value


def _answer(fd: int, fn: Callable[[], object]) -> None:  # pragma: no cover - runs in the child
    import pickle

    try:
        try:
            payload = pickle.dumps((True, fn()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # every failure goes back to the parent
            try:
                payload = pickle.dumps((False, exc), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:
                payload = b""  # not picklable: the parent does the step itself and sees it
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)


def in_child(fn: Callable[[], T], *, worth_it: bool = True) -> Pending[T]:
    """Start ``fn`` in a child process when ``worth_it`` (else it runs on ``result()``)."""
    return Pending(fn, fork=worth_it)
