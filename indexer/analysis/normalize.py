"""Word-level Vietnamese normalisation: one spelling per word, lowercased, and folded.

Pure functions, cached per word: the Vietnamese vocabulary is small (~7k syllables),
so after the first documents nearly every call is a dictionary hit, and indexing
speed is dominated by these calls.

Tone placement convention (`normalize_tones`): the *traditional* placement, the one
most common in Vietnamese news: in an open syllable whose nucleus is `oa`, `oe` or
`uy` the tone mark sits on the first vowel (`hòa`, `khỏe`, `thủy`, `ủy`); with a final
consonant it sits on the last vowel (`hoàng`, `huỳnh`). A vowel carrying a quality
mark (ă â ê ô ơ ư) always takes the tone (`thuế`, `người`). `qu` and `gi` are initial
consonants, so `quý`, `giá`, `thuyết` are unaffected. The tone is re-placed from
scratch, so any placement (including wrong ones like `qúy`) becomes the one form.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

WORD_CACHE_SIZE = 200_000
_CACHED_MAX_LEN = 64   # longer strings are whole texts, not words: normalise without caching

# Characters that show nothing and only hide, split or reorder text: removed from display text and
# index terms alike. C0/C1 controls (but tab, line feed, carriage return), zero-width spaces and
# joiners, the word joiner, the BOM, soft hyphens, the Mongolian vowel separator, and the bidi
# marks, embeddings, overrides and isolates (U+202E can make a page show text that reads
# differently from what it holds).
HIDDEN = frozenset([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0),
                    0x00AD, 0x061C, 0x180E, *range(0x200B, 0x2010), *range(0x202A, 0x202F), 0x2060,
                    *range(0x2066, 0x206A), 0xFEFF])
# Index terms also drop variation selectors (display keeps them: they choose a glyph, e.g. an emoji's).
IGNORABLE = HIDDEN | frozenset(range(0xFE00, 0xFE10))


def _character_class(code_points: frozenset[int]) -> re.Pattern[str]:
    """A regular expression for any of the characters: `str.translate` with a dict looks up every
    character in Python (~10x slower on a long article, where nearly none are found)."""
    return re.compile("[" + "".join(f"\\u{cp:04x}" for cp in sorted(code_points)) + "]")


_HIDDEN_RE = _character_class(HIDDEN)
_IGNORABLE_RE = _character_class(IGNORABLE)
_SURROGATE = re.compile("[\ud800-\udfff]")

TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")   # huyền, sắc, ngã, hỏi, nặng
VOWELS = frozenset("aăâeêioôơuưy")
QUALITY_VOWELS = frozenset("ăâêôơư")
# Longest first, so that "ngh" wins over "ng" and "n".
INITIALS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
            "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x")
FINALS = frozenset({"", "c", "ch", "m", "n", "ng", "nh", "p", "t"})


def display_form(text: str) -> str:
    """Text as published, for people to read and copy: NFC, hidden characters removed, nothing folded.

    `…`, fullwidth letters, NBSP and ligatures stay what they are; lone surrogates (which
    cannot be encoded) become U+FFFD.
    """
    if text.isascii() and text.isprintable():
        return text
    return unicodedata.normalize("NFC", _SURROGATE.sub("\ufffd", _HIDDEN_RE.sub("", text)))


def nfc(text: str) -> str:
    """The form index terms and queries are analysed in: NFKC, with hidden characters removed.

    Compatibility folding (fullwidth `ＵＢＮＤ` → `UBND`, `…` → `...`, NBSP → space,
    ligatures) makes two renderings of one word one term; it is safe for matching (no
    Vietnamese letter has a compatibility decomposition) but changes what was published,
    so it never reaches display text (`display_form`).
    """
    if text.isascii():
        return text
    if len(text) <= _CACHED_MAX_LEN:
        return _nfc_cached(text)
    return _nfc(text)


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _nfc_cached(text: str) -> str:
    return _nfc(text)


def _nfc(text: str) -> str:
    text = _SURROGATE.sub("\ufffd", _IGNORABLE_RE.sub("", text))
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=WORD_CACHE_SIZE)
def normalize_tones(word: str) -> str:
    """The word with its tone mark where the traditional convention puts it (see module doc).

    Words that are not one Vietnamese syllable (foreign words, codes, several tone
    marks) are returned unchanged.
    """
    if word.isascii():
        return word
    word = unicodedata.normalize("NFC", word)
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in TONE_MARKS]
    if len(tones) != 1:
        return word
    bare = unicodedata.normalize("NFC", decomposed.replace(tones[0], ""))
    index = _tone_index(bare.lower()) if len(bare) == len(bare.lower()) else None
    if index is None:
        return word
    return unicodedata.normalize("NFC", bare[: index + 1] + tones[0] + bare[index + 1:])


def _tone_index(syllable: str) -> int | None:
    """Index of the vowel that carries the tone in a toneless lowercase syllable, or None."""
    start = next((len(i) for i in INITIALS if syllable.startswith(i)), 0)
    if syllable.startswith("gi") and (len(syllable) == 2 or syllable[2] not in VOWELS):
        start = 1                                   # "gì", "gìn": g + i
    end = start
    while end < len(syllable) and syllable[end] in VOWELS:
        end += 1
    nucleus = syllable[start:end]
    if not nucleus or len(nucleus) > 3 or syllable[end:] not in FINALS:
        return None
    quality = [i for i, c in enumerate(nucleus) if c in QUALITY_VOWELS]
    if quality:
        return start + quality[-1]                  # ươ → ơ, uyê → ê
    if len(nucleus) == 1:
        return start
    if end < len(syllable):
        return end - 1                              # closed syllable: last vowel (hoàng)
    if len(nucleus) == 3:
        return start + 1                            # ngoài, khuỷu
    return start                                    # open pair: hòa, thủy, khỏe, mái


def like_typed(typed: str, form: str) -> str:
    """`form` in the capitalisation of what the user typed (`UBND`, `Thủ`, `thu`): how a word read or
    suggested in another form is shown back."""
    if len(typed) > 1 and typed.isupper():
        return form.upper()
    if typed[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


@lru_cache(maxsize=WORD_CACHE_SIZE)
def vi_lower(word: str) -> str:
    """Lowercase, including `Đ` → `đ`; keeps the word NFC."""
    lowered = word.lower()
    return lowered if lowered.isascii() else unicodedata.normalize("NFC", lowered)


@lru_cache(maxsize=WORD_CACHE_SIZE)
def fold(word: str) -> str:
    """The word without any diacritic, `đ` → `d`: how people type without a Vietnamese keyboard."""
    if word.isascii():
        return word
    stripped = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped.replace("đ", "d").replace("Đ", "D"))


def has_diacritics(text: str) -> bool:
    """True when folding changes the text: the user typed Vietnamese marks (or `đ`)."""
    return fold(text) != text if len(text) <= _CACHED_MAX_LEN else _fold_long(text) != text


def _fold_long(text: str) -> str:
    return "".join(fold(part) for part in text.split(" "))


@lru_cache(maxsize=WORD_CACHE_SIZE)
def exact_form(word: str) -> str:
    """The indexed exact form of a word: NFC, one tone placement, lowercase."""
    return vi_lower(normalize_tones(nfc_word(word)))


def folded_form(word: str) -> str:
    """The indexed folded form of a word: the exact form without diacritics."""
    return fold(exact_form(word))


@lru_cache(maxsize=WORD_CACHE_SIZE)
def nfc_word(word: str) -> str:
    """`nfc` for one token: compatibility forms may expand to spaces, which a token cannot hold."""
    normalized = nfc(word)
    return normalized if normalized.isalnum() else "".join(normalized.split())


@lru_cache(maxsize=WORD_CACHE_SIZE)
def is_syllable(word: str) -> bool:
    """True when a word is spelt like one Vietnamese syllable (`cấp`, `cap`), not like `UBND`."""
    bare = fold(vi_lower(nfc(word)))
    return bare.isalpha() and bare.isascii() and _tone_index(bare) is not None
