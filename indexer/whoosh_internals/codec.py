"""Whoosh's W3 codec with a faster postings writer: the same files, less Python per posting.

Half the CPU of an index build is Whoosh writing postings at commit time, and most of
that is per-posting overhead rather than work: `FieldWriter.add_postings` looks the
document's field length up in the length column for every posting, and
`W3PostingsWriter.add_posting` type-checks every posting with asserts. `FastW3Codec`
reads each field's lengths once, gathers a term's postings in plain lists, and hands
them to Whoosh's own block writer one block at a time, so the bytes on disk are the
stock codec's (tests/indexer/test_codec.py compares both). Only writing differs:
readers open these segments with the stock `W3Codec`.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterable, Sequence
from pickle import dumps
from typing import Any

from whoosh.codec.base import OutOfOrderError, PerDocumentReader
from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3PostingsWriter,
    W3Segment,
    W3TermInfo,
)
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte

from indexer.whoosh_internals.lengths import field_lengths
from indexer.whoosh_internals.segment_writer import GroupedPostings

# Block pickles shorter than this are stored uncompressed (see FastW3Codec): on a
# 2,000-article sample, 96 saves ~10 % of the commit's CPU for an index no larger.
COMPRESS_FROM = 96

_TERMINFO = W3TermInfo._struct            # flags, weight, doc freq, min/max length bytes, max weight, ids

Posting = tuple[str, bytes, int, float, bytes | None]   # (field, term, docnum, weight, value)


class FastW3Codec(W3Codec):
    """W3Codec whose field writer writes postings term by term instead of posting by posting.

    Blocks whose pickle is shorter than `compress_from` bytes are stored uncompressed
    (what Whoosh's `_write_block` means to do below 20 bytes, but a slip makes it
    compress every block): one zlib call per term costs more than it saves on the
    many terms with a posting or two, and readers see the level in each block.
    `compress_from=0` compresses every block, exactly as the stock codec does.
    """

    def __init__(self, blocklimit: int = 128, compression: int = 3, inlinelimit: int = 1,
                 compress_from: int = COMPRESS_FROM) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)
        self._compress_from = compress_from

    def field_writer(self, storage: Any, segment: Any) -> FastW3FieldWriter:
        return FastW3FieldWriter(self, storage, segment)

    def new_segment(self, storage: Any, indexname: str) -> W3Segment:
        """A segment that records Whoosh's own codec: the index's table of contents pickles it,
        and readers need nothing of ours to read W3 files."""
        return W3Segment(W3Codec(), indexname)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> BlockPostingsWriter:
        writer = BlockPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                     compression=self._compression, inlinelimit=self._inlinelimit)
        writer.compress_from = self._compress_from
        return writer


class BlockPostingsWriter(W3PostingsWriter):
    """Whoosh's postings writer fed a whole term: blocks and statistics as `add_posting` makes them."""

    compress_from = 0

    def write_term(self, format_: Any, ids: list[int], weights: list[float], values: list[bytes],
                   lengths: Sequence[int]) -> bytes:
        """Write one term's postings (in docnum order) and return its term info's bytes.

        `values` has one entry per posting (empty ones are dropped, as `add_posting` does);
        `lengths` maps a docnum to its field length (0 when it has none).
        """
        limit = self._blocklimit
        if len(ids) <= limit:
            return self._write_one_block(format_, ids, weights, values, lengths)
        self.start_postings(format_, W3TermInfo())
        # add_posting writes a full block when the next posting arrives, so every
        # block but the last is written here and the last one by finish_postings.
        for start in range(0, len(ids), limit):
            end = start + limit
            self._fill_block(ids[start:end], weights[start:end], values[start:end], lengths)
            if end < len(ids):
                self._write_block()
        return self.finish_postings().to_bytes()

    def _write_one_block(self, format_: Any, ids: list[int], weights: list[float], values: list[bytes],
                         lengths: Sequence[int]) -> bytes:
        """The common case, a term of one block: what start_postings, add_posting, finish_postings
        and W3TermInfo.to_bytes write and return, without their objects and method calls."""
        count = len(ids)
        stored_weights = array("f", weights)          # what the block keeps: 32-bit floats
        if stored_weights.count(1.0) == count:
            mini_weights = None
        elif stored_weights.count(stored_weights[0]) == count:
            mini_weights = stored_weights[0]
        else:
            mini_weights = tuple(stored_weights)
        if not all(values):
            values = [v for v in values if v]
        fixed_size = format_.fixed_value_size()
        if fixed_size is None or fixed_size < 0:
            mini_values = tuple(values)
        elif fixed_size == 0:
            mini_values = None
        else:
            mini_values = b"".join(values)
        mini_ids = (ids[0],) if count == 1 else (ids[0], *[b - a for a, b in zip(ids, ids[1:], strict=False)])
        databytes = dumps((mini_ids, mini_weights, mini_values), 2)
        compression = self._compression if len(databytes) >= self.compress_from else 0
        if compression:
            databytes = zlib.compress(databytes, compression)
        top = max(weights)
        max_weight = top if top > 0 else 0
        doc_lengths = [lengths[docnum] for docnum in ids]
        max_length = max(doc_lengths)
        min_length = min((n for n in doc_lengths if n), default=None)
        min_byte, max_byte = length_to_byte(min_length), length_to_byte(max_length)
        infobytes = dumps((count, ids[-1], max_weight, compression, min_byte, max_byte), 2)
        postfile = self._postfile
        offset = postfile.tell()
        blocklength = len(infobytes) + len(databytes)
        written = WHOOSH3_HEADER_MAGIC + pack_int(-blocklength) + infobytes + databytes   # negative: last
        postfile.write(written)
        info = _TERMINFO.pack(False, sum(stored_weights), count, min_byte, max_byte, max_weight,
                              ids[0], ids[-1])
        return info + pack_long(offset) + pack_int(len(written))

    def _fill_block(self, ids: list[int], weights: list[float], values: list[bytes],
                    lengths: Sequence[int]) -> None:
        """The buffered block and its statistics, exactly as add_posting leaves them."""
        self._ids = array("I", ids)
        self._weights = array("f", weights)
        self._values = values if all(values) else [v for v in values if v]
        top = max(weights)
        self._maxweight = top if top > 0 else 0
        doc_lengths = [lengths[docnum] for docnum in ids]
        self._maxlength = max(doc_lengths)
        self._minlength = min((n for n in doc_lengths if n), default=None)

    def _write_block(self, last: bool = False) -> None:
        """Whoosh's `_write_block`, except that a short block is not compressed."""
        postfile = self._postfile
        if not self._blockcount:
            postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        ids = self._ids
        databytes = dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), 2)
        compression = self._compression if len(databytes) >= self.compress_from else 0
        if compression:
            databytes = zlib.compress(databytes, compression)
        infobytes = dumps((len(ids), ids[-1], self._maxweight, compression,
                           length_to_byte(self._minlength), length_to_byte(self._maxlength)), 2)
        blocklength = len(infobytes) + len(databytes)
        postfile.write_int(-blocklength if last else blocklength)   # negative: the last block
        postfile.write(infobytes)
        postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


class FastW3FieldWriter(W3FieldWriter):
    """W3FieldWriter whose `add_postings` is one tight loop over the sorted postings."""

    def add_postings(self, schema: Any, lengths: PerDocumentReader | None,
                     items: Iterable[Posting]) -> None:
        """Write the pool's sorted postings: the result of the stock method, term by term."""
        if isinstance(items, GroupedPostings):
            self._add_grouped(schema, lengths, items)
            return
        lastfn: str | None = None
        lasttext: bytes | None = None
        doc_lengths: Sequence[int] = ()
        ids: list[int] = []
        weights: list[float] = []
        values: list[bytes] = []
        for fieldname, btext, docnum, weight, value in items:
            if btext != lasttext or fieldname != lastfn:
                if ids:
                    self._write_term(lasttext, ids, weights, values, doc_lengths)
                    ids, weights, values = [], [], []
                if fieldname != lastfn:
                    if lastfn is not None:
                        if fieldname < lastfn:
                            raise OutOfOrderError(f"Field {lastfn!r} .. {fieldname!r}")
                        self.finish_field()
                    self.start_field(fieldname, schema[fieldname])
                    doc_lengths = field_lengths(lengths, fieldname)
                    lastfn = fieldname
                elif btext < lasttext:
                    raise OutOfOrderError(f"Term {fieldname}:{lasttext!r} .. {fieldname}:{btext!r}")
                lasttext = btext
            if docnum == -1:
                continue                      # Whoosh's marker for spelling-only words: no posting
            ids.append(docnum)
            weights.append(weight)
            values.append(value)
        if ids:
            self._write_term(lasttext, ids, weights, values, doc_lengths)
        if lastfn is not None:
            self.finish_field()

    def _add_grouped(self, schema: Any, lengths: PerDocumentReader | None, items: GroupedPostings) -> None:
        """Postings already grouped by term (see `segment_writer`): no Python step per posting."""
        for fieldname, terms in items.fields():
            self.start_field(fieldname, schema[fieldname])
            doc_lengths = field_lengths(lengths, fieldname)
            for btext, flat in terms:
                self._write_term(btext, flat[0::3], flat[1::3], flat[2::3], doc_lengths)
            self.finish_field()

    def _write_term(self, btext: bytes, ids: list[int], weights: list[float], values: list[bytes],
                    doc_lengths: Sequence[int]) -> None:
        terminfo = self._postwriter.write_term(self._format, ids, weights, values, doc_lengths)
        self._tindex.add(pack_ushort(self._fieldid) + btext, terminfo)
