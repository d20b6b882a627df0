"""Which segments an index commit rewrites: Whoosh's small-segment policy, plus the dead weight.

Updating a document in Whoosh marks the old version deleted and writes the new one
to the segment being committed. A nightly refresh revalidates every hub page (a
sitemap lists every article), and each new capture updates its document, so every
night adds a segment as large as the index while the previous one becomes all but
deleted. Whoosh's `MERGE_SMALL` never rewrites segments of more than a few dozen
documents, so the index grew by its own size every night (measured with
`benchmarks/disk_use.py`: 2.5, 5.0, 7.4, 9.9, 12.5, 15.0 MB over six nights of a
200-article site). Rewriting every segment whose documents are at least half
deleted keeps the index within about twice its live size, at the cost of copying
the live half of such segments.
"""

from __future__ import annotations

from typing import Any

from whoosh.reading import SegmentReader
from whoosh.writing import MERGE_SMALL

DEAD_SHARE = 0.5          # a segment whose deleted documents are at least this share is rewritten


def merge_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """A Whoosh `mergetype`: rewrite mostly deleted segments, then merge small ones as Whoosh does."""
    kept = []
    for segment in segments:
        total = segment.doc_count_all()
        if total and segment.deleted_count() >= DEAD_SHARE * total:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)               # copies the live documents only
            reader.close()
        else:
            kept.append(segment)
    return MERGE_SMALL(writer, kept)
