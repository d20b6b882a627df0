"""The query API of the index: what the web UI and the command line call.

`Searcher.search` answers a validated `SearchRequest` with the `/api/search`
shape: the tiers decide which documents in which order (`tiers`), each listed
document becomes a result with its snippet and highlighted title (`response`).
One `Searcher` per process: it is thread-safe and follows the index as it
changes (`reader`).
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from indexer.analysis.abbreviations import Abbreviations, load_abbreviations
from indexer.document import Document
from indexer.schema import ID_FIELD
from indexer.search.collapse import copies_of
from indexer.search.facets import Facets
from indexer.search.query import parse_query
from indexer.search.reader import LiveReader, ReaderState
from indexer.search.readings import read_keystrokes, read_text
from indexer.search.request import SearchRequest
from indexer.search.response import SearchResponse, SearchResult, encodable
from indexer.search.similar import similar_documents
from indexer.search.snippets import QueryTerms
from indexer.search.tiers import ranked
from indexer.stored import stored_to_document

BATCH = 500      # results read per search when listing many (exports)


class Searcher:
    """Searches the live index generation; one per process, shared by threads."""

    def __init__(self, index_dir: Path, abbreviations: Mapping[str, Sequence[str]] | None = None) -> None:
        self._abbreviations: Abbreviations = load_abbreviations(abbreviations or {})
        self._reader = LiveReader(Path(index_dir))

    def search(self, request: SearchRequest) -> SearchResponse:
        """The requested page of matches, with snippets and a "did you mean" suggestion."""
        started = time.perf_counter()
        typed = parse_query(request.q)

        def answer(state: ReaderState) -> tuple[int, list[SearchResult], str | None, Facets]:
            parsed, readings = read_keystrokes(typed, state.postings)
            terms = QueryTerms.from_parsed(parsed, self._abbreviations)
            ranking = ranked(state, parsed, request, self._abbreviations)
            first = (request.page - 1) * request.per_page
            results = [SearchResult.of(stored_to_document(state.searcher.stored_fields(docnum)), score, terms)
                       for docnum, score in ranking.hits[first: first + request.per_page]]
            suggestion = _suggestion(state, request.q, readings) if parsed.has_positive else None
            return ranking.total, results, suggestion, state.facet_columns().count(ranking.matched)

        total, results, suggestion, facets = self._reader.read(answer, (0, [], None, Facets()))
        took_ms = round((time.perf_counter() - started) * 1000, 1)
        return SearchResponse(query=encodable(request.q), total=total, page=request.page,
                              per_page=request.per_page, took_ms=took_ms, suggestion=suggestion,
                              facets=facets, results=results)

    def results(self, request: SearchRequest, limit: int) -> Iterator[SearchResult]:
        """Every match in the request's order from its page on, at most `limit`: exports and feeds.

        Read in batches of `BATCH`, each a search of its own, so the reader is not held for a
        whole export; a document that a commit between two batches moved is listed once.
        Snippets, the costly part (milliseconds per long article), are made outside the reader.
        """
        typed = parse_query(request.q)
        skip = (request.page - 1) * request.per_page
        seen: set[str] = set()

        def batch(state: ReaderState, start: int) -> tuple[list[tuple[Document, float]], QueryTerms]:
            parsed, _ = read_keystrokes(typed, state.postings)
            pages = replace(request, page=1, per_page=start + BATCH)
            hits = ranked(state, parsed, pages, self._abbreviations).hits[start: start + BATCH]
            stored = state.searcher.stored_fields
            return ([(stored_to_document(stored(docnum)), score) for docnum, score in hits],
                    QueryTerms.from_parsed(parsed, self._abbreviations))

        for start in range(skip, skip + limit, BATCH):
            found, terms = self._reader.read(lambda state, start=start: batch(state, start), ([], None))
            for document, score in found[: skip + limit - start]:
                if document.id not in seen:
                    seen.add(document.id)
                    yield SearchResult.of(document, score, terms)
            if len(found) < BATCH:
                return

    def site_months(self) -> dict[str, dict[str, int]]:
        """Documents per month ("YYYY-MM") for every site."""
        return self._reader.read(lambda state: state.facet_columns().site_months(), {})

    def document(self, doc_id: str) -> Document | None:
        """The stored document with this id (captures and `gone` included), or None."""
        if not isinstance(doc_id, str) or not doc_id:
            return None

        def lookup(state: ReaderState) -> Document | None:
            stored = state.searcher.document(**{ID_FIELD: doc_id})
            return stored_to_document(stored) if stored else None

        return self._reader.read(lookup, None)

    def similar(self, doc_id: str, limit: int = 5, copies: Collection[str] = ()) -> list[Document]:
        """Up to `limit` other documents on the same topic, best first (`indexer.search.similar`);
        `copies` are ids never to propose (copies of the document elsewhere). Remembered per reader."""
        if not isinstance(doc_id, str) or not doc_id:
            return []

        def find(state: ReaderState) -> list[Document]:
            docnum = state.searcher.document_number(**{ID_FIELD: doc_id})
            if docnum is None:
                return []
            doc = stored_to_document(state.searcher.stored_fields(docnum))
            return similar_documents(state.searcher, state.evaluator, docnum, doc, limit, copies)

        key = (doc_id, limit, tuple(sorted(copies)))
        return self._reader.read(lambda state: state.similar.get(key, lambda: find(state)), [])

    def copies(self, doc: Document) -> list[Document]:
        """The other pages that publish the same article (near-duplicates), by id; search lists one."""

        def lookup(state: ReaderState) -> list[Document]:
            return [stored_to_document(s) for s in copies_of(state.searcher, doc.id, doc.cluster or doc.id)]

        return self._reader.read(lookup, [])

    def documents(self, doc_ids: Sequence[str]) -> dict[str, Document]:
        """The stored documents with these ids that exist (an article's attachments, an attachment's
        articles), in one read."""
        def lookup(state: ReaderState) -> dict[str, Document]:
            found = {}
            for doc_id in dict.fromkeys(doc_ids):
                stored = state.searcher.document(**{ID_FIELD: doc_id}) if isinstance(doc_id, str) else None
                if stored:
                    found[doc_id] = stored_to_document(stored)
            return found

        return self._reader.read(lookup, {})

    def count(self) -> int:
        """How many documents the index holds (0 when there is no index yet)."""
        return self._reader.read(lambda state: state.searcher.doc_count(), 0)

    def site_counts(self) -> dict[str, int]:
        """Documents per site name."""
        return self._reader.read(lambda state: dict(state.site_counts()), {})

    def warm(self) -> None:
        """Open the live generation and build its caches now rather than on the first requests: a
        server calls this before forking its workers, which then share them (`ReaderState.warm`)."""
        self._reader.warm()

    def close(self) -> None:
        self._reader.close()


def _suggestion(state: ReaderState, q: str, readings: dict[str, str]) -> str | None:
    """Did you mean: for a query typed as keystrokes, what they spell (itself perhaps corrected)."""
    if not readings:
        return state.suggest(q)
    read = read_text(q, readings)
    return state.suggest(read) or read
