"""Snippets and title highlights: the original words marked whatever form the query used, always escaped."""

from __future__ import annotations

import html
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.search import snippets
from indexer.search.query import parse_query
from indexer.search.snippets import SCAN_CHARS, QueryTerms, highlight_title, make_snippet

FILLER = ("Buổi sáng người dân khu phố tập thể dục bên bờ sông, trẻ em đến trường, "
          "các cửa hàng mở cửa đón khách như mọi ngày bình thường trong tuần. ")
ARTICLE = (FILLER * 3
           + "Chị Nguyễn Thị Thúy, tổ trưởng tổ dân phố 5, phổ biến Chỉ thị 10-CT/TW của Ban Bí thư "
           + "về công tác kết nạp đảng viên trong tình hình mới. "
           + FILLER * 3)
MARK = re.compile(r"<mark>(.*?)</mark>")


def marked(snippet: str) -> list[str]:
    return [html.unescape(m) for m in MARK.findall(snippet)]


def visible(snippet: str) -> str:
    return html.unescape(snippet.replace("<mark>", "").replace("</mark>", ""))


def collapsed(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("query", ["thuy", "thuý", "thúy", "THÚY", unicodedata.normalize("NFD", "thúy"),
                                   unicodedata.normalize("NFD", "Thuý")])
def test_marks_the_original_word_whatever_form_the_query_used(query):
    snippet = make_snippet(ARTICLE, [query])
    assert marked(snippet) == ["Thúy"]


def test_marks_the_original_nfd_text_as_written():
    text = unicodedata.normalize("NFD", "Bà Thúy làm việc tại phường.")
    snippet = make_snippet(text, ["thuy"])
    assert marked(snippet) == [unicodedata.normalize("NFD", "Thúy")]


def test_document_numbers_are_marked_whole():
    text = "Theo Chỉ thị 10-CT/TW, năm 2010 có 10 tổ. Chỉ thị 10-ct/tw vẫn còn hiệu lực."
    snippet = make_snippet(text, ["10-CT/TW"])
    assert marked(snippet) == ["10-CT/TW", "10-ct/tw"]


def test_parts_of_a_document_number_mark_inside_it():
    snippet = make_snippet("Quyết định 123/QĐ-UBND ngày 16/3/2023.", ["ubnd"])
    assert marked(snippet) == ["UBND"]


def test_adjacent_matches_become_one_mark():
    snippet = make_snippet(ARTICLE, "ket nap dang vien")
    assert marked(snippet) == ["kết nạp đảng viên"]


def test_a_quoted_phrase_is_marked_only_where_its_syllables_stand_together():
    text = "Ủy ban nhân dân phường họp. Người dân góp ý cho ban quản lý."
    snippet = make_snippet(text, QueryTerms.from_strings(phrases=["uy ban nhan dan"]))
    assert marked(snippet) == ["Ủy ban nhân dân"]
    assert marked(make_snippet(text, '"uy ban nhan dan"')) == ["Ủy ban nhân dân"]


def test_excluded_words_and_operators_are_not_marked():
    snippet = make_snippet("Đảng viên và người dân cùng tham gia.", "dang -dan AND vien")
    assert marked(snippet) == ["Đảng viên"]


@pytest.mark.parametrize("query", ["script", "alert", "b", "x"])
def test_hostile_text_stays_text(query):
    text = ('Tin <script>alert("x")</script> & <b onmouseover="x()">b</b> '
            "<mark>giả</mark> &lt;đã mã hóa&gt; x")
    for result in (make_snippet(text, [query]), highlight_title(text, [query])):
        without_marks = result.replace("<mark>", "").replace("</mark>", "")
        assert "<" not in without_marks and ">" not in without_marks and '"' not in without_marks
        assert visible(result) == collapsed(text)
        assert marked(result)


def test_hostile_query_terms_are_harmless():
    for query in ["<script>", '"><img src=x>', "\x00", "\ud800", "mark", "(" * 100, '"' * 7, ""]:
        result = make_snippet("Văn bản <mark> thử </mark> nghiệm", query)
        assert "<script" not in result and "<img" not in result
        assert visible(result) == "Văn bản <mark> thử </mark> nghiệm"


def test_huge_queries_mark_what_they_match():
    terms = QueryTerms.from_strings(["-".join(["đảng"] * 5000), " ".join(["viên"] * 20000)])
    assert marked(make_snippet(ARTICLE, terms)) == ["đảng viên"]


def test_the_window_with_the_most_distinct_terms_wins():
    text = ("Đảng bộ phường tổ chức hội nghị. " + FILLER * 4
            + "Lễ kết nạp đảng viên mới diễn ra tại hội trường. " + FILLER * 4)
    snippet = make_snippet(text, "ket nap dang vien", max_chars=160)
    assert "kết nạp đảng viên" in visible(snippet)
    assert snippet.startswith("…") and snippet.endswith("…")


def test_distinct_terms_beat_repetitions_of_one():
    text = ("Đảng, Đảng và Đảng: Đảng lãnh đạo. " + FILLER * 4
            + "Một viên chức của Đảng phát biểu. " + FILLER * 4)
    snippet = make_snippet(text, "dang vien", max_chars=120)
    assert marked(snippet) == ["viên", "Đảng"]


def test_adjacent_matches_beat_scattered_ones():
    text = ("Tổ dân phố họp về đảng và sau đó bàn việc của viên chức. " + FILLER * 3
            + "Hai đảng viên được khen thưởng. " + FILLER * 3)
    snippet = make_snippet(text, "dang vien", max_chars=120)
    assert "đảng viên" in marked(snippet)


def test_exact_forms_are_preferred_when_the_query_gave_diacritics():
    text = "Cuộc sống đang viên mãn. " + FILLER * 3 + "Đảng viên được khen. " + FILLER * 3
    assert marked(make_snippet(text, "đảng viên", max_chars=100)) == ["Đảng viên"]
    assert marked(make_snippet(text, "dang vien", max_chars=100)) == ["đang viên"]   # the first of equals


def test_cuts_at_word_boundaries_within_the_budget():
    words = set(collapsed(ARTICLE).split())
    for max_chars in (40, 80, 120, 240):
        snippet = make_snippet(ARTICLE, "dang vien", max_chars=max_chars)
        text = visible(snippet)
        assert len(text) <= max_chars
        assert text.startswith("…") and text.endswith("…")
        inner = text.strip("…")
        assert inner in collapsed(ARTICLE)
        assert set(inner.split()) <= words      # no word cut in half
        assert "đảng viên" in inner


def test_whitespace_and_paragraphs_are_collapsed():
    text = "Đoạn một.\n\n\tĐoạn   hai có đảng viên.\r\n"
    assert make_snippet(text, ["dang"]) == "Đoạn một. Đoạn hai có <mark>đảng</mark> viên."


def test_short_text_is_shown_whole_without_ellipsis():
    assert make_snippet("Lễ kết nạp đảng viên.", "dang vien") == "Lễ kết nạp <mark>đảng viên</mark>."


def test_without_a_match_the_text_starts_the_snippet():
    snippet = make_snippet(ARTICLE, "khong co tu nay", max_chars=100)
    assert "<mark>" not in snippet
    assert visible(snippet).rstrip("…") == collapsed(ARTICLE)[:len(visible(snippet)) - 1]
    assert make_snippet(ARTICLE, None, max_chars=100) == snippet
    assert make_snippet(ARTICLE, [], max_chars=100) == snippet


@pytest.mark.parametrize("text", ["", None, "   ", "\n\n"])
def test_empty_text_gives_an_empty_snippet(text):
    assert make_snippet(text, "dang") == ""


def test_tiny_budgets_still_cut_cleanly_and_nonsense_is_refused():
    assert visible(make_snippet(ARTICLE, "thuy", max_chars=8)) == "…Thúy,…"
    with pytest.raises(ValueError, match="max_chars"):
        make_snippet(ARTICLE, "thuy", max_chars=0)


def test_a_match_wider_than_the_budget_does_not_hide_the_others():
    long_address = "https://phuong.example.gov.vn/" + "a" * 150
    text = f"Xem {long_address} để biết. " + FILLER + "Đảng viên và người dân cùng làm. " + FILLER
    terms = QueryTerms.from_strings([long_address, "dang vien", "nguoi dan"])
    assert marked(make_snippet(text, terms, max_chars=60))[:2] == ["Đảng viên", "người dân"]


def test_a_single_huge_word_is_cut_inside():
    snippet = make_snippet("x" * 10_000, ["y"], max_chars=50)
    assert visible(snippet) == "x" * 48 + "…"


def test_huge_text_is_scanned_only_so_far():
    text = FILLER * (1_000_000 // len(FILLER)) + " thúy"
    snippet = make_snippet(text, ["thuy"])
    assert "<mark>" not in snippet                 # beyond SCAN_CHARS
    assert len(text) > SCAN_CHARS
    near_start = FILLER * 10 + "thúy " + text
    assert marked(make_snippet(near_start, ["thuy"])) == ["thúy"]


def test_a_match_at_the_end_of_a_five_kilobyte_article_is_found():
    text = (FILLER * 40)[:5000] + " kết nạp đảng viên"
    terms = QueryTerms.from_strings(["dang", "vien", "nguoi"], ["ket nap"])
    snippet = make_snippet(text, terms)
    assert marked(snippet) == ["người", "kết nạp đảng viên"]
    assert visible(snippet).endswith(" kết nạp đảng viên") and visible(snippet).startswith("…")


def test_title_highlight_marks_every_match_and_escapes():
    title = "Thúy & <các> đảng viên mới: Thuý, THỦY"
    assert highlight_title(title, ["thuy"]) == (
        "<mark>Thúy</mark> &amp; &lt;các&gt; đảng viên mới: <mark>Thuý</mark>, <mark>THỦY</mark>")
    assert highlight_title(title, None) == "Thúy &amp; &lt;các&gt; đảng viên mới: Thuý, THỦY"
    assert highlight_title("", ["thuy"]) == ""


def test_query_terms_from_a_query_string():
    terms = QueryTerms.from_parsed(parse_query('Thúy "ủy ban nhân dân" -xoá 10-CT/TW (đảng)'))
    assert terms.words == {"thuy", "10-ct/tw", "dang"}
    assert terms.exact == {"thúy", "đảng"}
    assert terms.phrases == (("uy", "ban", "nhan", "dan"),)
    combined = terms | QueryTerms.from_strings(["viên"])
    assert combined.words == {"thuy", "10-ct/tw", "dang", "vien"}


# -- the shortcuts (skipping clauses, scanning folded text): the same snippets as tokenising it all ---

FUZZ_WORDS = ["Đảng", "đảng", "dang", "đang", "ĐẢNG", unicodedata.normalize("NFD", "đảng"), "viên",
              "vien", "Thúy", "thuý", "Hoà", "hòa", "10-CT/TW", "TP.HCM", "1.250.000", "Đả\u200bng", "x²",
              "khu", "phố", "UBND", "ubnd", "naïve", "ｕｂｎｄ", "dân", "phường", "Bến", "Nghé", "a_b", "https://vi.wiki/x",
              "an", "Nhân", "bàn", "ô", "tô", "19", "COVID-19", "U23", "dângian", "1250000", "2.023", "2023"]
ODD_WORDS = {unicodedata.normalize("NFD", "đảng"), "Đả\u200bng", "x²", "naïve", "ｕｂｎｄ"}
PLAIN_WORDS = [w for w in FUZZ_WORDS if w not in ODD_WORDS]           # text that folds letter by letter
SYLLABLES = [w for w in PLAIN_WORDS if w.isalnum()]                     # what the folded text is scanned for
FUZZ_GLUE = [" ", " ", " ", ", ", ". ", "; ", "? ", "… ", ".\n", ",", ".", "\n", "\n\n", "\n---\n", " - ",
             " , ", "\n  \n", "-", "/", "_", " (", ") ", "“", " “", "” ", " – ", "--", "..."]


def stock_marks(text: str, terms: QueryTerms, max_chars: int) -> tuple[str, str]:
    """The snippet and title marks with every clause of the text tokenised."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("indexer.search.snippets._candidate_chunks", lambda text, needles: [(0, len(text))])
        patch.setattr("indexer.search.snippets._scannable", lambda scanned, terms: False)
        return make_snippet(text, terms, max_chars), highlight_title(text, terms)


def fuzz_cases(words: list[str], query_words: list[str]):
    return (st.lists(st.tuples(st.sampled_from(words), st.sampled_from(FUZZ_GLUE)), max_size=60),
            st.lists(st.sampled_from(query_words), min_size=1, max_size=3),
            st.lists(st.lists(st.sampled_from(query_words), min_size=2, max_size=3).map(" ".join),
                     max_size=1),
            st.integers(min_value=20, max_value=240))


def assert_as_stock(pieces, words, phrases, max_chars) -> tuple[str, QueryTerms]:
    """The snippet and the title marks of the text made of `pieces` are those of tokenising it all."""
    text = "".join(word + glue for word, glue in pieces)
    terms = QueryTerms.from_strings(words, phrases)
    shortcuts = make_snippet(text, terms, max_chars), highlight_title(text, terms)
    assert shortcuts == stock_marks(text, terms, max_chars)
    return text, terms


@given(*fuzz_cases(FUZZ_WORDS, FUZZ_WORDS))
@settings(max_examples=300, deadline=None)
def test_shortcuts_change_no_snippet(pieces, words, phrases, max_chars):
    assert_as_stock(pieces, words, phrases, max_chars)


@given(*fuzz_cases(PLAIN_WORDS, SYLLABLES))
@settings(max_examples=300, deadline=None)
def test_scanning_plain_text_changes_no_snippet(pieces, words, phrases, max_chars):
    text, terms = assert_as_stock(pieces, words, phrases, max_chars)
    if snippets._scannable(text, terms):        # every match and its bonus, not only the window they chose
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(snippets, "_candidate_chunks", lambda text, needles: [(0, len(text))])
            assert snippets._scanned_matches(text, terms) == snippets._tokenised_matches(text, terms)


def test_a_long_article_is_marked_where_the_word_is_even_far_from_the_start():
    text = "\n\n".join([FILLER * 2] * 200 + ["Bà Bùi Thị Thúy Hiền phát biểu."] + [FILLER] * 10)
    assert marked(make_snippet(text, ["thuy hien"])) == ["Thúy Hiền"]
    assert marked(make_snippet(text, QueryTerms.from_strings([], ["bui thi thuy"]))) == ["Bùi Thị Thúy"]
