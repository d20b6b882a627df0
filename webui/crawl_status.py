"""Read-only view of the crawl state for `/status` and `/healthz`.

The state database may not exist yet (no refresh has run) or may be busy; the UI then shows
"no refresh yet" rather than failing.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from tinphuong.crawl_state import CrawlError, CrawlStateReader, SiteRun

log = logging.getLogger("tinphuong.webui")


@dataclass(frozen=True)
class CrawlStatus:
    last_refresh: str | None = None
    recent_errors: list[CrawlError] = field(default_factory=list)
    site_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    site_runs: dict[str, SiteRun] = field(default_factory=dict)
    available: bool = False


def read_crawl_status(archive_dir: Path, error_limit: int = 20) -> CrawlStatus:
    """Last refresh, recent errors, per-site counts and latest runs, or an empty status when unreadable."""
    try:
        state = CrawlStateReader.open_readonly(archive_dir)
    except (OSError, sqlite3.Error) as error:
        log.debug("crawl state unavailable in %s: %s", archive_dir, error)
        return CrawlStatus()
    try:
        return CrawlStatus(last_refresh=state.last_refresh(),
                           recent_errors=list(state.recent_errors(error_limit)),
                           site_counts=dict(state.site_counts()), site_runs=state.site_runs(), available=True)
    except sqlite3.Error as error:
        log.warning("cannot read crawl state in %s: %s", archive_dir, error)
        return CrawlStatus()
    finally:
        state.close()


def last_refresh(archive_dir: Path) -> str | None:
    """When the last refresh finished (ISO 8601), None if never."""
    return read_crawl_status(archive_dir, error_limit=0).last_refresh
