"""Crawl state in SQLite: what is known about every URL, the persistent frontier, runs and errors.

One file, `<archive_dir>/state.sqlite`, in WAL mode so the web UI can read it
while a crawl writes. The crawl commits one transaction per processed URL,
after the archive has fsynced that URL's records: a killed crawl resumes from
the frontier, and the archive is cut back to the boundary recorded here.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import astuple, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

STATE_FILE = "state.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,            -- canonical URL
    site TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'page',   -- page | sitemap | feed
    status INTEGER,                  -- HTTP status of the latest fetch (NULL: never answered)
    etag TEXT,
    last_modified TEXT,
    payload_digest TEXT,             -- digest of the latest full 200 payload
    content_date TEXT,               -- WARC-Date of the record holding that payload
    first_seen TEXT NOT NULL,
    last_fetched TEXT,
    next_visit TEXT,                 -- due for revalidation from then on
    gone INTEGER NOT NULL DEFAULT 0, -- answered 404/410 at its latest fetch
    depth INTEGER NOT NULL DEFAULT 0,
    discovered_via TEXT,
    last_run INTEGER                 -- the run that fetched it last
);
CREATE INDEX IF NOT EXISTS urls_due ON urls (site, next_visit);
CREATE TABLE IF NOT EXISTS captures (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL, site TEXT NOT NULL, fetched_at TEXT NOT NULL, status INTEGER NOT NULL,
    kind TEXT NOT NULL, warc_file TEXT NOT NULL, offset INTEGER NOT NULL, length INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS captures_url ON captures (url);
CREATE TABLE IF NOT EXISTS frontier (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site TEXT NOT NULL, url TEXT NOT NULL, depth INTEGER NOT NULL, kind TEXT NOT NULL,
    via TEXT, priority INTEGER NOT NULL,
    UNIQUE (site, url)
);
CREATE INDEX IF NOT EXISTS frontier_next ON frontier (site, priority, depth, id);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, command TEXT NOT NULL, started TEXT NOT NULL, finished TEXT,
    summary TEXT, exit_status INTEGER
);
CREATE TABLE IF NOT EXISTS errors (
    id INTEGER PRIMARY KEY, time TEXT NOT NULL, site TEXT NOT NULL, url TEXT, message TEXT NOT NULL,
    run_id INTEGER
);
CREATE TABLE IF NOT EXISTS warc_files (
    name TEXT PRIMARY KEY,
    committed_end INTEGER NOT NULL   -- bytes of the file that the rows above account for
);
"""


def now_iso() -> str:
    """The project's timestamp form: ISO 8601 UTC to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class UrlRecord:
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
    kind: str              # page | sitemap | feed
    via: str | None
    priority: int


@dataclass(frozen=True)
class CrawlError:
    time: str
    site: str
    url: str | None
    message: str


_URL_COLUMNS = [f.name for f in fields(UrlRecord)]


class CrawlState:
    """The crawl state database; `open` to crawl, `open_readonly` for the web UI."""

    def __init__(self, connection: sqlite3.Connection | None) -> None:
        self._db = connection

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

    @classmethod
    def open_readonly(cls, archive_dir: Path) -> CrawlState:
        """Open for reading only; a missing database reads as an empty state (nothing crawled yet)."""
        path = Path(archive_dir) / STATE_FILE
        if not path.exists():
            return cls(None)
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                             timeout=30, check_same_thread=False)
        return cls(db)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> CrawlState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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

    def last_refresh(self) -> str | None:
        """ISO time at which the last refresh (or, before any, the last crawl) finished."""
        row = self._one("SELECT finished FROM runs WHERE finished IS NOT NULL "
                        "ORDER BY command = 'refresh' DESC, id DESC LIMIT 1")
        return row[0] if row else None

    # --- urls --------------------------------------------------------------------------------------

    def url(self, url: str) -> UrlRecord | None:
        row = self._one(f"SELECT {', '.join(_URL_COLUMNS)} FROM urls WHERE url = ?", (url,))
        return _url_record(row) if row else None

    def save_url(self, record: UrlRecord) -> None:
        placeholders = ", ".join("?" for _ in _URL_COLUMNS)
        self._writable().execute(
            f"INSERT OR REPLACE INTO urls ({', '.join(_URL_COLUMNS)}) VALUES ({placeholders})",
            astuple(record))

    def due_urls(self, site: str, now: str, run_id: int) -> list[UrlRecord]:
        """Known URLs of `site` whose revisit is due and that this run has not fetched yet."""
        rows = self._all(f"SELECT {', '.join(_URL_COLUMNS)} FROM urls WHERE site = ? AND "
                         "(next_visit IS NULL OR next_visit <= ?) AND (last_run IS NULL OR last_run != ?) "
                         "ORDER BY depth, url", (site, now, run_id))
        return [_url_record(row) for row in rows]

    def add_capture(self, url: str, site: str, fetched_at: str, status: int, kind: str,
                    warc_file: str, offset: int, length: int, warc_end: int) -> None:
        """Record a written record, and that `warc_file` is accounted for up to `warc_end`."""
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

    # --- errors and the web UI's view --------------------------------------------------------------

    def add_error(self, site: str, url: str | None, message: str, run_id: int | None = None) -> None:
        self._writable().execute(
            "INSERT INTO errors (time, site, url, message, run_id) VALUES (?, ?, ?, ?, ?)",
            (now_iso(), site, url, message[:2000], run_id))

    def recent_errors(self, limit: int = 20) -> list[CrawlError]:
        """The latest errors, newest first."""
        rows = self._all("SELECT time, site, url, message FROM errors ORDER BY id DESC LIMIT ?",
                         (int(limit),))
        return [CrawlError(*row) for row in rows]

    def site_counts(self) -> dict[str, dict[str, int]]:
        """Per site: pages known, archived (answered 200 last), gone (archived, now 404/410), captures,
        errors, queued."""
        counts: dict[str, dict[str, int]] = {}

        def put(sql: str, *names: str) -> None:
            for site, *values in self._all(sql):
                entry = counts.setdefault(site, dict.fromkeys(
                    ("pages", "archived", "gone", "captures", "errors", "queued"), 0))
                entry.update(zip(names, (int(v or 0) for v in values), strict=True))

        put("SELECT site, count(*), sum(status = 200), sum(gone AND payload_digest IS NOT NULL) FROM urls "
            "WHERE kind = 'page' GROUP BY site",
            "pages", "archived", "gone")
        put("SELECT site, count(*) FROM captures GROUP BY site", "captures")
        put("SELECT site, count(*) FROM errors GROUP BY site", "errors")
        put("SELECT site, count(*) FROM frontier GROUP BY site", "queued")
        return counts

    # --- plumbing ----------------------------------------------------------------------------------

    def _writable(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("crawl state is not open for writing")
        return self._db

    def _one(self, sql: str, params: tuple = ()) -> tuple | None:
        if self._db is None:
            return None
        return self._db.execute(sql, params).fetchone()

    def _all(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self._db is None:
            return []
        return self._db.execute(sql, params).fetchall()


def _url_record(row: tuple) -> UrlRecord:
    values = dict(zip(_URL_COLUMNS, row, strict=True))
    values["gone"] = bool(values["gone"])
    return UrlRecord(**values)
