"""From one archived HTML response to an article's fields, or None when the page is not an article.

`extract(body, url, headers, selectors)` is the only entry point. It never
raises: crawled content is hostile (wrong charsets, megabytes of nested tags,
binary bodies), and one bad page must not stop an index rebuild. The steps live
in their own modules: `charset` (bytes to text), `parse` (bounded trees), `metadata` (what the page says
about itself), `boilerplate` (menus, sidebars, captions, the main block), `fields` (title,
author), `published` and `dates` (the publication date and where it was stated), `listing` (home
and category pages are not documents), `text` (display text as published).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from cssselect import SelectorError
from lxml.cssselect import CSSSelector
from lxml.etree import XPathError

from indexer.extract.attachments.links import attachment_links
from indexer.extract.boilerplate import (
    find_content,
    in_footer,
    remove_captions,
    remove_chrome,
    remove_junk,
    remove_widgets,
)
from indexer.extract.charset import decode_html
from indexer.extract.dates import parse_date, parse_metadata_date
from indexer.extract.fields import find_author, find_byline, find_title
from indexer.extract.listing import has_substance, is_listing_url, is_utility_title, looks_like_listing
from indexer.extract.metadata import PageMetadata, element_value, read_metadata
from indexer.extract.parse import parse_html
from indexer.extract.published import (
    Published,
    date_scope,
    dated_elements,
    element_date,
    lead_published,
    metadata_date,
    reference_date,
    url_published,
)
from indexer.extract.text import clean_line, paragraphs, text_of
from indexer.extract.tree import Document, Element, decompose, find_tags, removed
from tinphuong.config import Selectors
from tinphuong.http_response import is_html

log = logging.getLogger(__name__)

MAX_PARSE_BYTES = 5_000_000

Headers = Mapping[str, str] | Iterable[tuple[str, str]]


@dataclass(frozen=True)
class Extracted:
    """The article fields of one page; `text` is paragraphs separated by a blank line."""

    title: str
    text: str
    date: date | None = None
    author: str | None = None
    category: str | None = None
    links: tuple[tuple[str, str], ...] = ()    # (canonical URL, link text) of the files the article links
    date_source: str | None = None    # which part of the page gave `date` (`published.SOURCES`)


def extract(body: bytes, url: str, headers: Headers = (), selectors: Selectors | None = None,
            today: date | None = None) -> Extracted | None:
    """The article in an HTML response, or None (not HTML, not an article, or unreadable).

    `today` is the capture date: no publication date after it is plausible, and a date
    written without its year (`Sáng 16/3`) is the latest one not after it. Pass the
    capture's date so that re-extracting an old capture gives the same answer.
    """
    try:
        content_type = header(headers, "content-type")
        if not is_html(content_type, body):
            return None
        return _extract(body[:MAX_PARSE_BYTES], url, content_type, selectors or Selectors(),
                        today or date.today())
    except Exception:  # noqa: BLE001 - hostile pages must never stop indexing
        log.warning("extraction failed for %s", url, exc_info=True)
        return None


def header(headers: Headers, name: str) -> str:
    """A header's value, case-insensitively, from a mapping or a list of pairs ('' when absent)."""
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    for key, value in pairs:
        if key.lower() == name:
            return value
    return ""


def _extract(body: bytes, url: str, content_type: str, selectors: Selectors,
             captured: date) -> Extracted | None:
    if not selectors.body and is_listing_url(url):
        return None     # what the last step decides for a page without the site's body: not worth a parse
    soup = parse_html(decode_html(body, content_type))
    if soup is None:
        return None
    meta = read_metadata(soup)
    chosen = {name: _select(soup, getattr(selectors, name)) for name in ("title", "body", "date", "author",
                                                                          "category")}
    remove_junk(soup)
    published = _selected_date(chosen["date"], captured) or metadata_date(meta, soup, captured)
    category = _selected_text(chosen["category"]) or meta.section or meta.breadcrumb or None
    body_tag = chosen["body"] if chosen["body"] is not None and not removed(chosen["body"]) else None
    dated = [] if published else dated_elements(soup, url)
    if body_tag is None:
        remove_chrome(soup)
    content = body_tag if body_tag is not None else find_content(soup)
    selected_title = _selected_text(chosen["title"])
    title, title_tag = (selected_title, chosen["title"]) if selected_title else \
        find_title(meta, content, soup)
    published = published or element_date(dated, date_scope(title_tag, content), captured)
    byline = find_byline(soup)
    links = attachment_links(content, url)     # before widgets go: a file list is link-dense
    remove_widgets(content)
    remove_captions(content)
    _drop_title_heading(content, title)
    lines = paragraphs(content)
    published = published or lead_published(lines, clean_line(title), reference_date(meta, captured)) \
        or url_published(url, captured)
    if not title or is_utility_title(title) or in_footer(content) \
            or not has_substance(lines, dated=published is not None):
        return None
    if body_tag is None and (is_listing_url(url) or looks_like_listing(soup, content, lines)):
        return None
    author = _selected_text(chosen["author"]) or find_author(meta, byline, lines)
    return Extracted(title=clean_line(title)[:500], text="\n\n".join(lines),
                     date=published.date if published else None, author=author or None, category=category,
                     links=links, date_source=published.source if published else None)


def _select(soup: Document, selector: str | None) -> Element | None:
    """The site's own selector's first match, when configured and matching; a broken selector counts as
    no match."""
    compiled = _compiled(selector) if selector else None
    if compiled is None:
        return None
    try:
        return next(iter(compiled(soup)), None)
    except XPathError:
        return None


@lru_cache(maxsize=256)
def _compiled(selector: str) -> CSSSelector | None:
    """The selector compiled once per process, so a broken one is reported once, not once per page."""
    try:
        return CSSSelector(selector, translator="html")
    except (SelectorError, XPathError, ValueError):
        log.warning("invalid CSS selector %r in the configuration: ignored", selector)
        return None


def _selected_text(tag: Element | None) -> str:
    return text_of(tag) if tag is not None and not removed(tag) else ""


def _selected_date(tag: Element | None, captured: date) -> Published | None:
    if tag is None:
        return None
    found = parse_metadata_date(element_value(tag), captured) or parse_date(text_of(tag), captured)
    return Published(found, "selector") if found else None


def _drop_title_heading(content: Element, title: str) -> None:
    """The title is a field of its own; its heading should not open the body text too."""
    for heading in find_tags(content, ("h1", "h2"), limit=2):
        if text_of(heading) == clean_line(title):
            decompose(heading)
            return


__all__ = ["Extracted", "MAX_PARSE_BYTES", "PageMetadata", "extract", "header"]
