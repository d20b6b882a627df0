"""A term's posting list read block by block, and its positions decoded in C.

Whoosh's matchers hand out postings one at a time (`id()`, `weight()`, `value()`,
`next()`: several Python calls each). Its W3 leaf matcher decodes a whole block
of 128 postings at once anyway; reading those decoded blocks directly is what
makes reading a common syllable's whole list fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import chain
from pickle import loads
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.formats import Format, Positions
from whoosh.matching import Matcher
from whoosh.reading import TermNotFound

Block = tuple[Sequence[int], Sequence[float], Sequence]    # docnums, weights, raw values


def live_posting_blocks(reader: Any, fieldname: str, term: str) -> Iterator[Block]:
    """(docnums, weights, raw values) of the term's postings in live documents, block by block
    in docnum order, docnums those of the whole (multi-segment) reader."""
    for segment, offset in reader.leaf_readers():
        try:
            matcher = segment.postings(fieldname, term)
        except TermNotFound:
            continue
        deleted = frozenset(segment.segment().deleted_docs()) if segment.has_deletions() else frozenset()
        for ids, weights, values in _decode_blocks(getattr(matcher, "child", matcher)):
            if deleted and not deleted.isdisjoint(ids):     # most blocks hold no deleted document
                live = [i for i, d in enumerate(ids) if d not in deleted]
                ids, weights, values = ([seq[i] for i in live] for seq in (ids, weights, values))
            yield ([d + offset for d in ids] if offset else ids), weights, values


def postings_in(reader: Any, fieldname: str, term: str, docs: Sequence[int]) -> Iterator[tuple[int, Any]]:
    """(docnum, matcher there) for each of `docs` (ascending docnums; deleted ones hold nothing) that
    holds the term, reading only the blocks those documents fall in (the matcher skips the others)."""
    try:
        matcher = reader.postings(fieldname, term)
    except TermNotFound:
        return
    for doc in docs:
        if matcher.is_active() and matcher.id() < doc:
            matcher.skip_to(doc)
        if not matcher.is_active():
            return
        if matcher.id() == doc:
            yield doc, matcher


PositionsArrays = tuple[np.ndarray, np.ndarray]     # count per posting, then all positions in order


def many_positions_decoder(format_: Format) -> Callable[[bytes, Sequence[int]], PositionsArrays] | None:
    """How to read the positions of many postings at once (their values one blob, cut at `offsets`):
    the count of each posting's positions, and all of them, posting after posting.

    For the plain `Positions` format the postings' pickles are read by one `pickle.loads`
    (a list of their lists): a common syllable's 20,000 postings in milliseconds, where
    one call per posting takes ten times as long. Other formats decode each posting.
    """
    if type(format_) is Positions:
        return _decode_many_plain_positions
    if not format_.supports("positions"):
        return None

    def decode_each(blob: bytes, offsets: Sequence[int]) -> PositionsArrays:
        cuts = zip(offsets, offsets[1:], strict=False)
        return _as_arrays([format_.decode_positions(blob[start:end]) for start, end in cuts], absolute=True)
    return decode_each


def _decode_many_plain_positions(blob: bytes, offsets: Sequence[int]) -> PositionsArrays:
    """`Positions` values: a 4-byte count, then the pickled position deltas (maybe without STOP).

    The counts and STOP bytes are cut out of the blob with one array mask (a pickle without
    its STOP ends with APPEND or APPENDS, never `.`), and the pickles read as one list.
    """
    if len(offsets) < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    data = np.frombuffer(blob, dtype=np.uint8)
    starts = np.asarray(offsets[:-1], dtype=np.int64)
    last = np.asarray(offsets[1:], dtype=np.int64) - 1
    keep = np.ones(len(data), dtype=bool)
    keep[(starts[:, None] + np.arange(4)).ravel()] = False
    keep[last[data[last] == ord(".")]] = False
    lists = loads(b"\x80\x02(" + data[keep].tobytes() + b"l.")          # MARK, the lists, LIST
    return _as_arrays(lists, absolute=False)


def _as_arrays(lists: list[list[int]], absolute: bool) -> PositionsArrays:
    """(count per list, the lists' positions one after the other); `absolute=False`: lists of deltas."""
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    values = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))
    if absolute or not len(values):
        return counts, values
    running = np.cumsum(values)
    starts = np.cumsum(counts) - counts               # where each list begins in `values`
    before = np.where(starts > 0, running[np.maximum(starts - 1, 0)], 0)
    return counts, running - np.repeat(before, counts)


def _decode_blocks(matcher: Matcher) -> Iterator[Block]:
    """Every posting of a leaf matcher, block by block for Whoosh's own block matcher (fast)."""
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            matcher._read_values()
            yield matcher._ids, matcher._weights, matcher._values
            matcher._next_block()
        return
    ids, weights, values = [], [], []          # inlined short lists and anything else
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        values.append(matcher.value())
        matcher.next()
    yield ids, weights, values
