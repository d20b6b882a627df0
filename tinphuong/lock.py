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
from contextlib import contextmanager
from pathlib import Path

from tinphuong.cli import LockBusy

LOCK_FILE = "refresh.lock"

_held: dict[Path, int] = {}          # lock path -> nesting depth in this process
_guard = threading.Lock()


@contextmanager
def refresh_lock(archive_dir: Path) -> Iterator[None]:
    """Hold the refresh lock of `archive_dir`; raise LockBusy at once if another process holds it."""
    archive_dir = Path(archive_dir)
    archive_dir.mkdir(parents=True, exist_ok=True)
    path = (archive_dir / LOCK_FILE).resolve()
    with _guard:
        if path in _held:
            _held[path] += 1
            fd = None
        else:
            fd = _acquire(path)
            _held[path] = 1
    try:
        yield
    finally:
        with _guard:
            _held[path] -= 1
            if _held[path] == 0:
                del _held[path]
                if fd is not None:
                    os.close(fd)


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
