"""The revisit policy's clock: the real time, or a simulated night set by `TINPHUONG_NOW`.

What a refresh revalidates depends on its clock (`CrawlRun.clock`): which night it is
(the rotation's share), how long ago a page was fetched, whether a sitemap `<lastmod>`
is newer than our last fetch. Tests that run the crawl in process pass a clock; tests
that run the real command in a subprocess (the month-long soak on generated sites with
their own calendar) set `TINPHUONG_NOW` to an ISO 8601 moment, and the run's clock
starts there and advances with real time.

Safe in production: unset (or empty), nothing changes. Set, it moves only the policy's
idea of now (what is due; `first_seen`, `last_fetched` and `next_visit` in the crawl
state): WARC dates, capture times, file names and the runs' times stay the real time, so
nothing archived is misdated; every run that uses it says so in a warning.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

from tinphuong.config import ConfigError

log = logging.getLogger(__name__)

NOW_VARIABLE = "TINPHUONG_NOW"

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def run_clock(environ: Mapping[str, str] = os.environ) -> Clock:
    """The clock of a crawl run: `$TINPHUONG_NOW` advancing with real time, else the real time.

    A moment without a time zone is UTC. An unreadable value is a ConfigError (exit 2).
    """
    value = environ.get(NOW_VARIABLE, "").strip()
    if not value:
        return utc_now
    try:
        start = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"${NOW_VARIABLE}: not an ISO 8601 moment: {value!r}") from None
    start = start.replace(tzinfo=UTC) if start.tzinfo is None else start.astimezone(UTC)
    log.warning("$%s is set: the revisit policy runs as if it were %s (archive dates stay real)",
                NOW_VARIABLE, start.strftime("%Y-%m-%dT%H:%M:%SZ"))
    began = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - began)
