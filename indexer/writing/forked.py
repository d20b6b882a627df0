"""A function run in a forked process, its result sent back pickled: a rebuild's last steps on every core.

When a rebuild's extraction processes are done, what is left (checking candidate copies, writing the
last batch of pages) would run in one process while the other cores wait. A forked child shares the
parent's memory (the pages, their fingerprints) instead of receiving it pickled, so splitting such work
costs a fork and the pickled result only. Only for a process that runs no other thread (`can_fork`): a
fork of a threaded process can deadlock. Interrupts are held back across the fork and end the child
without running any of the parent's code; the parent kills and reaps its children when it fails.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

_INTERRUPTS = {signal.SIGINT, signal.SIGTERM}


def can_fork() -> bool:
    """Whether this process may fork workers: it runs no other thread."""
    return threading.active_count() == 1


class Forked:
    """`function(*args)` running in a forked process."""

    def __init__(self, pid: int, pipe: int, what: str) -> None:
        self.pid = pid
        self.what = what
        self._pipe: int | None = pipe
        self._status: int | None = None         # once waited for
        self._sent = b""

    @classmethod
    def start(cls, what: str, function: Callable[..., Any], *args: Any) -> Forked:
        """Fork; the child runs `function(*args)` and sends back its result (`what` names it in errors).

        Interrupts are held back across the fork, so that none can raise in the child before it takes
        the default handlers: an exception there would run this process's code (its cleanup) in it."""
        read_end, write_end = os.pipe()
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS)
        try:
            pid = os.fork()
        except BaseException:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            os.close(read_end)
            os.close(write_end)
            raise
        if pid == 0:                                  # the child: never returns
            try:
                for number in _INTERRUPTS:
                    signal.signal(number, signal.SIG_DFL)     # an interrupt ends it, raises nothing
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
                os.close(read_end)
                _run(what, function, args, write_end)
            finally:
                os._exit(1)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        os.close(write_end)
        return cls(pid, read_end, what)

    def wait(self) -> Any:
        """The function's result, once the process is done; raises when it failed."""
        if self._status is None:
            if self._pipe is not None:
                try:
                    with os.fdopen(self._pipe, "rb") as pipe:
                        self._sent = pipe.read()
                finally:
                    self._pipe = None                 # closed, even when interrupted
            self._status = os.waitpid(self.pid, 0)[1]
        if self._status or not self._sent:
            raise RuntimeError(f"a {self.what} process failed (wait status {self._status})")
        return pickle.loads(self._sent)  # noqa: S301 - from our own child process

    def kill(self) -> None:
        """End the process (if it still runs) and reap it."""
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        if self._status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self._status = os.waitpid(self.pid, 0)[1]


def run_split(what: str, function: Callable[[list[Any]], list[Any]], items: list[Any],
              parts: int) -> list[Any]:
    """`function(items)`, with `items` split into `parts` runs: all but the first run in forked processes,
    the first in this one meanwhile; the results concatenated in order. Children are killed on failure."""
    runs = split(items, parts)
    children: list[Forked] = []
    try:
        for run in runs[1:]:
            children.append(Forked.start(what, function, run))
        found = list(function(runs[0]))
        for child in children:
            found.extend(child.wait())
    except BaseException:
        for child in children:
            child.kill()
        raise
    return found


def split(items: list[Any], parts: int) -> list[list[Any]]:
    """`items` in `parts` runs of nearly equal length, in order."""
    size, extra = divmod(len(items), parts)
    bounds = [i * size + min(i, extra) for i in range(parts + 1)]
    return [items[bounds[i]:bounds[i + 1]] for i in range(parts)]


def _run(what: str, function: Callable[..., Any], args: tuple, pipe: int) -> None:
    """In a forked child: run the function, send its result through `pipe`, exit."""
    code = 1
    try:
        gc.disable()                                  # short-lived, few cycles: as Whoosh's sub-writers
        result = function(*args)
        with os.fdopen(pipe, "wb") as out:
            out.write(pickle.dumps(result))
        code = 0
    except BaseException:  # noqa: BLE001 - reported by the parent, which fails
        log.exception("a forked %s process failed", what)
    finally:
        os._exit(code)
