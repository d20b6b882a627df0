"""Finding URLs: links in HTML pages, sitemaps (urlset, sitemapindex, gzip) and RSS 2.0 / Atom feeds.

Everything here parses hostile bytes. XML is read with entity resolution, DTD
loading and network access off (no XXE, no billion laughs) and in recover mode,
so malformed documents yield what can be read and never an exception.

Links: `<a href>` and `<area href>`, resolved against `<base href>`. `rel=nofollow`
on a link is *not* obeyed: it is an endorsement hint for search engines, and an
archive must not lose articles that a CMS marks nofollow. A page-level
`<meta name="robots" content="nofollow">` (or `none`) is obeyed: none of the
page's links are followed. URLs of non-HTML files (images, documents, archives,
media, scripts) are skipped.
"""

from __future__ import annotations

import email.utils
import logging
import posixpath
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from lxml import etree, html

from crawler.page_role import shape_of
from tinphuong.content_encoding import decode_content
from tinphuong.listing import PageShape
from tinphuong.urls import canonicalize

log = logging.getLogger(__name__)

MAX_XML_BYTES = 50_000_000        # the sitemap protocol's own limit, uncompressed
SKIPPED_EXTENSIONS = frozenset({
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".bmp", ".tif", ".tiff", ".heic",
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".rtf", ".txt", ".csv",
    ".zip", ".rar", ".7z", ".gz", ".tgz", ".tar", ".bz2", ".xz",
    ".mp3", ".wav", ".ogg", ".mp4", ".avi", ".mov", ".wmv", ".flv", ".mkv", ".webm", ".m4a",
    ".css", ".js", ".json", ".exe", ".apk", ".msi", ".dmg", ".iso", ".woff", ".woff2", ".ttf", ".eot",
})
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml"})


@dataclass(frozen=True)
class Link:
    """A discovered URL (canonical) and, from sitemaps and feeds, when it last changed (ISO UTC)."""

    url: str
    lastmod: str | None = None


@dataclass
class PageLinks:
    pages: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)     # <link rel="alternate" type="application/rss+xml">
    canonical: str | None = None                       # <link rel="canonical">, whatever its host
    shape: PageShape | None = None                     # what tells a listing from an article


@dataclass
class Sitemap:
    pages: list[Link] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # children of a sitemap index


def is_skipped_file(url: str) -> bool:
    """True for URLs whose extension says they are not HTML pages."""
    extension = posixpath.splitext(urlsplit(url).path.lower())[1]
    return extension in SKIPPED_EXTENSIONS


# --- HTML ------------------------------------------------------------------------------------------

def html_links(body: bytes, page_url: str, charset: str | None = None) -> PageLinks:
    """Canonical page links and feed links of an HTML page, in document order, without duplicates."""
    root = parse_html(body, charset)
    found = PageLinks()
    if root is None:
        return found
    base = page_url
    for href in root.xpath("//base/@href")[:1]:
        base = canonicalize(href, base=page_url) or page_url
    found.shape = shape_of(root)
    canonical = root.xpath("//link[contains(concat(' ', normalize-space(translate(@rel, 'CANOIL', 'canoil')),"
                           " ' '), ' canonical ')]/@href")
    found.canonical = canonicalize(canonical[0], base=base) if canonical else None
    if _meta_nofollow(root):
        return found
    pages = dict.fromkeys(canonicalize(href, base=base) for href in root.xpath("//a/@href | //area/@href"))
    found.pages = [url for url in pages if url and not is_skipped_file(url)]
    feeds = root.xpath("//link[@href and contains(concat(' ', normalize-space(@rel), ' '), ' alternate ')]")
    found.feeds = list(dict.fromkeys(
        url for link in feeds
        if (link.get("type") or "").strip().lower() in FEED_TYPES
        and (url := canonicalize(link.get("href"), base=base))))
    return found


def parse_html(body: bytes, charset: str | None):
    """The lxml tree of a hostile HTML page (no network, declared charset first), None if unreadable."""
    if not body.strip():
        return None
    for encoding in (charset, None):
        try:
            parser = html.HTMLParser(encoding=encoding, no_network=True)
            return html.document_fromstring(body, parser=parser)
        except (LookupError, etree.ParserError, ValueError, TypeError):
            continue
    return None


def _meta_nofollow(root) -> bool:
    for content in root.xpath("//meta[translate(@name, 'ROBTS', 'robts')='robots']/@content"):
        directives = {d.strip().lower() for d in content.split(",")}
        if "nofollow" in directives or "none" in directives:
            return True
    return False


# --- XML: sitemaps and feeds ------------------------------------------------------------------------

def _parse_xml(body: bytes):
    if body[:2] == b"\x1f\x8b":
        body = decode_content(body, "gzip", MAX_XML_BYTES)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        return etree.fromstring(body[:MAX_XML_BYTES], parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _children(element, name: str) -> list:
    return [child for child in element if _local(child.tag) == name]


def _text(element, name: str) -> str | None:
    for child in _children(element, name):
        if child.text and child.text.strip():
            return child.text.strip()
    return None


def parse_sitemap(body: bytes, sitemap_url: str) -> Sitemap:
    """Pages (with `<lastmod>`) of a urlset, or child sitemaps of a sitemapindex; plain-text sitemaps too."""
    root = _parse_xml(body)
    result = Sitemap()
    if root is None:
        return _text_sitemap(body, sitemap_url)
    kind = _local(root.tag)
    if kind == "sitemapindex":
        result.sitemaps = list(dict.fromkeys(
            url for entry in _children(root, "sitemap")
            if (url := canonicalize(_text(entry, "loc") or "", base=sitemap_url))))
    elif kind == "urlset":
        result.pages = _unique_links(
            (_text(entry, "loc"), _text(entry, "lastmod")) for entry in _children(root, "url"))
    return result


def _text_sitemap(body: bytes, sitemap_url: str) -> Sitemap:
    lines = body[:MAX_XML_BYTES].decode("utf-8", errors="replace").split()
    urls = [line for line in lines if line.startswith(("http://", "https://"))]
    return Sitemap(pages=_unique_links((url, None) for url in urls))


def parse_feed(body: bytes) -> list[Link]:
    """Item links of an RSS 2.0 (or RSS 1.0) or Atom feed, with their dates."""
    root = _parse_xml(body)
    if root is None:
        return []
    kind = _local(root.tag)
    if kind == "feed":
        return _unique_links((_atom_href(entry), _text(entry, "updated") or _text(entry, "published"))
                             for entry in _children(root, "entry"))
    items = [e for e in root.iter() if _local(e.tag) == "item"]
    return _unique_links((_text(item, "link") or _permalink(item),
                          _text(item, "pubDate") or _text(item, "date")) for item in items)


def _atom_href(entry) -> str | None:
    for link in _children(entry, "link"):
        if (link.get("rel") or "alternate") == "alternate" and link.get("href"):
            return link.get("href")
    return None


def _permalink(item) -> str | None:
    for guid in _children(item, "guid"):
        if (guid.get("isPermaLink") or "true").lower() == "true" and guid.text:
            return guid.text.strip()
    return None


def _unique_links(pairs) -> list[Link]:
    links: dict[str, Link] = {}
    for raw_url, raw_date in pairs:
        url = canonicalize(raw_url or "")
        if url and url not in links and not is_skipped_file(url):
            links[url] = Link(url, iso_date(raw_date))
    return list(links.values())


def iso_date(text: str | None) -> str | None:
    """A W3C or RFC 822 date as ISO UTC to the second; None if unreadable.

    A date alone stands for the end of that day (UTC): a page edited on the day it
    was fetched must still count as changed since.
    """
    if not text:
        return None
    text = text.strip()
    try:
        when = datetime.fromisoformat(text)
        if len(text) == 10:
            when = when.replace(hour=23, minute=59, second=59)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
