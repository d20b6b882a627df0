"""The listing rule the crawler and the indexer share: numbered pages of a list, the shape of a listing."""

from __future__ import annotations

import pytest

from tinphuong.listing import PageShape, is_listing_url, listing_key, looks_like_listing, numbered_page


@pytest.mark.parametrize(("url", "key", "number"), [
    ("https://w.vn/tin-tuc?page=3", "https://w.vn/tin-tuc", 3),
    ("https://w.vn/tin-tuc/?page=3", "https://w.vn/tin-tuc", 3),
    ("https://w.vn/category/tin-tuc/page/2/", "https://w.vn/category/tin-tuc", 2),
    ("https://w.vn/tin-tuc/trang-4.html", "https://w.vn/tin-tuc", 4),
    ("https://w.vn/Default.aspx?CatID=5&PageIndex=7", "https://w.vn/Default.aspx?CatID=5", 7),
    ("https://w.vn/tim?start=0&page=6", "https://w.vn/tim?start=0", 6),
])
def test_numbered_pages_name_their_list_and_number(url, key, number):
    page = numbered_page(url)
    assert (page.key, page.number) == (key, number)
    assert listing_key(url) == key


@pytest.mark.parametrize("url", [
    "https://w.vn/tin-tuc/ra-quan-123.html", "https://w.vn/?p=123", "https://w.vn/bai?ItemID=45",
    "https://w.vn/tin-tuc?page=abc",
])
def test_articles_are_not_numbered_pages(url):
    assert numbered_page(url) is None and not is_listing_url(url)


def test_the_first_page_of_a_list_is_its_own_key_and_the_home_page_is_a_listing():
    assert listing_key("https://w.vn/tin-tuc/") == listing_key("https://w.vn/tin-tuc?page=2")
    assert is_listing_url("https://w.vn/") and is_listing_url("https://w.vn/tin-tuc?page=2")
    assert not is_listing_url("https://w.vn/tin-tuc?page=1")           # by URL alone: page 1 of what?


@pytest.mark.parametrize(("url", "category"), [
    ("https://w.vn/category/an-ninh/", True), ("https://w.vn/chuyen-muc/tin-tuc", True),
    ("https://w.vn/category/an-ninh/page/3/", True), ("https://w.vn/Default.aspx?CatID=3", True),
    ("https://w.vn/TinTuc/DanhMuc.aspx?cat=2&trang=4", True),
    ("https://w.vn/Default.aspx?CatID=3&ItemID=7", False),
    ("https://w.vn/chuyen-muc/tin-tuc/bai-1.html", False),
    ("https://w.vn/2025/06/02/le-ra-quan/", False),
])
def test_category_pages_are_listings_by_their_address(url, category):
    assert is_listing_url(url) is category


def test_the_shape_of_a_listing_needs_headlines_and_no_prose():
    headlines = PageShape(longest_paragraph=120, linked_headings=8, article_items=0, linked_titles=8)
    assert looks_like_listing(headlines)
    assert not looks_like_listing(PageShape(450, 8, 0, 8))               # a prose paragraph: an article
    assert looks_like_listing(PageShape(80, 0, 3, 0))                    # <article> items
    assert not looks_like_listing(PageShape(80, 2, 0, 5))                # a couple of related links
