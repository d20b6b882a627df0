"""The analyzers of the index fields, one readable chain each.

`ExactFormFilter` is NfcFilter | ToneFilter | LowercaseFilter (| FoldFilter) fused into
one cached step: the same tokens, at a fraction of the per-token cost of indexing.
`term_positions_function` and `pair_terms_function` give the index writer what the
chains yield without a Token object per token.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from whoosh.analysis import CompositeAnalyzer

from indexer.analysis.filters import ExactFormFilter, SyllablePairsFilter, forms_cache, remember_form
from indexer.analysis.near_duplicates import BandKeysTokenizer
from indexer.analysis.tokenizer import VietnameseTokenizer, token_spans


def exact_analyzer() -> CompositeAnalyzer:
    """Exact forms: one spelling per word, lowercase, diacritics kept (`hoà` → `hòa`)."""
    return VietnameseTokenizer() | ExactFormFilter()


def folded_analyzer() -> CompositeAnalyzer:
    """Folded forms: the exact form without diacritics (`Đảng` → `dang`)."""
    return VietnameseTokenizer() | ExactFormFilter(folded=True)


def pairs_analyzer() -> CompositeAnalyzer:
    """Adjacent exact syllable pairs (`đảng viên`), no positions: what suggestions learn from."""
    return VietnameseTokenizer() | ExactFormFilter() | SyllablePairsFilter()


def band_keys_analyzer() -> BandKeysTokenizer:
    """MinHash band keys of the whole text, no positions: candidates for near-duplicates."""
    return BandKeysTokenizer()


def term_positions_function(analyzer: Any) -> Callable[[str], dict[str, list[int]]] | None:
    """For an exact or folded analyzer (also as unpickled from an index): a function giving,
    for a text, each term and its positions in order, exactly what the chain yields when
    indexing; None for any other analyzer.

    Indexing walks every token of every text twice; going through Whoosh's Token
    objects and generator chain costs more than the analysis itself.
    """
    items = getattr(analyzer, "items", None)
    if type(analyzer) is not CompositeAnalyzer or len(items) != 2:
        return None
    tokenizer, forms = items
    if type(tokenizer) is not VietnameseTokenizer or type(forms) is not ExactFormFilter:
        return None
    return partial(_term_positions, bool(forms.folded))


# The last value's exact and folded positions, by identity: each text is indexed in an exact and a folded
# field (`indexer.schema`), so one walk over its tokens makes both. A tuple swap is atomic: thread-safe.
_last_positions: tuple[str, tuple[dict[str, list[int]], dict[str, list[int]]]] = ("", ({}, {}))


def _term_positions(folded: bool, value: str) -> dict[str, list[int]]:
    """VietnameseTokenizer | ExactFormFilter(folded) on `value`, as term -> positions (not to be modified:
    the other form's call on the same value gets the dictionaries made with these)."""
    global _last_positions
    last_value, both = _last_positions
    if value is not last_value:
        both = _both_term_positions(value)
        _last_positions = (value, both)
    return both[folded]


def _both_term_positions(value: str) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """The exact and the folded forms' positions in one walk (each form dropped when empty, as the filter
    drops it)."""
    exact: dict[str, list[int]] = {}
    folded: dict[str, list[int]] = {}
    walks = ((forms_cache(False), exact, False), (forms_cache(True), folded, True))
    for text, pos, _start, _end in token_spans(value):
        for cache, positions, fold in walks:
            form = cache.get(text)
            if form is None:
                form = remember_form(cache, text, fold)
            if form:
                found = positions.get(form)
                if found is None:
                    positions[form] = [pos]
                else:
                    found.append(pos)
    return exact, folded


def pair_terms_function(analyzer: Any) -> Callable[[str], set[str]] | None:
    """For the pairs analyzer (also as unpickled from an index): a function giving the set
    of pairs it yields for a text, exactly; None for any other analyzer."""
    items = getattr(analyzer, "items", None)
    if type(analyzer) is not CompositeAnalyzer or len(items) != 3:
        return None
    tokenizer, forms, pairs = items
    if type(tokenizer) is not VietnameseTokenizer or type(forms) is not ExactFormFilter or \
            type(pairs) is not SyllablePairsFilter:
        return None
    return partial(_pair_terms, bool(forms.folded))


def _pair_terms(folded: bool, value: str) -> set[str]:
    """VietnameseTokenizer | ExactFormFilter(folded) | SyllablePairsFilter on `value`, as a set."""
    cache = forms_cache(folded)
    found: set[str] = set()
    previous_pos, previous = -2, ""
    for text, pos, _start, _end in token_spans(value):
        form = cache.get(text)
        if form is None:
            form = remember_form(cache, text, folded)
        if not form.isalpha():          # also drops the empty forms ExactFormFilter removes
            continue
        if pos == previous_pos + 1:
            found.add(f"{previous} {form}")
        if pos != previous_pos:
            previous_pos, previous = pos, form
    return found
