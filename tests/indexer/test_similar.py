""""More like this" on a real index: articles sharing the distinctive words, never the article itself,
its copies (same title, or ids given), nor articles that share only common words."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.document import Document
from indexer.search import Searcher
from indexer.writing.writer import new_generation, open_writer

COMMON = "Ủy ban nhân dân phường tổ chức hội nghị với sự tham gia của người dân trong khu phố."


def article(key: str, title: str, text: str, site: str = "ben-nghe") -> Document:
    return Document(url=f"http://{site}.example.gov.vn/{key}.html", site=site, title=title, text=text)


FLOOD = article("ngap", "Khắc phục ngập nước trên đường Hàm Nghi",
                f"{COMMON} Triều cường gây ngập nước đường Hàm Nghi; máy bơm và cống thoát nước "
                "được nạo vét.")
FLOOD_COPY = article("ngap-copy", "Khắc phục ngập nước trên đường Hàm Nghi", FLOOD.text, site="da-kao")
FLOOD_LATER = article("ngap-2", "Nạo vét cống thoát nước chống ngập",
                      f"{COMMON} Sau đợt triều cường, phường nạo vét cống thoát nước và lắp máy bơm "
                      "chống ngập.")
FLOOD_OTHER_SITE = article("ngap-3", "Ngập nước do triều cường ở khu phố 2",
                           f"{COMMON} Triều cường dâng cao gây ngập nước, cống thoát nước quá tải.",
                           site="da-kao")
VACCINE = article("vac-xin", "Tiêm vắc xin sởi cho trẻ em",
                  f"{COMMON} Trạm y tế tiêm vắc xin phòng sởi cho trẻ từ 1 đến 10 tuổi.")
CULTURE = article("van-nghe", "Liên hoan văn nghệ khu phố", f"{COMMON} Các tiết mục ca múa nhạc đặc sắc.")
TOPICS = ["khai giảng năm học", "trao học bổng", "giải bóng đá", "trồng cây xanh", "phân loại rác thải",
          "lắp camera an ninh", "thăm hộ nghèo", "tặng quà tết", "mở thư viện", "dạy tin học",
          "khám sức khỏe", "cấp căn cước", "hiến máu tình nguyện", "diễn tập chữa cháy"]
OTHERS = [article(f"khac-{n}", topic.capitalize(), f"{COMMON} Tin về {topic}.")
          for n, topic in enumerate(TOPICS)]
DOCS = [FLOOD, FLOOD_COPY, FLOOD_LATER, FLOOD_OTHER_SITE, VACCINE, CULTURE, *OTHERS]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory) -> Searcher:
    index_dir = tmp_path_factory.mktemp("similar") / "index"
    with new_generation(index_dir, procs=1) as writer:
        for doc in DOCS:
            writer.upsert(doc)
    searcher = Searcher(index_dir)
    yield searcher
    searcher.close()


def titles(docs: list[Document]) -> list[str]:
    return [doc.title for doc in docs]


def test_articles_on_the_same_topic_come_and_the_article_and_its_copy_do_not(searcher):
    found = searcher.similar(FLOOD.id)
    assert set(titles(found)) == {FLOOD_LATER.title, FLOOD_OTHER_SITE.title}
    assert FLOOD.id not in [d.id for d in found] and FLOOD_COPY.id not in [d.id for d in found]


def test_ids_given_as_copies_are_left_out_and_the_limit_holds(searcher):
    assert titles(searcher.similar(FLOOD.id, copies=[FLOOD_LATER.id])) == [FLOOD_OTHER_SITE.title]
    assert len(searcher.similar(FLOOD.id, limit=1)) == 1


def test_common_words_alone_relate_nothing(searcher):
    assert searcher.similar(CULTURE.id) == []
    assert searcher.similar(VACCINE.id) == []


def test_unknown_documents_and_a_changed_index(searcher, tmp_path: Path):
    assert searcher.similar("0000000000000000") == []
    assert searcher.similar("") == []
    index_dir = tmp_path / "index"
    with new_generation(index_dir, procs=1) as writer:
        for doc in DOCS:
            writer.upsert(doc)
    live = Searcher(index_dir)
    assert FLOOD_LATER.id in [d.id for d in live.similar(FLOOD.id)]
    with open_writer(index_dir) as writer:             # a commit: the remembered answer is not reused
        writer.delete(FLOOD_LATER.id)
    assert FLOOD_LATER.id not in [d.id for d in live.similar(FLOOD.id)]
    live.close()
