"""Which documents a search lists, and in which order.

By relevance, every match of the query read folded (all its words, in any form)
is listed, ranked by where the query's syllables stand in it and then by score
(`indexer.search.proximity`): the documents holding the whole sequence in exactly
the forms typed come first, then the whole sequence with some mark differing,
then the ones where the words nearly stand together. By date, Whoosh's sorted
collector orders the matches, newest or oldest first, undated documents last;
documents holding the exact forms of the words typed with diacritics are listed
alone when there are `EXACT_ENOUGH` of them. A query of several words that
nothing matches entirely matches any of them instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh import sorting

from indexer.analysis.abbreviations import Abbreviations
from indexer.schema import DATE, UNDATED
from indexer.search.matching import Hit
from indexer.search.proximity import rank
from indexer.search.query import (
    ParsedQuery,
    build_query,
    exclusion_query,
    filter_query,
    has_accented_words,
    word_variants,
)
from indexer.search.reader import ReaderState
from indexer.search.request import SearchRequest
from indexer.whoosh_internals.collector import search_every_match

ANY_WORD_FALLBACK = 3     # a query of this many words that nothing matches entirely: match any
EXACT_ENOUGH = 20         # by date: exact-form matches enough that folded-only matches are not listed


@dataclass(frozen=True, eq=False)
class Ranking:
    """What a search lists: every match counted in `total` (`matched`, document numbers, for the
    facets) and the ranked (docnum, score) list down to the requested page."""

    matched: np.ndarray
    hits: list[Hit]

    @property
    def total(self) -> int:
        return len(self.matched)


def ranked(state: ReaderState, parsed: ParsedQuery, request: SearchRequest,
           abbreviations: Abbreviations) -> Ranking:
    """Every match and the ranked list down to the requested page."""
    ranking = _matches(state, parsed, request, abbreviations, match_all=True)
    if ranking.total == 0 and len(parsed.words) >= ANY_WORD_FALLBACK:   # nothing has every word: any of them
        ranking = _matches(state, parsed, request, abbreviations, match_all=False)
    return ranking


def _matches(state: ReaderState, parsed: ParsedQuery, request: SearchRequest, abbreviations: Abbreviations,
             match_all: bool) -> Ranking:
    folded_query = build_query(parsed, abbreviations, exact_tier=False, match_all=match_all)
    mask = exclusion_query(parsed)
    sortedby = _sort_facet(request.sort, has_query=parsed.has_positive)
    if sortedby is not None:
        exact_query = build_query(parsed, abbreviations, exact_tier=True, match_all=match_all) \
            if has_accented_words(parsed) else None
        return _by_date(state, exact_query, folded_query, mask, sortedby, request)
    evaluator = state.evaluator
    found = evaluator.matches(folded_query)
    if mask is not None:
        found = found.without(evaluator.docs(mask))
    allowed = state.filter_docs(request)
    if allowed is not None:
        found = found.within(allowed)
    variants = word_variants(parsed, abbreviations) if parsed.words else \
        [[u for phrase in parsed.phrases for u in phrase]]
    return Ranking(found.docs, rank(state.postings, found, variants, request.page * request.per_page))


def _by_date(state: ReaderState, exact_query: wq.Query | None, folded_query: wq.Query, mask: wq.Query | None,
             sortedby: sorting.FacetType, request: SearchRequest) -> Ranking:
    """Matches in date order; the exact tier alone when it has enough of them."""
    options: dict[str, Any] = {
        "limit": request.page * request.per_page, "mask": mask, "sortedby": sortedby,
        "filter": filter_query(request),
    }
    results = search_every_match(state.searcher, exact_query, **options) if exact_query is not None else None
    if results is None or len(results) < EXACT_ENOUGH:
        results = search_every_match(state.searcher, folded_query, **options)
    matched = np.fromiter(results.docs(), dtype=np.int32, count=len(results))
    return Ranking(matched, [(hit.docnum, hit.score) for hit in results])


def _sort_facet(sort: str, has_query: bool) -> sorting.FacetType | None:
    """Relevance needs no facet; dates sort newest or oldest first, undated documents last."""
    if sort == "relevance" and has_query:
        return None
    newest = sort != "oldest"
    return sorting.MultiFacet([sorting.FieldFacet(UNDATED), sorting.FieldFacet(DATE, reverse=newest)])
