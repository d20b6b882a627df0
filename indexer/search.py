"""The query API of the index: what the web UI and the command line call.

`SearchRequest.from_params` validates request parameters (a `BadRequest` carries a
message for the user); `Searcher.search` answers with SPEC's `/api/search` shape.
One `Searcher` per process: it is thread-safe (one lock around the Whoosh reader,
whose file handles are not meant for concurrent seeks) and follows the index as
it changes — a new commit or a new generation is picked up on the next request,
with a cheap check (the `CURRENT` pointer and the generation's table of contents).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import scoring, sorting
from whoosh.filedb.filestore import FileStorage, StorageError
from whoosh.searching import Searcher as WhooshSearcher

from indexer.analysis.abbreviations import Abbreviations, load_abbreviations
from indexer.document import Document
from indexer.index import live_generation, stored_to_document
from indexer.matching import Matcher, Matches
from indexer.postings import PostingsCache
from indexer.query import ParsedQuery, build_query, exclusion_query, has_marked_words, parse_query
from indexer.ranking import RERANK_DEPTH, Hit, proximity_rerank, sequence_docs
from indexer.schema import DATE, ID_FIELD, SITE, STORED_TEXT, UNDATED
from indexer.snippets import QueryTerms, make_snippet
from indexer.suggest import Suggester

log = logging.getLogger(__name__)
T = TypeVar("T")

SORTS = ("relevance", "newest", "oldest")
MAX_PER_PAGE = 100
MAX_PAGE = 1000
MAX_SITE_CHARS = 100
SNIPPET_CHARS = 240
ANY_WORD_FALLBACK = 3     # a query of this many words that nothing matches entirely: match any
WEIGHTING = scoring.BM25F
EXACT_ENOUGH = 20         # exact-form matches enough that folded-only matches are not listed
SEQUENCE_CANDIDATES = RERANK_DEPTH   # best-scoring matches holding the whole sequence, re-ranked too
FILTER_CACHE_SIZE = 64   # site/date filters whose documents are remembered per reader
READ_ATTEMPTS = 4         # reads retried when a concurrent commit removed the files under them


class BadRequest(ValueError):
    """A request parameter is invalid; the message is meant for the user (Vietnamese)."""


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    page: int = 1
    per_page: int = 10
    site: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> SearchRequest:
        """From query-string parameters (`q, page, per_page, site, from, to, sort`); raises BadRequest."""
        date_from = _date(params, "from")
        date_to = _date(params, "to")
        if date_from and date_to and date_from > date_to:
            raise BadRequest("Ngày bắt đầu (from) phải trước hoặc trùng ngày kết thúc (to).")
        sort = _text(params, "sort") or "relevance"
        if sort not in SORTS:
            raise BadRequest("Tham số sort chỉ nhận relevance, newest hoặc oldest.")
        site = _text(params, "site") or None
        if site is not None and len(site) > MAX_SITE_CHARS:
            raise BadRequest("Tham số site quá dài.")
        return cls(q=_text(params, "q"), page=_integer(params, "page", 1, 1, MAX_PAGE),
                   per_page=_integer(params, "per_page", 10, 1, MAX_PER_PAGE), site=site,
                   date_from=date_from, date_to=date_to, sort=sort)


@dataclass(frozen=True)
class SearchResult:
    id: str
    url: str
    title: str
    date: str | None          # YYYY-MM-DD
    site: str
    score: float
    snippet: str              # HTML-escaped, matched words in <mark>
    gone: bool = field(default=False, compare=False)   # the source page disappeared; not in the API

    def to_dict(self) -> dict:
        """One result of SPEC's `/api/search` JSON (without `gone`, which SPEC leaves to /api/doc)."""
        return {k: v for k, v in asdict(self).items() if k != "gone"}


@dataclass(frozen=True)
class SearchResponse:
    query: str
    total: int
    page: int
    per_page: int
    took_ms: float
    suggestion: str | None
    results: list[SearchResult] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Exactly SPEC's `/api/search` JSON object."""
        return {**{k: v for k, v in asdict(self).items() if k != "results"},
                "results": [r.to_dict() for r in self.results]}


class Searcher:
    """Searches the live index generation; one per process, shared by threads."""

    def __init__(self, index_dir: Path, abbreviations: Mapping[str, Sequence[str]] | None = None) -> None:
        self._index_dir = Path(index_dir)
        self._abbreviations: Abbreviations = load_abbreviations(abbreviations or {})
        self._lock = threading.RLock()
        self._state: _ReaderState | None = None

    def search(self, request: SearchRequest) -> SearchResponse:
        """The requested page of matches, with snippets and a "did you mean" suggestion."""
        started = time.perf_counter()
        parsed = parse_query(request.q)

        def answer(state: _ReaderState) -> tuple[int, list[SearchResult], str | None]:
            total, results = self._matches(state, parsed, request)
            return total, results, state.suggest(request.q) if parsed.has_positive else None

        total, results, suggestion = self._read(answer, (0, [], None))
        took_ms = round((time.perf_counter() - started) * 1000, 1)
        return SearchResponse(query=_encodable(request.q), total=total, page=request.page,
                              per_page=request.per_page, took_ms=took_ms, suggestion=suggestion,
                              results=results)

    def document(self, doc_id: str) -> Document | None:
        """The stored document with this id (captures and `gone` included), or None."""
        if not isinstance(doc_id, str) or not doc_id:
            return None

        def lookup(state: _ReaderState) -> Document | None:
            stored = state.searcher.document(**{ID_FIELD: doc_id})
            return stored_to_document(stored) if stored else None

        return self._read(lookup, None)

    def count(self) -> int:
        """How many documents the index holds (0 when there is no index yet)."""
        return self._read(lambda state: state.searcher.doc_count(), 0)

    def site_counts(self) -> dict[str, int]:
        """Documents per site name."""
        return self._read(lambda state: dict(state.site_counts()), {})

    def _read(self, work: Callable[[_ReaderState], T], empty: T) -> T:
        """`work` on the live reader under the lock; `empty` when there is no index.

        A commit or a rebuild may remove files of the generation being read (they vanish
        under an open reader): the work is then retried on a freshly opened reader.
        """
        with self._lock:
            for attempt in range(1, READ_ATTEMPTS + 1):
                try:
                    state = self._current()
                    return empty if state is None else work(state)
                except (OSError, StorageError, whoosh_index.IndexError):
                    if attempt == READ_ATTEMPTS:
                        raise
                    log.warning("index changed during a read; retrying", exc_info=True)
                    self.close()
                    time.sleep(0.02 * attempt)     # let the writer finish renaming its files
            return empty

    def close(self) -> None:
        with self._lock:
            if self._state:
                self._state.close()
                self._state = None

    # -- reader lifecycle -------------------------------------------------------------

    def _current(self) -> _ReaderState | None:
        """The reader of the live generation, refreshed when a commit or a switch happened."""
        generation = live_generation(self._index_dir)
        state = self._state
        if generation is None:
            self.close()
            return None
        try:
            if state is not None and state.generation == generation and state.searcher.up_to_date():
                return state
            # A fresh searcher, not Whoosh's refresh(): refresh() keeps the old reader of a
            # segment whose deletions changed, so updated documents would show twice.
            searcher = FileStorage(str(generation)).open_index().searcher(weighting=WEIGHTING())
        except Exception:  # noqa: BLE001 - a generation removed under our feet: keep what we had
            log.warning("cannot open index generation %s", generation, exc_info=True)
            return state
        if state is not None:
            state.close()
        self._state = _ReaderState(generation, searcher)
        return self._state

    # -- matching ---------------------------------------------------------------------

    def _matches(self, state: _ReaderState, parsed: ParsedQuery,
                 request: SearchRequest) -> tuple[int, list[SearchResult]]:
        total, ranked = self._ranked(state, parsed, request, match_all=True)
        if total == 0 and len(parsed.words) >= ANY_WORD_FALLBACK:   # nothing has every word: any of them
            total, ranked = self._ranked(state, parsed, request, match_all=False)
        first = (request.page - 1) * request.per_page
        terms = _query_terms(parsed, self._abbreviations)
        searcher = state.searcher
        return total, [_result(searcher.stored_fields(docnum), score, terms)
                       for docnum, score in ranked[first: first + request.per_page]]

    def _ranked(self, state: _ReaderState, parsed: ParsedQuery, request: SearchRequest,
                match_all: bool) -> tuple[int, list[Hit]]:
        """Total and the ranked (docnum, score) list down to the requested page.

        Two tiers when some word was typed with diacritics: documents with the exact
        forms, then — only when those are few — documents that match after folding.
        """
        folded = build_query(parsed, self._abbreviations, exact=False, match_all=match_all)
        exact = build_query(parsed, self._abbreviations, exact=True, match_all=match_all) \
            if has_marked_words(parsed) else None
        mask = exclusion_query(parsed)
        sortedby = _sort_facet(request.sort, has_query=parsed.has_positive)
        if sortedby is not None:
            return self._by_date(state, exact, folded, mask, sortedby, request)
        matcher = state.matcher
        excluded = matcher.docs(mask) if mask else Matches.none()
        allowed = state.filter_docs(request)

        def allowed_matches(query: wq.Query, also_excluded: Matches | None = None) -> Matches:
            found = matcher.matches(query).without(excluded)
            found = found.without(also_excluded) if also_excluded is not None else found
            return found if allowed is None else found.within(allowed)

        if exact is None:
            return self._by_relevance(state, allowed_matches(folded), parsed, request, exact=False)
        first = allowed_matches(exact)
        total, ranked = self._by_relevance(state, first, parsed, request, exact=True)
        if total >= EXACT_ENOUGH:
            return total, ranked
        more, rest = self._by_relevance(state, allowed_matches(folded, first), parsed, request, exact=False)
        return total + more, ranked + rest

    def _by_relevance(self, state: _ReaderState, matches: Matches, parsed: ParsedQuery,
                      request: SearchRequest, exact: bool) -> tuple[int, list[Hit]]:
        """The matches by BM25, the best re-ranked by proximity (see `indexer.ranking`).

        The re-ranked set (the top `RERANK_DEPTH` and the sequence candidates) does not
        depend on the page asked for, so pages never repeat or skip a document.
        """
        units = parsed.words or [u for phrase in parsed.phrases for u in phrase]
        candidates = _sequence_candidates(state.postings, matches, parsed, exact)
        hits = matches.top(max(request.page * request.per_page, RERANK_DEPTH) + len(candidates))
        return len(matches), proximity_rerank(state.postings, hits, units, exact, candidates)

    def _by_date(self, state: _ReaderState, exact: wq.Query | None, folded: wq.Query, mask: wq.Query | None,
                 sortedby: sorting.FacetType, request: SearchRequest) -> tuple[int, list[Hit]]:
        """Matches in date order; the exact-form tier alone when it has enough of them."""
        options = {"limit": request.page * request.per_page, "filter": _filter(request), "mask": mask,
                   "sortedby": sortedby}
        results = _search(state.searcher, exact, **options) if exact is not None else None
        if results is None or len(results) < EXACT_ENOUGH:
            results = _search(state.searcher, folded, **options)
        return len(results), [(hit.docnum, hit.score) for hit in results]


class _ReaderState:
    """One open Whoosh searcher and what is derived from it (suggester, site counts)."""

    def __init__(self, generation: Path, searcher: WhooshSearcher) -> None:
        self.generation = generation
        self.searcher = searcher
        self.postings = PostingsCache(searcher)
        self.matcher = Matcher(searcher, self.postings)
        self._filters: OrderedDict[tuple, Matches | None] = OrderedDict()
        self._suggester: Suggester | None = None
        self._site_counts: dict[str, int] | None = None

    def filter_docs(self, request: SearchRequest) -> Matches | None:
        """The documents the request's site and dates allow (None: all), remembered per reader."""
        key = (request.site, request.date_from, request.date_to)
        if key not in self._filters:
            query = _filter(request)
            self._filters[key] = self.matcher.docs(query) if query is not None else None
            if len(self._filters) > FILTER_CACHE_SIZE:
                self._filters.popitem(last=False)
        return self._filters[key]

    def suggest(self, q: str) -> str | None:
        try:
            if self._suggester is None:
                self._suggester = Suggester.from_reader(self.searcher.reader())
            return self._suggester.suggest(q)
        except Exception:  # noqa: BLE001 - a suggestion is a nicety, never a reason to fail a search
            log.warning("suggestion failed for %r", q, exc_info=True)
            return None

    def site_counts(self) -> dict[str, int]:
        if self._site_counts is None:
            results = self.searcher.search(wq.Every(), groupedby=sorting.FieldFacet(SITE), limit=None)
            self._site_counts = {str(site): len(docs) for site, docs in results.groups(SITE).items()}
        return self._site_counts

    def close(self) -> None:
        self.postings.clear()
        self.searcher.close()


def _search(searcher: WhooshSearcher, query: wq.Query, **options: Any) -> Any:
    """Whoosh's search without its shortcuts, which lose documents and miscount totals.

    Every 10 matches the collector "replaces" the matcher by one that skips what
    cannot beat the current minimum score, which turns unions (abbreviation
    alternatives, compounds) into narrower matchers: documents vanish and the
    total shrinks. Block-quality skipping (`optimize`) is off for the same reason,
    and it would count the matches a second time anyway.
    """
    collector = searcher.collector(optimize=False, **options)
    inner = collector
    while hasattr(inner, "child"):
        inner = inner.child
    inner.replace = 0
    searcher.search_with_collector(query, collector)
    return collector.results()


def _sequence_candidates(postings: PostingsCache, matches: Matches, parsed: ParsedQuery,
                         exact: bool) -> list[Hit]:
    """The best matches (by BM25) that hold the free words as one sequence, when not all are re-ranked.

    Known-item queries of common syllables rank the document they are after below the
    top `RERANK_DEPTH` by BM25; these join the re-ranked head, so the sequence always
    gets its proximity bonus.
    """
    if len(parsed.words) < 2 or len(matches) <= RERANK_DEPTH:
        return []
    ranked = matches.top(len(matches))              # best first: stop at the first SEQUENCE_CANDIDATES found
    scores = dict(ranked)
    found = sequence_docs(postings, parsed.words, exact, (d for d, _ in ranked), limit=SEQUENCE_CANDIDATES)
    return [(d, scores[d]) for d in found]


def _filter(request: SearchRequest) -> wq.Query | None:
    clauses: list[wq.Query] = []
    if request.site:
        clauses.append(wq.Term(SITE, request.site))
    if request.date_from or request.date_to:
        start = datetime.combine(request.date_from, datetime.min.time()) if request.date_from else None
        end = datetime.combine(request.date_to, datetime.max.time()) if request.date_to else None
        clauses.append(wq.DateRange(DATE, start, end))
    return wq.And(clauses) if clauses else None


def _sort_facet(sort: str, has_query: bool) -> sorting.FacetType | None:
    """Relevance needs no facet; dates sort newest or oldest first, undated documents last."""
    if sort == "relevance" and has_query:
        return None
    newest = sort != "oldest"
    return sorting.MultiFacet([sorting.FieldFacet(UNDATED), sorting.FieldFacet(DATE, reverse=newest)])


def _query_terms(parsed: ParsedQuery, abbreviations: Abbreviations) -> QueryTerms:
    """What snippets mark: the free words, the quoted phrases, and abbreviation expansions."""
    words = [u.raw for u in parsed.words]
    phrases = [" ".join(u.raw for u in units) for units in parsed.phrases]
    for expansion in abbreviations.expansions(parsed.words):
        for alternative in expansion.alternatives:
            (phrases if " " in alternative else words).append(alternative)
    return QueryTerms.from_strings(words, phrases)


def _result(stored: Mapping[str, Any], score: float | None, terms: QueryTerms) -> SearchResult:
    when = stored.get(DATE)
    score = score if isinstance(score, (int, float)) and math.isfinite(score) else 0.0
    return SearchResult(
        id=stored.get(ID_FIELD, ""), url=stored.get("url", ""), title=stored.get("title", ""),
        date=when.strftime("%Y-%m-%d") if isinstance(when, datetime) else None,
        site=stored.get(SITE, ""), score=round(float(score), 3),
        snippet=make_snippet(stored.get(STORED_TEXT, ""), terms, max_chars=SNIPPET_CHARS),
        gone=bool(stored.get("gone")),
    )


def _encodable(text: str) -> str:
    """The text with lone surrogates replaced, so that the answer can always be encoded."""
    return text.encode("utf-8", "replace").decode("utf-8") if not text.isascii() else text


def _text(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return value.strip() if isinstance(value, str) else ""


def _integer(params: Mapping[str, Any], name: str, default: int, low: int, high: int) -> int:
    text = _text(params, name)
    if not text:
        return default
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        raise BadRequest(f"Tham số {name} phải là số nguyên từ {low} đến {high}.")
    return int(text)


def _date(params: Mapping[str, Any], name: str) -> date | None:
    text = _text(params, name)
    if not text:
        return None
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"Tham số {name} phải là một ngày có thật, dạng YYYY-MM-DD.") from None
