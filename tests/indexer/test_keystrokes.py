"""Telex and VNI keystrokes typed with the input method off, read back as the syllable meant."""

from __future__ import annotations

import unicodedata

import pytest

from indexer.analysis.keystrokes import RHYMES, from_keystrokes, spells_syllable
from indexer.analysis.normalize import fold


@pytest.mark.parametrize("typed, meant", [
    ("tieengs", "tiếng"), ("ddaang", "đâng"), ("ddangr", "đảng"), ("vieen", "viên"), ("nguwowif", "người"),
    ("nguoiwf", "người"), ("truwowngf", "trường"), ("ddoongf", "đồng"), ("hoaf", "hòa"), ("quys", "quý"),
    ("giuwax", "giữa"), ("khuyeenr", "khuyển"), ("nghieeng", "nghiêng"), ("tieesng", "tiếng"),
    ("nawm", "năm"), ("trowif", "trời"), ("thuwj", "thự"),
])
def test_telex_keystrokes_spell_the_syllable(typed, meant):
    assert from_keystrokes(typed) == meant


@pytest.mark.parametrize("typed, meant", [
    ("tie61ng", "tiếng"), ("da5ng", "dạng"), ("vie6n", "viên"), ("d9a3ng", "đảng"), ("ngu7o72i", "người"),
    ("nguo72i", "người"), ("na8m", "năm"), ("tro72i", "trời"), ("tieng61", "tiếng"), ("hoa2", "hòa"),
])
def test_vni_keystrokes_spell_the_syllable(typed, meant):
    assert from_keystrokes(typed) == meant


def test_the_capitals_typed_are_kept():
    assert from_keystrokes("Tieengs") == "Tiếng"
    assert from_keystrokes("DDANGR") == "ĐẢNG"


def test_the_tone_goes_where_the_spelling_convention_puts_it():
    """One convention, as the index writes it: `hòa`, `thủy` (not `hoà`, `thuỷ`), `hoàng`."""
    assert from_keystrokes("hoaf") == "hòa"
    assert from_keystrokes("thuyr") == "thủy"
    assert from_keystrokes("hoangf") == "hoàng"


@pytest.mark.parametrize("word", [
    "mai", "Ford", "email", "HĐND", "COVID-19", "10-CT/TW", "xoong", "ban", "UBND", "U23", "H5N1", "B52",
    "MiG21", "F16", "K9", "s400", "4G", "tphcm", "www", "iphone", "Facebook", "online", "đảng", "tiếng",
    "", "a" * 40, "quaw",
])
def test_words_that_are_not_keystrokes_are_left_alone(word):
    assert from_keystrokes(word) is None


@pytest.mark.parametrize("word", ["tiếng", "người", "khuya", "khuỷu", "thuở", "giữa", "gì", "quốc", "yêu",
                                  "nghiêng", "xoong", "oanh", "uống", "ạ", "HÒA", "ban", "mai"])
def test_vietnamese_syllables_are_recognised(word):
    assert spells_syllable(word)


@pytest.mark.parametrize("word", ["vieen", "tieengs", "ddang", "email", "ford", "ubnd", "ăa",
                                  "ti\u00ea\u0301ng\u0300"])        # two tone marks
def test_other_spellings_are_not_syllables(word):
    assert not spells_syllable(word)


def test_every_rhyme_is_written_without_tone_and_in_nfc():
    for rhyme in RHYMES:
        assert rhyme == unicodedata.normalize("NFC", rhyme) and rhyme.isalpha() and rhyme == rhyme.lower()
        assert fold(rhyme) == rhyme or any(c not in "aeiouycghmnpt" for c in rhyme)


def test_every_syllable_read_back_is_one_the_index_would_write():
    """What a reading gives is an exact form: NFC, one tone mark, in the conventional place."""
    from indexer.analysis.normalize import exact_form

    for typed in ("tieengs", "hoaf", "nguwowif", "tie61ng", "d9a3ng", "thuyr", "khoer"):
        read = from_keystrokes(typed)
        assert read is not None and exact_form(read) == read
