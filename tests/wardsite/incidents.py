"""What goes wrong on a site, apart from its content: 503 days, a hanging page, throttling.

(A site that is down is simply not listening: `WardSite` stops its server.) Everything here
ends with the day, except throttling, which lasts for the number of requests it was given.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from tests.sites import Response
from tests.wardsite.responses import request_key, status_page

HANG_LIMIT = 300.0      # seconds a hanging page holds a request at most (the next day frees it sooner)

Key = tuple[str, tuple[tuple[str, str], ...]]


@dataclass
class Ticket:
    """The next `remaining` requests (of `path`, or any) get `status` with a Retry-After."""

    status: int
    retry_after: int
    http_date: bool
    path: Key | None
    remaining: int


@dataclass
class Incidents:
    unavailable: int | None = None              # 503 to everything, with this Retry-After
    hanging: Key | None = None                  # this page never answers
    tickets: list[Ticket] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _release: threading.Event = field(default_factory=threading.Event, repr=False)

    def new_day(self) -> None:
        """Yesterday's 503s and hanging page are over (requests still hanging are let go)."""
        with self._lock:
            self._release.set()
            self._release = threading.Event()
            self.unavailable, self.hanging = None, None

    def end(self) -> None:
        self._release.set()

    def hang(self, path: str) -> None:
        self.hanging = request_key(path)

    def throttle(self, count: int, retry_after: int, http_date: bool, status: int, path: str | None) -> None:
        with self._lock:
            self.tickets.append(Ticket(status, retry_after, http_date, path and request_key(path), count))

    def answer(self, raw_path: str) -> Response | None:
        """The incident's answer to a request, or None when the site answers normally. A request
        for the hanging page waits here until the day ends (or the site stops)."""
        key = request_key(raw_path)
        with self._lock:
            if self.unavailable is not None:
                return status_page(503, self.unavailable)
            for ticket in self.tickets:
                if ticket.remaining > 0 and ticket.path in (None, key):
                    ticket.remaining -= 1
                    if not ticket.http_date:
                        return status_page(ticket.status, ticket.retry_after)
                    moment = datetime.now(UTC) + timedelta(seconds=ticket.retry_after)
                    return status_page(ticket.status, format_datetime(moment, usegmt=True))
            release = self._release if key == self.hanging else None
        if release is None:
            return None
        release.wait(HANG_LIMIT)
        return status_page(503)
