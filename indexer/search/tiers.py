"""Which documents a search lists, and in which order: the ranking tiers.

Two tiers when some free word was typed with diacritics: documents that hold the
exact forms (`indexer.search.forms`), then — only when those are fewer than
`EXACT_ENOUGH` — documents that match after folding. By relevance, each tier is
ranked by BM25 and its head re-ranked by proximity (`indexer.search.proximity`);
by date, Whoosh's sorted collector orders the matches, newest or oldest first,
undated documents last. Either way an article published on several pages is listed
once (`indexer.search.collapse`). A query of several words that nothing matches
entirely matches any of them instead.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh import sorting
from whoosh.searching import Results

from indexer.analysis.abbreviations import Abbreviations
from indexer.schema import DATE, UNDATED
from indexer.search.matching import Hit, Matches
from indexer.search.postings import PostingsCache
from indexer.search.proximity import RERANK_DEPTH, proximity_rerank, sequence_docs
from indexer.search.query import ParsedQuery, build_query, exclusion_query, filter_query, has_accented_words
from indexer.search.reader import ReaderState
from indexer.search.request import SearchRequest
from indexer.whoosh_internals.collector import search_every_match

ANY_WORD_FALLBACK = 3     # a query of this many words that nothing matches entirely: match any
EXACT_ENOUGH = 20         # exact-form matches enough that folded-only matches are not listed
SEQUENCE_CANDIDATES = RERANK_DEPTH   # best-scoring matches holding the whole sequence, re-ranked too


def ranked(state: ReaderState, parsed: ParsedQuery, request: SearchRequest,
           abbreviations: Abbreviations) -> tuple[int, list[Hit]]:
    """How many documents match, and the ranked (docnum, score) list down to the requested page."""
    total, hits = _tiers(state, parsed, request, abbreviations, match_all=True)
    if total == 0 and len(parsed.words) >= ANY_WORD_FALLBACK:   # nothing has every word: any of them
        total, hits = _tiers(state, parsed, request, abbreviations, match_all=False)
    return total, hits


def _tiers(state: ReaderState, parsed: ParsedQuery, request: SearchRequest, abbreviations: Abbreviations,
           match_all: bool) -> tuple[int, list[Hit]]:
    """The exact tier's documents first, then (when those are few) the folded tier's."""
    folded_query = build_query(parsed, abbreviations, exact_tier=False, match_all=match_all)
    exact_query = build_query(parsed, abbreviations, exact_tier=True, match_all=match_all) \
        if has_accented_words(parsed) else None
    mask = exclusion_query(parsed)
    sortedby = _sort_facet(request.sort, has_query=parsed.has_positive)
    if sortedby is not None:
        return _by_date(state, exact_query, folded_query, mask, sortedby, request)
    evaluator = state.evaluator
    excluded = evaluator.docs(mask) if mask else Matches.none()
    allowed = state.filter_docs(request)

    def allowed_matches(query: wq.Query, also_excluded: Matches | None = None) -> Matches:
        found = evaluator.matches(query).without(excluded)
        found = found.without(also_excluded) if also_excluded is not None else found
        found = found if allowed is None else found.within(allowed)
        return state.clusters.collapse(found, taken=also_excluded)     # one copy per article

    if exact_query is None:
        return _by_relevance(state, allowed_matches(folded_query), parsed, request, exact_tier=False)
    first = allowed_matches(exact_query)
    total, hits = _by_relevance(state, first, parsed, request, exact_tier=True)
    if total >= EXACT_ENOUGH:
        return total, hits
    more, rest = _by_relevance(state, allowed_matches(folded_query, first), parsed, request, exact_tier=False)
    return total + more, hits + rest


def _by_relevance(state: ReaderState, matches: Matches, parsed: ParsedQuery, request: SearchRequest,
                  exact_tier: bool) -> tuple[int, list[Hit]]:
    """The matches by BM25, the best re-ranked by proximity (see `indexer.search.proximity`).

    The re-ranked set (the top `RERANK_DEPTH` and the sequence candidates) does not
    depend on the page asked for, so pages never repeat or skip a document.
    """
    units = parsed.words or [u for phrase in parsed.phrases for u in phrase]
    candidates = _sequence_candidates(state.postings, matches, parsed, exact_tier)
    hits = matches.top(max(request.page * request.per_page, RERANK_DEPTH) + len(candidates))
    return len(matches), proximity_rerank(state.postings, hits, units, exact_tier, candidates)


def _by_date(state: ReaderState, exact_query: wq.Query | None, folded_query: wq.Query, mask: wq.Query | None,
             sortedby: sorting.FacetType, request: SearchRequest) -> tuple[int, list[Hit]]:
    """Matches in date order; the exact tier alone when it has enough of them."""
    options: dict[str, Any] = {
        "limit": request.page * request.per_page, "sortedby": sortedby,
        "filter": filter_query(request.site, request.date_from, request.date_to),
    }

    def search(query: wq.Query) -> Results:
        masked = _mask_copies(state, query, mask, request)
        return search_every_match(state.searcher, query, mask=masked, **options)

    results = search(exact_query) if exact_query is not None else None
    if results is None or len(results) < EXACT_ENOUGH:
        results = search(folded_query)
    return len(results), [(hit.docnum, hit.score) for hit in results]


def _mask_copies(state: ReaderState, query: wq.Query, mask: wq.Query | None,
                 request: SearchRequest) -> wq.Query | set[int] | None:
    """The collector's mask plus the copies of articles already matched by another copy."""
    if not state.clusters.any:
        return mask
    evaluator = state.evaluator
    matches = evaluator.docs(query)
    allowed = state.filter_docs(request)
    excluded = evaluator.docs(mask) if mask is not None else None
    matches = matches if excluded is None else matches.without(excluded)
    copies = state.clusters.hidden_copies(matches if allowed is None else matches.within(allowed))
    if not copies:
        return mask
    return copies | (excluded.doc_set() if excluded is not None else set())


def _sequence_candidates(postings: PostingsCache, matches: Matches, parsed: ParsedQuery,
                         exact_tier: bool) -> list[Hit]:
    """The best matches (by BM25) that hold the free words as one sequence, when not all are re-ranked.

    Known-item queries of common syllables rank the document they are after below the
    top `RERANK_DEPTH` by BM25; these join the re-ranked head, so the sequence always
    gets its proximity bonus.
    """
    if len(parsed.words) < 2 or len(matches) <= RERANK_DEPTH:
        return []
    best = matches.top(len(matches))                # best first: stop at the first SEQUENCE_CANDIDATES found
    scores = dict(best)
    found = sequence_docs(postings, parsed.words, exact_tier, (d for d, _ in best),
                          limit=SEQUENCE_CANDIDATES)
    return [(d, scores[d]) for d in found]


def _sort_facet(sort: str, has_query: bool) -> sorting.FacetType | None:
    """Relevance needs no facet; dates sort newest or oldest first, undated documents last."""
    if sort == "relevance" and has_query:
        return None
    newest = sort != "oldest"
    return sorting.MultiFacet([sorting.FieldFacet(UNDATED), sorting.FieldFacet(DATE, reverse=newest)])
