"""Token filters of the Vietnamese analysis chain: each does one transformation of the stream.

Stop words: none. Vietnamese function words (`của`, `và`, `các`, `những`) are whole
syllables of multi-syllable words and phrases (`cán bộ của phường`), and users
quote them; removing them would break phrase matching for little index saving.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Filter, Token

from indexer.analysis.normalize import fold, nfc_word, normalize_tones, vi_lower


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
