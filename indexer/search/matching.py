"""Every match of a query and its score, computed on whole posting lists.

The queries `indexer.search.query` builds are small trees of `Term`, `Phrase`, `And` and
`Or`. This evaluates such a tree over `PostingsCache` lists with array operations
instead of Whoosh's matcher walk, and scores the way Whoosh's BM25F searcher
does: a term its BM25, a phrase and a conjunction the sum of their parts, a
disjunction the sum of the parts that match, times the query's boost. Any other
query type is handed to Whoosh, so nothing is ever unsupported.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from indexer.search.postings import PostingsCache, TermPostings

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

    def matches(self, query: wq.Query, scored: bool = True) -> Matches:
        """Every document `query` matches, with its score (0 everywhere when not `scored`)."""
        if isinstance(query, wq.Term):
            found = self.postings.get(query.fieldname, query.text)
            result = Matches(found.docs, found.scores) if found else Matches.none()
        elif isinstance(query, wq.Phrase) and query.slop == 1:
            result = self._phrase(query.fieldname, query.words)
        elif isinstance(query, wq.And):
            result = _intersection([self.matches(q, scored) for q in query.subqueries])
        elif isinstance(query, wq.Or):
            result = union([self.matches(q, scored) for q in query.subqueries])
        elif query is wq.NullQuery:
            result = Matches.none()
        elif scored:
            return self._whoosh_matches(query)
        else:                                    # filters (dates, ranges): Whoosh's unscored document set
            return Matches.of(set(self._searcher.docs_for_query(query)))
        if query.boost != 1.0:
            result = Matches(result.docs, result.scores * query.boost)
        return result

    def docs(self, query: wq.Query) -> Matches:
        """The documents `query` matches, any query (filters too); their scores mean nothing."""
        return self.matches(query, scored=False)

    def _phrase(self, fieldname: str, words: Sequence[str]) -> Matches:
        """Documents with `words` adjacent and in this order; scored as the words together."""
        lists = [self.postings.get(fieldname, w) for w in words]
        if not lists or any(p is None for p in lists):
            return Matches.none()
        together = _intersection([Matches(p.docs, p.scores) for p in lists])
        if len(lists) == 1:
            return together
        holding = sequence_holders(lists, [1] * len(lists), together.docs)
        keep = np.isin(together.docs, holding, assume_unique=True)
        return Matches(together.docs[keep], together.scores[keep])

    def _whoosh_matches(self, query: wq.Query) -> Matches:
        results = self._searcher.search(query, limit=None, optimize=False)
        found = sorted((hit.docnum, hit.score or 0.0) for hit in results)
        return Matches(np.array([d for d, _ in found], np.int32), np.array([s for _, s in found], np.float64))


def sequence_holders(lists: Sequence[TermPostings | None], spans: Sequence[int],
                     docs: np.ndarray) -> np.ndarray:
    """Those of `docs` (sorted, unique) where the terms follow each other, each `spans[i]` positions
    long: what `sequence_in_document` says of each, on all of them at once (`TermPostings.position_keys`)."""
    if not lists or any(p is None for p in lists) or not len(docs):
        return np.empty(0, np.int32)
    keys: np.ndarray | None = None
    shift = 0
    for postings, span in zip(lists, spans, strict=True):
        found = postings.position_keys(docs, shift)
        keys = found if keys is None else np.intersect1d(keys, found, assume_unique=True)
        if not len(keys):
            return np.empty(0, np.int32)
        shift += span
    return np.unique(keys >> 32).astype(np.int32)


def sequence_in_document(lists: Sequence[TermPostings | None], spans: Sequence[int], docnum: int) -> bool:
    """True when the terms follow each other in the document, each `spans[i]` positions long.

    Positions are decoded from the posting lists term by term, and only while the
    sequence can still hold (see `sequence_in_positions` for positions already decoded).
    """
    if not lists or any(p is None for p in lists):
        return False
    return sequence_in_positions((p.positions(docnum) for p in lists), spans)


def sequence_in_positions(positions: Iterable[Sequence[int]], spans: Sequence[int]) -> bool:
    """True when some position of the first list is followed by one of each next list, `spans` apart."""
    current: set[int] | None = None
    for index, following in enumerate(positions):
        if current is None:
            current = set(following)
        else:
            current = {p + spans[index - 1] for p in current}.intersection(following)
        if not current:
            return False
    return current is not None


def _intersection(parts: list[Matches]) -> Matches:
    """Documents in every part, scores summed; the shortest lists first."""
    if not parts:
        return Matches.none()
    parts = sorted(parts, key=len)
    result = parts[0]
    for part in parts[1:]:
        if not len(result):
            break
        docs, mine, theirs = np.intersect1d(result.docs, part.docs, assume_unique=True, return_indices=True)
        result = Matches(docs, result.scores[mine] + part.scores[theirs])
    return result


def union(parts: Sequence[Matches]) -> Matches:
    """Documents in any part, the scores of the parts that hold them summed."""
    parts = [p for p in parts if len(p)]
    if len(parts) <= 1:
        return parts[0] if parts else Matches.none()
    docs, inverse = np.unique(np.concatenate([p.docs for p in parts]), return_inverse=True)
    scores = np.bincount(inverse, weights=np.concatenate([p.scores for p in parts]), minlength=len(docs))
    return Matches(docs.astype(np.int32), scores)
