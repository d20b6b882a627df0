"""Which documents a search lists, and in which order.

By relevance, every match of the query read folded (all its words, in any form)
is listed, ranked by where the query's syllables stand in it and then by score
(`indexer.search.proximity`): the documents holding the whole sequence in exactly
the forms typed come first, then the whole sequence with some mark differing,
then the ones where the words nearly stand together. By date, the date columns
order the matches (`indexer.search.date_order`), newest or oldest first, undated
documents last; documents holding the exact forms of the words typed with
diacritics are listed alone when there are `EXACT_ENOUGH` of them. Either way an
article published on several pages is listed once (`indexer.search.collapse`).
A query of several words that nothing matches entirely matches any of them instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

from indexer.analysis.abbreviations import Abbreviations
from indexer.search.matching import Hit, Matches
from indexer.search.proximity import rank
from indexer.search.query import (
    ParsedQuery,
    build_query,
    exclusion_query,
    has_accented_words,
    word_variants,
)
from indexer.search.reader import ReaderState
from indexer.search.request import SearchRequest

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
    if request.sort != "relevance" or not parsed.has_positive:       # dates: newest first unless "oldest"
        exact_query = build_query(parsed, abbreviations, exact_tier=True, match_all=match_all) \
            if has_accented_words(parsed) else None
        return _by_date(state, exact_query, folded_query, mask, request.sort != "oldest", request)
    evaluator = state.evaluator
    found = evaluator.matches(folded_query)
    if mask is not None:
        found = found.without(evaluator.docs(mask))
    allowed = state.filter_docs(request)
    if allowed is not None:
        found = found.within(allowed)
    found = state.clusters.collapse(found)       # one copy per article
    variants = word_variants(parsed, abbreviations) if parsed.words else \
        [[u for phrase in parsed.phrases for u in phrase]]
    return Ranking(found.docs, rank(state.postings, found, variants, request.page * request.per_page))


def _by_date(state: ReaderState, exact_query: wq.Query | None, folded_query: wq.Query, mask: wq.Query | None,
             newest: bool, request: SearchRequest) -> Ranking:
    """Matches in date order (`indexer.search.date_order`); the exact tier alone when it has enough."""
    evaluator = state.evaluator
    allowed = state.filter_docs(request)
    excluded = evaluator.docs(mask) if mask is not None else None

    def matches(query: wq.Query) -> Matches:
        if isinstance(query, wq.Every):          # the filter's documents are the matches: no walk
            found = state.every() if allowed is None else Matches(allowed.docs, np.zeros(len(allowed)))
        else:
            found = evaluator.docs(query)
            found = found if allowed is None else found.within(allowed)
        found = found if excluded is None else found.without(excluded)
        return state.clusters.collapse(found)    # one copy per article

    found = matches(exact_query) if exact_query is not None else None
    if found is None or len(found) < EXACT_ENOUGH:
        found = matches(folded_query)
    listed = state.date_order().first(found.docs, newest, request.page * request.per_page)
    return Ranking(found.docs, [(docnum, 0.0) for docnum in listed.tolist()])

