"""Listing or article, as the crawler tells them apart on real ward page layouts."""

from __future__ import annotations

import copy
import re
import urllib.request

from lxml import etree, html

from crawler.discovery import html_links
from crawler.page_role import _BLOCKS as BLOCK_TAGS
from crawler.page_role import ARTICLE, LISTING, _is_chrome, role_of, shape_of
from tests.warc_builder import CLEANUP_PARAGRAPHS, ward_article, ward_listing
from tests.wardsite import WardSite
from tinphuong.listing import PageShape

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


def reference_shape(root) -> PageShape:
    """The shape counted the plain way: a copy of the tree without its chrome, then XPath."""
    body = copy.deepcopy(root)
    total = len(body.text_content())
    for element in list(body.iter()):
        if element.getparent() is not None and _is_chrome(element, total):
            element.drop_tree()
    headings = " | ".join(f"//{h}[.//a] | //a//{h}" for h in ("h2", "h3", "h4", "h5"))
    text = etree.tostring(body, method="html", encoding="unicode")
    for tag in BLOCK_TAGS:                               # a paragraph ends at every block boundary
        text = re.sub(rf"</?{tag}\b[^>]*>", "\x00", text, flags=re.IGNORECASE)
    paragraphs = (" ".join(html.fromstring(f"<div>{p}</div>").text_content().split())
                  for p in text.split("\x00") if p.strip())
    return PageShape(max(map(len, paragraphs), default=0), len(body.xpath(headings)),
                     len(body.xpath("//article")),
                     sum(1 for a in body.iter("a") if len(a.text_content().split()) >= 5))


def test_the_shape_counted_in_one_walk_equals_the_plain_count_on_real_layouts():
    pages = [ward_article("Ra quân", CLEANUP_PARAGRAPHS), ward_listing(ITEMS),
             ward_listing(ITEMS, pager=False)]
    for style in ("wordpress", "aspnet"):
        with WardSite(style, seed=2, articles=30, duplicate_every=5) as site:
            article = site.live()[3]
            for url in (site.url("/"), site.listing_url(2), site.article_url(article),
                        site.article_url(site.live()[5], "print")):
                with urllib.request.urlopen(url) as answer:
                    pages.append(answer.read().decode("utf-8"))
    for page in pages:
        root = html.document_fromstring(page)
        assert shape_of(root) == reference_shape(root)
