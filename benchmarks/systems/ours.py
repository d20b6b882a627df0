"""Tin Phường's own indexer and searcher, used exactly as the web UI uses them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from indexer.document import Document

NAME = "ours"
CODE = ("indexer",)          # the index is rebuilt whenever a file under these changes (code, word lists)
CODE_IGNORED = ("indexer/extract", "indexer/writing/pipeline.py", "indexer/__main__.py",
                "indexer/search", "indexer/analysis/keystrokes.py",                   # the query side
                "indexer/whoosh_internals/posting_blocks.py",
                "indexer/whoosh_internals/scoring.py", "indexer/whoosh_internals/collector.py",
                "indexer/whoosh_internals/errors.py")


def build(documents: Iterable[Document], path: Path, procs: int = 2) -> None:
    """A fresh index generation, as `python -m indexer rebuild` writes its last batch: here the whole
    corpus is one batch (its Documents in memory), written by `procs` processes, in `procs` segments."""
    from indexer.writing.writer import new_generation

    documents = list(documents)
    with new_generation(path, procs=procs, batch_size=len(documents) + 1) as writer:
        for doc in documents:
            writer.upsert(doc)


class Ours:
    name = NAME

    def __init__(self, path: Path, warm: bool = False) -> None:
        """`warm`: build the searcher's caches first, as the web server does before it serves."""
        from indexer.search import Searcher

        self._searcher = Searcher(path)
        if warm:
            self._searcher.warm()

    def respond(self, params: Mapping[str, str]) -> dict:
        """The full search, snippets included, as /api/search answers it."""
        from indexer.search import SearchRequest

        return self._searcher.search(SearchRequest.from_params(params)).to_dict()

    def search(self, query: str, limit: int = 10) -> list[str]:
        return [hit["id"] for hit in self.respond({"q": query, "per_page": str(limit)})["results"]]

    def close(self) -> None:
        close = getattr(self._searcher, "close", None)
        if close:
            close()
