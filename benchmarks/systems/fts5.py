"""Baseline: SQLite FTS5 with `unicode61 remove_diacritics 2`, ranked by bm25.

The query is the user's whitespace-separated tokens, each quoted as an FTS5
string (so punctuation inside a token cannot break the syntax), joined by
spaces (FTS5's implicit AND) or, with `any_term`, by OR: the set-up a plain
search box over FTS5 would use when every word need not match.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
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


def match_expression(query: str, any_term: bool = False) -> str:
    """Every token as a quoted FTS5 string: `"hoa" "binh"` (hoa AND binh) or `"hoa" OR "binh"`."""
    return (" OR " if any_term else " ").join('"' + token.replace('"', '""') + '"' for token in query.split())


class Fts5:
    def __init__(self, path: Path, any_term: bool = False) -> None:
        self.name = NAME + ("_or" if any_term else "")
        self._any_term = any_term
        self._db = sqlite3.connect(f"file:{path / DB_FILE}?mode=ro", uri=True)

    def _rows(self, columns: str, query: str, limit: int) -> list[tuple]:
        expression = match_expression(query, self._any_term)
        if not expression:
            return []
        try:
            sql = f"SELECT {columns} FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?"
            return self._db.execute(sql, (expression, limit)).fetchall()
        except sqlite3.OperationalError:      # e.g. a token with nothing indexable in it
            return []

    def search(self, query: str, limit: int = 10) -> list[str]:
        return [row[0] for row in self._rows("id", query, limit)]

    def respond(self, params: Mapping[str, str]) -> dict:
        """A results page as a plain FTS5 search box shows it: the top 10 with title and a body snippet
        (no total count: leaving it out makes FTS5 faster, so a latency ratio against it is not flattered)."""
        snippet = "snippet(docs, 2, '<mark>', '</mark>', '…', 24)"
        rows = self._rows(f"id, title, {snippet}", params.get("q", ""), 10)
        return {"results": [{"id": i, "title": t, "snippet": s} for i, t, s in rows]}

    def close(self) -> None:
        self._db.close()
