"""Home, category, pagination and search pages are not documents: telling them from articles.

A listing is a column of linked headlines, often with a teaser each; an article
is one title over paragraphs of prose. The signals are the page's URL (the home
page, `?page=2`, a search), repeated linked headings or `<article>` items, a
"content" that is one teaser among siblings of its kind, and whether any
paragraph is long enough to be prose rather than a teaser. Pages that name a
site function (`Liên hệ`, `Tìm kiếm`, `Không tìm thấy trang`) are not news either.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from bs4 import BeautifulSoup, Tag

from indexer.extract.text import text_of

PAGINATION_PARAMS = frozenset({"page", "trang", "pageindex", "pagenum", "paged", "pageno", "start"})
_PAGINATION_PATH = re.compile(r"/(page|trang|p)[-/_]?\d+(\.html?|\.aspx|\.php)?/?$", re.IGNORECASE)
SEARCH_PARAMS = frozenset({"s", "q", "searchword", "keyword", "keywords", "tukhoa", "tu-khoa", "search"})
SEARCH_SEGMENTS = frozenset({"tim-kiem", "timkiem", "search", "ket-qua-tim-kiem"})
# Titles of the site's own function pages, as a whole (an article may well be about "liên hệ").
UTILITY_TITLE = re.compile(
    r"^(?:liên hệ(?: - góp ý)?|góp ý|thông tin liên hệ|tìm kiếm|kết quả tìm kiếm.*"
    r"|sơ đồ (?:trang|site|website)"
    r"|đăng nhập|đăng ký|hỏi đáp|(?:không tìm thấy|trang không tồn tại|lỗi|error|404)\b.*)$", re.IGNORECASE)
MIN_BODY_CHARS = 150
MIN_DATED_BODY_CHARS = 60   # a short notice with a publication date is still news
PROSE_PARAGRAPH = 400      # a teaser is shorter than this; an article has at least one such paragraph
MIN_LINKED_HEADINGS = 3
MIN_ARTICLE_ITEMS = 3
TEASER_DEPTH = 3            # the content block may be a teaser's text, inside the item


def is_listing_url(url: str) -> bool:
    """The site's home page, a numbered page of a list, or search results."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.path in ("", "/") and not parts.query:
        return True
    if _PAGINATION_PATH.search(parts.path):
        return True
    segments = {segment.rsplit(".", 1)[0].lower() for segment in parts.path.split("/")}
    if segments & SEARCH_SEGMENTS:
        return True
    return any((key.lower() in PAGINATION_PARAMS and value.isdigit() and value not in ("0", "1"))
               or (key.lower() in SEARCH_PARAMS and value.strip())
               for key, value in parse_qsl(parts.query))


def is_utility_title(title: str) -> bool:
    """The title names a page of the site's own (contact, search, an error), not news."""
    return bool(UTILITY_TITLE.match(title.strip()))


def looks_like_listing(soup: BeautifulSoup, content: Tag, paragraphs: list[str]) -> bool:
    """Repeated linked headlines (or `<article>` items, or teaser siblings) and no paragraph long enough
    to be prose."""
    if any(len(paragraph) >= PROSE_PARAGRAPH for paragraph in paragraphs):
        return False
    return (linked_headings(content) >= MIN_LINKED_HEADINGS
            or len(soup.find_all("article", limit=MIN_ARTICLE_ITEMS)) >= MIN_ARTICLE_ITEMS
            or linked_titles(content) >= 2 * MIN_LINKED_HEADINGS
            or is_teaser_item(content))


def is_teaser_item(content: Tag) -> bool:
    """The block taken for the content is (inside) one item of a list: it and siblings of its kind hold
    linked headlines."""
    node = content
    for _ in range(TEASER_DEPTH):
        parent = node.parent
        if not isinstance(parent, Tag):
            return False
        kind = (node.name, tuple(node.get("class") or ()))
        similar = [tag for tag in parent.find_all(node.name, recursive=False)
                   if (tag.name, tuple(tag.get("class") or ())) == kind]
        if linked_titles(node) and sum(linked_titles(tag) > 0 for tag in similar) >= MIN_LINKED_HEADINGS:
            return True
        node = parent
    return False


def has_substance(paragraphs: list[str], dated: bool = False) -> bool:
    """Enough body text to be worth a document; less is needed when the page carries a publication date."""
    return sum(len(p) for p in paragraphs) >= (MIN_DATED_BODY_CHARS if dated else MIN_BODY_CHARS)


def linked_headings(root: Tag) -> int:
    """Headings that are links (or hold one): the shape of a list of articles."""
    count = 0
    for heading in root.find_all(("h2", "h3", "h4", "h5")):
        if heading.find("a") is not None or heading.find_parent("a") is not None:
            count += 1
    return count


def linked_titles(root: Tag) -> int:
    """Links whose text reads like a headline (several words)."""
    return sum(1 for a in root.find_all("a") if len(text_of(a).split()) >= 5)
