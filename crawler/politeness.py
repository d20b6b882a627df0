"""Politeness: one request at a time per host, a pause between requests, back-off after trouble.

Every request the crawler makes passes through `Politeness.turn(host)`, from
whichever thread crawls the host's site: each host has its own lock and its own
next allowed time. Times come from the monotonic clock, so a clock change during
a nightly run changes nothing.

Trouble is a 429, a 5xx or no answer at all. Each one pushes the host's next
turn back (`Retry-After` when the server gave one, else doubling), capped at
MAX_BACKOFF_SECONDS. A host that asks for a longer pause, or fails
GIVE_UP_AFTER times in a row, is left alone for the rest of the run
(`given_up`): the crawl reports it and tries again the next night.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

MAX_BACKOFF_SECONDS = 120.0
GIVE_UP_AFTER = 10                 # failed attempts in a row (a few URLs, each with its retries)
MAX_CRAWL_DELAY_SECONDS = 60.0     # a robots.txt Crawl-delay above this is capped (logged by robots)


class Politeness:
    """Per-host turn-taking: the pause runs from the end of one response to the next request."""

    def __init__(self, delay_seconds: float, backoff_base: float = 1.0,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.default_delay = delay_seconds
        self.backoff_base = backoff_base
        self._clock = clock
        self._sleep = sleep
        self._delays: dict[str, float] = {}
        self._next: defaultdict[str, float] = defaultdict(float)
        self._failures: defaultdict[str, int] = defaultdict(int)
        self._locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
        self._guard = threading.Lock()
        self._given_up: dict[str, str] = {}

    def set_delay(self, host: str, seconds: float) -> None:
        """Use the larger of the configured delay and `seconds` (robots.txt Crawl-delay) for `host`."""
        self._delays[host] = max(self.default_delay, min(seconds, MAX_CRAWL_DELAY_SECONDS))

    def delay(self, host: str) -> float:
        return self._delays.get(host, self.default_delay)

    @contextmanager
    def turn(self, host: str) -> Iterator[None]:
        """Wait for `host`'s turn, hold it for one request, and start its pause when done."""
        with self._guard:
            lock = self._locks[host]
        with lock:
            wait = self._next[host] - self._clock()
            if wait > 0:
                self._sleep(wait)
            try:
                yield
            finally:
                self._next[host] = max(self._next[host], self._clock() + self.delay(host))

    def succeeded(self, host: str) -> None:
        """A normal answer: forget earlier failures."""
        self._failures[host] = 0

    def failed(self, host: str, retry_after: float | None = None) -> float:
        """No answer, a 429 or a 5xx: push the host's next turn back; return the pause chosen.

        `Retry-After` wins when the server gave one; otherwise the pause doubles with
        each failure in a row. Both are capped so an unattended run always ends; a host
        that asks for more than the cap, or keeps failing, is given up for the run.
        """
        self._failures[host] += 1
        if retry_after is not None and retry_after > MAX_BACKOFF_SECONDS:
            self._give_up(host, f"asked to wait {retry_after:.0f}s (Retry-After), more than "
                                f"{MAX_BACKOFF_SECONDS:.0f}s")
        elif self._failures[host] >= GIVE_UP_AFTER:
            self._give_up(host, f"{self._failures[host]} failed requests in a row (429, 5xx or no answer)")
        if retry_after is None:
            retry_after = self.backoff_base * 2 ** (self._failures[host] - 1)
        pause = max(0.0, min(retry_after, MAX_BACKOFF_SECONDS))
        self._next[host] = max(self._next[host], self._clock() + pause)
        return pause

    def given_up(self, host: str) -> str | None:
        """Why `host` is left alone for the rest of the run (None while it is not)."""
        return self._given_up.get(host)

    def _give_up(self, host: str, reason: str) -> None:
        self._given_up.setdefault(host, reason)
