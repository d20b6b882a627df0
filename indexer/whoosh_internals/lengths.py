"""Field lengths read a whole column at a time, where Whoosh reads them one document at a time.

Both the codec's postings writer (a term's length statistics) and the search
side's BM25 (every document's length norm) need the length of a field in every
document of a segment; `doc_field_length` per document is a Python call each.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from whoosh.codec.base import PerDocumentReader
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, _lenfield
from whoosh.util.numeric import byte_to_length

# Length byte -> length; byte 0 means "no length", which doc_field_length reports as None.
_BYTE_TO_LENGTH = [0] + [byte_to_length(b) for b in range(1, 256)]


def field_lengths(lengths: PerDocumentReader | None, fieldname: str) -> Sequence[int]:
    """Every document's length of `fieldname` (0 when it has none), read once for the whole field.

    From a segment's W3 per-document reader the length column is read whole; any other
    reader is asked document by document.
    """
    if lengths is None:
        return _Zeros()
    if isinstance(lengths, W3PerDocReader):
        lenfield = _lenfield(fieldname)
        if not lengths.has_column(lenfield):
            return _Zeros()
        column = lengths.column_reader(lenfield, LENGTHS_COLUMN)
        return [_BYTE_TO_LENGTH[b] for b in column.load()]
    length = lengths.doc_field_length
    return [length(docnum, fieldname) or 0 for docnum in range(lengths.doc_count_all())]


def index_field_lengths(reader: Any, fieldname: str) -> np.ndarray:
    """The length of `fieldname` in every document of a (multi-segment) reader, by docnum."""
    lengths = np.zeros(reader.doc_count_all())
    for segment, offset in reader.leaf_readers():
        # The segment's per-document reader has the length column (what the writer reads too)
        column = field_lengths(getattr(segment, "_perdoc", segment), fieldname)
        count = segment.doc_count_all()
        lengths[offset:offset + count] = [column[d] for d in range(count)]
    return lengths


class _Zeros:
    """Field lengths of a field without any: 0 for every docnum."""

    def __getitem__(self, docnum: int) -> int:
        return 0
