"""Vietnamese analysis: normalisation, tokenization, analyzers and abbreviations."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import indexer.analysis.filters as filters
from indexer.analysis import exact_analyzer, exact_form, fold, folded_analyzer, nfc, normalize_tones, vi_lower
from indexer.analysis.abbreviations import load_abbreviations
from indexer.analysis.analyzers import pairs_analyzer
from indexer.analysis.normalize import has_diacritics, is_syllable
from indexer.analysis.tokenizer import VietnameseTokenizer
from indexer.analysis.units import split_units


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def tokens(text: str, analyzer=None) -> list[tuple[str, int, int, int]]:
    analyzer = analyzer or exact_analyzer()
    return [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer(text, positions=True, chars=True)]


def texts(text: str, analyzer=None) -> list[str]:
    return [t[0] for t in tokens(text, analyzer)]


# -- normalisation --------------------------------------------------------------------

@pytest.mark.parametrize("variant, standard", [
    ("hoà", "hòa"), ("hòa", "hòa"), ("thuỷ", "thủy"), ("uý", "úy"), ("khoẻ", "khỏe"), ("hoá", "hóa"),
    ("Uỷ", "Ủy"), ("HOÀ", "HÒA"), ("qúy", "quý"), ("gìa", "già"), ("ngừơi", "người"), ("tóan", "toán"),
    ("ngoaì", "ngoài"), ("huỳnh", "huỳnh"), ("thuyết", "thuyết"), ("quý", "quý"), ("giá", "giá"),
    ("hoàng", "hoàng"), ("gì", "gì"), ("gìn", "gìn"), ("thuở", "thuở"), ("khuỷu", "khuỷu"),
])
def test_tone_placement_has_one_convention(variant, standard):
    assert normalize_tones(variant) == standard
    assert normalize_tones(nfd(variant)) == standard


@pytest.mark.parametrize("word", ["café", "COVID-19", "naïve", "10-CT/TW", "ĐTN", "Hồ Chí"])
def test_words_that_are_not_one_syllable_keep_their_marks(word):
    assert normalize_tones(word) == unicodedata.normalize("NFC", word)


def test_nfc_composes_and_removes_invisible_differences():
    assert nfc(nfd("Thủy lợi")) == "Thủy lợi"
    assert nfc("đả\u200bng") == "đảng"
    assert nfc("ＵＢＮＤ") == "UBND"
    assert nfc("a\u00a0b") == "a b"
    assert nfc("x\ud800y") == "x\ufffdy"          # a lone surrogate cannot reach the index


def test_lowercasing_and_folding():
    assert vi_lower("ĐẢNG VIÊN") == "đảng viên"
    assert fold("Đảng viên Phường") == "Dang vien Phuong"
    assert fold("người ưu tú") == "nguoi uu tu"
    assert exact_form(nfd("Hoà")) == "hòa"
    assert has_diacritics("đường") and not has_diacritics("duong")


def test_syllable_shape_tells_words_from_abbreviations():
    assert is_syllable("cấp") and is_syllable("CAP") and is_syllable("nghiêng")
    assert not any(is_syllable(w) for w in ("UBND", "tp", "HĐND", "KP", "10"))


# -- tokenizer --------------------------------------------------------------------------

def test_syllables_get_positions_and_offsets_into_the_given_text():
    text = "  Đảng viên  phường "
    assert tokens(text) == [("đảng", 0, 2, 6), ("viên", 1, 7, 11), ("phường", 2, 13, 19)]


def test_clause_punctuation_leaves_a_position_free():
    positions = [t[1] for t in tokens("cán, bộ; và (chi) bộ. Hết 1,5 tỷ a.b")]
    assert positions == [0, 2, 4, 6, 8, 10, 11, 12, 13, 14, 14, 15]


def test_offsets_point_into_nfd_text_as_given():
    text = nfd("Thuỷ lợi hoà bình")
    found = tokens(text)
    assert [t[0] for t in found] == ["thủy", "lợi", "hòa", "bình"]
    for form, _, start, end in found:
        assert exact_form(text[start:end]) == form


@pytest.mark.parametrize("compound, parts", [
    ("10-CT/TW", ["10", "ct", "tw"]),
    ("123/QĐ-UBND", ["123", "qđ", "ubnd"]),
    ("05-NQ/ĐU", ["05", "nq", "đu"]),
    ("16/3/2023", ["16", "3", "2023"]),
    ("COVID-19", ["covid", "19"]),
    ("TP.HCM", ["tp", "hcm"]),
    ("Q.1", ["q", "1"]),
    ("ubnd.bennghe@tphcm.gov.vn", ["ubnd", "bennghe", "tphcm", "gov", "vn"]),
])
def test_compounds_are_emitted_whole_and_as_parts(compound, parts):
    found = tokens(f"theo {compound} nay")
    whole = exact_form(compound)
    assert (whole, 1, 5, 5 + len(compound)) in found
    part_tokens = [t for t in found if t[0] != whole and 1 <= t[1] < 1 + len(parts)]
    assert [t[0] for t in part_tokens] == parts
    assert [t[1] for t in part_tokens] == list(range(1, 1 + len(parts)))     # consecutive positions
    assert found[-1][:2] == ("nay", 1 + len(parts))                            # phrases line up after it


def test_grouped_numbers_are_also_indexed_as_plain_digits():
    found = texts("hỗ trợ 1.250.000 đồng")
    assert "1.250.000" in found and "1250000" in found and "250" in found


def test_web_address_is_one_token_without_trailing_punctuation():
    found = tokens("Xem https://bennghe.gov.vn/tin-tuc/a.html.")
    url = "https://bennghe.gov.vn/tin-tuc/a.html"
    assert (url, 1, 4, 4 + len(url)) in found
    assert "tin" in [t[0] for t in found]


def test_trailing_connectors_do_not_make_compounds():
    assert texts("năm 2023. Tiếp-") == ["năm", "2023", "tiếp"]


def test_hostile_long_runs_are_not_giant_terms():
    found = texts("a" * 5000 + " " + ".".join(["x"] * 300))
    assert all(len(t) <= 200 for t in found)
    assert found.count("x") == 300


def test_no_stop_words_function_words_stay():
    assert texts("các cán bộ của phường và những người") == [
        "các", "cán", "bộ", "của", "phường", "và", "những", "người"]


def test_folded_analyzer_and_exact_analyzer_agree_on_positions():
    text = "Đảng viên 10-CT/TW hoà"
    exact, folded = tokens(text), tokens(text, folded_analyzer())
    assert [t[1:] for t in exact] == [t[1:] for t in folded]
    assert [t[0] for t in folded] == ["dang", "vien", "10-ct/tw", "10", "ct", "tw", "hoa"]


def test_pairs_analyzer_emits_adjacent_syllable_pairs():
    assert texts("Đảng viên mới 2023 kết nạp", pairs_analyzer()) == ["đảng viên", "viên mới", "kết nạp"]
    assert texts("cán bộ, đảng viên", pairs_analyzer()) == ["cán bộ", "đảng viên"]


def test_tokenizer_without_tokenizing_returns_the_value():
    token = next(VietnameseTokenizer()("Hòa bình", tokenize=False, positions=True, chars=True))
    assert (token.text, token.startchar, token.endchar) == ("Hòa bình", 0, 8)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_analysis_never_fails_and_offsets_stay_inside_the_text(text):
    for token in exact_analyzer()(text, positions=True, chars=True):
        assert token.text
        assert 0 <= token.startchar < token.endchar <= len(text)
    for token in folded_analyzer()(text):
        token.text.encode("utf-8")


def _step_by_step_analyzers():
    """The filter chain the fused ExactFormFilter replaced (older indexes still name it)."""
    chain = VietnameseTokenizer() | filters.NfcFilter() | filters.ToneFilter() | filters.LowercaseFilter()
    return ((chain, exact_analyzer()), (chain | filters.FoldFilter(), folded_analyzer()),
            (chain | filters.SyllablePairsFilter(), pairs_analyzer()))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200) | st.sampled_from([
    "Ｕ Ｂ Ｎ Ｄ hoà HOÀ Đảng \u200b a\u00adb qúy ﬁ 10-CT/TW 1.250.000 TP.HCM ĐẢNG KHỎE", nfd("Thuỷ Hoà"),
]))
def test_fused_filter_gives_the_tokens_of_the_step_by_step_chain(text):
    for old, new in _step_by_step_analyzers():
        assert tokens(text, new) == tokens(text, old)


# -- query units and abbreviations ----------------------------------------------------------

def test_query_units_match_index_forms():
    units = split_units("Hoà 10-CT/TW dang")
    assert [(u.exact, u.folded, u.parts, u.accented) for u in units] == [
        ("hòa", "hoa", (), True), ("10-ct/tw", "10-ct/tw", ("10", "ct", "tw"), False),
        ("dang", "dang", (), False)]


def alternatives(query: str, extra=None) -> list[tuple[int, int, tuple[str, ...]]]:
    table = load_abbreviations(extra)
    return [(e.start, e.end, e.alternatives) for e in table.expansions(split_units(query))]


def test_abbreviations_expand_both_ways():
    assert alternatives("UBND phường") == [(0, 1, ("Ủy ban nhân dân",))]
    assert alternatives("họp uy ban nhan dan") == [(1, 5, ("UBND",))]
    assert alternatives("hdnd") == [(0, 1, ("Hội đồng nhân dân",))]
    tphcm = alternatives("TPHCM")[0][2]
    assert "Thành phố Hồ Chí Minh" in tphcm and "TP.HCM" in tphcm
    assert "TPHCM" in alternatives("Thành phố Hồ Chí Minh")[0][2]


def test_numbered_forms_expand_with_their_number():
    assert alternatives("Q.1") == [(0, 1, ("Quận 1",))]
    assert alternatives("quận 12 mới") == [(0, 2, ("Q.12",))]
    assert alternatives("P.7") == [(0, 1, ("Phường 7",))]


def test_a_short_form_that_is_a_syllable_needs_capitals():
    assert alternatives("cap phép") == []
    assert alternatives("CAP") == [(0, 1, ("Công an phường",))]


def test_configuration_extends_the_bundled_list():
    assert alternatives("BQL chợ") == []
    assert alternatives("BQL chợ", {"BQL": ("Ban quản lý",)}) == [(0, 1, ("Ban quản lý",))]
    assert alternatives("ban quan ly", {"BQL": ("Ban quản lý",)}) == [(0, 3, ("BQL",))]


def test_invisible_characters_go_as_str_translate_removed_them():
    """`_nfc` removes them with a regular expression; `str.translate` with the same table is the reference."""
    from indexer.analysis.normalize import IGNORABLE, _nfc

    text = "".join(map(chr, range(0x20, 0x2100))) + "Đảng\u200bủy\ufeff phường\u00ad\ufe0f" * 50
    assert _nfc(text) == unicodedata.normalize("NFKC", text.translate(dict.fromkeys(IGNORABLE)))
