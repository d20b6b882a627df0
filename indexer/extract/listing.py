"""Home, category and pagination pages are not documents: telling them from articles.

The rule itself (URL patterns, the shape of a listing) is shared with the crawler
in `tinphuong.listing`; here the shape is counted on the BeautifulSoup tree of
the page's content block, once the page chrome is removed.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from indexer.extract.text import text_of
from indexer.extract.tree import find_tags
from tinphuong import listing
from tinphuong.listing import MIN_ARTICLE_ITEMS, MIN_HEADLINE_WORDS, PageShape, is_listing_url

MIN_BODY_CHARS = 150
MIN_DATED_BODY_CHARS = 60   # a short notice with a publication date is still news


def looks_like_listing(soup: BeautifulSoup, content: Tag, paragraphs: list[str]) -> bool:
    """Repeated linked headlines (or `<article>` items) and no paragraph long enough to be prose."""
    longest = max(map(len, paragraphs), default=0)
    if listing.is_prose(longest):
        return False            # the common case, decided before counting anything
    return listing.looks_like_listing(PageShape(
        longest_paragraph=longest, linked_headings=linked_headings(content),
        article_items=len(find_tags(soup, "article", limit=MIN_ARTICLE_ITEMS)),
        linked_titles=linked_titles(content)))


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
    return sum(1 for a in find_tags(root, "a") if len(text_of(a).split()) >= MIN_HEADLINE_WORDS)


__all__ = ["has_substance", "is_listing_url", "linked_headings", "linked_titles", "looks_like_listing"]
