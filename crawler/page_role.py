"""Listing or article: what a fetched HTML page is to the revisit policy.

Listings (the home page, category pages, every numbered page of a list) are
where new articles appear, so the crawl revalidates them often; articles are
revalidated now and then. The rule is shared with the indexer
(`tinphuong.listing`): the home page, a category or numbered-page URL, or the
shape of a list of headlines. Two signals only the crawler has are added: a start URL is a
listing, and so is a page that links to the next pages of its own list (a
category's first page links to its `?page=2`).

The shape is counted on the page without its chrome (menus, sidebars of "latest
news", footers): a short article under a sidebar of linked headlines is still an
article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from crawler.pagination import own_list_pages
from tinphuong.listing import MIN_HEADLINE_WORDS, PageShape, is_listing_url, looks_like_listing, numbered_page

LISTING = "listing"
ARTICLE = "article"

_JUNK = ("script", "style", "noscript", "template", "svg", "nav", "aside", "menu", "header", "footer")
_PROTECTED = frozenset({"html", "body", "main", "article"})
_CHROME = re.compile(r"menu|\bnav|sidebar|side-bar|footer|related|lien-?quan|tin-?khac|tin-?moi|other-?news"
                     r"|widget|banner|breadcrumb", re.IGNORECASE)
_BLOCKS = frozenset({
    "address", "article", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "hr", "li", "main", "ol", "p", "pre",
    "section", "table", "tbody", "td", "th", "thead", "tr", "ul", "center", "body", "html",
})
_HEADINGS = frozenset({"h2", "h3", "h4", "h5"})


def role_of(url: str, links: Iterable[str], shape: PageShape | None, start: bool = False) -> str:
    """LISTING or ARTICLE for the HTML page at `url` (`links`: its page links, canonical)."""
    if start or numbered_page(url) is not None or is_listing_url(url):
        return LISTING
    if own_list_pages(url, links):
        return LISTING
    return LISTING if shape is not None and looks_like_listing(shape) else ARTICLE


def shape_of(root: etree._Element) -> PageShape:
    """The listing rule's counts on the page, skipping scripts and chrome, in one walk of the tree."""
    total = len(root.text_content())
    longest = headings = items = titles = in_link = 0
    current: list[str] = []

    def flush() -> None:
        nonlocal longest
        longest = max(longest, len(" ".join(" ".join(current).split())))
        current.clear()

    skipped: set[etree._Element] = set()
    walk = etree.iterwalk(root, events=("start", "end"))
    for event, element in walk:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if element is not root and _is_chrome(element, total):
                skipped.add(element)
                walk.skip_subtree()
                flush()
                continue
            if tag in _BLOCKS:
                flush()
            current.append(element.text or "")
            if tag == "a":
                in_link += 1
                titles += len(element.text_content().split()) >= MIN_HEADLINE_WORDS
            elif tag in _HEADINGS:
                headings += in_link > 0 or element.find(".//a") is not None
            elif tag == "article":
                items += 1
        else:
            chrome = element in skipped
            if tag in _BLOCKS or chrome:
                flush()
            if tag == "a" and not chrome:
                in_link -= 1
            if element is not root:
                current.append(element.tail or "")
    flush()
    return PageShape(longest_paragraph=longest, linked_headings=headings, article_items=items,
                     linked_titles=titles)


def _is_chrome(element: etree._Element, total: int) -> bool:
    """Scripts, navigation and sidebars; never the block that holds most of the page's text."""
    if not isinstance(element.tag, str):
        return True                        # comments and processing instructions
    if element.tag in _PROTECTED:
        return False
    if element.tag in _JUNK:
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    return (_CHROME.search(names) is not None and len(element.text_content()) < total / 2)
