"""Which archived response answers a URL at a moment: read through the crawl state and the WARC reader.

The crawl state's `captures` table says where each fetch of a URL lies; the
capture chosen is the latest at or before the moment asked (the page's own
capture time), else the earliest after it (a page's requisites are fetched just
after the page). A revisit record holds no payload: it names the record that
does (`WARC-Refers-To-Target-URI` and `-Date`), which may be under another URL
(the same logo at two addresses is archived once). A redirect is followed to
where it pointed, at the same moment, a few hops at most.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from tinphuong.crawl_state import CrawlStateReader, StoredCapture
from tinphuong.urls import canonicalize
from tinphuong.warc import ArchivedResponse, iso_seconds, read_response

log = logging.getLogger("tinphuong.webui")

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def archived_at(archive_dir: Path, url: str, at: str) -> tuple[str, ArchivedResponse] | None:
    """(final URL, the full response holding its bytes) for `url` (canonical) at `at` (ISO), or None."""
    try:
        with CrawlStateReader.open_readonly(archive_dir) as state:
            return _follow(archive_dir, state, url, at)
    except (OSError, ValueError, sqlite3.Error) as error:
        log.warning("cannot replay %s at %s: %s", url, at, error)
        return None


def _follow(archive_dir: Path, state: CrawlStateReader, url: str,
            at: str) -> tuple[str, ArchivedResponse] | None:
    seen = set()
    for _hop in range(MAX_REDIRECTS + 1):
        seen.add(url)
        capture = state.capture_near(url, at)
        if capture is None:
            return None
        record = _read(archive_dir, capture)
        if record.kind == "revisit":
            original = _original(archive_dir, state, record)
            return (url, original) if original is not None else None
        if record.status not in REDIRECT_STATUSES:
            return url, record
        target = canonicalize(record.header("Location") or "", base=url)
        if target is None or target in seen:
            return None
        url = target
    return None


def _original(archive_dir: Path, state: CrawlStateReader,
              revisit: ArchivedResponse) -> ArchivedResponse | None:
    """The full response a revisit record stands for."""
    if not revisit.refers_to_date:
        return None
    uri = canonicalize(revisit.refers_to_uri or "") or revisit.url
    capture = state.response_at(uri, iso_seconds(revisit.refers_to_date))
    return _read(archive_dir, capture) if capture is not None else None


def _read(archive_dir: Path, capture: StoredCapture) -> ArchivedResponse:
    return read_response(archive_dir, capture.warc_file, capture.offset)
