"""Whole posting lists of the terms queries use, decoded once and kept per reader.

Whoosh's matchers walk postings one document at a time in Python: on the common
syllables that make up most Vietnamese queries (`của`, `người`, `và`) that walk,
not scoring, is where a search spends its time. Here a query reads each of its
terms' posting lists whole (block by block: zlib and pickle, both C) into compact
arrays — document numbers, the term's BM25 score in each, and the raw position
data, decoded per document when few need positions, or whole into one array when a
sequence is checked in thousands (`position_keys`) — and keeps them.
Common syllables recur from query to query, so most lists come from memory.

The BM25 score is Whoosh's own `BM25F` for a term (same idf, same stored field
lengths, same B and K1: `indexer.whoosh_internals.scoring`), so scores equal what
Whoosh's searcher gives.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Sequence
from itertools import accumulate, chain, pairwise

import numpy as np
from whoosh.searching import Searcher as WhooshSearcher

from indexer.whoosh_internals.posting_blocks import live_posting_blocks, positions_decoder
from indexer.whoosh_internals.scoring import bm25, length_norms

# ~37 bytes each (measured): ~450 MB at most. A day's mix of searches on 35k articles reads 11 million
# (bench_request); at 6 million the least recently used lists were evicted and re-read on almost every
# search (a third of a search's CPU time).
MAX_CACHED_POSTINGS = 12_000_000
# Read before serving (`PostingsCache.preload`): the most frequent terms' lists, half the budget, so that
# the lists a server reads most and that cost most to read are shared by every worker process.
PRELOAD_POSTINGS = MAX_CACHED_POSTINGS // 2


class TermPostings:
    """One term's postings over the whole index (all segments, deleted documents left out)."""

    __slots__ = ("docs", "_scores", "_score", "_ids", "_values", "_offsets", "_decode", "_flat", "_starts")

    def __init__(self, ids: array, score: Callable[[np.ndarray], np.ndarray], values: Sequence[bytes],
                 decode: Callable[[bytes], list[int]] | None) -> None:
        self._ids = ids                                        # sorted docnums, for bisect
        self.docs = np.frombuffer(ids, dtype=np.int32) if ids else np.empty(0, np.int32)
        self._score: Callable[[np.ndarray], np.ndarray] | None = score   # docs -> scores, once if needed
        self._scores: np.ndarray | None = None
        self._values = b"".join(values) if decode else b""     # position data, one blob
        self._offsets = array("I", accumulate(map(len, values), initial=0)) if decode else array("I")
        self._decode = decode
        self._flat: np.ndarray | None = None                   # every position, decoded on first batch use
        self._starts: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def scores(self) -> np.ndarray:
        """The term's BM25 in each of `docs` (computed on first use: re-ranking never needs them)."""
        if self._scores is None:
            assert self._score is not None
            self._scores = self._score(self.docs)
            self._score = None                                 # the closure refers to the cache
        return self._scores

    def __contains__(self, docnum: int) -> bool:
        i = bisect_left(self._ids, docnum)
        return i < len(self._ids) and self._ids[i] == docnum

    def positions(self, docnum: int) -> list[int]:
        """The term's positions in the document; empty when the document lacks the term."""
        i = bisect_left(self._ids, docnum)
        if self._decode is None or i == len(self._ids) or self._ids[i] != docnum:
            return []
        if self._flat is not None:
            assert self._starts is not None
            return self._flat[self._starts[i]:self._starts[i + 1]].tolist()
        return self._decode(self._values[self._offsets[i]:self._offsets[i + 1]])

    def position_keys(self, docs: np.ndarray, shift: int) -> np.ndarray:
        """`(docnum << 32) + position - shift` for every position of the term at or after `shift` in
        those of `docs` (sorted) that hold it, sorted: a sequence's terms, each shifted by the
        positions before it, share a key in the documents holding the sequence.

        Decodes every document's positions once, on first use, and keeps them (4 bytes each):
        checking a sequence in thousands of matches then takes a few array operations.
        """
        if self._decode is None:
            return np.empty(0, np.int64)
        flat, starts = self.decode_positions()
        docs = docs[np.isin(docs, self.docs, assume_unique=True)]
        index = np.searchsorted(self.docs, docs)
        first, counts = starts[index], starts[index + 1] - starts[index]
        total = int(counts.sum())
        runs = np.cumsum(counts) - counts                      # where each document's run starts
        gather = np.repeat(first - runs, counts) + np.arange(total)
        positions = flat[gather].astype(np.int64) - shift
        keys = (np.repeat(docs.astype(np.int64), counts) << 32) + positions
        return keys[positions >= 0]

    def decode_positions(self) -> tuple[np.ndarray, np.ndarray]:
        """Every position of the term, document after document, and where each document's start;
        decoded once (the raw position data is then dropped)."""
        if self._flat is None:
            decode, blob = self._decode, self._values
            lists = [decode(blob[a:b]) for a, b in pairwise(self._offsets)] if decode else [[]] * len(self)
            self._starts = np.fromiter(accumulate(map(len, lists), initial=0), np.int64, len(lists) + 1)
            self._flat = np.fromiter(chain.from_iterable(lists), np.int32, int(self._starts[-1]))
            self._values, self._offsets = b"", array("I")
        assert self._starts is not None
        return self._flat, self._starts


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
        self._size += len(postings) if postings else 0
        while self._size > self._budget and len(self._terms) > 1:
            _, evicted = self._terms.popitem(last=False)
            self._size -= len(evicted) if evicted else 0
        return postings

    def preload(self, fieldnames: Sequence[str], budget: int = PRELOAD_POSTINGS) -> int:
        """Read the lists of the terms of `fieldnames` held by the most documents, their scores
        computed, until `budget` postings; how many postings were read.

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
                postings.decode_positions()
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

        def scores(docs: np.ndarray) -> np.ndarray:
            """Whoosh's bm25(), the per-document part of its denominator computed once per field."""
            if not field.scorable:
                return tf
            return bm25(self._searcher.idf(fieldname, term), tf, self._length_norms(fieldname)[docs])

        return TermPostings(ids, scores, values, positions_decoder(field.format))

    def _length_norms(self, fieldname: str) -> np.ndarray:
        norms = self._norms.get(fieldname)
        if norms is None:
            norms = self._norms[fieldname] = length_norms(self._searcher, fieldname)
        return norms
