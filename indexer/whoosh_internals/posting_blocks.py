"""A term's posting list read block by block, and its positions decoded in C.

Whoosh's matchers hand out postings one at a time (`id()`, `weight()`, `value()`,
`next()`: several Python calls each). Its W3 leaf matcher decodes a whole block
of 128 postings at once anyway; reading those decoded blocks directly is what
makes reading a common syllable's whole list fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate
from pickle import loads
from typing import Any

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


def positions_decoder(format_: Format) -> Callable[[bytes], list[int]] | None:
    """How to read a posting's positions: Whoosh's own decoder, or for the plain `Positions`
    format the same in C (`accumulate`) instead of a Python loop — the sequence check
    decodes positions for thousands of matches."""
    if type(format_) is Positions:
        return _decode_plain_positions
    return format_.decode_positions if format_.supports("positions") else None


def _decode_plain_positions(value: bytes) -> list[int]:
    """`Positions.decode_positions`: a 4-byte count, then the pickled position deltas (maybe without STOP)."""
    return list(accumulate(loads(value[4:] if value.endswith(b".") else value[4:] + b".")))


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
