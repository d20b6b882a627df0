"""The analyzers of the index fields, one readable chain each."""

from __future__ import annotations

from whoosh.analysis import CompositeAnalyzer

from indexer.analysis.filters import FoldFilter, LowercaseFilter, NfcFilter, SyllablePairsFilter, ToneFilter
from indexer.analysis.tokenizer import VietnameseTokenizer


def exact_analyzer() -> CompositeAnalyzer:
    """Exact forms: one spelling per word, lowercase, diacritics kept (`hoà` → `hòa`)."""
    return VietnameseTokenizer() | NfcFilter() | ToneFilter() | LowercaseFilter()


def folded_analyzer() -> CompositeAnalyzer:
    """Folded forms: the exact form without diacritics (`Đảng` → `dang`)."""
    return VietnameseTokenizer() | NfcFilter() | ToneFilter() | LowercaseFilter() | FoldFilter()


def pairs_analyzer() -> CompositeAnalyzer:
    """Adjacent exact syllable pairs (`đảng viên`), no positions: what suggestions learn from."""
    return VietnameseTokenizer() | NfcFilter() | ToneFilter() | LowercaseFilter() | SyllablePairsFilter()
