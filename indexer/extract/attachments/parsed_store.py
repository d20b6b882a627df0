"""Attachment parses kept by content, so that a rebuild parses again only files it has never parsed.

Parsing PDF and Word files is the slowest part of extracting an archive (pypdf reads a ward's
two-page decision in ~15 ms, more than extracting three articles), and a rebuild runs after an
improvement of the extraction of pages, which changes nothing in what the parsers give: a file's
parse depends only on its bytes, the limits, and the parsing code. So each parse is kept here, keyed
by a hash of the format, the limits and the bytes, and tagged with the parsing code's version (a hash
of this package's parser modules and of pypdf's and python-docx's versions): rows of another version
are dropped when the store is opened, so a change to the parsers re-parses every file. What is built
from a parse (paragraphs, the first page's number and date) is not kept: it is redone every time.

The store is derived data in the index directory: deleting it costs time, never content. Time limits
and crashed parsers are not kept (the next run tries again). It is SQLite (WAL, one short transaction
per write): the extraction processes read and write it at once. A store that cannot be used is
ignored, with one warning: extraction never fails because of it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import zlib
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from indexer.extract.attachments import docx, limits, pdf, sandbox
from indexer.extract.attachments.limits import Limits
from indexer.extract.attachments.sandbox import Parsed

log = logging.getLogger(__name__)

FILE_NAME = "parsed-attachments.sqlite"      # in the index directory
_TABLE = """CREATE TABLE IF NOT EXISTS parsed (
    key TEXT PRIMARY KEY, version TEXT NOT NULL, text BLOB NOT NULL, pages INTEGER, reason TEXT
) WITHOUT ROWID"""
T = TypeVar("T")


@cache
def parser_version() -> str:
    """A hash of everything a parse depends on besides the file and the limits."""
    digest = hashlib.sha256()
    for module in (sandbox, pdf, docx, limits):
        digest.update(Path(module.__file__).read_bytes())
    for library in ("pypdf", "python-docx"):
        digest.update(f"{library} {metadata.version(library)}".encode())
    return digest.hexdigest()[:16]


class ParsedStore:
    """Parses by (format, limits, bytes); `get` and `put` never raise (a failing store turns itself off)."""

    def __init__(self, path: Path, version: str | None = None) -> None:
        self.path = Path(path)
        self.version = version or parser_version()
        self._db = self._connected()

    def get(self, file_format: str, data: bytes, limits: Limits) -> Parsed | None:
        """The kept parse of this file, or None."""
        key = _key(file_format, data, limits)
        query = "SELECT text, pages, reason FROM parsed WHERE key = ? AND version = ?"
        return self._try(lambda db: _parsed(db.execute(query, (key, self.version)).fetchone()))

    def put(self, file_format: str, data: bytes, limits: Limits, parsed: Parsed) -> None:
        """Keep a parse (not one cut short by the time limit or a crash: those may go better next time)."""
        if parsed.retry:
            return
        row = (_key(file_format, data, limits), self.version, zlib.compress(parsed.text.encode(), 1),
               parsed.pages, parsed.reason)
        self._try(lambda db: db.execute("INSERT OR REPLACE INTO parsed VALUES (?, ?, ?, ?, ?)", row))

    def close(self) -> None:
        db, self._db = self._db, None
        if db is not None:
            db.close()

    def _connected(self, repair: bool = True) -> sqlite3.Connection | None:
        try:
            return self._opened()
        except sqlite3.OperationalError as error:          # locked, read-only, no space: try next run
            log.warning("attachment parse store %s off: %s", self.path, error)
        except sqlite3.DatabaseError as error:             # not a database (any more): it is only a cache
            if not repair:
                log.warning("attachment parse store %s off: %s", self.path, error)
                return None
            log.warning("attachment parse store %s unreadable (%s): starting a new one", self.path, error)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return self._connected(repair=False)
        except OSError as error:
            log.warning("attachment parse store %s off: %s", self.path, error)
        return None

    def _opened(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None)   # autocommit: a write, a commit
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(_TABLE)
            db.execute("DELETE FROM parsed WHERE version != ?", (self.version,))
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _try(self, action: Callable[[sqlite3.Connection], T]) -> T | None:
        """`action(connection)`, or None with one warning and the store off when it fails."""
        if self._db is None:
            return None
        try:
            return action(self._db)
        except (sqlite3.Error, zlib.error, UnicodeDecodeError) as error:
            log.warning("attachment parse store %s off: %s", self.path, error)
            self.close()
            return None


def _key(file_format: str, data: bytes, limits: Limits) -> str:
    digest = hashlib.sha256(f"{file_format} {json.dumps(limits.to_dict(), sort_keys=True)}\n".encode())
    digest.update(data)
    return digest.hexdigest()


def _parsed(row: tuple | None) -> Parsed | None:
    if row is None:
        return None
    text, pages, reason = row
    return Parsed(text=zlib.decompress(text).decode(), pages=pages, reason=reason)
