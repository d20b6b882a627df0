"""Listing pages (home, categories, numbered pages of a list) versus articles: one rule for two stages.

The indexer must not index a listing as an article; the crawler revalidates
listings every night (they are where new articles appear) and articles only
now and then. Both decide by the same rule, so it lives here: the page's URL
(the home page, `/category/an-ninh/`, `?CatID=3`, `?page=2`, `/trang-3.html`),
and the page's shape — a column of
linked headlines, or `<article>` items, and no paragraph long enough to be
prose. Each stage counts the shape on its own tree (the indexer on
BeautifulSoup after removing the page chrome, the crawler on lxml) and asks
`looks_like_listing` here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

PAGINATION_PARAMS = frozenset({"page", "trang", "pageindex", "pagenum", "paged", "pageno", "start"})
_PAGINATION_PATH = re.compile(r"/(page|trang|p)[-/_]?(\d+)(\.html?|\.aspx|\.php)?/?$", re.IGNORECASE)
# A category (or tag) page: /category/<slug>/, /chuyen-muc/<slug>, ?CatID=3 without an item id.
_CATEGORY_PATH = re.compile(r"/(category|categories|chuyen-?muc|danh-?muc|the-?loai|chu-?de|tags?|topic"
                            r"|section)/[^/]+/?$", re.IGNORECASE)
CATEGORY_PARAMS = frozenset({"cat", "catid", "categoryid", "category", "cid", "chuyenmuc", "danhmuc",
                             "menuid"})
ITEM_PARAMS = frozenset({"p", "id", "itemid", "newsid", "articleid", "postid", "tinid", "nid", "page_id"})
PROSE_PARAGRAPH = 400      # a teaser is shorter than this; an article has at least one such paragraph
MIN_LINKED_HEADINGS = 3
MIN_ARTICLE_ITEMS = 3
MIN_HEADLINE_WORDS = 5     # a link whose text has this many words reads like a headline


@dataclass(frozen=True)
class PageShape:
    """What the listing rule looks at in a page, counted by whichever stage parsed it."""

    longest_paragraph: int     # characters of the longest paragraph
    linked_headings: int       # headings that are links or hold one
    article_items: int         # `<article>` elements
    linked_titles: int         # links whose text reads like a headline


@dataclass(frozen=True)
class NumberedPage:
    """A page of a paginated list: the list it belongs to (`key`: the URL without the page number)."""

    key: str
    number: int
    in_path: bool


def numbered_page(url: str) -> NumberedPage | None:
    """The list and page number `url` names (`?page=3`, `/page/3/`, `/trang-3.html`), None otherwise."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    match = _PAGINATION_PATH.search(parts.path)
    if match:
        path = parts.path[: match.start()] or "/"
        return NumberedPage(_key(parts._replace(path=path)), int(match.group(2)), in_path=True)
    query = parse_qsl(parts.query, keep_blank_values=True)
    numbers = [(int(value), key) for key, value in query
               if key.lower() in PAGINATION_PARAMS and value.isdigit()]
    if not numbers:
        return None
    number, name = max(numbers)
    rest = urlencode([(k, v) for k, v in query if k != name])
    return NumberedPage(_key(parts._replace(query=rest)), number, in_path=False)


def listing_key(url: str) -> str:
    """The list a URL shows: itself for a first page, the URL without its page number otherwise."""
    numbered = numbered_page(url)
    return numbered.key if numbered else _key(urlsplit(url))


def _key(parts) -> str:
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def is_listing_url(url: str) -> bool:
    """The site's home page, a category page, or a numbered page of a list (page 2 on; any page
    number in the path)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.path in ("", "/") and not parts.query:
        return True
    numbered = numbered_page(url)
    if numbered is not None and (numbered.in_path or numbered.number >= 2):
        return True
    return is_category_url(numbered.key if numbered else url)


SEARCH_PARAMS = frozenset({"s", "q", "searchword", "keyword", "keywords", "tukhoa", "tu-khoa", "search"})
SEARCH_SEGMENTS = frozenset({"tim-kiem", "timkiem", "search", "ket-qua-tim-kiem"})


def is_search_url(url: str) -> bool:
    """A site's search results: `/tim-kiem?...`, `/?s=...`, `?searchword=...` (never an article)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if {segment.rsplit(".", 1)[0].lower() for segment in parts.path.split("/")} & SEARCH_SEGMENTS:
        return True
    return any(key.lower() in SEARCH_PARAMS and value.strip() for key, value in parse_qsl(parts.query))


def is_category_url(url: str) -> bool:
    """A category or tag page by its address: `/category/<slug>/`, `/chuyen-muc/<slug>`, `?CatID=3`
    (a category parameter and no item id)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if not parts.query and _CATEGORY_PATH.search(parts.path):
        return True
    keys = {key.lower() for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
    return bool(keys & CATEGORY_PARAMS) and not keys & ITEM_PARAMS


def is_prose(paragraph_length: int) -> bool:
    """Whether a paragraph this long is article prose rather than a teaser."""
    return paragraph_length >= PROSE_PARAGRAPH


def looks_like_listing(shape: PageShape) -> bool:
    """Repeated linked headlines (or `<article>` items) and no paragraph long enough to be prose."""
    if is_prose(shape.longest_paragraph):
        return False
    return (shape.linked_headings >= MIN_LINKED_HEADINGS or shape.article_items >= MIN_ARTICLE_ITEMS
            or shape.linked_titles >= 2 * MIN_LINKED_HEADINGS)
