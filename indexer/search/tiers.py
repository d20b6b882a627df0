"""Which documents a search lists, and in which order: the ranking tiers.

Two tiers when some free word was typed with diacritics: documents that hold the
exact forms (`indexer.search.forms`), then — only when those are fewer than
`EXACT_ENOUGH` — documents that match after folding. By relevance, each tier is
ranked by BM25 and its head re-ranked by proximity (`indexer.search.proximity`);
by date, the date columns order the matches (`indexer.search.date_order`), newest
or oldest first, undated documents last. Either way an article published on several pages is listed
once (`indexer.search.collapse`). A query of several words that nothing matches
entirely matches any of them instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

from indexer.analysis.abbreviations import Abbreviations
from indexer.search.matching import Hit, Matches
from indexer.search.postings import PostingsCache
from indexer.search.proximity import RERANK_DEPTH, proximity_rerank, sequence_docs
from indexer.search.query import ParsedQuery, build_query, exclusion_query, has_accented_words
from indexer.search.reader import ReaderState
from indexer.search.request import SearchRequest

ANY_WORD_FALLBACK = 3     # a query of this many words that nothing matches entirely: match any
EXACT_ENOUGH = 20         # exact-form matches enough that folded-only matches are not listed
SEQUENCE_CANDIDATES = RERANK_DEPTH   # best-scoring matches holding the whole sequence, re-ranked too


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
    ranking = _tiers(state, parsed, request, abbreviations, match_all=True)
    if ranking.total == 0 and len(parsed.words) >= ANY_WORD_FALLBACK:   # nothing has every word: any of them
        ranking = _tiers(state, parsed, request, abbreviations, match_all=False)
    return ranking


def _tiers(state: ReaderState, parsed: ParsedQuery, request: SearchRequest, abbreviations: Abbreviations,
           match_all: bool) -> Ranking:
    """The exact tier's documents first, then (when those are few) the folded tier's."""
    folded_query = build_query(parsed, abbreviations, exact_tier=False, match_all=match_all)
    exact_query = build_query(parsed, abbreviations, exact_tier=True, match_all=match_all) \
        if has_accented_words(parsed) else None
    mask = exclusion_query(parsed)
    if request.sort != "relevance" or not parsed.has_positive:       # dates: newest first unless "oldest"
        return _by_date(state, exact_query, folded_query, mask, request.sort != "oldest", request)
    evaluator = state.evaluator
    excluded = evaluator.docs(mask) if mask else Matches.none()
    allowed = state.filter_docs(request)

    def allowed_matches(query: wq.Query, also_excluded: np.ndarray | None = None) -> Matches:
        found = evaluator.matches(query).without(excluded)
        if also_excluded is not None:
            found = found.without(Matches(also_excluded, np.zeros(len(also_excluded))))
        found = found if allowed is None else found.within(allowed)
        return state.clusters.collapse(found, taken=also_excluded)     # one copy per article

    if exact_query is None:
        return _by_relevance(state, allowed_matches(folded_query), parsed, request, exact_tier=False)
    first = _by_relevance(state, allowed_matches(exact_query), parsed, request, exact_tier=True)
    if first.total >= EXACT_ENOUGH:
        return first
    folded = allowed_matches(folded_query, first.matched)
    rest = _by_relevance(state, folded, parsed, request, exact_tier=False)
    return Ranking(np.concatenate([first.matched, rest.matched]), first.hits + rest.hits)


def _by_relevance(state: ReaderState, matches: Matches, parsed: ParsedQuery, request: SearchRequest,
                  exact_tier: bool) -> Ranking:
    """The matches by BM25, the best re-ranked by proximity (see `indexer.search.proximity`).

    The re-ranked set (the top `RERANK_DEPTH` and the sequence candidates) does not
    depend on the page asked for, so pages never repeat or skip a document.
    """
    units = parsed.words or [u for phrase in parsed.phrases for u in phrase]
    candidates = _sequence_candidates(state.postings, matches, parsed, exact_tier)
    hits = matches.top(max(request.page * request.per_page, RERANK_DEPTH) + len(candidates))
    return Ranking(matches.docs, proximity_rerank(state.postings, hits, units, exact_tier, candidates))


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


def _sequence_candidates(postings: PostingsCache, matches: Matches, parsed: ParsedQuery,
                         exact_tier: bool) -> list[Hit]:
    """The best matches (by BM25) that hold the free words as one sequence, when not all are re-ranked.

    Known-item queries of common syllables rank the document they are after below the
    top `RERANK_DEPTH` by BM25; these join the re-ranked head, so the sequence always
    gets its proximity bonus.
    """
    if len(parsed.words) < 2 or len(matches) <= RERANK_DEPTH:
        return []
    best = matches.top(len(matches))                # best first: the first SEQUENCE_CANDIDATES found
    scores = dict(best)
    found = sequence_docs(postings, parsed.words, exact_tier, np.array([d for d, _ in best], np.int32),
                          limit=SEQUENCE_CANDIDATES)
    return [(d, scores[d]) for d in found]
