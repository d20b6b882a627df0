"""Home, category, pagination and search pages are not documents: telling them from articles.

The rule itself (URL patterns, the shape of a listing) is shared with the crawler
in `tinphuong.listing`; here the shape is counted on the element tree of
the page's content block, once the page chrome is removed. Two signals only the
indexer uses: a content block that is one teaser among siblings of its kind (the
densest block of a listing can be a single item), and titles that name a function
of the site (`Liên hệ`, `Tìm kiếm`, `Không tìm thấy trang`) rather than news.
"""

from __future__ import annotations

import re

from indexer.extract.text import text_of
from indexer.extract.tree import Document, Element, classes, find_ancestor, find_tag, find_tags
from tinphuong import listing
from tinphuong.listing import MIN_ARTICLE_ITEMS, MIN_HEADLINE_WORDS, MIN_LINKED_HEADINGS, PageShape

MIN_BODY_CHARS = 150
MIN_DATED_BODY_CHARS = 60   # a short notice with a publication date is still news
TEASER_DEPTH = 3            # the content block may be a teaser's text, inside the item
# Titles of the site's own function pages, as a whole (an article may well be about "liên hệ").
UTILITY_TITLE = re.compile(
    r"^(?:liên hệ(?: - góp ý)?|góp ý|thông tin liên hệ|tìm kiếm|kết quả tìm kiếm.*"
    r"|sơ đồ (?:trang|site|website)"
    r"|đăng nhập|đăng ký|hỏi đáp|(?:không tìm thấy|trang không tồn tại|lỗi|error|404)\b.*)$", re.IGNORECASE)


def is_listing_url(url: str) -> bool:
    """A listing by its address (`tinphuong.listing`), or search results."""
    return listing.is_listing_url(url) or listing.is_search_url(url)


def is_utility_title(title: str) -> bool:
    """The title names a page of the site's own (contact, search, an error), not news."""
    return bool(UTILITY_TITLE.match(title.strip()))


def looks_like_listing(soup: Document, content: Element, paragraphs: list[str]) -> bool:
    """Repeated linked headlines (or `<article>` items, or teaser siblings) and no paragraph long enough
    to be prose."""
    longest = max(map(len, paragraphs), default=0)
    if listing.is_prose(longest):
        return False            # the common case, decided before counting anything
    return listing.looks_like_listing(PageShape(
        longest_paragraph=longest, linked_headings=linked_headings(content),
        article_items=len(find_tags(soup, "article", limit=MIN_ARTICLE_ITEMS)),
        linked_titles=linked_titles(content))) or is_teaser_item(content)


def is_teaser_item(content: Element) -> bool:
    """The block taken for the content is (inside) one item of a list: it and siblings of its kind hold
    linked headlines."""
    node = content
    for _ in range(TEASER_DEPTH):
        parent = node.getparent()
        if parent is None:
            return False
        kind = classes(node)
        similar = [tag for tag in parent.iterchildren(node.tag) if classes(tag) == kind]
        if linked_titles(node) and sum(linked_titles(tag) > 0 for tag in similar) >= MIN_LINKED_HEADINGS:
            return True
        node = parent
    return False


def has_substance(paragraphs: list[str], dated: bool = False) -> bool:
    """Enough body text to be worth a document; less is needed when the page carries a publication date."""
    return sum(len(p) for p in paragraphs) >= (MIN_DATED_BODY_CHARS if dated else MIN_BODY_CHARS)


def linked_headings(root: Element) -> int:
    """Headings that are links (or hold one): the shape of a list of articles."""
    count = 0
    for heading in find_tags(root, ("h2", "h3", "h4", "h5")):
        if find_tag(heading, "a") is not None or find_ancestor(heading, "a") is not None:
            count += 1
    return count


def linked_titles(root: Element) -> int:
    """Links whose text reads like a headline (several words)."""
    return sum(1 for a in find_tags(root, "a") if len(text_of(a).split()) >= MIN_HEADLINE_WORDS)


__all__ = ["has_substance", "is_listing_url", "is_teaser_item", "is_utility_title", "linked_headings",
           "linked_titles", "looks_like_listing"]
