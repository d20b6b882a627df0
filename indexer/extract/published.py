"""The publication date of an article page, and which part of the page stated it.

Sources, most trustworthy first; the first that gives a plausible date wins:

1. `selector` — the site's configured date selector;
2. `meta` (`article:published_time` and the like), then `jsonld` (`datePublished`),
   then `microdata` in `<head>`: what the page says about itself for machines;
3. the dated elements of the article, inside the block that holds both its title and its
   body: `microdata` (`itemprop=datePublished`), `time` (`<time datetime>`, a published one
   before an updated one), `dateline` (a short line such as `Ngày đăng: 16/03/2023`);
4. `body` — only when the page has no dated element: the date its lead opens with
   (`Ngày 16/3/2023, ...`, `Sáng 16/3, ...`), a missing year taken from the capture date
   or the page's own modification date, never after them;
5. `url` — `/2023/03/16/`, `slug-20230316.html`.

Dates of listed articles are never taken: anything in page chrome (menus, sidebars,
footers, comments), and any date whose small enclosing block links another page by a
headline (the "Tin mới", "Tin liên quan" and "Các tin khác" lists). The order follows
htmldate's (metadata, then dated elements, then text), with the URL last: ward portals
rarely date their URLs, and a URL's date is the upload folder as often as the article's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit

from indexer.extract.boilerplate import class_names, in_chrome
from indexer.extract.dates import lead_date, parse_date, parse_metadata_date, url_date
from indexer.extract.metadata import PageMetadata, element_value
from indexer.extract.text import bounded_text, text_lengths, text_of
from indexer.extract.tree import Document, Element, document_tag, find_tag, find_tags, has_href, removed

SOURCES = ("selector", "meta", "jsonld", "microdata", "time", "dateline", "body", "url")

MAX_DATE_LINE = 120
TEASER_BLOCK_CHARS = 300      # a listed article's block (headline, date, teaser) is shorter than this
HEADLINE_WORDS = 5            # a link with this many words is a headline, not "Xem thêm" or a name
LEAD_PARAGRAPHS = 2           # the lead is the first paragraph, or the second after a short kicker
_DATE_NAMED = re.compile(r"date|time|ngay|publish|posted|thoi-?gian|post-meta|entry-meta|meta", re.IGNORECASE)
_DATE_LABEL = re.compile(
    r"^\s*\(?\s*(?:ngày\s+(?:đăng|tạo|cập\s+nhật|xuất\s+bản)|đăng\s+(?:ngày|lúc|tải)|cập\s+nhật|thời\s+gian"
    r"|xuất\s+bản|posted|published|(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)\s*,?\s*(?:ngày\s+)?\d)",
    re.IGNORECASE)
# What is left of a line that holds nothing but a date: weekday, "ngày", time of day, punctuation.
_DATE_WORDS = re.compile(r"\d+|[^\w\s]|\b(?:ngày|tháng|năm|lúc|giờ|sáng|chiều|tối|thứ|chủ|nhật|hai|ba|tư|sáu"
                         r"|bảy|gmt|am|pm)\b|\s+", re.IGNORECASE)
_YEAR = re.compile(r"\d{4}")      # what every format of `dates.parse_date` holds
_PUBLISHED_NAMED = re.compile(r"publish|entry-date|post-date|created|ngay-?dang", re.IGNORECASE)
_UPDATED_NAMED = re.compile(r"updated|modified|cap-?nhat", re.IGNORECASE)
_NOT_HEADLINE = re.compile(r"category|author|\btag|byline|vcard|\bcat-|breadcrumb", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_DATELINE_TAGS = ("span", "div", "p", "time", "small", "em", "i", "li", "td", "strong", "b", "dd", "font")


@dataclass(frozen=True)
class Published:
    date: date
    source: str          # one of SOURCES


def metadata_date(meta: PageMetadata, soup: Document, captured: date) -> Published | None:
    """What the page says about itself: meta tags, JSON-LD, then microdata in `<head>`."""
    found = parse_metadata_date(meta.published, captured)
    if found:
        return Published(found, meta.published_source)
    head = document_tag(soup, "head")
    tag = find_tag(head, where=_is_date_published) if head is not None else None
    found = parse_metadata_date(element_value(tag), captured) if tag is not None else None
    return Published(found, "microdata") if found else None


def dated_elements(soup: Document, page_url: str) -> list[tuple[str, Element]]:
    """The page's dated elements, by kind of source, that do not date a listed article.

    Read on the whole page before its chrome is removed: removing a sidebar's links would
    leave its dates looking like date lines of their own.
    """
    found = []
    for source, tags in (("microdata", find_tags(soup, where=_is_date_published)),
                         ("time", _time_elements(soup)), ("dateline", _date_lines(soup))):
        found += [(source, tag) for tag in tags if not _is_teaser_date(tag, page_url)]
    return found


def element_date(candidates: list[tuple[str, Element]], scope: Element, captured: date) -> Published | None:
    """The first dated element inside `scope` (title and body) and outside its chrome that gives a date."""
    for source, tag in candidates:
        if removed(tag) or not _inside(tag, scope) or in_chrome(tag, stop=scope):
            continue
        if source == "dateline":
            found = parse_date(text_of(tag), captured)
        else:
            found = parse_metadata_date(element_value(tag), captured)
        if found:
            return Published(found, source)
    return None


def lead_published(lines: list[str], title: str, reference: date) -> Published | None:
    """The date the article's lead opens with (only asked when the page has no dated element)."""
    lead = [line for line in lines[: LEAD_PARAGRAPHS + 1] if line != title][:LEAD_PARAGRAPHS]
    for line in lead:
        found = lead_date(line, reference)
        if found:
            return Published(found, "body")
    return None


def url_published(url: str, captured: date) -> Published | None:
    found = url_date(url, captured)
    return Published(found, "url") if found else None


def reference_date(meta: PageMetadata, captured: date) -> date:
    """The latest date the article can have: the capture, or the page's own modification date if earlier."""
    modified = parse_metadata_date(meta.modified, captured)
    return min(modified, captured) if modified else captured


def date_scope(title: Element | None, content: Element) -> Element:
    """The block holding both the article's title and its body: where its own date line is.

    The page header's "today" line and the sidebars lie outside it.
    """
    if title is None:
        parent = content.getparent()
        return parent if parent is not None else content
    around = [content, *content.iterancestors()]      # kept alive: their ids must not be reused
    ancestors = {id(node) for node in around}
    node: Element | None = title
    while node is not None and id(node) not in ancestors:
        node = node.getparent()
    return node if node is not None else content


def _time_elements(scope: Element) -> list[Element]:
    """`<time datetime>` elements, a published one before an unnamed one before an updated one."""
    times = [tag for tag in find_tags(scope, "time") if isinstance(tag.get("datetime"), str)]

    def rank(tag: Element) -> int:
        names = class_names(tag) + " " + str(tag.get("itemprop") or "")
        return 0 if _PUBLISHED_NAMED.search(names) else 2 if _UPDATED_NAMED.search(names) else 1

    return sorted(times, key=rank)


def _date_lines(scope: Element) -> list[Element]:
    """Short lines that are a date: named like one, labelled like one, or holding nothing else.

    Only lines with a four-digit run: every date `parse_date` reads has its year, so the others
    could never date the page, and each candidate costs a look at its block (`_is_teaser_date`).
    """
    found = []
    for tag in find_tags(scope, _DATELINE_TAGS):
        text = bounded_text(tag, 40)
        if not text or len(text) > MAX_DATE_LINE or not _YEAR.search(text):
            continue
        if _DATE_NAMED.search(class_names(tag)) or _DATE_LABEL.match(text) or not _DATE_WORDS.sub("", text):
            found.append(tag)
    return found


def _is_date_published(tag: Element) -> bool:
    return tag.get("itemprop") == "datePublished"


def _inside(tag: Element, scope: Element) -> bool:
    return tag is scope or any(parent is scope for parent in tag.iterancestors())


def _is_teaser_date(tag: Element, page_url: str) -> bool:
    """Whether the date belongs to a listed article: its small block links another page by a headline."""
    node: Element | None = tag
    while node is not None and node.tag not in ("body", "html"):
        if node is not tag and text_lengths(node)[0] > TEASER_BLOCK_CHARS:
            return False
        if any(_is_headline_link(link, page_url) for link in find_tags(node, "a", where=has_href)):
            return True
        node = node.getparent()
    return False


def _is_headline_link(link: Element, page_url: str) -> bool:
    """A link to another page whose text reads like a headline (not a category, author or tag link)."""
    if len(_WORD.findall(text_of(link))) < HEADLINE_WORDS or _same_page(link.get("href"), page_url):
        return False
    rel = " ".join((link.get("rel") or "").split())
    parent = link.getparent()
    parent = parent if parent is not None else link
    return not _NOT_HEADLINE.search(f"{rel} {class_names(link)} {class_names(parent)}")


def _same_page(href: object, page_url: str) -> bool:
    if not isinstance(href, str):
        return False
    try:
        target, page = urlsplit(urljoin(page_url, href)), urlsplit(page_url)
    except ValueError:
        return False
    return (target.netloc, target.path.rstrip("/"), target.query) == (page.netloc, page.path.rstrip("/"),
                                                                       page.query)
