"""Token filters of the Vietnamese analysis chain: each does one transformation of the stream.

Stop words: none. Vietnamese function words (`của`, `và`, `các`, `những`) are whole
syllables of multi-syllable words and phrases (`cán bộ của phường`), and users
quote them; removing them would break phrase matching for little index saving.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Filter, Token

from indexer.analysis.normalize import WORD_CACHE_SIZE, fold, nfc_word, normalize_tones, vi_lower


class NfcFilter(Filter):
    """NFC (with compatibility forms and invisible characters removed); drops tokens left empty."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = token.text
            if not text.isascii():
                text = nfc_word(text)
                if not text:
                    continue
                token.text = text
            yield token


class ToneFilter(Filter):
    """One tone placement per syllable (`hoà` → `hòa`), see `normalize.normalize_tones`."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if not token.text.isascii():
                token.text = normalize_tones(token.text)
            yield token


class LowercaseFilter(Filter):
    """Vietnamese-aware lowercasing (`Đ` → `đ`)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = vi_lower(token.text)
            yield token


class FoldFilter(Filter):
    """Removes every diacritic and maps `đ` → `d`: the form of text typed without marks."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if not token.text.isascii():
                token.text = fold(token.text)
            yield token


class ExactFormFilter(Filter):
    """NfcFilter, ToneFilter and LowercaseFilter in one step, with one cache lookup per token.

    The same result as that chain (which older indexes still name in their schema),
    for a fraction of the cost: indexing calls it for every token of every field.
    With `folded`, also what FoldFilter does after it.
    """

    def __init__(self, folded: bool = False) -> None:
        self.folded = folded

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        cache = forms_cache(self.folded)
        for token in tokens:
            text = cache.get(token.text)
            if text is None:
                text = remember_form(cache, token.text, self.folded)
            if text:
                token.text = text
                yield token


_EXACT_FORMS: dict[str, str] = {}    # token as cut -> its form ("" = dropped); per process
_FOLDED_FORMS: dict[str, str] = {}


def forms_cache(folded: bool) -> dict[str, str]:
    """The process-wide cache of exact (or folded) forms: look a token up, else `remember_form`."""
    return _FOLDED_FORMS if folded else _EXACT_FORMS


def remember_form(cache: dict[str, str], word: str, folded: bool) -> str:
    """The form of `word` exactly as the filter chain makes it, remembered while the cache has room."""
    text = word
    if not text.isascii():
        text = nfc_word(text)
        if text:
            text = normalize_tones(text)
    if text:
        text = vi_lower(text)
        if folded and not text.isascii():
            text = fold(text)
    if len(cache) < WORD_CACHE_SIZE:
        cache[word] = text
    return text


class SyllablePairsFilter(Filter):
    """Replaces the stream by adjacent syllable pairs (`đảng viên`), for suggestions.

    Only alphabetic tokens at consecutive positions pair up, so compounds and
    numbers do not produce pairs; the pairs carry no positions.
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        previous_pos, previous_text = -2, ""
        for token in tokens:
            if not token.text.isalpha():
                continue
            pos, text = token.pos, token.text
            if pos == previous_pos + 1:
                token.text = f"{previous_text} {text}"
                yield token
            if pos != previous_pos:
                previous_pos, previous_text = pos, text
