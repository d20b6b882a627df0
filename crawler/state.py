"""The crawl's read-write state: what is known about every URL, the persistent frontier, runs and errors.

Built on the read-only view and the schema in `tinphuong.crawl_state` (the web
UI reads them without the crawler). The crawl commits one transaction per
processed URL, after the WARC writer has fsynced that URL's records: a killed
crawl resumes from the frontier, and the archive is cut back to the boundary
noted here.

Several sites are crawled at once, in threads, over this one connection: every
statement runs under one re-entrant lock, and a transaction holds it from BEGIN
to COMMIT, so what a thread writes inside `transaction()` (the WARC records
too, when written there) is never interleaved with another thread's.
"""

from __future__ import annotations

import json
import sqlite3
import threading
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
    role: str | None = None          # HTML pages: 'listing' | 'article' (crawler.page_role)


@dataclass(frozen=True)
class Alias:
    """A URL whose page is archived and indexed under `canonical`, and why."""

    canonical: str
    reason: str            # CANONICAL_LINK (the page names it) | IDENTICAL (it served the same bytes)
                           # | MOVED (it redirects there for good)


CANONICAL_LINK, IDENTICAL, MOVED = "canonical", "identical", "moved"


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

    def __init__(self, connection: sqlite3.Connection | None) -> None:
        super().__init__(connection)
        self.lock = threading.RLock()     # held by every statement, and by a transaction throughout
        self._depth = 0

    @classmethod
    def open(cls, archive_dir: Path) -> CrawlState:
        """Open (creating if needed) the state of `archive_dir` for writing."""
        archive_dir = Path(archive_dir)
        archive_dir.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(archive_dir / STATE_FILE, isolation_level=None, timeout=30,
                             check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.executescript(SCHEMA)
        _add_missing_columns(db)
        return cls(db)

    def close(self) -> None:
        with self.lock:
            super().close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all; nested use joins the outer transaction."""
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            db = self._writable()
            db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._depth = 0
                db.execute("ROLLBACK")
                raise
            self._depth = 0
            db.execute("COMMIT")

    # --- runs --------------------------------------------------------------------------------------

    def start_run(self, command: str) -> int:
        cursor = self._execute("INSERT INTO runs (command, started) VALUES (?, ?)", (command, now_iso()))
        return int(cursor.lastrowid)

    def finish_run(self, run_id: int, summary: Mapping[str, object], exit_status: int) -> None:
        self._execute("UPDATE runs SET finished = ?, summary = ?, exit_status = ? WHERE id = ?",
                      (now_iso(), json.dumps(summary, ensure_ascii=False), exit_status, run_id))

    # --- urls --------------------------------------------------------------------------------------

    def url(self, url: str) -> UrlState | None:
        row = self._one(f"SELECT {', '.join(_URL_COLUMNS)} FROM urls WHERE url = ?", (url,))
        return _url_state(row) if row else None

    def save_url(self, url_state: UrlState) -> None:
        placeholders = ", ".join("?" for _ in _URL_COLUMNS)
        self._execute(f"INSERT OR REPLACE INTO urls ({', '.join(_URL_COLUMNS)}) VALUES ({placeholders})",
                      astuple(url_state))

    def site_urls(self, site: str) -> list[UrlState]:
        """Every URL known for `site` (what the revisit policy chooses from)."""
        rows = self._all(f"SELECT {', '.join(_URL_COLUMNS)} FROM urls WHERE site = ? ORDER BY url", (site,))
        return [_url_state(row) for row in rows]

    def twin(self, site: str, digest: str, url: str) -> UrlState | None:
        """Another live URL of `site` whose latest full response has exactly this payload digest."""
        row = self._one(f"SELECT {', '.join(_URL_COLUMNS)} FROM urls WHERE site = ? AND payload_digest = ? "
                        "AND url != ? AND NOT gone AND content_date IS NOT NULL "
                        "ORDER BY first_seen, url LIMIT 1", (site, digest, url))
        return _url_state(row) if row else None

    # --- aliases: one page under several URLs ------------------------------------------------------

    def add_alias(self, url: str, site: str, canonical: str, reason: str) -> None:
        self._execute("INSERT OR REPLACE INTO aliases (url, site, canonical, reason) VALUES (?, ?, ?, ?)",
                      (url, site, canonical, reason))

    def remove_alias(self, url: str) -> None:
        self._execute("DELETE FROM aliases WHERE url = ?", (url,))

    def alias(self, url: str) -> Alias | None:
        row = self._one("SELECT canonical, reason FROM aliases WHERE url = ?", (url,))
        return Alias(*row) if row else None

    def alias_of(self, url: str) -> str | None:
        """The URL under which the page at `url` is archived and indexed, when it is not `url` itself."""
        alias = self.alias(url)
        return alias.canonical if alias else None

    def aliases_of(self, canonical: str) -> list[str]:
        """The other URLs of the page archived and indexed under `canonical`."""
        return [row[0] for row in self._all("SELECT url FROM aliases WHERE canonical = ? ORDER BY url",
                                            (canonical,))]

    # --- sitemaps: which pages they list -----------------------------------------------------------

    def listed_in_sitemaps(self, site: str) -> set[str]:
        rows = self._all("SELECT DISTINCT url FROM sitemap_entries WHERE site = ?", (site,))
        return {row[0] for row in rows}

    def list_in_sitemap(self, site: str, sitemap: str, urls: list[str]) -> list[str]:
        """Note that `sitemap` now lists exactly `urls`; return the pages it listed before and no sitemap
        lists any more."""
        with self.transaction():
            before = {row[0] for row in self._all("SELECT url FROM sitemap_entries WHERE sitemap = ?",
                                                   (sitemap,))}
            now = set(urls)
            self._executemany("DELETE FROM sitemap_entries WHERE sitemap = ? AND url = ?",
                              [(sitemap, url) for url in before - now])
            self._executemany("INSERT INTO sitemap_entries (site, sitemap, url) VALUES (?, ?, ?)",
                              [(site, sitemap, url) for url in now - before])
            return sorted(url for url in before - now
                          if self._one("SELECT 1 FROM sitemap_entries WHERE url = ?", (url,)) is None)

    def forget_sitemap(self, sitemap: str) -> None:
        """A sitemap that is gone lists nothing any more (its pages are not rechecked for that)."""
        self._execute("DELETE FROM sitemap_entries WHERE sitemap = ?", (sitemap,))

    # --- listing pages: which articles they show ---------------------------------------------------

    def set_listing_links(self, site: str, page: str, links: list[str]) -> None:
        """Note that the listing page `page` now shows exactly `links` (none: it is no listing any more)."""
        with self.transaction():
            self._execute("DELETE FROM listing_links WHERE page = ?", (page,))
            self._executemany("INSERT OR IGNORE INTO listing_links (site, page, link) VALUES (?, ?, ?)",
                              [(site, page, link) for link in links])

    def listing_links(self, site: str) -> dict[str, set[str]]:
        """Each listing page of `site` and the links it showed when last read."""
        pages: dict[str, set[str]] = {}
        for page, link in self._all("SELECT page, link FROM listing_links WHERE site = ?", (site,)):
            pages.setdefault(page, set()).add(link)
        return pages

    def site_aliases(self, site: str) -> dict[str, str]:
        """Every alias of `site` and the URL its page is archived under."""
        return dict(self._all("SELECT url, canonical FROM aliases WHERE site = ?", (site,)))

    def add_capture(self, url: str, site: str, fetched_at: str, status: int, kind: str,
                    warc_file: str, offset: int, length: int, warc_end: int) -> None:
        """Add the capture of a written WARC record; `warc_file` is now accounted for up to `warc_end`."""
        with self.transaction():
            self._execute("INSERT INTO captures (url, site, fetched_at, status, kind, warc_file, offset, "
                          "length) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          (url, site, fetched_at, status, kind, warc_file, offset, length))
            self._execute("INSERT INTO warc_files (name, committed_end) VALUES (?, ?) ON CONFLICT (name) "
                          "DO UPDATE SET committed_end = max(committed_end, excluded.committed_end)",
                          (warc_file, warc_end))

    def captures(self, url: str) -> list[dict]:
        rows = self._all("SELECT fetched_at, status, kind, warc_file, offset, length FROM captures "
                         "WHERE url = ? ORDER BY id", (url,))
        keys = ("fetched_at", "status", "kind", "warc_file", "offset", "length")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def add_payload(self, digest: str, url: str, date: str) -> None:
        """Note the record holding a requisite's or attachment's payload; the first one stays."""
        self._execute("INSERT OR IGNORE INTO payloads (digest, url, date) VALUES (?, ?, ?)",
                      (digest, url, date))

    def warc_ends(self) -> dict[str, int]:
        """For archive recovery: how far each WARC file is accounted for."""
        return dict(self._all("SELECT name, committed_end FROM warc_files"))

    # --- frontier ----------------------------------------------------------------------------------

    def enqueue(self, item: FrontierItem) -> bool:
        """Add to the frontier; if already queued keep the better priority and depth. True if it changed."""
        cursor = self._execute(
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
        self._execute("DELETE FROM frontier WHERE site = ? AND url = ?", (site, url))

    def frontier_size(self, site: str) -> int:
        return int(self._one("SELECT count(*) FROM frontier WHERE site = ?", (site,))[0])

    # --- errors ------------------------------------------------------------------------------------

    def add_error(self, site: str, url: str | None, message: str, run_id: int | None = None) -> None:
        self._execute(
            "INSERT INTO errors (time, site, url, message, run_id) VALUES (?, ?, ?, ?, ?)",
            (now_iso(), site, url, message[:2000], run_id))

    # --- plumbing ----------------------------------------------------------------------------------

    def _writable(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("crawl state is not open for writing")
        return self._db

    def _execute(self, sql: str, params: tuple | list = ()) -> sqlite3.Cursor:
        with self.lock:
            return self._writable().execute(sql, params)

    def _executemany(self, sql: str, rows: list[tuple]) -> None:
        with self.lock:
            self._writable().executemany(sql, rows)

    def _one(self, sql: str, params: tuple = ()) -> tuple | None:
        with self.lock:
            return super()._one(sql, params)

    def _all(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self.lock:
            return super()._all(sql, params)


def _add_missing_columns(db: sqlite3.Connection) -> None:
    """Columns added to `urls` since a state was created (CREATE TABLE IF NOT EXISTS leaves it as it was)."""
    present = {row[1] for row in db.execute("PRAGMA table_info(urls)")}
    for name, declaration in (("role", "TEXT"),):
        if name not in present:
            db.execute(f"ALTER TABLE urls ADD COLUMN {name} {declaration}")


def _url_state(row: tuple) -> UrlState:
    values = dict(zip(_URL_COLUMNS, row, strict=True))
    values["gone"] = bool(values["gone"])
    return UrlState(**values)
