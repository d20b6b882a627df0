"""Whole posting lists of the terms queries use, decoded once and kept per reader.

Whoosh's matchers walk postings one document at a time in Python: on the common
syllables that make up most Vietnamese queries (`của`, `người`, `và`) that walk,
not scoring, is where a search spends its time. Here a query reads each of its
terms' posting lists whole (block by block: zlib and pickle, both C) into compact
arrays — document numbers, the term's BM25 score in each, and the raw position
data, decoded whole into sorted position keys the first time positions are
needed — and keeps them. Common syllables recur from query to query, so most
lists come from memory.

The BM25 score is Whoosh's own `BM25F` for a term (same idf, same stored field
lengths, same B and K1: `indexer.whoosh_internals.scoring`), so scores equal what
Whoosh's searcher gives.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate

import numpy as np
from whoosh.searching import Searcher as WhooshSearcher

from indexer.whoosh_internals.posting_blocks import live_posting_blocks, many_positions_decoder, postings_in
from indexer.whoosh_internals.scoring import bm25, length_norms

# ~37 bytes each (measured): ~450 MB at most. A day's mix of searches on 35k articles reads 11 million
# (bench_request); at 6 million the least recently used lists were evicted and re-read on almost every
# search (a third of a search's CPU time).
MAX_CACHED_POSTINGS = 12_000_000
POSITION_SHIFT = 32               # a position key: docnum << POSITION_SHIFT | position
SKIP_READ_BLOCK = 128             # postings per block: a list longer than this per document wanted is
                                  # read only in those documents' blocks (and not kept)
PRELOAD_POSTINGS = MAX_CACHED_POSTINGS // 2   # what a server reads before serving (`preload`)
WHOLE_LIST_SHARE = 4              # positions wanted in 1 of 4 documents of a list or more: decode it whole


class TermPostings:
    """One term's postings over the whole index (all segments, deleted documents left out)."""

    __slots__ = ("docs", "_scores", "_score", "_ids", "_values", "_offsets", "_decode_many", "_keys",
                 "_key_starts")

    def __init__(self, ids: array, score: Callable[[np.ndarray], np.ndarray], values: Sequence[bytes],
                 decode_many: Callable[[bytes, Sequence[int]], tuple[np.ndarray, np.ndarray]] | None) -> None:
        self._ids = ids                                        # sorted docnums
        self.docs = np.frombuffer(ids, dtype=np.int32) if ids else np.empty(0, np.int32)
        self._score: Callable[[np.ndarray], np.ndarray] | None = score   # docs -> scores, once if needed
        self._scores: np.ndarray | None = None
        self._values = b"".join(values) if decode_many else b""     # position data, one blob
        self._offsets = array("I", accumulate(map(len, values), initial=0)) if decode_many else array("I")
        self._decode_many = decode_many
        self._keys: np.ndarray | None = None
        self._key_starts: np.ndarray | None = None             # where each posting's keys begin

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def cost(self) -> int:
        """What it holds in memory, in postings (a decoded position key weighs a quarter of one)."""
        return len(self._ids) + (len(self._keys) // 4 if self._keys is not None else 0)

    @property
    def scores(self) -> np.ndarray:
        """The term's BM25 in each of `docs` (computed on first use: re-ranking never needs them)."""
        if self._scores is None:
            assert self._score is not None
            self._scores = self._score(self.docs)
            self._score = None                                 # the closure refers to the cache
        return self._scores

    @property
    def keys(self) -> np.ndarray:
        """Every position of the term as one sorted array of keys `docnum << POSITION_SHIFT | position`.

        Decoded whole on first use and kept: sequence and proximity checks then become
        array searches over all matches at once, instead of a decode per document.
        """
        if self._keys is None:
            counts, self._keys = self._decode(self._values, self._offsets, self.docs)
            self._key_starts = np.concatenate(([0], np.cumsum(counts)))
            self._values, self._offsets = b"", array("I")      # the keys say it all now
        return self._keys

    def keys_in(self, docs: np.ndarray) -> np.ndarray:
        """The position keys of this term in `docs` (sorted docnums) only.

        A query's rarest syllable leaves few documents to look in: the postings of a
        common one are then decoded for those documents alone (the whole list of `của`
        is half a million positions). When they are a large share of the list, the whole
        list is decoded once and kept (`keys`).
        """
        if self._decode_many is None:
            return np.empty(0, np.int64)
        found = np.minimum(np.searchsorted(self.docs, docs), max(len(self.docs) - 1, 0))
        chosen = found[self.docs[found] == docs] if len(self.docs) and len(docs) else found[:0]
        if self._keys is None and len(chosen) * WHOLE_LIST_SHARE < len(self.docs):
            offsets = np.frombuffer(self._offsets, dtype=np.uint32).astype(np.int64)
            blob = np.frombuffer(self._values, dtype=np.uint8)[_ranges(offsets[chosen], offsets[chosen + 1])]
            cuts = np.concatenate(([0], np.cumsum(offsets[chosen + 1] - offsets[chosen])))
            return self._decode(blob.tobytes(), cuts, self.docs[chosen])[1]
        keys = self.keys
        assert self._key_starts is not None
        return keys[_ranges(self._key_starts[chosen], self._key_starts[chosen + 1])]

    def _decode(self, blob: bytes, offsets: Sequence[int], docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(positions per posting, sorted keys) of the postings of `docs` whose values are `blob`."""
        if self._decode_many is None or not len(docs):
            return np.zeros(len(docs), np.int64), np.empty(0, np.int64)
        counts, positions = self._decode_many(blob, offsets)
        return counts, (np.repeat(docs.astype(np.int64), counts) << POSITION_SHIFT) | positions


def _as_keys(found: Iterator[tuple[int, list[int]]]) -> np.ndarray:
    """Sorted position keys of (docnum, positions) pairs in docnum order."""
    keys = [(doc << POSITION_SHIFT) | position for doc, positions in found for position in positions]
    return np.array(keys, dtype=np.int64)


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The indices of every range [start, end), one range after the other."""
    lengths = ends - starts
    total = int(lengths.sum())
    if not total:
        return np.empty(0, np.int64)
    shift = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return np.arange(total, dtype=np.int64) + shift


def holds_keys(keys: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Which of `targets` are among `keys` (sorted position keys), as a boolean array."""
    if not len(keys):
        return np.zeros(len(targets), bool)
    found = np.searchsorted(keys, targets)
    return keys[np.minimum(found, len(keys) - 1)] == targets


class PostingsCache:
    """`TermPostings` of one searcher's reader, least recently used evicted past a budget."""

    def __init__(self, searcher: WhooshSearcher, budget: int | None = None) -> None:
        self._searcher = searcher
        self._reader = searcher.reader()
        self._budget = MAX_CACHED_POSTINGS if budget is None else budget
        self._size = 0
        self._terms: OrderedDict[tuple[str, str], TermPostings | None] = OrderedDict()
        self._norms: dict[str, np.ndarray] = {}

    def get(self, fieldname: str, term: str) -> TermPostings | None:
        """The postings of `term` in `fieldname`, or None when the index does not have it."""
        key = (fieldname, term)
        if key in self._terms:
            self._terms.move_to_end(key)
            return self._terms[key]
        postings = self._load(fieldname, term)
        self._terms[key] = postings
        self._size += postings.cost if postings else 0
        self._evict()
        return postings

    def keys(self, fieldname: str, term: str, within: np.ndarray | None = None) -> np.ndarray:
        """The position keys of `term` in `fieldname` (`TermPostings.keys`; empty when it is not indexed),
        only those in the documents `within` (sorted docnums) when given."""
        if within is not None and self._skim(fieldname, term, within):
            found = postings_in(self._reader, fieldname, term, within.tolist())
            return _as_keys((doc, matcher.value_as("positions")) for doc, matcher in found)
        postings = self.get(fieldname, term)
        if postings is None:
            return np.empty(0, np.int64)
        before = postings.cost
        keys = postings.keys if within is None else postings.keys_in(within)
        if postings.cost != before and (fieldname, term) in self._terms:
            self._size += postings.cost - before
            self._evict()
        return keys

    def scored_in(self, fieldname: str, term: str, within: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(docs, BM25 scores) of the term in the documents `within` (sorted docnums) that hold it.

        Once a query's rarest words leave few candidates, a common word is read in their
        blocks alone (and not kept) instead of whole: `của` is 30,000 postings on 35k articles.
        """
        if not self._skim(fieldname, term, within):
            found = self.get(fieldname, term)
            if found is None:
                return np.empty(0, np.int32), np.empty(0)
            keep = np.isin(found.docs, within, assume_unique=True)
            return found.docs[keep], found.scores[keep]
        pairs = [(doc, matcher.weight()) for doc, matcher in
                 postings_in(self._reader, fieldname, term, within.tolist())]
        docs = np.array([doc for doc, _ in pairs], np.int32)
        tf = np.array([weight for _, weight in pairs], np.float64)
        return docs, self._scores(fieldname, term, tf, docs)

    def frequency(self, fieldname: str, term: str) -> int:
        """How many documents hold the term (deleted ones too when its list is not read yet): which of
        a query's terms is rarest, without reading any list."""
        if (fieldname, term) in self._terms:
            return len(self._terms[(fieldname, term)] or ())
        if fieldname not in self._reader.schema or (fieldname, term) not in self._reader:
            return 0
        return self._reader.doc_frequency(fieldname, term)

    def _skim(self, fieldname: str, term: str, within: np.ndarray) -> bool:
        """Whether reading the term's blocks holding `within` beats reading (and keeping) its whole list:
        the exact form of a common syllable, wanted where a query's whole sequence stands."""
        return (fieldname, term) not in self._terms \
            and len(within) * SKIP_READ_BLOCK < self.frequency(fieldname, term)

    def _evict(self) -> None:
        while self._size > self._budget and len(self._terms) > 1:
            _, evicted = self._terms.popitem(last=False)
            self._size -= evicted.cost if evicted else 0

    def preload(self, fieldnames: Sequence[str], budget: int = PRELOAD_POSTINGS) -> int:
        """Read the lists of the terms of `fieldnames` held by the most documents, their scores
        computed and positions decoded, until `budget` postings; how many postings were read.

        The frequent syllables are in most queries, and their lists are the longest to read:
        reading them once before serving takes a cold server's first queries' cost away.
        """
        frequencies: dict[tuple[str, str], int] = {}
        for fieldname in (f for f in fieldnames if f in self._reader.schema):
            field = self._reader.schema[fieldname]
            for segment, _ in self._reader.leaf_readers():    # a multi-segment lexicon merges slowly
                for term, info in segment.iter_field(fieldname):
                    key = (fieldname, field.from_bytes(term))
                    frequencies[key] = frequencies.get(key, 0) + info.doc_frequency()
        read = 0
        for (fieldname, term), count in sorted(frequencies.items(), key=lambda item: (-item[1], item[0])):
            if read + count > min(budget, self._budget):
                break
            postings = self.get(fieldname, term)
            if postings is not None:
                postings.scores                                    # noqa: B018 - computed now, shared later
                self.keys(fieldname, term)                         # positions decoded whole, kept
                read += len(postings)
        return read

    def clear(self) -> None:
        """Forget everything (the lists refer back to the cache for their scores: a cycle)."""
        self._terms.clear()
        self._norms.clear()
        self._size = 0

    def _load(self, fieldname: str, term: str) -> TermPostings | None:
        schema = self._reader.schema
        if fieldname not in schema or (fieldname, term) not in self._reader:
            return None
        field = schema[fieldname]
        ids, weights, values = array("i"), array("f"), []
        for block_ids, block_weights, block_values in live_posting_blocks(self._reader, fieldname, term):
            ids.extend(block_ids)
            weights.extend(block_weights)
            values.extend(block_values)
        tf = np.frombuffer(weights, dtype=np.float32).astype(np.float64) if weights else np.empty(0)
        return TermPostings(ids, lambda docs: self._scores(fieldname, term, tf, docs), values,
                            many_positions_decoder(field.format))

    def _scores(self, fieldname: str, term: str, tf: np.ndarray, docs: np.ndarray) -> np.ndarray:
        """Whoosh's bm25(), the per-document part of its denominator computed once per field."""
        if not self._reader.schema[fieldname].scorable:
            return tf
        return bm25(self._searcher.idf(fieldname, term), tf, self._length_norms(fieldname)[docs])

    def _length_norms(self, fieldname: str) -> np.ndarray:
        norms = self._norms.get(fieldname)
        if norms is None:
            norms = self._norms[fieldname] = length_norms(self._searcher, fieldname)
        return norms
