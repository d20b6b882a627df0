"""Baseline: SQLite FTS5 with `unicode61 remove_diacritics 2`, ranked by bm25.

The query is the user's whitespace-separated tokens, each quoted as an FTS5
string (so punctuation inside a token cannot break the syntax), joined by
spaces: FTS5's implicit AND.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from indexer.document import Document

NAME = "fts5"
DB_FILE = "fts5.sqlite"
TOKENIZE = "unicode61 remove_diacritics 2"


def build(documents: Iterable[Document], path: Path, procs: int = 1) -> None:
    """One FTS5 table with title and body (single-threaded: SQLite writes from one connection)."""
    path.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path / DB_FILE) as db:
        db.execute(f"CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize='{TOKENIZE}')")
        db.executemany("INSERT INTO docs (id, title, body) VALUES (?, ?, ?)",
                       ((d.id, d.title, d.text) for d in documents))
        db.execute("INSERT INTO docs (docs) VALUES ('optimize')")
    db.close()


def match_expression(query: str) -> str:
    """Every token as a quoted FTS5 string: `"hoa" "binh"` means hoa AND binh."""
    return " ".join('"' + token.replace('"', '""') + '"' for token in query.split())


class Fts5:
    name = NAME

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"file:{path / DB_FILE}?mode=ro", uri=True)

    def search(self, query: str, limit: int = 10) -> list[str]:
        expression = match_expression(query)
        if not expression:
            return []
        try:
            rows = self._db.execute("SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
                                    (expression, limit)).fetchall()
        except sqlite3.OperationalError:      # e.g. a token with nothing indexable in it
            return []
        return [row[0] for row in rows]

    def close(self) -> None:
        self._db.close()
