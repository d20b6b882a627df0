"""A real index for the search page's lists: facets, quick dates, feeds and exports.

Dates count back from today on Vietnam's calendar (as the quick ranges do), so "7 ngày" always
has articles. Some titles and bodies are hostile the way crawled pages can be: markup, `]]>`,
formula prefixes, bidirectional overrides, control characters XML cannot hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from indexer.document import Document
from indexer.writing.writer import open_writer
from tests.webui.webui_corpus import BASE, OTHER, write_config
from tinphuong.config import Config, load_config
from webui.search_form import vietnam_today

FLOOD = "ngập nước"
HOSTILE_TITLES = (
    '=HYPERLINK("http://evil.example/x","Bấm vào") ngập nước',
    "+84 ngập nước đường Nguyễn Huệ",
    "-1+1 ngập nước khu phố 2",
    "@SUM(1+1) ngập nước",
    "\tcmd|' /C calc'!A0 ngập nước",
    "\r=1+1 ngập nước",
    '<script>alert("x")</script> ]]> &amp; & ngập nước',
    "\u202egnp.exe ngập nước \u2066đảo chiều\u2069",
)
HOSTILE_BODY = ("Nước ngập sâu <img src=x onerror=alert(1)> ]]> &amp; \x0b\x1b ký tự điều khiển, "
                "tin ngập nước <script>document.title='PWNED'</script>.")
HOSTILE_CATEGORY = '<i>Chuyên mục</i> & "lạ"'


@dataclass
class ListingCorpus:
    config: Config
    today: date
    flood: list[Document]          # every document about "ngập nước", hostile ones included
    neighbourhood: list[Document]  # 30 documents "Sinh hoạt khu phố", one every 20 days back
    decision: Document             # holds the document number 123/QĐ-UBND

    @property
    def documents(self) -> list[Document]:
        return [*self.flood, *self.neighbourhood, self.decision]


def article(path: str, title: str, text: str, published: date | None, site: str = "ben-nghe",
            category: str | None = None) -> Document:
    base = BASE if site == "ben-nghe" else OTHER
    return Document(url=f"{base}/{path}", site=site, title=title, text=text, date=published,
                    category=category)


def build_listing_corpus(root: Path) -> ListingCorpus:
    config = load_config(write_config(root))
    today = vietnam_today()
    flood = [
        article("tin/ngap-1", "Mưa lớn gây ngập nước đường Lý Tự Trọng",
                "Nhiều tuyến đường ngập nước sau cơn mưa.", today - timedelta(days=1), category="Đô thị"),
        article("tin/ngap-2", "Phường khắc phục điểm ngập nước",
                "Ủy ban nhân dân phường khắc phục ngập nước.", today - timedelta(days=10), site="da-kao",
                category="Đô thị"),
        article("tin/ngap-3", "Nạo vét cống chống ngập nước",
                "Ra quân nạo vét cống, chống ngập nước mùa mưa.", today - timedelta(days=45),
                category="Môi trường"),
        article("tin/ngap-4", "Tổng kết công tác chống ngập nước năm trước", "Báo cáo chống ngập nước.",
                date(today.year - 1, 6, 15), site="da-kao", category=HOSTILE_CATEGORY),
        article("tin/ngap-5", "Tin cũ về ngập nước", "Bài viết không rõ ngày đăng về ngập nước.", None),
    ]
    for number, title in enumerate(HOSTILE_TITLES):
        published = date(today.year - 2, 1 + number, 3)
        flood.append(article(f"tin/hostile-{number}", title, HOSTILE_BODY, published,
                             site=("ben-nghe", "da-kao")[number % 2]))
    neighbourhood = [
        article(f"tin/khu-pho-{n}", f"Sinh hoạt khu phố lần {n}",
                f"Buổi sinh hoạt khu phố lần {n} bàn về an ninh.", today - timedelta(days=20 * n + 2),
                site=("ben-nghe", "da-kao")[n % 2], category="Tin tức")
        for n in range(30)
    ]
    decision = article("van-ban/123-qd-ubnd", "Quyết định số 123/QĐ-UBND về lịch tiếp công dân",
                       "Ủy ban nhân dân phường ban hành Quyết định 123/QĐ-UBND.", today - timedelta(days=3),
                       category="Văn bản")
    corpus = ListingCorpus(config, today, flood, neighbourhood, decision)
    with open_writer(config.storage.index_dir) as writer:
        for doc in corpus.documents:
            writer.upsert(doc)
    return corpus
