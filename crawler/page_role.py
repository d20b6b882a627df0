"""Listing or article: what a fetched HTML page is to the revisit policy.

Listings (the home page, category pages, every numbered page of a list) are
where new articles appear, so the crawl revalidates them often; articles are
revalidated now and then. The rule is shared with the indexer
(`tinphuong.listing`): a numbered-page URL, or the shape of a list of
headlines. Two signals only the crawler has are added: a start URL is a
listing, and so is a page that links to the next pages of its own list (a
category's first page links to its `?page=2`).

The shape is counted on the page without its chrome (menus, sidebars of "latest
news", footers): a short article under a sidebar of linked headlines is still an
article.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable

from lxml import etree

from tinphuong.listing import MIN_HEADLINE_WORDS, PageShape, listing_key, looks_like_listing, numbered_page

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
_HEADINGS = " | ".join(f"//{h}[.//a] | //a//{h}" for h in ("h2", "h3", "h4", "h5"))


def role_of(url: str, links: Iterable[str], shape: PageShape | None, start: bool = False) -> str:
    """LISTING or ARTICLE for the HTML page at `url` (`links`: its page links, canonical)."""
    if start or numbered_page(url) is not None:
        return LISTING
    own = listing_key(url)
    if any((page := numbered_page(link)) is not None and page.key == own for link in links):
        return LISTING
    return LISTING if shape is not None and looks_like_listing(shape) else ARTICLE


def shape_of(root: etree._Element) -> PageShape:
    """The listing rule's counts on the page without scripts and chrome (`root` is left as it was)."""
    body = copy.deepcopy(root)
    total = len(body.text_content())
    stack = [body]
    while stack:
        for child in list(stack.pop()):
            if _is_chrome(child, total):
                child.drop_tree()
            else:
                stack.append(child)
    return PageShape(
        longest_paragraph=_longest_paragraph(body),
        linked_headings=len(body.xpath(_HEADINGS)),
        article_items=len(body.xpath("//article")),
        linked_titles=sum(1 for a in body.iter("a") if len(a.text_content().split()) >= MIN_HEADLINE_WORDS),
    )


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


def _longest_paragraph(root: etree._Element) -> int:
    """Characters of the longest run of text between block boundaries (whitespace collapsed)."""
    longest = 0
    current: list[str] = []

    def flush() -> None:
        nonlocal longest
        longest = max(longest, len(" ".join(" ".join(current).split())))
        current.clear()

    for event, element in etree.iterwalk(root, events=("start", "end")):
        block = element.tag in _BLOCKS
        if event == "start":
            if block:
                flush()
            current.append(element.text or "")
        else:
            if block:
                flush()
            if element is not root:
                current.append(element.tail or "")
    flush()
    return longest
