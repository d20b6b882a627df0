"""What a Vietnamese input method's keystrokes look like when the input method is off.

With Telex or VNI switched off, the keys meant to add marks stay in the text:
`tiếng` comes out as `tieengs` (Telex: doubled vowel for the circumflex, `w` for
breve and horn, `dd` for `đ`, the tone key at the end) or `tie61ng` (VNI: each
mark's digit right after its letter, `d9` for `đ`). Written from the input
methods' key tables, independently of the system under test.
"""

from __future__ import annotations

from benchmarks.spelling import BREVE, CIRCUMFLEX, HORN, letters

_TELEX_TONES = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
_VNI_TONES = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
_VNI_VOWEL_MARKS = {CIRCUMFLEX: "6", HORN: "7", BREVE: "8"}
_STROKED_D = {"đ": "d", "Đ": "D"}


def _key(key: str, letter: str) -> str:
    """A mark key takes the case of the letter it marks (`Ư` -> `UW`)."""
    return key.upper() if letter.isupper() else key


def telex(syllable: str) -> str:
    """Telex keystrokes of one syllable: `tiếng` -> `tieengs`, `đảng` -> `ddangr`, `người` -> `nguwowif`."""
    typed, tone_key = [], ""
    for base, vowel, tone in letters(syllable):
        if base in _STROKED_D:
            typed.append(_STROKED_D[base] * 2)
            continue
        typed.append(base)
        if vowel == CIRCUMFLEX:
            typed.append(base)
        elif vowel:
            typed.append(_key("w", base))
        if tone:
            tone_key = _key(_TELEX_TONES[tone], base)
    return "".join(typed) + tone_key


def vni(syllable: str) -> str:
    """The VNI keystrokes of one syllable: `tiếng` -> `tie61ng`, `đảng` -> `d9a3ng`, `người` -> `ngu7o72i`."""
    typed = []
    for base, vowel, tone in letters(syllable):
        if base in _STROKED_D:
            typed.append(_STROKED_D[base] + "9")
            continue
        typed.append(base + _VNI_VOWEL_MARKS.get(vowel, "") + _VNI_TONES.get(tone, ""))
    return "".join(typed)
