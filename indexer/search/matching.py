"""Every match of a query and its score, computed on whole posting lists.

The queries `indexer.search.query` builds are small trees of `Term`, `Phrase`, `And` and
`Or`. This evaluates such a tree over `PostingsCache` lists with array operations
instead of Whoosh's matcher walk, and scores the way Whoosh's BM25F searcher
does: a term its BM25, a phrase and a conjunction the sum of their parts, a
disjunction the sum of the parts that match, times the query's boost. Any other
query type is handed to Whoosh, so nothing is ever unsupported.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from indexer.search.postings import POSITION_SHIFT, PostingsCache, holds_keys

Hit = tuple[int, float]    # (document number, score)


@dataclass(frozen=True, eq=False)
class Matches:
    """Matched documents (sorted docnums) and their scores, as parallel arrays."""

    docs: np.ndarray
    scores: np.ndarray

    @classmethod
    def none(cls) -> Matches:
        return cls(np.empty(0, np.int32), np.empty(0, np.float64))

    @classmethod
    def of(cls, docs: Collection[int]) -> Matches:
        """Documents with score 0 (unsorted input is fine)."""
        found = np.unique(np.fromiter(docs, dtype=np.int32, count=len(docs)))
        return cls(found, np.zeros(len(found)))

    def __len__(self) -> int:
        return len(self.docs)

    def doc_set(self) -> set[int]:
        return set(self.docs.tolist())

    def without(self, other: Matches) -> Matches:
        """These matches minus the documents of `other`."""
        if not len(other) or not len(self):
            return self
        keep = ~np.isin(self.docs, other.docs, assume_unique=True)
        return Matches(self.docs[keep], self.scores[keep])

    def within(self, other: Matches) -> Matches:
        """These matches restricted to the documents of `other`."""
        keep = np.isin(self.docs, other.docs, assume_unique=True)
        return Matches(self.docs[keep], self.scores[keep])

    def top(self, n: int) -> list[Hit]:
        """The best `n` as (docnum, score), best first, equal scores in docnum order.

        The same order whatever `n`: the first `n` of `top(n + k)` are `top(n)`, which
        pagination relies on.
        """
        if n <= 0:
            return []
        best = np.arange(len(self))
        if n < len(self):                      # everything scoring at least the n-th best, ties included
            threshold = np.partition(self.scores, len(self) - n)[len(self) - n]
            best = np.flatnonzero(self.scores >= threshold)
        best = best[np.lexsort((self.docs[best], -self.scores[best]))][:n]
        return list(zip(self.docs[best].tolist(), self.scores[best].tolist(), strict=True))

    def score_map(self) -> dict[int, float]:
        return dict(zip(self.docs.tolist(), self.scores.tolist(), strict=True))


class QueryEvaluator:
    """Evaluates query trees against one searcher, on whole posting lists from its postings cache."""

    def __init__(self, searcher: WhooshSearcher, postings: PostingsCache) -> None:
        self._searcher = searcher
        self.postings = postings

    def matches(self, query: wq.Query, scored: bool = True, within: np.ndarray | None = None) -> Matches:
        """Every document `query` matches, with its score (0 everywhere when not `scored`); only those
        among `within` (sorted docnums) when given."""
        if isinstance(query, wq.Term):
            result = self._term(query.fieldname, query.text, within)
        elif isinstance(query, wq.Phrase) and query.slop == 1:
            result = self._phrase(query.fieldname, query.words, within)
        elif isinstance(query, wq.And):
            result = self._conjunction(query.subqueries, scored, within)
        elif isinstance(query, wq.Or):
            result = union([self.matches(q, scored, within) for q in query.subqueries])
        elif query is wq.NullQuery:
            result = Matches.none()
        else:
            result = self._whoosh_matches(query) if scored else \
                Matches.of(set(self._searcher.docs_for_query(query)))   # filters (dates, ranges): unscored
            return result if within is None else result.within(Matches(within, np.zeros(len(within))))
        if query.boost != 1.0:
            result = Matches(result.docs, result.scores * query.boost)
        return result

    def docs(self, query: wq.Query) -> Matches:
        """The documents `query` matches, any query (filters too); their scores mean nothing."""
        return self.matches(query, scored=False)

    def _term(self, fieldname: str, text: str, within: np.ndarray | None) -> Matches:
        if within is not None:
            return Matches(*self.postings.scored_in(fieldname, text, within))
        found = self.postings.get(fieldname, text)
        return Matches(found.docs, found.scores) if found else Matches.none()

    def _conjunction(self, parts: Sequence[wq.Query], scored: bool, within: np.ndarray | None) -> Matches:
        """Documents every part matches, scores summed. The rarest part first; each next part is then
        read only in the documents still in question (see `PostingsCache.scored_in`)."""
        result: Matches | None = None
        for part in sorted(parts, key=self._estimate):
            found = self.matches(part, scored, within if result is None else result.docs)
            result = found if result is None else _both(result, found)
            if not len(result):
                break
        return result if result is not None else Matches.none()

    def _estimate(self, query: wq.Query) -> int:
        """About how many documents `query` matches, from document frequencies alone (no list read)."""
        if isinstance(query, wq.Term):
            return self.postings.frequency(query.fieldname, query.text)
        if isinstance(query, wq.Phrase):
            return min((self.postings.frequency(query.fieldname, w) for w in query.words), default=0)
        if isinstance(query, wq.And):
            return min((self._estimate(q) for q in query.subqueries), default=0)
        if isinstance(query, wq.Or):
            return sum(self._estimate(q) for q in query.subqueries)
        return 1 << 62 if query is not wq.NullQuery else 0        # left to Whoosh: read last

    def _phrase(self, fieldname: str, words: Sequence[str], within: np.ndarray | None = None) -> Matches:
        """Documents with `words` adjacent and in this order; scored as the words together."""
        if not words:
            return Matches.none()
        together = self._conjunction([wq.Term(fieldname, w) for w in words], True, within)
        if len(words) == 1 or not len(together):
            return together
        keep = np.isin(together.docs, sequence_docs(self.postings, fieldname, words, together.docs))
        return Matches(together.docs[keep], together.scores[keep])

    def _whoosh_matches(self, query: wq.Query) -> Matches:
        results = self._searcher.search(query, limit=None, optimize=False)
        found = sorted((hit.docnum, hit.score or 0.0) for hit in results)
        return Matches(np.array([d for d, _ in found], np.int32), np.array([s for _, s in found], np.float64))


def sequence_docs(postings: PostingsCache, fieldname: str, words: Sequence[str],
                  within: np.ndarray | None = None) -> np.ndarray:
    """The documents (sorted docnums) where `words` stand one after the other, in this order; only
    among `within` (sorted docnums) when given.

    The rarest word's positions are the candidate places; each other word is looked up
    there in its sorted position keys, read only for the documents still in question.
    """
    if not words:
        return np.empty(0, np.int32)
    rarest = min(range(len(words)), key=lambda i: postings.frequency(fieldname, words[i]))
    starts = postings.keys(fieldname, words[rarest], within) - rarest
    for offset, word in enumerate(words):
        if offset != rarest and len(starts):
            owners = np.unique(starts >> POSITION_SHIFT)
            starts = starts[holds_keys(postings.keys(fieldname, word, owners), starts + offset)]
    return np.unique((starts >> POSITION_SHIFT).astype(np.int32))


def _both(first: Matches, second: Matches) -> Matches:
    """Documents in both, scores summed."""
    docs, mine, theirs = np.intersect1d(first.docs, second.docs, assume_unique=True, return_indices=True)
    return Matches(docs, first.scores[mine] + second.scores[theirs])


def union(parts: Sequence[Matches]) -> Matches:
    """Documents in any part, the scores of the parts that hold them summed."""
    parts = [p for p in parts if len(p)]
    if len(parts) <= 1:
        return parts[0] if parts else Matches.none()
    docs, inverse = np.unique(np.concatenate([p.docs for p in parts]), return_inverse=True)
    scores = np.bincount(inverse, weights=np.concatenate([p.scores for p in parts]), minlength=len(docs))
    return Matches(docs.astype(np.int32), scores)
