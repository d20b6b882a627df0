"""Did you mean: accents restored and typos corrected from what a real Whoosh index holds."""

from __future__ import annotations

import pytest
from whoosh import index as whoosh_index
from whoosh.reading import SegmentReader

from indexer.document import Document
from indexer.schema import build_schema
from indexer.search.suggest import Suggester, edit_distance, is_syllable_shape
from indexer.stored import document_to_fields

# A small ward archive. `đang` (is doing) is far more frequent than `đảng` (the Party) and
# `nắp` (a lid) more frequent than `nạp` (to admit), so only the pairs can get them right.
ARTICLES = [
    ("Lễ kết nạp đảng viên mới",
     "Chi bộ khu phố 3 tổ chức lễ kết nạp đảng viên mới cho hai quần chúng ưu tú."),
    ("Kết nạp đảng viên trẻ", "Đảng ủy phường kết nạp đảng viên là đoàn viên thanh niên tiêu biểu."),
    ("Sinh hoạt chi bộ", "Các đảng viên tham gia sinh hoạt chi bộ định kỳ, học tập Chỉ thị 10-CT/TW."),
    ("Phát triển đảng viên", "Công tác phát triển đảng viên được ủy ban nhân dân phường quan tâm."),
    ("Ủy ban nhân dân phường họp", "Ủy ban nhân dân phường đang triển khai kế hoạch năm 2023."),
    ("Thay nắp cống", "Phường đang thay nắp cống bị vỡ trên đường Lý Tự Trọng."),
    ("Nắp cống mất trộm", "Người dân phản ánh nắp cống bị mất, phường đang khắc phục."),
    ("Kiểm tra nắp hố ga", "Đội trật tự đang kiểm tra nắp hố ga và nắp cống trên các tuyến đường."),
    ("Nắp cống mới", "Phường đang lắp nắp cống mới, người dân đang chờ."),
    ("Một lỗi đánh máy cũ", "Bài viết cũ có cụm kết nắp hồ sơ, nay đang sửa lại."),
    ("Tin hòa giải", "Tổ hòa giải đang làm việc, bà Thúy đang hòa giải mâu thuẫn."),
    ("Đăng ký tạm trú", "Người dân đang đăng ký tạm trú trực tuyến, đang rất thuận tiện."),
]


def add_articles(writer, articles, first=0):
    """Documents fed exactly the way the index writer feeds them."""
    for number, (title, body) in enumerate(articles, start=first):
        url = f"https://phuong.example.gov.vn/tin/{number}"
        writer.add_document(**document_to_fields(Document(url=url, site="phuong", title=title, text=body)))


def write_index(directory, articles):
    """A real index with the project's schema."""
    ix = whoosh_index.create_in(str(directory), build_schema())
    writer = ix.writer()
    add_articles(writer, articles)
    writer.commit()
    return ix


def words(text):
    return text.split()


@pytest.fixture(scope="module")
def suggester(tmp_path_factory):
    ix = write_index(tmp_path_factory.mktemp("index"), ARTICLES)
    with ix.reader() as reader:
        yield Suggester.from_reader(reader)


@pytest.mark.parametrize(("query", "expected"), [
    ("dang vien", "đảng viên"),
    ("uy ban nhan dan", "ủy ban nhân dân"),
    ("ket nap dang vien", "kết nạp đảng viên"),
    ("nap cong", "nắp cống"),
    ("kết nap đảng", "kết nạp đảng"),
    ("dnag vien", "đảng viên"),
    ("ủy ban nhân dna", "ủy ban nhân dân"),
    ("ket nap dang vein", "kết nạp đảng viên"),
    ("nguoif dan", "người dân"),
])
def test_restores_accents_and_corrects_typos_from_context(suggester, query, expected):
    assert suggester.suggest(query) == expected


@pytest.mark.parametrize("query", [
    "đảng viên", "kết nạp đảng viên", "Đảng viên", "ủy ban nhân dân", "hoà giải", "hòa giải",
    "thúy", "10-CT/TW", "2023", "UBND", "", "   ", '"đảng viên"',
])
def test_no_suggestion_for_a_query_already_in_its_best_form(suggester, query):
    assert suggester.suggest(query) is None


@pytest.mark.parametrize(("query", "expected"), [
    ("10-CT/TW dang vien", "10-CT/TW đảng viên"),
    ('"dang vien" -ket nap', '"đảng viên" -kết nạp'),
    ("UBND phuong", "UBND phường"),
    ("dang vien 2023", "đảng viên 2023"),
    ("title:dang vien", "title:dang viên"),
    ("dang AND vien", "đang AND viên"),
])
def test_keeps_non_syllables_and_query_syntax(suggester, query, expected):
    assert suggester.suggest(query) == expected


@pytest.mark.parametrize(("query", "expected"), [
    ("Dang vien", "Đảng viên"),
    ("DANG VIEN", "ĐẢNG VIÊN"),
    ("Ket nap  dang vien", "Kết nạp  đảng viên"),
])
def test_keeps_the_capitalisation_and_spacing_the_user_typed(suggester, query, expected):
    assert suggester.suggest(query) == expected


def test_diacritics_typed_on_a_known_word_are_respected(suggester):
    # `đang viên` is a real word followed by a real word: the user's marks are kept.
    assert suggester.suggest("đang viên") is None


def test_nfd_and_old_tone_placement_are_already_right(suggester):
    import unicodedata
    assert suggester.suggest(unicodedata.normalize("NFD", "đảng viên")) is None
    assert suggester.suggest("hoà giai") == "hoà giải"


def test_unknown_words_without_a_near_syllable_are_left_alone(suggester):
    assert suggester.suggest("xyzzyq") is None
    assert suggester.suggest("covid") is None


@pytest.mark.parametrize(("query", "expected"), [
    ("\x00\x01 dang", "\x00\x01 đang"),          # control characters are kept, the syllable still restored
    ("\ud800 dang", "\ufffd đang"),                # a lone surrogate becomes U+FFFD
    ("((dang", "((đang"),
    ("dang)))", "đang)))"),
    ("((dang vien))", "((đảng viên))"),
    ("<script>alert(1)</script>", None),
    ("dang " * 500, None),                         # longer than any sentence people mistype
    ("đ" * 5000, None),
    ('"""', None),
    ("-", None),
    ("a" * 11, None),                              # longer than any syllable
])
def test_hostile_queries_get_an_answer_not_an_exception(suggester, query, expected):
    assert suggester.suggest(query) == expected


def test_suggestions_follow_deletes_once_whoosh_rewrites_the_segment(tmp_path):
    # Whoosh keeps a deleted document's term statistics until its segment is merged; the
    # suggester reads the same statistics as scoring does, so it converges with the index.
    ix = write_index(tmp_path, ARTICLES)
    with ix.reader() as reader:
        assert Suggester.from_reader(reader).suggest("ket nap") == "kết nạp"
    writer = ix.writer()
    for number, (title, _) in enumerate(ARTICLES):
        if "nạp" in title.lower():
            writer.delete_by_term("url", f"https://phuong.example.gov.vn/tin/{number}")
    writer.commit(optimize=True)
    with ix.reader() as reader:
        assert Suggester.from_reader(reader).suggest("ket nap") == "kết nắp"


def test_statistics_span_several_segments(tmp_path):
    ix = write_index(tmp_path, ARTICLES[:5])
    writer = ix.writer()
    add_articles(writer, ARTICLES[5:], first=5)
    writer.commit(merge=False)
    with ix.reader() as reader:
        assert not reader.is_atomic()
        suggester = Suggester.from_reader(reader)
        assert suggester.suggest("nap cong") == "nắp cống"
        assert suggester.suggest("ket nap dang vien") == "kết nạp đảng viên"


def test_an_empty_index_suggests_nothing(tmp_path):
    ix = write_index(tmp_path, [])
    with ix.reader() as reader:
        assert Suggester.from_reader(reader).suggest("dang vien") is None


def test_in_memory_statistics_choose_by_context():
    syllables = {"đang": 900, "đảng": 100, "viên": 300, "làm": 400, "việc": 300, "viện": 50}
    pairs = {"đảng viên": 90, "đang làm": 200, "làm việc": 250}
    suggester = Suggester.from_counts(syllables, pairs)
    assert suggester.suggest("dang vien") == "đảng viên"
    assert suggester.suggest("dang lam viec") == "đang làm việc"
    assert suggester.suggest("dang") == "đang"
    assert Suggester.from_counts(syllables, {}).suggest("dang vien") == "đang viên"


def test_a_lone_typo_gets_the_most_frequent_correction():
    suggester = Suggester.from_counts({"đang": 900, "đảng": 100, "dân": 50}, {})
    assert suggester.suggest("dnag") == "đang"
    assert Suggester.from_counts({"đang": 2}, {}).suggest("dnag") == "đang"   # however small the archive


def test_one_or_two_letters_are_too_short_to_correct():
    suggester = Suggester.from_counts({"ba": 100, "bà": 50, "bé": 40}, {})
    assert suggester.suggest("b") is None
    assert suggester.suggest("bz") is None
    assert suggester.suggest("baz") == "ba"


def test_a_known_word_is_not_corrected_into_a_more_frequent_neighbour():
    suggester = Suggester.from_counts({"zing": 50, "ding": 400}, {})
    assert suggester.suggest("zing") is None
    assert suggester.suggest("dign") == "ding"


def test_a_typo_present_in_the_archive_is_still_corrected():
    # Archives hold typos too: a rare form that is no Vietnamese syllable does not block a correction.
    syllables = {"đnag": 1, "đảng": 300, "viên": 300}
    suggester = Suggester.from_counts(syllables, {"đảng viên": 200, "đnag viên": 1})
    assert suggester.suggest("dnag vien") == "đảng viên"


def test_edit_distance_counts_swaps_as_one_edit():
    assert edit_distance("dnag", "dang") == 1
    assert edit_distance("dang", "dang") == 0
    assert edit_distance("ngan", "nga") == 1
    assert edit_distance("vein", "vien") == 1
    assert edit_distance("abcdef", "a") == 3


def test_syllable_shape():
    assert all(is_syllable_shape(w) for w in ["dang", "nghieng", "uy", "gi", "quyen", "a", "thuong"])
    assert not any(is_syllable_shape(w) for w in ["dnag", "ubnd", "covid", "ct", "xyzzyq", ""])


def test_pairs_still_decide_among_forty_thousand_forms():
    # About as many distinct forms as a real 35k-article archive has alphabetic terms.
    initials = ["", *words("b c ch d đ g gi h kh l m n ng nh ph qu s t th tr v x")]
    rhymes = words("a à á ả ã ạ an àn án ang ảng anh ành ăn ắn ân ần o ò ó ong ông ống ơn ớn u ú ung ưng "
                   "ương ường iên iện iêng oa òa oan oàn uy ủy uyên uyền e è ê ế i ì")
    syllables = {i + r: 1 + (len(i) * 977 + len(r) * 131) % 5000 for i in initials for r in rhymes}
    letters = "abcdefghijklmnopqrstuvwxyz"
    for n in range(40_000 - len(syllables)):
        syllables["zz" + "".join(letters[n // 26 ** k % 26] for k in range(4))] = 1
    assert len(syllables) == 40_000
    suggester = Suggester.from_counts(syllables, {"đảng viên": 500})
    assert suggester.suggest("dang vien") == "đảng viên"
    assert suggester.suggest("dnag vien") == "đảng viên"
    # Without the pair nothing prefers `đảng`: the typed `dang` is a known form and stays.
    assert Suggester.from_counts(syllables, {}).suggest("dang vien") == "dang viên"


def test_a_reader_opened_after_a_commit_reads_only_the_new_segments_lexicon(tmp_path, monkeypatch):
    """Segments never change once written: their syllable counts are kept, so the reader a search opens
    after the nightly commit reads only what the commit added, and counts the same as a first read."""
    ix = write_index(tmp_path, ARTICLES[:5])
    with ix.reader() as reader:
        Suggester.from_reader(reader)
        [old] = [segment.segment().segment_id() for segment, _ in reader.leaf_readers()]
    writer = ix.writer()
    add_articles(writer, ARTICLES[5:], first=5)
    writer.commit(merge=False)
    read: list[str] = []
    iter_field = SegmentReader.iter_field

    def spying(segment, *args, **kwargs):
        read.append(segment.segment().segment_id())
        return iter_field(segment, *args, **kwargs)

    monkeypatch.setattr(SegmentReader, "iter_field", spying)
    (tmp_path / "fresh").mkdir()
    fresh = write_index(tmp_path / "fresh", ARTICLES)
    queries = ("dang vien", "ket nap", "nap cong", "uy ban nhan dan", "hoa giai", "dang ky tam tru")
    with ix.reader() as reader, fresh.reader() as fresh_reader:
        suggester = Suggester.from_reader(reader)
        new = {segment.segment().segment_id() for segment, _ in reader.leaf_readers()} - {old}
        assert len(new) == 1 and set(read) == new                 # the old segment's lexicon not read again
        assert suggester.suggest("nap cong") == "nắp cống"        # counts from the new segment
        assert suggester.suggest("ket nap dang vien") == "kết nạp đảng viên"      # ... and from the old one
        first_read = Suggester.from_reader(fresh_reader)
        assert [suggester.suggest(q) for q in queries] == [first_read.suggest(q) for q in queries]
