"""The crawl state's schema and its read-only view: what the crawler writes and the web UI shows.

One SQLite file, `<archive_dir>/state.sqlite`, in WAL mode so that readers see
the last committed transaction while a crawl writes. The schema lives here,
with the view, because the web UI reads the state and must not import the
crawler; the crawler's writer (`crawler.state.CrawlState`) is built on this
class and adds the frontier, captures and runs.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Self

STATE_FILE = "state.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,            -- canonical URL
    site TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'page',   -- page | sitemap | feed | requisite | attachment
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
    last_run INTEGER,                -- the run that fetched it last
    role TEXT                        -- HTML pages: 'listing' | 'article' (what the revisit policy sees)
);
CREATE INDEX IF NOT EXISTS urls_due ON urls (site, next_visit);
CREATE INDEX IF NOT EXISTS urls_digest ON urls (site, payload_digest);
CREATE TABLE IF NOT EXISTS sitemap_entries (   -- which sitemap lists which page, as last read
    site TEXT NOT NULL, sitemap TEXT NOT NULL, url TEXT NOT NULL,
    PRIMARY KEY (sitemap, url)
);
CREATE INDEX IF NOT EXISTS sitemap_entries_url ON sitemap_entries (url);
CREATE TABLE IF NOT EXISTS listing_links (     -- the article links a listing page showed, as last read
    site TEXT NOT NULL, page TEXT NOT NULL, link TEXT NOT NULL,
    PRIMARY KEY (page, link)
);
CREATE INDEX IF NOT EXISTS listing_links_site ON listing_links (site);
CREATE TABLE IF NOT EXISTS aliases (           -- a URL whose page is archived and indexed under another
    url TEXT PRIMARY KEY, site TEXT NOT NULL,
    canonical TEXT NOT NULL,
    reason TEXT NOT NULL             -- 'canonical' (<link rel="canonical">) | 'identical' (same bytes)
);
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
CREATE TABLE IF NOT EXISTS payloads (
    digest TEXT PRIMARY KEY,         -- payload digest of a requisite or attachment archived in full
    url TEXT NOT NULL,               -- the URL whose response record holds it (the first one written)
    date TEXT NOT NULL               -- that record's WARC-Date
);
CREATE TABLE IF NOT EXISTS warc_files (
    name TEXT PRIMARY KEY,
    committed_end INTEGER NOT NULL   -- bytes of the file that the rows above account for
);
"""


# Captures that say what a URL held: content (200), "unchanged" (304 revisit), or where it moved.
_REPLAYABLE = "(status = 200 OR (status = 304 AND kind = 'revisit') OR status IN (301, 302, 303, 307, 308))"
_CAPTURE_COLUMNS = "url, fetched_at, status, kind, warc_file, offset, length"


@dataclass(frozen=True)
class StoredCapture:
    """One row of `captures`: where the record of one fetch of `url` lies in the archive."""

    url: str
    fetched_at: str          # ISO 8601 UTC, seconds
    status: int
    kind: str                # "response" | "revisit"
    warc_file: str
    offset: int
    length: int


@dataclass(frozen=True)
class SiteRun:
    """What the latest finished crawl or refresh that covered a site did there."""

    command: str             # "refresh" | "crawl"
    finished: str            # ISO 8601 UTC
    exit_status: int | None  # of the whole run
    summary: dict            # fetched, new, changed, unchanged, gone, errors, failed (None or why)


@dataclass(frozen=True)
class CrawlError:
    time: str
    site: str
    url: str | None
    message: str


class CrawlStateReader:
    """The crawl state opened read-only; a state that does not exist yet reads as empty."""

    def __init__(self, connection: sqlite3.Connection | None) -> None:
        self._db = connection

    @classmethod
    def open_readonly(cls, archive_dir: Path) -> Self:
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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def last_refresh(self) -> str | None:
        """ISO time at which the last refresh (or, before any, the last crawl) finished."""
        row = self._one("SELECT finished FROM runs WHERE finished IS NOT NULL "
                        "ORDER BY command = 'refresh' DESC, id DESC LIMIT 1")
        return row[0] if row else None

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

    def capture_near(self, url: str, at: str) -> StoredCapture | None:
        """The capture of `url` that tells what it held at `at` (ISO): the latest at or before `at`,
        else the earliest after it; only content, "unchanged" revisits and redirects count."""
        row = (self._one(f"SELECT {_CAPTURE_COLUMNS} FROM captures WHERE url = ? AND {_REPLAYABLE} "
                         "AND fetched_at <= ? ORDER BY fetched_at DESC, id DESC LIMIT 1", (url, at))
               or self._one(f"SELECT {_CAPTURE_COLUMNS} FROM captures WHERE url = ? AND {_REPLAYABLE} "
                            "AND fetched_at > ? ORDER BY fetched_at, id LIMIT 1", (url, at)))
        return StoredCapture(*row) if row else None

    def response_at(self, url: str, fetched_at: str) -> StoredCapture | None:
        """The full 200 response of `url` written at `fetched_at` (ISO seconds): what a revisit refers to."""
        row = self._one(f"SELECT {_CAPTURE_COLUMNS} FROM captures WHERE url = ? AND fetched_at = ? "
                        "AND kind = 'response' AND status = 200 ORDER BY id DESC LIMIT 1", (url, fetched_at))
        return StoredCapture(*row) if row else None

    def all_captures(self) -> list[StoredCapture]:
        """Every capture, in archive order (for verification)."""
        rows = self._all(f"SELECT {_CAPTURE_COLUMNS} FROM captures ORDER BY warc_file, offset")
        return [StoredCapture(*row) for row in rows]

    def integrity_problems(self) -> list[str]:
        """What SQLite's quick_check finds wrong with the database file; empty when it is sound."""
        rows = [row[0] for row in self._all("PRAGMA quick_check")]
        return [] if rows in ([], ["ok"]) else rows

    def payload_record(self, digest: str) -> tuple[str, str] | None:
        """(URL, WARC-Date) of the response record holding a requisite's or attachment's payload."""
        row = self._one("SELECT url, date FROM payloads WHERE digest = ?", (digest,))
        return (row[0], row[1]) if row else None

    def site_runs(self, scan: int = 500) -> dict[str, SiteRun]:
        """Per site, its latest finished run among the last `scan` (a run's summary holds one entry
        per site it crawled, so a `--site` run covers only that one)."""
        runs: dict[str, SiteRun] = {}
        rows = self._all("SELECT command, finished, exit_status, summary FROM runs "
                         "WHERE finished IS NOT NULL ORDER BY id DESC LIMIT ?", (int(scan),))
        for command, finished, exit_status, text in rows:
            try:
                summary = json.loads(text or "{}")
            except ValueError:
                continue
            for site, counts in (summary.items() if isinstance(summary, dict) else ()):
                if isinstance(counts, dict) and site not in runs:
                    runs[site] = SiteRun(command, finished, exit_status, counts)
        return runs

    def _one(self, sql: str, params: tuple = ()) -> tuple | None:
        if self._db is None:
            return None
        return self._db.execute(sql, params).fetchone()

    def _all(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self._db is None:
            return []
        return self._db.execute(sql, params).fetchall()
