"""A loopback ward site whose article is edited between two real crawls, archived and indexed.

Three crawls of a `TestSite` (the second after the edit, the third finding nothing new), each
followed by `update_index`: the article then has three captures, a first version, a changed
one and an unchanged one, each a real WARC record. The edit is the kind ward sites make — a
diacritic corrected in a name, a number changed, words removed, a paragraph added — and it
brings hostile text (written as HTML entities, so that it is text in the article) into the
title and the body.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crawler.crawl import CrawlRun
from indexer.document import document_id
from indexer.writing.pipeline import update_index
from tests.sites import TestSite
from tinphuong.config import Config, load_config
from tinphuong.urls import canonicalize

ARTICLE_PATH = "/tin-tuc/hoi-nghi-phong-chay.html"
OLD_TITLE = "Phường Bến Nghé triển khai công tác phòng cháy chữa cháy năm 2023"
NEW_TITLE = 'Phường Bến Nghé triển khai công tác phòng cháy chữa cháy năm 2023 <script>alert("t")</script>'
FIRST = ("Sáng 16/3/2023, Ủy ban nhân dân phường Bến Nghé tổ chức hội nghị triển khai công tác phòng "
         "cháy chữa cháy tại khu dân cư năm 2023 với sự tham dự của hơn 120 đại biểu.")
SECOND_OLD = ("Phát biểu tại hội nghị, bà Bùi Thị Thủy Hiền, Phó Chủ tịch UBND phường, đề nghị các khu phố "
              "kiểm tra bình chữa cháy, lối thoát hiểm và hướng dẫn người dân xử lý sự cố ban đầu.")
SECOND_NEW = SECOND_OLD.replace("Thủy Hiền", "Thúy Hiền")          # a diacritic corrected
THIRD_OLD = ("Dịp này, phường đã khen thưởng 5 tập thể và 12 cá nhân có thành tích xuất sắc trong phong "
             "trào toàn dân phòng cháy chữa cháy.")
THIRD_NEW = THIRD_OLD.replace("5 tập thể", "6 tập thể").replace(" xuất sắc", "")
ADDED = 'Ghi chú của biên tập viên: <img src=x onerror=alert(1)> "đã cập nhật" & kiểm tra lại.'


@dataclass(frozen=True)
class EditedSite:
    config: Config
    doc_id: str
    url: str


def article_html(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{escape(p)}</p>\n" for p in paragraphs)
    return (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            '<meta property="article:published_time" content="2023-03-16T08:00:00+07:00"></head><body>'
            f'<nav><a href="/">Trang chủ</a></nav><article><h1>{escape(title)}</h1>\n{body}</article>'
            "<footer>Cổng thông tin điện tử phường Bến Nghé</footer></body></html>")


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def build_edited_site(root: Path) -> EditedSite:
    """Crawl and index the site three times: before the edit, after it, and once more unchanged."""
    with TestSite() as site:
        path = root / "config.toml"
        path.write_text(
            '[storage]\narchive_dir = "data/archive"\nindex_dir = "data/index"\n'
            '[crawl]\nuser_agent = "TinPhuongTest/1.0"\ndelay_seconds = 0\ntimeout_seconds = 5\n'
            'max_retries = 1\nrequisites = false\n'
            f'[[sites]]\nname = "ben-nghe"\ntitle = "Phường Bến Nghé"\nstart_urls = ["{site.url("/")}"]\n'
            'revisit_days = 0\n', encoding="utf-8")
        config = load_config(path)
        site.page("/", f'<html><body><h1>Tin tức</h1><a href="{ARTICLE_PATH}">{OLD_TITLE}</a></body></html>')
        for title, paragraphs in [(OLD_TITLE, [FIRST, SECOND_OLD, THIRD_OLD]),
                                  (NEW_TITLE, [FIRST, SECOND_NEW, THIRD_NEW, ADDED]),
                                  (NEW_TITLE, [FIRST, SECOND_NEW, THIRD_NEW, ADDED])]:
            site.page(ARTICLE_PATH, article_html(title, paragraphs))
            with CrawlRun(config, backoff_base=0.05) as run:
                summary = run.crawl_site(config.sites[0])
            assert not summary.errors, summary
            update_index(config)
        url = canonicalize(site.url(ARTICLE_PATH))
    assert url is not None
    return EditedSite(config=config, doc_id=document_id(url), url=url)
