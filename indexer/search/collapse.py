"""One copy per article in a result list: the copies of an article share a `cluster` id.

The writer stores the cluster (`indexer.writing.clusters`); here a reader's cluster
column becomes an array of small integers by document number, read once per reader.
A list of matches keeps, per cluster, its best-scoring copy (equal scores: the smallest
id, so that which copy shows depends on what is indexed, never on where in its segments
an index put each document: an index updated night by night and one rebuilt from the same
archive show the same copy), so `total` counts articles, not copies, and pages never show
two copies of one article. An index without the column (written before clusters existed)
collapses nothing.
"""

from __future__ import annotations

import numpy as np
from whoosh.searching import Searcher as WhooshSearcher

from indexer.schema import CLUSTER, ID_FIELD
from indexer.search.matching import Matches


class Clusters:
    """The cluster of every document number of one reader, as integers (equal for copies)."""

    def __init__(self, ordinals: np.ndarray | None, ranks: np.ndarray | None = None) -> None:
        self._ordinals = ordinals           # None: every document is alone
        self._ranks = ranks                 # the documents' order by id among the copies (tie-break)

    @classmethod
    def of(cls, searcher: WhooshSearcher) -> Clusters:
        reader = searcher.reader()
        if not reader.has_column(CLUSTER):
            return cls(None)
        values = np.array(list(reader.column_reader(CLUSTER)), dtype=object)
        _, ordinals = np.unique(values, return_inverse=True)
        ordinals = ordinals.astype(np.int64)
        missing = np.flatnonzero((values == "") | (values == b""))     # documents written before clusters
        ordinals[missing] = ordinals.max(initial=0) + 1 + np.arange(len(missing))
        if len(np.unique(ordinals)) == len(ordinals):
            return cls(None)
        return cls(ordinals, _id_ranks(searcher, ordinals))

    @property
    def any(self) -> bool:
        """Whether any article has several copies in this reader."""
        return self._ordinals is not None

    def collapse(self, matches: Matches) -> Matches:
        """The best-scoring match of each cluster."""
        if self._ordinals is None or not len(matches):
            return matches
        clusters = self._ordinals[matches.docs]
        ranks = self._ranks[matches.docs] if self._ranks is not None else matches.docs
        order = np.lexsort((ranks, -matches.scores, clusters))      # by cluster, best first
        first = np.ones(len(order), dtype=bool)
        first[1:] = clusters[order][1:] != clusters[order][:-1]
        keep = np.sort(order[first])
        return Matches(matches.docs[keep], matches.scores[keep])


def _id_ranks(searcher: WhooshSearcher, ordinals: np.ndarray) -> np.ndarray:
    """Each document's rank by id among the documents that have copies (0 for the others): the
    order of equally scored copies. Reads the ids of those documents only (copies are few)."""
    shared = np.flatnonzero(np.bincount(ordinals)[ordinals] > 1)
    ids = [searcher.stored_fields(int(docnum))[ID_FIELD] for docnum in shared]
    ranks = np.zeros(len(ordinals), dtype=np.int64)
    ranks[shared[np.argsort(np.array(ids, dtype=object), kind="stable")]] = np.arange(len(shared))
    return ranks


def copies_of(searcher: WhooshSearcher, doc_id: str, cluster: str) -> list[dict]:
    """The stored fields of the other copies of the article `doc_id` belongs to, by id."""
    found = [searcher.stored_fields(docnum) for docnum in searcher.document_numbers(**{CLUSTER: cluster})]
    return sorted((stored for stored in found if stored.get(ID_FIELD) != doc_id), key=lambda s: s[ID_FIELD])
