"""A data disk that can fill up: the archive and the index on a tmpfs whose size can be cut.

The soak keeps its data directory (archive and index, one disk as on a real server) on a
tmpfs mounted for it. To fill the disk during a refresh, the tmpfs is remounted with its size
cut to what it holds plus a margin smaller than a night's writes, so the refresh meets ENOSPC
wherever it happens to be (a WARC record, the crawl state, an index segment); afterwards it
is given its size back, as an administrator freeing space would. Mounting needs root: without
it, `SmallDisk.unavailable()` says why and the data stays on the ordinary disk.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

SIZE = 2 << 30          # bytes; only what is used costs memory


class SmallDisk:
    """A tmpfs at `path` (created); a context manager that unmounts it."""

    def __init__(self, path: Path, size: int = SIZE) -> None:
        self.path = path
        self.size = size
        self.mounted = False

    @staticmethod
    def unavailable() -> str | None:
        """Why a tmpfs cannot be mounted here (None when it can)."""
        if os.geteuid() != 0:
            return "not running as root: mounting a small tmpfs needs privileges"
        if shutil.which("mount") is None or shutil.which("umount") is None:
            return "mount(8) is not installed"
        return None

    def __enter__(self) -> SmallDisk:
        self.path.mkdir(parents=True, exist_ok=True)
        self._mount("size", str(self.size))
        self.mounted = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self.mounted:
            subprocess.run(["umount", "--lazy", str(self.path)], check=True, capture_output=True)
            self.mounted = False

    def used(self) -> int:
        stat = os.statvfs(self.path)
        return (stat.f_blocks - stat.f_bfree) * stat.f_frsize

    def fill(self, leave: int) -> None:
        """Cut the size to what is used plus `leave` bytes."""
        self._remount(self.used() + leave)

    def restore(self) -> None:
        self._remount(self.size)

    def _remount(self, size: int) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        self._mount("remount,size", str(-(-size // page) * page))

    def _mount(self, option: str, size: str) -> None:
        arguments = ["mount", "-t", "tmpfs", "-o", f"{option}={size}", "tmpfs", str(self.path)]
        completed = subprocess.run(arguments, capture_output=True, text=True)
        if completed.returncode != 0:
            raise OSError(f"mount -o {option}={size} {self.path}: {completed.stderr.strip()}")
