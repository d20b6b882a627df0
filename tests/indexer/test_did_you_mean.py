"""Did you mean, confirmed by the index: suggestions the archive holds, on real indexes."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.document import Document
from indexer.search import Searcher, SearchRequest
from indexer.search.did_you_mean import ENOUGH_SEQUENCES, DidYouMean
from indexer.search.suggest import Suggester
from indexer.stored import PAIRS_TEXT_CHARS
from indexer.writing.writer import open_writer

# Long enough that what follows is past the part of the text whose syllable pairs are indexed.
FILLER = "Ban điều hành khu phố họp bàn công tác an ninh trật tự và vệ sinh môi trường trong tháng. " * 8
NAME_ARTICLE = ("Khen thưởng học sinh giỏi", FILLER + "Em Bùi Thị Thúy Hiền, học sinh lớp 9, đạt giải nhất.")
# `thủy` and `hiện` are far more frequent than `thúy` and `hiền`, and the pairs of the name's article
# are not indexed: the model alone reads `bùi thị thủy hiện`.
CONTEXT = [
    *((f"Bà Nguyễn Thị Thủy thực hiện công trình thủy lợi {n}",
       f"Hiện nay bà Thủy đang thực hiện dự án thủy lợi. Phường hiện đang triển khai kế hoạch {n}.")
      for n in range(12)),
    *((f"Ông Bùi Văn Nam nhận khen thưởng {n}", f"Bà Bùi Thị Lan và ông Bùi Văn Nam được khen thưởng {n}.")
      for n in range(5)),
]


def write(index_dir: Path, articles, first: int = 0) -> None:
    with open_writer(index_dir) as writer:
        for number, (title, text) in enumerate(articles, start=first):
            url = f"https://p.example.vn/tin/{number}"
            writer.upsert(Document(url=url, site="p", title=title, text=text))


def suggestion(searcher: Searcher, q: str) -> str | None:
    return searcher.search(SearchRequest(q=q)).suggestion


def model_alone(searcher: Searcher, q: str) -> str | None:
    """What the statistical model suggests without checking the documents."""
    def suggest(state) -> str | None:
        return Suggester.from_reader(state.searcher.reader()).suggest(q)
    return searcher._reader.read(suggest, None)


def did_you_mean(searcher: Searcher) -> DidYouMean:
    def make(state):
        return DidYouMean(Suggester.from_reader(state.searcher.reader()), state.evaluator)
    return searcher._reader.read(make, None)


def test_the_name_the_archive_holds_is_suggested_not_the_likelier_forms(tmp_path):
    assert len(FILLER) > PAIRS_TEXT_CHARS
    write(tmp_path, [*CONTEXT, NAME_ARTICLE])
    searcher = Searcher(tmp_path)
    assert model_alone(searcher, "bui thi thuy hien") == "bùi thị thủy hiện"       # what the issue saw
    assert suggestion(searcher, "bui thi thuy hien") == "bùi thị thúy hiền"
    assert suggestion(searcher, "Bui Thi Thuy Hien") == "Bùi Thị Thúy Hiền"
    assert suggestion(searcher, "bùi thị thúy hiền") is None                       # already right
    assert suggestion(searcher, "thuc hien") == "thực hiện"                        # the common case stays


def test_no_suggestion_when_no_document_holds_the_words_together(tmp_path):
    write(tmp_path, CONTEXT)            # every syllable is there, never as that name
    searcher = Searcher(tmp_path)
    assert searcher.search(SearchRequest(q="bui thi thuy hien")).total > 0
    assert model_alone(searcher, "bui thi thuy hien") is not None
    assert suggestion(searcher, "bui thi thuy hien") is None


def test_suggestions_follow_the_index_after_a_commit(tmp_path):
    write(tmp_path, CONTEXT)
    searcher = Searcher(tmp_path)
    assert suggestion(searcher, "bui thi thuy hien") is None           # remembered for this reader
    write(tmp_path, [NAME_ARTICLE], first=len(CONTEXT))
    assert suggestion(searcher, "bui thi thuy hien") == "bùi thị thúy hiền"    # a new reader, a new answer


def test_a_reading_held_by_a_minority_of_the_sequences_is_not_confirmed(tmp_path):
    articles = [*((f"Hồ sơ {n}", f"Người dân nộp hồ sơ tại bộ phận một cửa, lần {n}.") for n in range(6)),
                ("Họ sợ", "Người dân nói họ sợ mưa lớn."), ("Hổ", "Con hổ sợ lửa.")]
    write(tmp_path, articles)
    checker = did_you_mean(Searcher(tmp_path))
    assert checker.sequence_counts(["hồ", "sơ"]) == (6, 8)
    assert checker.confirmed(["hồ", "sơ"])
    assert checker.sequence_counts(["họ", "sợ"]) == (1, 8) and not checker.confirmed(["họ", "sợ"])
    assert checker.sequence_counts(["hở", "sờ"]) == (0, 8) and not checker.confirmed(["hở", "sờ"])
    assert checker.sequence_counts(["hồ"]) == (6, 8)           # one syllable: its documents
    assert not checker.confirmed(["sờ"])


def test_the_check_reads_a_bounded_sample_of_common_words(tmp_path):
    articles = [(f"Tin {n}", f"Chi bộ kết nạp đảng viên mới, đợt {n}." if n % 3 else
                 f"Đang có viên thuốc {n}.") for n in range(450)]
    write(tmp_path, articles)
    searcher = Searcher(tmp_path)
    exact, anywhere = did_you_mean(searcher).sequence_counts(["đảng", "viên"])
    assert anywhere == ENOUGH_SEQUENCES and exact == anywhere         # stopped early, every one exact
    assert suggestion(searcher, "dang vien") == "đảng viên"


@pytest.mark.parametrize("query", ["", "   ", "10-CT/TW", "<script>", "dang " * 40, "\x00"])
def test_queries_without_a_reading_get_none(tmp_path_factory, query):
    index_dir = tmp_path_factory.mktemp("odd")
    write(index_dir, CONTEXT)
    assert did_you_mean(Searcher(index_dir)).suggest(query) is None
