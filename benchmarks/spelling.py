"""How people mistype Vietnamese, re-done independently of the system under test.

The evaluation builds its queries and judges matches with these functions, not
with `indexer.analysis`: a measuring stick must not share the bugs of what it
measures. Everything here works on single syllables (letters only).
"""

from __future__ import annotations

import functools
import re
import unicodedata

TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"     # huyền, sắc, hỏi, ngã, nặng (combining)
# Vowel pairs whose tone mark sits on the first vowel in one convention ("hòa", "thủy")
# and on the second in the other ("hoà", "thuỷ"), when they end the syllable.
TONE_PLACEMENT_PAIRS = (("o", "a"), ("o", "e"), ("u", "y"))
_STRIP = {ord("đ"): "d", ord("Đ"): "D"}
_WORD = re.compile(r"[^\W\d_]+")          # letters only: the syllables of running text
_TOKEN = re.compile(r"[^\W_]+")           # letters and digits: what "occurs" is judged on


def _combine(base: str, mark: str) -> str:
    return unicodedata.normalize("NFC", base + mark)


def _placement_swaps() -> dict[str, str]:
    """Lowercase syllable endings, each mapped to the same ending in the other convention."""
    swaps = {}
    for first, second in TONE_PLACEMENT_PAIRS:
        for mark in TONE_MARKS:
            on_first = _combine(first, mark) + second
            on_second = first + _combine(second, mark)
            swaps[on_first] = on_second
            swaps[on_second] = on_first
    return swaps


PLACEMENT_SWAPS = _placement_swaps()
# One convention chosen as canonical, so that the two tone placements (hoà/hòa) count as one exact form.
_CANONICAL = {ending: other for ending, other in PLACEMENT_SWAPS.items()
              if unicodedata.normalize("NFD", ending[0]) != ending[0]}


def strip_diacritics(text: str) -> str:
    """What a user types without diacritics: all marks dropped and đ typed as d; case kept."""
    decomposed = unicodedata.normalize("NFD", text.translate(_STRIP))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def fold(text: str) -> str:
    """Lowercase without diacritics: the form under which two spellings count as the same words."""
    return strip_diacritics(text).lower()


def _swap_ending(syllable: str, table: dict[str, str]) -> str | None:
    lower = syllable.lower()
    ending = lower[-2:]
    if ending not in table or len(lower) < 2:
        return None
    if ending[0] == "u" and lower[:-2].endswith("q"):   # "quý": the u belongs to "qu"
        return None
    swapped = lower[:-2] + table[ending]
    if syllable.isupper():
        return swapped.upper()
    if syllable[:1].isupper():
        return swapped[:1].upper() + swapped[1:]
    return swapped


def other_tone_placement(syllable: str) -> str | None:
    """The syllable written in the other tone-placement convention, or None if it has no such variant."""
    return _swap_ending(unicodedata.normalize("NFC", syllable), PLACEMENT_SWAPS)


@functools.cache
def exact_form(syllable: str) -> str:
    """NFC, lowercase, one tone-placement convention: two spellings of one word compare equal."""
    lower = unicodedata.normalize("NFC", syllable).lower()
    return _swap_ending(lower, _CANONICAL) or lower


def syllable_runs(text: str) -> list[list[str]]:
    """Runs of consecutive letter-only words (NFC) not separated by digits or punctuation.

    A query span is taken inside one run, so it never straddles a comma, a
    number or a hyphen: the query kinds then test spelling, not tokenisation.
    """
    runs = []
    for segment in re.split(r"[^\w\s]|[\d_]", unicodedata.normalize("NFC", text)):
        words = segment.split()
        if words and all(_WORD.fullmatch(w) for w in words):
            runs.append(words)
        elif words:
            runs.extend([list(g) for g in _letter_groups(words)])
    return [run for run in runs if run]


def _letter_groups(words: list[str]) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    for word in words:
        if _WORD.fullmatch(word):
            groups[-1].append(word)
        elif groups[-1]:
            groups.append([])
    return groups


def folded_tokens(text: str) -> list[str]:
    """Letters-and-digits tokens of `text`, folded: the basis for "this span occurs there"."""
    return _TOKEN.findall(fold(text))


def exact_tokens(text: str) -> list[str]:
    """Letters-and-digits tokens in their exact form (see `exact_form`)."""
    return [exact_form(t) for t in _TOKEN.findall(unicodedata.normalize("NFC", text))]


# --- Marks of one syllable, for the typing mistakes of the typed-query evaluation. ---

CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"
VOWEL_MARKS = CIRCUMFLEX + BREVE + HORN
# The vowel marks each base letter can carry: a wrong one is another of these, or none.
_VOWEL_MARKS_OF = {"a": (CIRCUMFLEX, BREVE), "o": (CIRCUMFLEX, HORN), "e": (CIRCUMFLEX,), "u": (HORN,)}


def letters(syllable: str) -> list[tuple[str, str, str]]:
    """Each letter of a syllable as (base letter, vowel mark or "", tone mark or "")."""
    result: list[list[str]] = []
    for char in unicodedata.normalize("NFD", syllable):
        if char in TONE_MARKS and result:
            result[-1][2] = char
        elif char in VOWEL_MARKS and result:
            result[-1][1] = char
        elif not unicodedata.combining(char):
            result.append([char, "", ""])
    return [(base, vowel, tone) for base, vowel, tone in result]


def _spell(parts: list[tuple[str, str, str]]) -> str:
    return unicodedata.normalize("NFC", "".join(base + vowel + tone for base, vowel, tone in parts))


def tone_of(syllable: str) -> str:
    """The syllable's tone mark (a combining character), or "" for the level tone."""
    return next((tone for _, _, tone in letters(syllable) if tone), "")


def with_tone(syllable: str, tone: str) -> str:
    """The syllable with its tone mark replaced by `tone` ("" drops it), on the letter that carried it.

    Only syllables that have a tone mark can be changed: where a new mark would go
    on a level-tone syllable is a spelling rule this module does not need.
    """
    parts = letters(syllable)
    return _spell([(base, vowel, tone if old else "") for base, vowel, old in parts])


def vowel_mark_variants(syllable: str) -> list[str]:
    """Every spelling with one vowel mark wrong: `â` typed as `ă` or `a`, `ơ` as `ô` or `o`, `ư` as `u`."""
    parts = letters(syllable)
    variants = []
    for number, (base, vowel, tone) in enumerate(parts):
        choices = _VOWEL_MARKS_OF.get(base.lower(), ())
        if vowel not in choices:
            continue
        for other in ("", *choices):
            if other != vowel:
                variants.append(_spell([*parts[:number], (base, other, tone), *parts[number + 1:]]))
    return variants


def d_without_stroke(text: str) -> str:
    """`đ` typed as `d`, every other mark kept."""
    return text.translate(_STRIP)
