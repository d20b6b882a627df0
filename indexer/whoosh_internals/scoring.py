"""Whoosh's BM25F for one term, as array arithmetic over a whole posting list.

The same formula and defaults as `whoosh.scoring.BM25F` (the searcher's weighting),
with the per-document part of the denominator (the length norm) computed once per
field: scores equal what Whoosh's searcher gives (tests/indexer/test_matching.py).
"""

from __future__ import annotations

import numpy as np
from whoosh.searching import Searcher

from indexer.whoosh_internals.lengths import index_field_lengths

B, K1 = 0.75, 1.2                 # Whoosh's BM25F defaults, which the searcher's weighting uses


def length_norms(searcher: Searcher, fieldname: str) -> np.ndarray:
    """K1 * (1 - B + B * length / average length) of every document, from Whoosh's stored lengths."""
    lengths = index_field_lengths(searcher.reader(), fieldname)
    avgfl = searcher.avg_field_length(fieldname) or 1
    return K1 * ((1 - B) + B * lengths / avgfl)


def bm25(idf: float, tf: np.ndarray, norms: np.ndarray) -> np.ndarray:
    """Whoosh's `bm25()` of each posting, from its term frequency and its document's length norm."""
    return idf * (K1 + 1) * tf / (tf + norms)
