"""Attachment parses kept by content, so that a rebuild parses again only files it has never parsed.

Parsing PDF and Word files is the slowest part of extracting an archive (pypdf reads a ward's
two-page decision in ~15 ms, more than extracting three articles), and a rebuild runs after an
improvement of the extraction of pages, which changes nothing in what the parsers give: a file's
parse depends only on its bytes, the limits, and the parsing code. So each parse is kept here, keyed
by a hash of the format, the limits and the bytes, and tagged with the parsing code's version (a hash
of this package's parser modules, of this one, and of the Python, pypdf, python-docx and lxml
versions): rows of another version are dropped when the store is opened, so a change to the parsers
parses every file again. What is built from a parse (paragraphs, the first page's number and date) is
not kept: it is redone every time. Only parses that succeeded are kept (a scan without text too): a
failure may come from the machine (a time limit, memory, a missing optional library) and is tried
again next time; failing files fail fast.

The store is derived data in the index directory: deleting it costs time, never content. It is SQLite
(WAL, one short transaction per write): the extraction processes read and write it at once. A store
that cannot be used is ignored, with one warning per process: extraction never fails because of it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import sys
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
COLUMNS = ("key", "version", "text", "pages")
_TABLE = ("CREATE TABLE parsed (key TEXT PRIMARY KEY, version TEXT NOT NULL, text BLOB NOT NULL,"
          " pages INTEGER) WITHOUT ROWID")
T = TypeVar("T")


@cache
def parser_version() -> str:
    """A hash of everything a parse depends on besides the file and the limits."""
    digest = hashlib.sha256()
    for module in (sandbox, pdf, docx, limits, sys.modules[__name__]):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(sys.version.encode())
    for library in ("pypdf", "python-docx", "lxml"):
        digest.update(f"{library} {metadata.version(library)}".encode())
    return digest.hexdigest()[:16]


def remove(path: Path) -> None:
    """Delete the store at `path` (its database and WAL files)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


class ParsedStore:
    """Parses by (format, limits, bytes); `get` and `put` never raise (a failing store turns itself off)."""

    def __init__(self, path: Path, version: str | None = None) -> None:
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None
        try:
            self.version = version or parser_version()
            self._db = self._connected()
        except Exception as error:  # noqa: BLE001 - a cache must never stop extraction
            self._off(error)

    def get(self, file_format: str, data: bytes, limits: Limits) -> Parsed | None:
        """The kept parse of this file, or None."""
        key = _key(file_format, data, limits)
        query = "SELECT text, pages FROM parsed WHERE key = ? AND version = ?"
        return self._try(lambda db: _parsed(db.execute(query, (key, self.version)).fetchone()))

    def put(self, file_format: str, data: bytes, limits: Limits, parsed: Parsed) -> None:
        """Keep a parse that succeeded (see the module's docstring)."""
        if parsed.reason is None:
            self._try(lambda db: db.execute("INSERT OR REPLACE INTO parsed VALUES (?, ?, ?, ?)", (
                _key(file_format, data, limits), self.version, zlib.compress(parsed.text.encode(), 1),
                parsed.pages)))

    def close(self) -> None:
        """Close the connection (checkpointing the WAL into the database)."""
        db, self._db = self._db, None
        if db is not None:
            db.close()

    def _connected(self) -> sqlite3.Connection:
        try:
            return self._opened()
        except sqlite3.OperationalError:                   # locked, read-only, full: not damaged
            raise
        except sqlite3.DatabaseError as error:             # not a database (any more): it is only a cache
            log.warning("attachment parse store %s unreadable (%s): starting a new one", self.path, error)
            remove(self.path)
            return self._opened()

    def _off(self, error: BaseException) -> None:
        log.warning("attachment parse store %s off: %s", self.path, error)
        self.close()

    def _opened(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None)   # autocommit: a write, a commit
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            if tuple(row[1] for row in db.execute("PRAGMA table_info(parsed)")) != COLUMNS:
                db.execute("DROP TABLE IF EXISTS parsed")          # none yet, or of an older layout
                db.execute(_TABLE)
            db.execute("DELETE FROM parsed WHERE version != ?", (self.version,))
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _try(self, action: Callable[[sqlite3.Connection], T]) -> T | None:
        """`action(connection)`, or None with a warning and the store off when it fails."""
        if self._db is None:
            return None
        try:
            return action(self._db)
        except (sqlite3.Error, zlib.error, UnicodeError) as error:
            self._off(error)
            return None


def _key(file_format: str, data: bytes, limits: Limits) -> str:
    digest = hashlib.sha256(f"{file_format} {json.dumps(limits.to_dict(), sort_keys=True)}\n".encode())
    digest.update(data)
    return digest.hexdigest()


def _parsed(row: tuple | None) -> Parsed | None:
    if row is None:
        return None
    text, pages = row
    return Parsed(text=zlib.decompress(text).decode(), pages=pages)
