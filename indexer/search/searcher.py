"""The query API of the index: what the web UI and the command line call.

`Searcher.search` answers a validated `SearchRequest` with the `/api/search`
shape: the tiers decide which documents in which order (`tiers`), each listed
document becomes a result with its snippet and highlighted title (`response`).
One `Searcher` per process: it is thread-safe and follows the index as it
changes (`reader`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from indexer.analysis.abbreviations import Abbreviations, load_abbreviations
from indexer.document import Document
from indexer.schema import ID_FIELD
from indexer.search.collapse import copies_of
from indexer.search.query import parse_query
from indexer.search.reader import LiveReader, ReaderState
from indexer.search.request import SearchRequest
from indexer.search.response import SearchResponse, SearchResult, encodable
from indexer.search.snippets import QueryTerms
from indexer.search.tiers import ranked
from indexer.stored import stored_to_document


class Searcher:
    """Searches the live index generation; one per process, shared by threads."""

    def __init__(self, index_dir: Path, abbreviations: Mapping[str, Sequence[str]] | None = None) -> None:
        self._abbreviations: Abbreviations = load_abbreviations(abbreviations or {})
        self._reader = LiveReader(Path(index_dir))

    def search(self, request: SearchRequest) -> SearchResponse:
        """The requested page of matches, with snippets and a "did you mean" suggestion."""
        started = time.perf_counter()
        parsed = parse_query(request.q)
        terms = QueryTerms.from_parsed(parsed, self._abbreviations)

        def answer(state: ReaderState) -> tuple[int, list[SearchResult], str | None]:
            total, hits = ranked(state, parsed, request, self._abbreviations)
            first = (request.page - 1) * request.per_page
            results = [SearchResult.of(stored_to_document(state.searcher.stored_fields(docnum)), score, terms)
                       for docnum, score in hits[first: first + request.per_page]]
            return total, results, state.suggest(request.q) if parsed.has_positive else None

        total, results, suggestion = self._reader.read(answer, (0, [], None))
        took_ms = round((time.perf_counter() - started) * 1000, 1)
        return SearchResponse(query=encodable(request.q), total=total, page=request.page,
                              per_page=request.per_page, took_ms=took_ms, suggestion=suggestion,
                              results=results)

    def document(self, doc_id: str) -> Document | None:
        """The stored document with this id (captures and `gone` included), or None."""
        if not isinstance(doc_id, str) or not doc_id:
            return None

        def lookup(state: ReaderState) -> Document | None:
            stored = state.searcher.document(**{ID_FIELD: doc_id})
            return stored_to_document(stored) if stored else None

        return self._reader.read(lookup, None)

    def copies(self, doc: Document) -> list[Document]:
        """The other pages that publish the same article (near-duplicates), by id; search lists one."""

        def lookup(state: ReaderState) -> list[Document]:
            return [stored_to_document(s) for s in copies_of(state.searcher, doc.id, doc.cluster or doc.id)]

        return self._reader.read(lookup, [])

    def count(self) -> int:
        """How many documents the index holds (0 when there is no index yet)."""
        return self._reader.read(lambda state: state.searcher.doc_count(), 0)

    def site_counts(self) -> dict[str, int]:
        """Documents per site name."""
        return self._reader.read(lambda state: dict(state.site_counts()), {})

    def close(self) -> None:
        self._reader.close()
