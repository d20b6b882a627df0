"""Telex and VNI keystrokes left in a word by an input method that was off, read back as the syllable meant.

With the Vietnamese input method switched off, `tiếng` comes out as `tieengs`
(Telex: a doubled vowel for the circumflex, `w` for the breve and the horn, `dd`
for `đ`, a tone key `s f r x j`) or `tie61ng` (VNI: the digits 1-5 for the tones,
6 circumflex, 7 horn, 8 breve, 9 `đ`). `from_keystrokes` reads such a word back.

It never touches a word that is already spelt like a Vietnamese syllable (`mai`,
`xoong`, `ban`), and it gives nothing for a word whose keys do not spell one
(`Ford`, `email`, `U23`, `H5N1`): the syllable the keys make must be a well-formed
Vietnamese syllable (an initial consonant and a rhyme from `RHYMES`, one tone).
Whether a reading is worth searching (the index knows it, not the word as typed)
is for the caller to decide.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from indexer.analysis.normalize import like_typed, normalize_tones

MAX_WORD_CHARS = 12          # the longest syllable's keystrokes (`nghieeengx`) and some
# Initial consonants, longest first; `gi` and `qu` count as initials.
INITIALS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
            "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
# Every Vietnamese rhyme (vowels and final consonant), without tone.
_RHYMES = """
a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
e ec em en eng eo ep et ê êch êm ên ênh êp êt êu
i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
o oa oac oach oai oam oan oang oanh oao oap oat oay oc oe oen oeo oet oi om on ong oong ooc op ot
oăc oăm oăn oăng oăt ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
u ua uân uâng uât uây uc uê uêch uênh ui um un ung uôc uôi uôm uôn uông uôt up ut
uy uya uych uyên uyêt uynh uyt uyu uơ uăn uăng uăc
ư ưa ưc ưi ưm ưn ưng ươc ươi ươm ươn ương ươp ươt ươu ưt ưu
y yêm yên yêt yêu
"""
RHYMES = frozenset(_RHYMES.split())

CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"
ACUTE, GRAVE, HOOK, TILDE, DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_TONE_SET = frozenset((ACUTE, GRAVE, HOOK, TILDE, DOT))
_TELEX_TONES = {"s": ACUTE, "f": GRAVE, "r": HOOK, "x": TILDE, "j": DOT}
_TELEX_W = {"a": BREVE, "o": HORN, "u": HORN}                 # `w`: the mark it gives each vowel
_VNI_TONES = {"1": ACUTE, "2": GRAVE, "3": HOOK, "4": TILDE, "5": DOT}
_VNI_MARKS = {"6": dict.fromkeys("aeo", CIRCUMFLEX), "7": dict.fromkeys("ou", HORN), "8": {"a": BREVE}}
_VOWELS = frozenset("aeiouy")


def spells_syllable(word: str) -> bool:
    """True when `word` (any case, tone marks allowed) is spelt like one Vietnamese syllable."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONE_SET]
    if len(tones) > 1:
        return False
    toneless = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_SET))
    return any(toneless.startswith(initial) and toneless[len(initial):] in RHYMES
               for initial in INITIALS)


@lru_cache(maxsize=50_000)
def from_keystrokes(word: str) -> str | None:
    """The syllable that Telex or VNI keystrokes spell (`tieengs`, `tie61ng` -> `tiếng`), or None.

    None when `word` is not letters (and VNI digits) only, when it is already spelt like
    a syllable, or when its keys spell no well-formed syllable.
    """
    if not word or len(word) > MAX_WORD_CHARS or not word.isascii() or not word.isalnum() \
            or not word[0].isalpha() or spells_syllable(word):
        return None
    lower = word.lower()
    read = _vni(lower) if any(c.isdigit() for c in lower) else _telex(lower)
    if read is None or not spells_syllable(read):
        return None
    return like_typed(word, read)


def _telex(word: str) -> str | None:
    """Telex: tone keys after the first vowel, `dd`, doubled vowels and `w`."""
    first_vowel = next((i for i, c in enumerate(word) if c in _VOWELS), None)
    if first_vowel is None:
        return None
    tone = ""
    letters: list[list[str]] = []                    # [base letter, vowel mark]
    for i, char in enumerate(word):
        if i > first_vowel and char in _TELEX_TONES:
            tone = _TELEX_TONES[char]
        elif i > first_vowel and char == "z":
            tone = ""
        elif char == "w":
            if not _add_mark(letters, _TELEX_W):
                letters.append(["u", HORN])          # `w` with no vowel before types `ư`
        elif char == "d" and letters == [["d", ""]]:
            letters[0][0] = "đ"
        elif char in "aeo" and letters and letters[-1] == [char, ""]:
            letters[-1][1] = CIRCUMFLEX
        else:
            letters.append([char, ""])
    return _spell(letters, tone)


def _vni(word: str) -> str | None:
    """VNI: a digit after the letter it marks (or later): tones 1-5, marks 6-8, `d9` for `đ`."""
    tone = ""
    letters: list[list[str]] = []
    for char in word:
        if char in _VNI_TONES:
            if tone:
                return None                           # two tones: a name like `U23`, not VNI
            tone = _VNI_TONES[char]
        elif char in _VNI_MARKS:
            if not _add_mark(letters, _VNI_MARKS[char]):
                return None
        elif char == "9":
            if letters != [["d", ""]]:
                return None
            letters[0][0] = "đ"
        elif char.isdigit():
            return None
        else:
            letters.append([char, ""])
    return _spell(letters, tone)


def _add_mark(letters: list[list[str]], marks: dict[str, str]) -> bool:
    """Mark the nearest unmarked vowel before that takes a mark of `marks` (`uo` + horn: both, `ươ`).

    Final consonants are skipped (`nguoiw`, `vien6`); the initial consonant ends the search.
    """
    for i in range(len(letters) - 1, -1, -1):
        base, current = letters[i]
        if base in marks and not current:
            letters[i][1] = marks[base]
            if marks[base] == HORN and base == "o" and i and letters[i - 1] == ["u", ""]:
                letters[i - 1][1] = HORN
            return True
        if base not in _VOWELS and not any(b in _VOWELS for b, _ in letters[:i]):
            return False
    return False


def _spell(letters: list[list[str]], tone: str) -> str | None:
    """The syllable of these letters, its tone on the vowel the spelling convention puts it on."""
    toneless = unicodedata.normalize("NFC", "".join(base + mark for base, mark in letters))
    if not tone:
        return toneless
    decomposed = unicodedata.normalize("NFD", toneless)
    first = next((i for i, c in enumerate(decomposed) if c in _VOWELS), None)
    if first is None:
        return None
    marked = decomposed[:first + 1] + tone + decomposed[first + 1:]
    return normalize_tones(unicodedata.normalize("NFC", marked))
