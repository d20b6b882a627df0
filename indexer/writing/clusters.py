"""Which indexed pages are copies of one article: the `cluster` id every copy stores.

Copies are pages whose texts pass `indexer.analysis.near_duplicates.similarity`; a cluster is a
connected component of that relation, and its id is the smallest page id in it, so
it depends only on the set of pages indexed, never on their order: an update and a
rebuild of the same archive give every page the same cluster. Candidates are the pages
sharing a MinHash band key (the `band_keys` field); each candidate pair is compared
exactly on the stored texts.

Three ways to the same answer. After an update's commit, `changed_clusters` looks only
at what the written pages can have changed: their new candidates, the clusters those
belong to, and the clusters the pages left (a cluster can split when a page changes).
After a rebuild's commit, `all_clusters` reads every band key with more than one page.
Both return only the pages whose stored cluster differs from the right one; the writer
writes those again. Before a rebuild's only write, `pending_clusters` does what
`all_clusters` does on the pages still in memory, so that they are written once, with
the shingles the extraction processes made, and the candidate pairs checked by as many
processes as the rebuild extracts with.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache, partial

import numpy as np
from whoosh.searching import Searcher

from indexer.analysis.near_duplicates import (
    SAME_TEXT,
    THRESHOLD,
    Fingerprint,
    copies_among,
    fingerprint,
    signatures_agree,
)
from indexer.document import Document
from indexer.schema import BAND_KEYS, CLUSTER, ID_FIELD, STORED_TEXT, TITLE
from indexer.writing.forked import can_fork, run_split

Fingerprints = Callable[[str], Fingerprint]      # a page's fingerprint by its id
MAX_BUCKET = 1000        # a band key shared by more pages than this is a template's, not an article's
MIN_FORKED_PAIRS = 20_000  # candidate pairs per process at least (~0.1 s of checks; a fork costs ~0.01 s)


class _Pages:
    """Stored ids, texts and clusters of the pages looked at, each read once."""

    def __init__(self, searcher: Searcher) -> None:
        self._searcher = searcher
        self._stored: dict[int, dict] = {}
        self._fingerprints: dict[str, Fingerprint] = {}
        self._members: dict[str, list[str]] = {}
        self._sharing: dict[str, list[str]] = {}
        self.docnums: dict[str, int] = {}

    def stored(self, docnum: int) -> dict:
        found = self._stored.get(docnum)
        if found is None:
            found = self._stored[docnum] = self._searcher.stored_fields(docnum)
            self.docnums[found[ID_FIELD]] = docnum
        return found

    def by_id(self, doc_id: str) -> dict | None:
        if doc_id not in self.docnums:
            docnum = self._searcher.document_number(**{ID_FIELD: doc_id})
            if docnum is None:
                return None
            self.stored(docnum)
        return self.stored(self.docnums[doc_id])

    def fingerprint(self, doc_id: str) -> Fingerprint:
        found = self._fingerprints.get(doc_id)
        if found is None:
            page = self.by_id(doc_id) or {}
            found = self._fingerprints[doc_id] = fingerprint(page.get(TITLE, ""), page.get(STORED_TEXT, ""))
        return found

    def cluster(self, doc_id: str) -> str:
        """The cluster the page stores ('' when there is no such page)."""
        return _stored_cluster(self.by_id(doc_id))

    def members(self, cluster: str) -> list[str]:
        """The pages that store `cluster`."""
        if cluster not in self._members:
            docnums = self._searcher.document_numbers(**{CLUSTER: cluster})
            self._members[cluster] = [self.stored(docnum)[ID_FIELD] for docnum in docnums]
        return self._members[cluster]

    def sharing(self, key: str) -> list[str]:
        """The pages with band key `key` (none when a template's key is shared by very many)."""
        if key not in self._sharing:
            postings = self._docnums_with(key)
            self._sharing[key] = [self.stored(docnum)[ID_FIELD] for docnum in postings] \
                if len(postings) <= MAX_BUCKET else []
        return self._sharing[key]

    def _docnums_with(self, key: str) -> list[int]:
        reader = self._searcher.reader()
        if (BAND_KEYS, key) not in reader:
            return []
        found = reader.postings(BAND_KEYS, key).all_ids()
        return [docnum for docnum in found if not reader.is_deleted(docnum)]


def changed_clusters(searcher: Searcher, written: Mapping[str, str | None]) -> dict[str, str]:
    """After pages were written (id -> the cluster they stored before, None for new pages): the pages
    whose stored cluster is no longer right, with the right one."""
    pages = _Pages(searcher)
    affected: set[str] = set()
    for doc_id, before in written.items():
        affected.add(doc_id)
        if before:
            affected.update(pages.members(before))
        if pages.by_id(doc_id) is not None:
            keys = pages.fingerprint(doc_id).band_keys()
            sharing = {other for key in keys for other in pages.sharing(key)}
            for other in sharing - affected:
                affected.update(pages.members(pages.cluster(other)))
    present = [doc_id for doc_id in affected if pages.by_id(doc_id) is not None]
    buckets = _buckets(present, lambda doc_id: pages.fingerprint(doc_id).band_keys())
    return _differing(pages.cluster, _copies(pages.fingerprint, buckets.values()), present)


def all_clusters(searcher: Searcher, procs: int = 1) -> dict[str, str]:
    """The pages whose stored cluster is not right, with the right one, over the whole index; `procs` > 1:
    candidate pairs checked by as many processes."""
    pages = _Pages(searcher)
    buckets = (pages.sharing(key.decode("utf-8") if isinstance(key, bytes) else key)
               for key, info in searcher.reader().iter_field(BAND_KEYS)
               if 1 < info.doc_frequency() <= MAX_BUCKET)
    return _differing(pages.cluster, _copies(pages.fingerprint, buckets, procs))


def pending_clusters(documents: Mapping[str, Document], keys: Mapping[str, list[str]],
                     made: Mapping[str, np.ndarray] | None = None, procs: int = 1) -> dict[str, str]:
    """`all_clusters` for pages not written yet (all of a new generation's, in memory), so that they are
    written once, with their cluster: the documents whose cluster is not right, with the right one.
    `keys` and `made`: band keys and shingles already made (by the extraction processes), by id; the
    others' are made here. `procs` > 1: candidate pairs are checked by as many processes (`forked`)."""
    made = made or {}
    fingerprint_of = cache(lambda doc_id: fingerprint(documents[doc_id].title, documents[doc_id].text,
                                                      made.get(doc_id)))
    buckets = _buckets(documents, lambda doc_id: keys[doc_id] if doc_id in keys
                       else fingerprint_of(doc_id).band_keys())
    copies = _copies(fingerprint_of, (ids for ids in buckets.values() if 1 < len(ids) <= MAX_BUCKET), procs)
    return _differing(lambda doc_id: documents[doc_id].cluster or doc_id, copies)


def components(ids: Iterable[str], copies: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each id's cluster: the smallest id of its connected component under the `copies` pairs."""
    parent = {doc_id: doc_id for doc_id in ids}

    def root(doc_id: str) -> str:
        while parent[doc_id] != doc_id:
            parent[doc_id] = parent[parent[doc_id]]
            doc_id = parent[doc_id]
        return doc_id

    for a, b in copies:
        first, second = root(a), root(b)
        if first != second:
            parent[max(first, second)] = min(first, second)
    return {doc_id: root(doc_id) for doc_id in parent}


def _buckets(ids: Iterable[str], keys_of: Callable[[str], list[str]]) -> dict[str, list[str]]:
    """The ids sharing each band key (`keys_of`: a page's keys), each bucket in id order."""
    buckets: dict[str, list[str]] = defaultdict(list)
    for doc_id in sorted(ids):
        for key in keys_of(doc_id):
            buckets[key].append(doc_id)
    return buckets


def _copies(fingerprint_of: Fingerprints, buckets: Iterable[list[str]],
            procs: int = 1) -> list[tuple[str, str]]:
    """The pairs of pages sharing a bucket (a band key) that are copies; checked in `procs` processes when
    there are many (every fingerprint is made here first: the forked processes share them)."""
    pairs = list({pair for members in buckets for pair in _bucket_pairs(fingerprint_of, members)})
    parts = min(procs, len(pairs) // MIN_FORKED_PAIRS) if can_fork() else 1
    check = partial(_checked, fingerprint_of)
    return run_split("copy-checking", check, pairs, parts) if parts > 1 else check(pairs)


def _checked(fingerprint_of: Fingerprints, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs that are copies, each page's candidates checked together (`copies_among`)."""
    partners: dict[str, list[str]] = defaultdict(list)
    for a, b in pairs:
        partners[a].append(b)
    return [(a, b) for a, others in partners.items()
            for b, copy in zip(others, copies_among(fingerprint_of(a), [fingerprint_of(b) for b in others]),
                               strict=True) if copy]


def _bucket_pairs(fingerprint_of: Fingerprints, members: list[str]) -> Iterator[tuple[str, str]]:
    """The pairs (smaller id first) of pages sharing a band key that may be copies: whose sizes allow it
    (the Jaccard similarity of two shingle sets is at most the smaller's size over the larger's) and whose
    signatures agree (`signatures_agree`). Judged for all pairs at once: in a large bucket (a template's
    sentences) most pairs fail, and looking at them one by one was most of a rebuild's clustering."""
    members = sorted(members)
    prints = [fingerprint_of(doc_id) for doc_id in members]
    sizes = np.array([len(found.shingles) for found in prints])
    signatures = np.stack([found.signature for found in prints])
    first, second = np.triu_indices(len(members), k=1)
    smaller, larger = np.minimum(sizes[first], sizes[second]), np.maximum(sizes[first], sizes[second])
    possible = smaller >= (min(THRESHOLD, SAME_TEXT) - 1e-9) * larger     # the least `are_copies` needs
    first, second = first[possible], second[possible]
    likely = signatures_agree(signatures[first], signatures[second])
    return ((members[a], members[b]) for a, b in zip(first[likely].tolist(), second[likely].tolist(),
                                                    strict=True))


def _differing(cluster_of: Callable[[str], str], copies: list[tuple[str, str]],
               ids: Iterable[str] | None = None) -> dict[str, str]:
    """The pages among `ids` (by default: those in a pair of `copies`) whose cluster now (`cluster_of`)
    differs from their component's."""
    right = components(sorted({doc_id for pair in copies for doc_id in pair}) if ids is None else ids, copies)
    return {doc_id: cluster for doc_id, cluster in right.items() if cluster_of(doc_id) != cluster}


def _stored_cluster(stored: Mapping | None) -> str:
    if not stored:
        return ""
    return stored.get(CLUSTER) or stored.get(ID_FIELD, "")
