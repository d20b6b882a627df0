"""Home, category and pagination pages are not documents: telling them from articles.

A listing is a column of linked headlines, often with a teaser each; an article
is one title over paragraphs of prose. The signals are the page's URL (the home
page, `?page=2`), repeated linked headings or `<article>` items, and whether any
paragraph is long enough to be prose rather than a teaser.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from bs4 import BeautifulSoup, Tag

from indexer.extract.text import text_of
from indexer.extract.tree import find_tags

PAGINATION_PARAMS = frozenset({"page", "trang", "pageindex", "pagenum", "paged", "pageno", "start"})
_PAGINATION_PATH = re.compile(r"/(page|trang|p)[-/_]?\d+(\.html?|\.aspx|\.php)?/?$", re.IGNORECASE)
MIN_BODY_CHARS = 150
MIN_DATED_BODY_CHARS = 60   # a short notice with a publication date is still news
PROSE_PARAGRAPH = 400      # a teaser is shorter than this; an article has at least one such paragraph
MIN_LINKED_HEADINGS = 3
MIN_ARTICLE_ITEMS = 3


def is_listing_url(url: str) -> bool:
    """The site's home page or a numbered page of a list."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.path in ("", "/") and not parts.query:
        return True
    if _PAGINATION_PATH.search(parts.path):
        return True
    return any(key.lower() in PAGINATION_PARAMS and value.isdigit() and value not in ("0", "1")
               for key, value in parse_qsl(parts.query))


def looks_like_listing(soup: BeautifulSoup, content: Tag, paragraphs: list[str]) -> bool:
    """Repeated linked headlines (or `<article>` items) and no paragraph long enough to be prose."""
    if any(len(paragraph) >= PROSE_PARAGRAPH for paragraph in paragraphs):
        return False
    return (linked_headings(content) >= MIN_LINKED_HEADINGS
            or len(find_tags(soup, "article", limit=MIN_ARTICLE_ITEMS)) >= MIN_ARTICLE_ITEMS
            or linked_titles(content) >= 2 * MIN_LINKED_HEADINGS)


def has_substance(paragraphs: list[str], dated: bool = False) -> bool:
    """Enough body text to be worth a document; less is needed when the page carries a publication date."""
    return sum(len(p) for p in paragraphs) >= (MIN_DATED_BODY_CHARS if dated else MIN_BODY_CHARS)


def linked_headings(root: Tag) -> int:
    """Headings that are links (or hold one): the shape of a list of articles."""
    count = 0
    for heading in find_tags(root, ("h2", "h3", "h4", "h5")):
        if heading.find("a") is not None or heading.find_parent("a") is not None:
            count += 1
    return count


def linked_titles(root: Tag) -> int:
    """Links whose text reads like a headline (several words)."""
    return sum(1 for a in find_tags(root, "a") if len(text_of(a).split()) >= 5)
