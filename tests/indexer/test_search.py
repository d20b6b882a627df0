"""The search API over a real Whoosh index: Vietnamese-aware matching and ranking, filters, paging."""

from __future__ import annotations

import threading
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from indexer.document import Capture, Document
from indexer.search import BadRequest, Searcher, SearchRequest
from indexer.writing.writer import new_generation, open_writer


def page(key: str, title: str, text: str, site: str = "ben-nghe", when: date | None = None,
             **kwargs) -> Document:
    return Document(url=f"https://{site}.example.vn/tin/{key}", site=site, title=title, text=text,
                    date=when, **kwargs)


def write(index_dir: Path, docs: list[Document]) -> None:
    with open_writer(index_dir) as writer:
        for doc in docs:
            writer.upsert(doc)


CORPUS = [
    page("hoa-old", "Tin khu phố", "Khu phố văn hoá giữ gìn hoà bình và thuỷ lợi.", when=date(2023, 1, 5)),
    page("hoa-none", "Tin tổ dân phố", "Tổ dân phố trồng hoa dọc kênh hoa.", when=date(2023, 1, 6)),
    page("nfd", "Bản tin", unicodedata.normalize("NFD", "Công trình thủy điện và khỏe mạnh."),
             when=date(2023, 2, 1)),
    page("duong-exact", "Sửa chữa", "Phường sửa chữa con đường trước chợ.", when=date(2023, 3, 1)),
    page("duong-folded", "Lịch", "Dương lịch, dương lịch, đương nhiên và duong.", when=date(2023, 3, 2)),
    page("dang-vien", "Kết nạp đảng viên mới", "Chi bộ kết nạp đảng viên mới trong tháng.",
             when=date(2023, 3, 16)),
    page("scattered", "Sinh hoạt", "Viên chức đi họp. Sau đó Đảng ủy khen thưởng viên chức và Đảng bộ.",
             when=date(2023, 3, 17)),
    page("adjacent", "Tin tức", "Hội nghị cán bộ phường năm nay.", when=date(2023, 4, 1)),
    page("spread", "Tin tức", "Bộ phận một cửa; cán sự và bộ đội; chỉ bộ và cán, bộ và cán.",
             when=date(2023, 4, 2)),
    page("codes", "Văn bản chỉ đạo", "Thực hiện Chỉ thị 10-CT/TW và Quyết định 123/QĐ-UBND ngày 16/3/2023, "
             "hỗ trợ 1.250.000 đồng mỗi hộ vì COVID-19. Liên hệ ubnd.bennghe@tphcm.gov.vn.",
             when=date(2023, 5, 1)),
    page("ubnd-short", "Thông báo của UBND", "UBND phường thông báo lịch tiếp dân.", site="da-kao",
             when=date(2024, 1, 1)),
    page("ubnd-long", "Lịch tiếp dân", "Ủy ban nhân dân phường Đa Kao tiếp dân thứ Năm.", site="da-kao",
             when=date(2024, 1, 2)),
    page("hcm", "Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh phát động phong trào.", site="da-kao"),
    page("quan1", "Quận 1 ra quân", "Quận 1 ra quân dọn vệ sinh.", site="da-kao", when=date(2022, 12, 31)),
    page("bql", "Ban quản lý chợ", "Ban quản lý chợ Tân Định họp tiểu thương.", site="tan-dinh",
             when=date(2022, 6, 1)),
    page("title-word", "Phòng cháy chữa cháy", "Hướng dẫn cho người dân trong khu vực.", site="tan-dinh",
             when=date(2022, 6, 2)),
    page("body-word", "Hướng dẫn người dân", "Tập huấn phòng cháy chữa cháy cho khu vực.", site="tan-dinh",
             when=date(2022, 6, 3)),
    page("hostile", "<script>alert(1)</script> Tin", "Nội dung <b>đậm</b> & 'trích' về khuyến học.",
             site="tan-dinh", captures=[Capture("2026-01-01T00:00:00Z", 200, "A.warc.gz", 0, 10)], gone=True),
]
BY_URL = {doc.url: doc for doc in CORPUS}


def key_of(result: dict) -> str:
    return result["url"].rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory) -> Searcher:
    index_dir = tmp_path_factory.mktemp("search")
    write(index_dir, CORPUS)
    return Searcher(index_dir, abbreviations={"BQL": ("Ban quản lý",)})


def find(searcher: Searcher, q: str = "", **params) -> dict:
    request = SearchRequest.from_params({"q": q, "per_page": "100", **params})
    return searcher.search(request).to_dict()


def keys(searcher: Searcher, q: str = "", **params) -> list[str]:
    return [key_of(r) for r in find(searcher, q, **params)["results"]]


# -- one spelling per word ------------------------------------------------------

@pytest.mark.parametrize("q", ["hòa bình", "hoà bình", "HOÀ BÌNH"])
def test_both_tone_placements_match_as_exact_forms(searcher, q):
    assert keys(searcher, q)[0] == "hoa-old"


def test_exact_tone_variant_ranks_above_a_folded_only_match(searcher):
    found = keys(searcher, "hòa")
    assert found[0] == "hoa-old"                 # written "hoà": same exact form
    assert "hoa-none" in found                   # "hoa" only matches after folding, ranks below


@pytest.mark.parametrize("q", ["thủy lợi", "thuỷ lợi", unicodedata.normalize("NFD", "thuỷ lợi")])
def test_thuy_variants_and_nfd_queries(searcher, q):
    assert keys(searcher, q) == ["hoa-old"]


def test_nfd_document_is_found_by_nfc_and_old_style_queries(searcher):
    assert keys(searcher, "thuỷ điện") == ["nfd"]
    assert keys(searcher, "khoẻ mạnh") == ["nfd"]


# -- without diacritics, and diacritics respected -------------------------------

def test_query_without_diacritics_finds_text_with_them(searcher):
    assert keys(searcher, "dang vien")[0] == "dang-vien"
    assert keys(searcher, "ket nap")[0] == "dang-vien"


def test_exact_form_ranks_above_folded_matches(searcher):
    found = keys(searcher, "đường")
    assert found[0] == "duong-exact"
    assert "duong-folded" in found


# -- syllables make words, quoted phrases ---------------------------------------------

def test_adjacent_syllables_in_order_rank_above_scattered(searcher):
    found = keys(searcher, "cán bộ")
    assert found.index("adjacent") < found.index("spread")
    assert keys(searcher, "dang vien")[0] == "dang-vien"
    assert keys(searcher, "đảng viên").index("dang-vien") < keys(searcher, "đảng viên").index("scattered")


def test_quoted_phrase_matches_exactly_that_sequence(searcher):
    assert keys(searcher, '"đảng viên"') == ["dang-vien"]
    assert keys(searcher, '"viên đảng"') == []
    assert keys(searcher, '"cán bộ phường"') == ["adjacent"]


def test_quoted_phrase_without_diacritics_matches_folded(searcher):
    assert keys(searcher, '"dang vien moi"') == ["dang-vien"]
    assert keys(searcher, '"duong lich"') == ["duong-folded"]
    assert keys(searcher, '"dương lịch"') == ["duong-folded"]
    assert keys(searcher, '"đường lịch"') == []


def test_minus_excludes_words_and_phrases(searcher):
    assert "duong-folded" in keys(searcher, "lịch")
    assert "duong-folded" not in keys(searcher, "lịch -dương")
    assert "duong-folded" not in keys(searcher, 'lịch -"duong lich"')
    assert set(keys(searcher, "tiếp dân -UBND")) == {"ubnd-long"}


def test_exclusion_only_query_lists_everything_else(searcher):
    found = keys(searcher, "-phường")
    assert "adjacent" not in found and "hcm" in found


# -- tokens that are not syllables ----------------------------------------------------

@pytest.mark.parametrize("q", ["10-CT/TW", "CT/TW", "123/QĐ-UBND", "QĐ-UBND", "16/3/2023", "1.250.000",
                               "1250000", "COVID-19", "covid", "ubnd.bennghe@tphcm.gov.vn", "tphcm.gov.vn"])
def test_non_syllable_tokens_are_findable_whole_and_by_parts(searcher, q):
    assert keys(searcher, q)[0] == "codes"


def test_a_compound_does_not_match_other_numbers(searcher):
    assert keys(searcher, "11-CT/TW") == []


# -- abbreviations ---------------------------------------------------------------------

def test_abbreviation_matches_long_form_and_back(searcher):
    assert set(keys(searcher, "UBND tiếp dân")) == {"ubnd-short", "ubnd-long"}
    assert set(keys(searcher, "ủy ban nhân dân tiếp dân")) == {"ubnd-short", "ubnd-long"}
    assert set(keys(searcher, "uy ban nhan dan tiep dan")) == {"ubnd-short", "ubnd-long"}


def test_city_and_district_abbreviations(searcher):
    assert keys(searcher, "TPHCM") == ["hcm", "codes"]            # codes: the address tphcm.gov.vn
    assert keys(searcher, "TP.HCM") == ["hcm", "codes"]
    assert keys(searcher, "thanh pho ho chi minh") == ["hcm", "codes"]
    assert keys(searcher, "Q.1") == ["quan1"]
    assert keys(searcher, "quận 1 ra quân") == ["quan1"]


def test_configured_abbreviation(searcher, tmp_path):
    assert keys(searcher, "BQL chợ") == ["bql"]
    write(tmp_path, CORPUS)
    plain = Searcher(tmp_path)
    assert keys(plain, "BQL chợ") == []


# -- ranking across fields -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def crowded(tmp_path_factory) -> Searcher:
    """Common syllables everywhere, scattered and often; the sequence "là của cho các" in one longer text.

    By BM25 alone that text ranks below the 320 short ones that repeat the syllables.
    """
    index_dir = tmp_path_factory.mktemp("crowded")
    scattered = "các hộ cho dân của phường là tin, các tổ cho khu của ấp là tin."
    crowd = [page(f"crowd-{n}", f"Tin số {n}", f"{scattered} Mục {n}.",
                  site="da-kao" if n % 2 else "ben-nghe") for n in range(320)]
    story = "Phường tổ chức ngày hội lớn ở khu phố năm nay. " * 2
    known = page("known", "Ngày hội", f"{story}Đó là của cho các hộ. {story}", site="da-kao")
    write(index_dir, [*crowd, known])
    return Searcher(index_dir)


@pytest.mark.parametrize("q", ["là của cho các", "la cua cho cac", "là cua cho các"])
def test_the_whole_sequence_ranks_first_however_common_its_syllables(crowded, q):
    response = find(crowded, q, per_page="10")
    assert response["total"] == 321
    assert key_of(response["results"][0]) == "known"
    filtered = find(crowded, q, per_page="10", site="da-kao")
    assert (filtered["total"], key_of(filtered["results"][0])) == (161, "known")
    assert "known" not in keys(crowded, q, site="ben-nghe")
    assert "known" not in keys(crowded, f"{q} -hội")


def test_among_many_documents_holding_the_sequence_the_best_scoring_are_re_ranked(tmp_path):
    """More documents hold the sequence than are re-ranked: the best by BM25 (the shortest) is among them."""
    long_ones = [page(f"long-{n}", "Tin", "cán bộ " + "lá " * 200) for n in range(350)]
    scattered = [page(f"far-{n}", "Tin", "cán lá bộ") for n in range(350)]
    write(tmp_path, [*long_ones, *scattered, page("short", "Tin", "cán bộ " + "lá " * 20)])
    response = find(Searcher(tmp_path), "cán bộ", per_page="5")
    assert response["total"] == 701 and key_of(response["results"][0]) == "short"


def test_every_page_of_a_re_ranked_result_list_is_new(tmp_path):
    """Pages are slices of one order: none repeats or skips a document, also past the re-ranked head."""
    write(tmp_path, [*(page(f"far-{n}", "Tin", "cán lá bộ") for n in range(300)),
                     *(page(f"near-{n}", "Tin", "cán bộ " + "lá " * 8) for n in range(50))])
    searcher = Searcher(tmp_path)
    seen = [key for number in range(1, 37)
            for key in keys(searcher, "cán bộ", page=str(number), per_page="10")]
    assert len(seen) == len(set(seen)) == 350
    assert set(seen[:50]) == {f"near-{n}" for n in range(50)}


def test_a_wrong_tone_mark_costs_a_little_not_the_match(tmp_path):
    """The article holding the phrase (`văn hóa`) ranks above the many holding every typed form
    (`hòa`) scattered: one mark typed wrong does not lose it."""
    scattered = [page(f"far-{n}", "Tin", f"Khánh thành cầu. Nhà ở. Văn nghệ. Hòa giải. Hòa nhạc số {n}.")
                 for n in range(30)]
    known = page("known", "Lễ khánh thành",
                 "Phường tổ chức lễ khánh thành nhà văn hóa khu phố. " + "Tin. " * 40)
    write(tmp_path, [*scattered, known])
    searcher = Searcher(tmp_path)
    for q in ("khánh thành nhà văn hòa", "khánh thành nhà vân hóa", "khanh thanh nhà văn hoa"):
        assert keys(searcher, q, per_page="5")[0] == "known", q


def test_the_exact_phrase_still_ranks_above_the_phrase_with_a_mark_differing(tmp_path):
    write(tmp_path, [page("other", "Tin", "Hội văn hòa nhạc."),
                     page("exact", "Tin", "Nhà văn hóa mở cửa. " * 3)])
    assert keys(Searcher(tmp_path), "văn hòa") == ["other", "exact"]
    assert keys(Searcher(tmp_path), "văn hóa") == ["exact", "other"]


def test_words_typed_without_marks_beside_marked_ones_prefer_their_plain_form(tmp_path):
    """`ban hành`: both documents hold `hành` as typed, one also holds `ban` as typed (not `bán`)."""
    write(tmp_path, [page("plain", "Tin", "Phường ban hành kế hoạch mới trong năm nay cho các khu phố."),
                     page("marked", "Tin", "Bán hành kế hoạch.")])
    assert keys(Searcher(tmp_path), "ban hành kế hoạch") == ["plain", "marked"]


@pytest.mark.parametrize("q", ["thi nấu ngon dành", "thi ăn nấu ngon", "thi nau an ngon danh cho phu nu moi"])
def test_a_syllable_left_out_or_two_swapped_or_one_too_many_still_find_the_article(tmp_path, q):
    """Short articles repeating the words scattered score higher by BM25; the near sequence wins."""
    far = ("Thi đấu, nấu cơm; ăn chay. Ngon! Dành dụm. Phụ nữ mới thi ngon.",
           "Ngon, dành, thi: nấu, ăn, mới. Cho phụ nữ.")
    scattered = [page(f"far-{n}", "Tin", far[n % 2]) for n in range(40)]
    known = page("known", "Tin", "Hội thi nấu ăn ngon dành cho phụ nữ khu phố. Tin mới. " + "Tin. " * 60)
    write(tmp_path, [*scattered, known])
    assert keys(Searcher(tmp_path), q, per_page="5")[0] == "known"


@pytest.mark.parametrize("q", ["tieengs vieetj", "tie61ng vie65t", "tieengs Vie65t", "TIEENGS VIEETJ"])
def test_a_query_typed_with_the_input_method_off_is_read_as_meant(tmp_path, q):
    write(tmp_path, [page("viet", "Học tiếng Việt", "Lớp dạy tiếng Việt cho trẻ em."),
                     page("anh", "Học tiếng Anh", "Lớp dạy tiếng Anh cho trẻ em.")])
    answer = find(Searcher(tmp_path), q)
    assert [key_of(r) for r in answer["results"]] == ["viet"]
    assert answer["suggestion"].lower() == "tiếng việt"
    assert "<mark>tiếng Việt</mark>" in answer["results"][0]["snippet"]


def test_an_export_of_a_query_typed_as_keystrokes_lists_what_the_page_lists(tmp_path):
    write(tmp_path, [page("viet", "Học tiếng Việt", "Lớp dạy tiếng Việt cho trẻ em."),
                     page("anh", "Học tiếng Anh", "Lớp dạy tiếng Anh cho trẻ em.")])
    request = SearchRequest.from_params({"q": "tieengs vieetj"})
    exported = list(Searcher(tmp_path).results(request, limit=10))
    assert [r.url.rsplit("/", 1)[-1] for r in exported] == ["viet"]
    assert "<mark>tiếng Việt</mark>" in exported[0].snippet


def test_words_the_index_knows_as_typed_are_not_read_as_keystrokes(tmp_path):
    """`taxi` would read `tãi` in Telex, `bus` `bú`: the index holds them as typed."""
    write(tmp_path, [page("taxi", "Xe taxi", "Hãng xe taxi và xe bus mới."),
                     page("bu", "Tin", "Em bé bú sữa, tãi.")])
    searcher = Searcher(tmp_path)
    assert keys(searcher, "xe taxi") == ["taxi"] and keys(searcher, "bus") == ["taxi"]
    assert find(searcher, "xe taxi")["suggestion"] is None


def test_title_match_ranks_above_body_match(searcher):
    assert keys(searcher, "phòng cháy chữa cháy")[:2] == ["title-word", "body-word"]
    assert keys(searcher, "phong chay")[:2] == ["title-word", "body-word"]


def test_title_weighs_more_for_a_single_word(tmp_path):
    write(tmp_path, [page("body", "Tin tức", "Ngày hội hiến máu của phường diễn ra sôi nổi."),
                     page("title", "Hiến máu", "Ngày hội của phường diễn ra sôi nổi năm nay.")])
    assert keys(Searcher(tmp_path), "hiến") == ["title", "body"]


# -- filters, sorts, paging ------------------------------------------------------------------------

def test_site_filter(searcher):
    assert set(keys(searcher, "tiếp dân", site="da-kao")) == {"ubnd-short", "ubnd-long"}
    assert keys(searcher, "tiếp dân", site="tan-dinh") == []
    assert keys(searcher, "tiếp dân", site="no-such-site") == []


def test_date_range_is_inclusive_and_excludes_undated_documents(searcher):
    assert set(keys(searcher, "", **{"from": "2023-03-16", "to": "2023-03-17"})) == {"dang-vien", "scattered"}
    assert "hcm" not in keys(searcher, "", **{"from": "2000-01-01"})
    assert "hcm" in keys(searcher, "")
    assert keys(searcher, "", **{"to": "2022-06-01"}) == ["bql"]


def test_a_listing_whose_filters_allow_nothing_lists_nothing(searcher):
    for params in ({"from": "1990-01-01", "to": "1990-12-31"}, {"site": "no-such-site"}):
        for sort in ("newest", "oldest"):
            assert find(searcher, "", sort=sort, **params)["total"] == 0, params
            assert find(searcher, "tiếp dân", sort=sort, **params)["results"] == [], params


def test_empty_query_lists_by_date_newest_first_undated_last(searcher):
    found = find(searcher, "")
    dates = [r["date"] for r in found["results"]]
    dated = [d for d in dates if d]
    assert found["total"] == len(CORPUS)
    assert dated == sorted(dated, reverse=True)
    assert dates[-2:] == [None, None]
    oldest = [r["date"] for r in find(searcher, "", sort="oldest")["results"]]
    assert [d for d in oldest if d] == sorted(dated) and oldest[-1] is None


def test_query_sorted_by_date(searcher):
    assert keys(searcher, "tiếp dân", sort="newest") == ["ubnd-long", "ubnd-short"]
    assert keys(searcher, "tiếp dân", sort="oldest") == ["ubnd-short", "ubnd-long"]


def test_pagination_keeps_the_total_and_pages_do_not_overlap(searcher):
    pages = [find(searcher, "", per_page="5", page=str(p)) for p in (1, 2, 3, 4, 5)]
    assert {p["total"] for p in pages} == {len(CORPUS)}
    seen = [r["id"] for p in pages for r in p["results"]]
    assert len(seen) == len(set(seen)) == len(CORPUS)
    assert pages[-1]["results"] == []


# -- response shape, snippets, suggestions ---------------------------------------------------------

def test_response_has_exactly_the_api_shape(searcher):
    answer = find(searcher, "dang vien")
    assert set(answer) == {"query", "total", "page", "per_page", "took_ms", "suggestion", "facets", "results"}
    assert answer["query"] == "dang vien" and answer["page"] == 1 and answer["per_page"] == 100
    result = answer["results"][0]
    assert set(result) == {"id", "url", "title", "date", "site", "score", "snippet"}
    doc = BY_URL[result["url"]]
    assert (result["id"], result["title"], result["date"], result["site"]) == (
        doc.id, doc.title, "2023-03-16", "ben-nghe")
    assert result["score"] > 0 and isinstance(answer["took_ms"], float)
    assert "<mark>đảng viên</mark>" in result["snippet"]
    assert answer["suggestion"] == "đảng viên"


def test_snippets_and_titles_of_hostile_content_come_escaped(searcher):
    result = find(searcher, "khuyến học")["results"][0]
    assert "<b>" not in result["snippet"] and "&lt;b&gt;" in result["snippet"]
    assert "<mark>khuyến học</mark>" in result["snippet"]
    assert result["title"].startswith("<script>")          # plain text: the UI escapes it


def test_document_count_and_site_counts(searcher):
    hostile = BY_URL["https://tan-dinh.example.vn/tin/hostile"]
    assert searcher.document(hostile.id) == hostile
    assert searcher.document("missing") is None and searcher.document("") is None
    assert searcher.count() == len(CORPUS)
    assert searcher.site_counts() == {"ben-nghe": 10, "da-kao": 4, "tan-dinh": 4}


# -- request validation ------------------------------------------------------------------------------

@pytest.mark.parametrize("params", [
    {"page": "abc"}, {"page": "0"}, {"page": "-1"}, {"page": "1.5"}, {"per_page": "1000"}, {"per_page": "0"},
    {"from": "2025-13-40"}, {"to": "32/1/2023"}, {"to": "16/3/23"}, {"from": "2023-1-1"}, {"sort": "x"},
    {"from": "2024-01-02", "to": "2024-01-01"}, {"page": "٣"},
])
def test_bad_parameters_are_refused_with_a_message(params):
    with pytest.raises(BadRequest) as error:
        SearchRequest.from_params(params)
    assert str(error.value)


def test_parameters_are_read_with_defaults():
    request = SearchRequest.from_params({"q": " hòa ", "from": "2023-01-01", "to": "2023-01-01",
                                         "site": "", "sort": "oldest", "per_page": "100"})
    assert (request.q, request.page, request.per_page, request.site, request.sort) == (
        "hòa", 1, 100, None, "oldest")
    assert request.date_from == request.date_to == date(2023, 1, 1)
    assert SearchRequest.from_params({}) == SearchRequest()


# -- a searcher follows the index -------------------------------------------------------------------

def test_no_index_yet_gives_empty_answers(tmp_path):
    searcher = Searcher(tmp_path / "nothing-here")
    assert find(searcher, "hòa")["total"] == 0 and find(searcher, "")["results"] == []
    assert searcher.count() == 0 and searcher.site_counts() == {} and searcher.document("x") is None


def test_searcher_sees_commits_updates_deletes_and_new_generations(tmp_path):
    searcher = Searcher(tmp_path)
    assert searcher.count() == 0
    first = page("a", "Tiêm chủng", "Lịch tiêm chủng tháng ba.")
    write(tmp_path, [first])
    assert keys(searcher, "tiêm chủng") == ["a"]
    write(tmp_path, [page("a", "Tiêm chủng mở rộng", "Lịch tiêm chủng tháng tư.")])   # same id
    answer = find(searcher, "tiêm chủng")
    assert answer["total"] == 1 and answer["results"][0]["title"] == "Tiêm chủng mở rộng"
    assert keys(searcher, "tháng ba") == []
    with open_writer(tmp_path) as writer:
        writer.delete(first.id)
    assert find(searcher, "tiêm chủng")["total"] == 0
    with new_generation(tmp_path, procs=1) as writer:
        writer.upsert(page("b", "Hiến máu", "Ngày hội hiến máu."))
    assert keys(searcher, "hiến máu") == ["b"] and searcher.count() == 1


def test_concurrent_searches_while_the_index_changes(tmp_path):
    write(tmp_path, [page(str(n), f"Tin số {n}", f"Phường tổ chức hiến máu lần {n}.") for n in range(30)])
    searcher = Searcher(tmp_path)
    errors: list[BaseException] = []
    totals: list[list[int]] = [[] for _ in range(6)]      # what each thread saw for "hiến máu", in order
    searched_once = threading.Barrier(len(totals) + 1)
    committed = threading.Event()

    def search_round(seen: list[int]) -> None:
        for q in ("hiến máu", "hien mau", "", "tin số 7", '"hiến máu" -lần'):
            answer = find(searcher, q)
            assert len(answer["results"]) == min(answer["total"], 100)
            if q == "hiến máu":
                seen.append(answer["total"])

    def search_many(seen: list[int]) -> None:
        try:
            search_round(seen)                            # before the commit
            searched_once.wait(timeout=60)
            while not committed.is_set():                 # while it is written
                search_round(seen)
            search_round(seen)                            # after it
        except BaseException as error:  # noqa: BLE001 - reported below
            searched_once.abort()
            errors.append(error)

    threads = [threading.Thread(target=search_many, args=(seen,)) for seen in totals]
    for thread in threads:
        thread.start()
    try:
        searched_once.wait(timeout=60)
        with open_writer(tmp_path) as writer:                 # commits while threads search
            for n in range(30, 40):
                writer.upsert(page(str(n), f"Tin số {n}", f"Phường tổ chức hiến máu lần {n}."))
    finally:
        committed.set()
    for thread in threads:
        thread.join()
    assert errors == []
    for seen in totals:                      # each thread saw the old index, then the new one, never back
        assert seen == sorted(seen) and set(seen) == {30, 40}, seen
    assert find(searcher, "hiến máu")["total"] == 40
