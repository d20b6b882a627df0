"""The refresh lock: crawl, refresh and index writes never overlap, even when cron starts them twice.

An `fcntl.flock` on `<archive_dir>/refresh.lock`. The kernel drops it when the
holder dies, so a killed run never leaves a stale lock behind. Within one process
the lock is re-entrant: `refresh` holds it and the index update
(`indexer.writing.pipeline.update_index`), which takes it too, runs inside. It
lives in the foundation because the crawler and the indexer both take it and
neither may import the other.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from tinphuong.cli import LockBusy

LOCK_FILE = "refresh.lock"

_held: dict[Path, int] = {}          # lock path -> nesting depth in this process
_files: dict[Path, int] = {}         # lock path -> the descriptor holding it
_guard = threading.Lock()


def _not_held_in_forked_child() -> None:
    """A forked child (an extraction or writing process) is not the holder, and must not keep the lock
    alive if its parent dies: an flock belongs to the open file, which a fork shares. Closing the child's
    descriptor leaves the parent's lock as it is."""
    global _guard
    for fd in _files.values():
        with suppress(OSError):
            os.close(fd)
    _files.clear()
    _held.clear()
    _guard = threading.Lock()


os.register_at_fork(after_in_child=_not_held_in_forked_child)


@contextmanager
def refresh_lock(archive_dir: Path) -> Iterator[None]:
    """Hold the refresh lock of `archive_dir`; raise LockBusy at once if another process holds it."""
    archive_dir = Path(archive_dir)
    archive_dir.mkdir(parents=True, exist_ok=True)
    path = (archive_dir / LOCK_FILE).resolve()
    with _guard:
        if path in _held:
            _held[path] += 1
        else:
            _files[path] = _acquire(path)
            _held[path] = 1
    try:
        yield
    finally:
        with _guard:
            _held[path] -= 1
            if _held[path] == 0:
                del _held[path]
                os.close(_files.pop(path))


def _acquire(path: Path) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _read_holder(fd)
        os.close(fd)
        raise LockBusy(f"another refresh holds {path}{holder}; try again later") from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


def _read_holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode("ascii", errors="replace").strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


def lock_holder(archive_dir: Path) -> str | None:
    """Who holds the refresh lock now ("pid 1234"), or None: for commands that only read, like verify.

    Read from /proc/locks, without taking the lock even for an instant: a probe that
    took it could make a refresh starting at that very moment exit 75 and skip a night.
    The holder may be a backup run under `flock(1)` on the same file, so its pid comes
    from /proc/locks, not from the file (which names the last refresh).
    """
    path = Path(archive_dir) / LOCK_FILE
    try:
        status = os.stat(path)
    except OSError:
        return None
    pid = _flock_holder(status)
    if pid is None:
        return None
    return f"pid {pid}" if pid > 0 else "a process of another namespace"


def _flock_holder(status: os.stat_result) -> int | None:
    """The pid /proc/locks gives for a flock on the file with `status` (0: not visible here), else None."""
    device = f"{os.major(status.st_dev):02x}:{os.minor(status.st_dev):02x}:{status.st_ino}"
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as locks:
            for fields in (line.split() for line in locks):
                if len(fields) > 5 and fields[1] == "FLOCK" and fields[5] == device:
                    return int(fields[4]) if fields[4].isdigit() else 0
    except OSError:
        pass
    return None
