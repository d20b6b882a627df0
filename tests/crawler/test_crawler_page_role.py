"""Listing or article, as the crawler tells them apart on real ward page layouts."""

from __future__ import annotations

from crawler.discovery import html_links
from crawler.page_role import ARTICLE, LISTING, role_of
from tests.warc_builder import CLEANUP_PARAGRAPHS, ward_article, ward_listing

ITEMS = [(f"Tin số {i} về hoạt động của phường trong tháng", f"/tin/{i}.html", "Tóm tắt.") for i in range(8)]


def role(html: str, url: str, start: bool = False) -> str:
    page = html_links(html.encode(), url)
    return role_of(url, page.pages, page.shape, start=start)


def test_an_article_under_a_sidebar_of_linked_headlines_is_an_article():
    short = ward_article("Thông báo lịch tiếp công dân", ["Lịch tiếp công dân tháng 3 tại trụ sở phường."])
    assert role(short, "https://w.vn/tin-tuc/lich-tiep.html") == ARTICLE
    assert role(ward_article("Ra quân", CLEANUP_PARAGRAPHS), "https://w.vn/tin-tuc/ra-quan.html") == ARTICLE


def test_category_pages_numbered_pages_and_start_pages_are_listings():
    assert role(ward_listing(ITEMS, pager=False), "https://w.vn/chuyen-muc/an-ninh") == LISTING
    few = ward_listing(ITEMS[:1], pager=False).replace("</h1>", '</h1><a href="/chuyen-muc/x?page=2">2</a>')
    assert role(few, "https://w.vn/chuyen-muc/x") == LISTING                 # it links to its own page 2
    assert role(ward_article("Ra quân", CLEANUP_PARAGRAPHS), "https://w.vn/tin?page=4") == LISTING
    assert role("<p>Chào mừng</p>", "https://w.vn/gioi-thieu", start=True) == LISTING


def test_the_canonical_link_is_read_against_the_base():
    page = html_links(b'<head><base href="https://w.vn/tin/"><link rel="Canonical nofollow" href="bai.html">'
                      b'<meta name="robots" content="nofollow"></head><a href="x">x</a>', "https://w.vn/a")
    assert page.canonical == "https://w.vn/tin/bai.html" and page.pages == []
    assert page.shape is not None
