"""One night's `python -m crawler refresh`, as cron runs it, and the kill -9 that may cut it short.

The refresh is a real subprocess reading the real configuration file, on the sites' calendar
(`TINPHUONG_NOW`). A kill waits on a condition, never on a guess: during the crawl, until the
sites have answered a given number of its requests; during the index update, from the moment
the crawl's summary is printed (the index update follows it in the same process), a random
time within what the update took on an earlier night. A kill that comes too late (the refresh
had already finished) is reported as missed, so the caller can try again another night.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tests.soak.webui import ROOT

TIMEOUT = 600.0
CRAWL_DONE = "total:"          # the crawl's last summary line; the index update starts after it
INDEX_DONE = "index:"
REFRESH_NICE = 10               # deploy/tinphuong-refresh.service (Nice=10) and deploy/tinphuong.cron


@dataclass(frozen=True)
class Kill:
    """kill -9 during the "crawl" (after `requests` answered) or the "index" update (`seconds` into it)."""

    phase: str
    requests: int = 0
    seconds: float = 0.0


@dataclass
class Night:
    """What one refresh did, as its process and the sites saw it."""

    exit_code: int | None                # None: killed (the process got SIGKILL)
    seconds: float
    requests: int
    stdout: str
    stderr: str
    kill: Kill | None = None
    killed_in: str | None = None         # "crawl" or "index" when the kill landed
    index_seconds: float | None = None   # from the crawl summary to the end (completed refreshes)
    site_lines: dict[str, str] = field(default_factory=dict)

    @property
    def completed(self) -> bool:
        lines = self.stdout.splitlines()
        return self.killed_in is None and any(line.startswith(INDEX_DONE) for line in lines)


def _as_deployed() -> None:
    """The refresh's CPU priority as deploy/ runs it (systemd `Nice=`, the cron line's `nice -n`): the
    web UI's searches come first."""
    os.nice(REFRESH_NICE)


def refresh(config: Path, now: datetime, requests: Callable[[], int], kill: Kill | None = None,
            sites: tuple[str, ...] = ()) -> Night:
    """Run one refresh at `now` on the sites' calendar; kill it as `kill` says."""
    env = dict(os.environ, TINPHUONG_NOW=now.strftime("%Y-%m-%dT%H:%M:%SZ"), PYTHONUNBUFFERED="1")
    before, started = requests(), time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "crawler", "refresh", "--config", str(config)],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               encoding="utf-8", start_new_session=True, preexec_fn=_as_deployed)
    out = _Reader(process.stdout)
    err = _Reader(process.stderr)
    killed_in = _kill(process, kill, out, lambda: requests() - before) if kill else None
    try:
        process.wait(TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise RuntimeError(f"the refresh did not end within {TIMEOUT:.0f} s") from None
    ended = time.monotonic()
    out.join()
    err.join()
    night = Night(exit_code=None if killed_in else process.returncode, seconds=ended - started,
                  requests=requests() - before, stdout=out.text(), stderr=err.text(), kill=kill,
                  killed_in=killed_in)
    if out.crawl_done_at is not None and killed_in is None:
        night.index_seconds = ended - out.crawl_done_at
    night.site_lines = {line.split(":", 1)[0]: line for line in night.stdout.splitlines()
                        if line.split(":", 1)[0] in sites}
    return night


def _kill(process: subprocess.Popen, kill: Kill, out: _Reader, answered: Callable[[], int]) -> str | None:
    """Send SIGKILL when `kill` says; the phase it landed in, or None when the refresh ended first."""
    if kill.phase == "crawl":
        deadline = time.monotonic() + TIMEOUT
        while process.poll() is None and answered() < kill.requests and not out.crawl_done.is_set():
            if time.monotonic() > deadline:
                break
            out.crawl_done.wait(0.005)
    elif not out.crawl_done.wait(TIMEOUT):
        return None
    else:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(kill.seconds)
    if process.poll() is not None:
        return None
    phase = "index" if out.crawl_done.is_set() else "crawl"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return phase if process.returncode == -signal.SIGKILL else None


class _Reader:
    """Reads a pipe line by line in a thread; notes when the crawl's summary line went by."""

    def __init__(self, pipe) -> None:
        self.lines: list[str] = []
        self.crawl_done = threading.Event()
        self.crawl_done_at: float | None = None
        self._thread = threading.Thread(target=self._read, args=(pipe,), daemon=True)
        self._thread.start()

    def _read(self, pipe) -> None:
        for line in pipe:
            self.lines.append(line)
            if line.startswith(CRAWL_DONE) and not self.crawl_done.is_set():
                self.crawl_done_at = time.monotonic()
                self.crawl_done.set()
        pipe.close()

    def join(self) -> None:
        self._thread.join(timeout=30)

    def text(self) -> str:
        return "".join(self.lines)
