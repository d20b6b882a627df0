"""Baseline: Whoosh as a plain user sets it up, with `StandardAnalyzer` on title and body.

Queries go through `MultifieldParser(["title", "body"])` with Whoosh's default
grouping, `AndGroup`: every query word must occur in the title or the body.
Scoring is Whoosh's default BM25F.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from whoosh import index
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import MultifieldParser

from indexer.document import Document

NAME = "plain_whoosh"
FIELDS = ["title", "body"]


def schema() -> Schema:
    return Schema(id=ID(stored=True, unique=True), title=TEXT(analyzer=StandardAnalyzer()),
                  body=TEXT(analyzer=StandardAnalyzer()))


def build(documents: Iterable[Document], path: Path, procs: int = 1) -> None:
    """Write the index with `procs` processes (Whoosh's own multiprocessing writer)."""
    path.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(path), schema())
    options = {"procs": procs, "limitmb": 256} if procs > 1 else {"limitmb": 256}
    writer = ix.writer(**options)
    for doc in documents:
        writer.add_document(id=doc.id, title=doc.title, body=doc.text)
    writer.commit()


class PlainWhoosh:
    name = NAME

    def __init__(self, path: Path) -> None:
        self._index = index.open_dir(str(path))
        self._searcher = self._index.searcher()
        self._parser = MultifieldParser(FIELDS, self._index.schema)

    def search(self, query: str, limit: int = 10) -> list[str]:
        hits = self._searcher.search(self._parser.parse(query), limit=limit)
        return [hit["id"] for hit in hits]

    def close(self) -> None:
        self._searcher.close()
        self._index.close()
