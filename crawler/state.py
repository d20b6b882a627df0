"""The crawl's read-write state: what is known about every URL, the persistent frontier, runs and errors.

Built on the read-only view and the schema in `tinphuong.crawl_state` (the web
UI reads them without the crawler). The crawl commits one transaction per
processed URL, after the WARC writer has fsynced that URL's records: a killed
crawl resumes from the frontier, and the archive is cut back to the boundary
noted here.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import astuple, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

from tinphuong.crawl_state import SCHEMA, STATE_FILE, CrawlStateReader


def now_iso() -> str:
    """The project's timestamp form: ISO 8601 UTC to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class UrlState:
    """One row of `urls`: what the crawl knows about a URL (validators, digest, when to revisit)."""

    url: str
    site: str
    kind: str = "page"
    status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    payload_digest: str | None = None
    content_date: str | None = None
    first_seen: str = ""
    last_fetched: str | None = None
    next_visit: str | None = None
    gone: bool = False
    depth: int = 0
    discovered_via: str | None = None
    last_run: int | None = None


@dataclass(frozen=True)
class FrontierItem:
    site: str
    url: str
    depth: int
    kind: str              # page | sitemap | feed | requisite | attachment
    via: str | None
    priority: int


_URL_COLUMNS = [f.name for f in fields(UrlState)]


class CrawlState(CrawlStateReader):
    """The crawl state database opened for writing (`open`); what it reads for others is inherited."""

    @classmethod
    def open(cls, archive_dir: Path) -> CrawlState:
        """Open (creating if needed) the state of `archive_dir` for writing."""
        archive_dir = Path(archive_dir)
        archive_dir.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(archive_dir / STATE_FILE, isolation_level=None, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.executescript(SCHEMA)
        return cls(db)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all."""
        db = self._writable()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # --- runs --------------------------------------------------------------------------------------

    def start_run(self, command: str) -> int:
        cursor = self._writable().execute("INSERT INTO runs (command, started) VALUES (?, ?)",
                                          (command, now_iso()))
        return int(cursor.lastrowid)

    def finish_run(self, run_id: int, summary: Mapping[str, object], exit_status: int) -> None:
        self._writable().execute("UPDATE runs SET finished = ?, summary = ?, exit_status = ? WHERE id = ?",
                                 (now_iso(), json.dumps(summary, ensure_ascii=False), exit_status, run_id))

    # --- urls --------------------------------------------------------------------------------------

    def url(self, url: str) -> UrlState | None:
        row = self._one(f"SELECT {', '.join(_URL_COLUMNS)} FROM urls WHERE url = ?", (url,))
        return _url_state(row) if row else None

    def save_url(self, url_state: UrlState) -> None:
        placeholders = ", ".join("?" for _ in _URL_COLUMNS)
        self._writable().execute(
            f"INSERT OR REPLACE INTO urls ({', '.join(_URL_COLUMNS)}) VALUES ({placeholders})",
            astuple(url_state))

    def due_urls(self, site: str, now: str, run_id: int) -> list[UrlState]:
        """Known URLs of `site` whose revisit is due and that this run has not fetched yet."""
        rows = self._all(f"SELECT {', '.join(_URL_COLUMNS)} FROM urls WHERE site = ? AND "
                         "(next_visit IS NULL OR next_visit <= ?) AND (last_run IS NULL OR last_run != ?) "
                         "ORDER BY depth, url", (site, now, run_id))
        return [_url_state(row) for row in rows]

    def add_capture(self, url: str, site: str, fetched_at: str, status: int, kind: str,
                    warc_file: str, offset: int, length: int, warc_end: int) -> None:
        """Add the capture of a written WARC record; `warc_file` is now accounted for up to `warc_end`."""
        db = self._writable()
        db.execute("INSERT INTO captures (url, site, fetched_at, status, kind, warc_file, offset, length) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (url, site, fetched_at, status, kind, warc_file, offset, length))
        db.execute("INSERT INTO warc_files (name, committed_end) VALUES (?, ?) ON CONFLICT (name) "
                   "DO UPDATE SET committed_end = max(committed_end, excluded.committed_end)",
                   (warc_file, warc_end))

    def captures(self, url: str) -> list[dict]:
        rows = self._all("SELECT fetched_at, status, kind, warc_file, offset, length FROM captures "
                         "WHERE url = ? ORDER BY id", (url,))
        keys = ("fetched_at", "status", "kind", "warc_file", "offset", "length")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def add_payload(self, digest: str, url: str, date: str) -> None:
        """Note the record holding a requisite's or attachment's payload; the first one stays."""
        self._writable().execute("INSERT OR IGNORE INTO payloads (digest, url, date) VALUES (?, ?, ?)",
                                 (digest, url, date))

    def warc_ends(self) -> dict[str, int]:
        """For archive recovery: how far each WARC file is accounted for."""
        return dict(self._all("SELECT name, committed_end FROM warc_files"))

    # --- frontier ----------------------------------------------------------------------------------

    def enqueue(self, item: FrontierItem) -> bool:
        """Add to the frontier; if already queued keep the better priority and depth. True if it changed."""
        cursor = self._writable().execute(
            "INSERT INTO frontier (site, url, depth, kind, via, priority) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (site, url) DO UPDATE SET priority = min(priority, excluded.priority), "
            "depth = min(depth, excluded.depth) "
            "WHERE excluded.priority < priority OR excluded.depth < depth",
            (item.site, item.url, item.depth, item.kind, item.via, item.priority))
        return cursor.rowcount > 0

    def next_in_frontier(self, site: str) -> FrontierItem | None:
        row = self._one("SELECT site, url, depth, kind, via, priority FROM frontier WHERE site = ? "
                        "ORDER BY priority, depth, id LIMIT 1", (site,))
        return FrontierItem(*row) if row else None

    def dequeue(self, site: str, url: str) -> None:
        self._writable().execute("DELETE FROM frontier WHERE site = ? AND url = ?", (site, url))

    def frontier_size(self, site: str) -> int:
        return int(self._one("SELECT count(*) FROM frontier WHERE site = ?", (site,))[0])

    # --- errors ------------------------------------------------------------------------------------

    def add_error(self, site: str, url: str | None, message: str, run_id: int | None = None) -> None:
        self._writable().execute(
            "INSERT INTO errors (time, site, url, message, run_id) VALUES (?, ?, ?, ?, ?)",
            (now_iso(), site, url, message[:2000], run_id))

    # --- plumbing ----------------------------------------------------------------------------------

    def _writable(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("crawl state is not open for writing")
        return self._db


def _url_state(row: tuple) -> UrlState:
    values = dict(zip(_URL_COLUMNS, row, strict=True))
    values["gone"] = bool(values["gone"])
    return UrlState(**values)
