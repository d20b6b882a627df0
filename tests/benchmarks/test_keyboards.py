"""Keystrokes of Telex and VNI with the input method off, and the mark edits of the typed queries."""

from __future__ import annotations

import unicodedata

import pytest

from benchmarks.keyboards import telex, vni
from benchmarks.spelling import (
    d_without_stroke,
    fold,
    letters,
    tone_of,
    vowel_mark_variants,
    with_tone,
)


@pytest.mark.parametrize(("word", "telex_keys", "vni_keys"), [
    ("tiếng", "tieengs", "tie61ng"),
    ("đảng", "ddangr", "d9a3ng"),
    ("người", "nguwowif", "ngu7o72i"),
    ("việc", "vieecj", "vie65c"),
    ("ăn", "awn", "a8n"),
    ("hoà", "hoaf", "hoa2"),
    ("nhà", "nhaf", "nha2"),
    ("phường", "phuwowngf", "phu7o72ng"),
    ("ngã", "ngax", "nga4"),
    ("dân", "daan", "da6n"),
    ("ba", "ba", "ba"),
])
def test_keystrokes_of_one_syllable(word, telex_keys, vni_keys):
    assert telex(word) == telex_keys
    assert vni(word) == vni_keys


def test_keystrokes_do_not_depend_on_normalisation_and_keep_case():
    decomposed = unicodedata.normalize("NFD", "Đường")
    assert telex(decomposed) == telex("Đường") == "DDuwowngf"
    assert vni(decomposed) == vni("Đường") == "D9u7o72ng"


def test_letters_split_vowel_and_tone_marks_in_either_normal_form():
    for form in ("NFC", "NFD"):
        parts = letters(unicodedata.normalize(form, "ệ"))
        assert parts == [("e", "\u0302", "\u0323")]
    assert tone_of("tiếng") == "\u0301" and tone_of("tiêng") == ""


def test_another_tone_replaces_the_mark_where_it_stood():
    assert with_tone("tiếng", "\u0300") == "tiềng"
    assert with_tone("hoà", "\u0301") == "hoá"
    assert with_tone("người", "") == "ngươi"
    assert with_tone("ba", "\u0301") == "ba"          # no mark to replace


def test_a_wrong_vowel_mark_keeps_everything_else():
    assert sorted(vowel_mark_variants("tấn")) == sorted(["tắn", "tán"])
    assert sorted(vowel_mark_variants("người")) == sorted(["nguời", "ngưòi", "ngưồi"])
    assert vowel_mark_variants("ba") == []
    for word in ("muốn", "đường", "ăn"):
        assert vowel_mark_variants(word)
        assert all(fold(variant) == fold(word) for variant in vowel_mark_variants(word))


def test_d_typed_without_its_stroke_keeps_the_other_marks():
    assert d_without_stroke("Đảng đoàn") == "Dảng doàn"
