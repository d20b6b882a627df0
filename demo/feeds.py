"""robots.txt, sitemap.xml and the RSS 2.0 feed of the demo portal.

These files need absolute URLs, but the port is only known when the site is served, so they
carry the `{{BASE}}` placeholder that `demo.serve` replaces with the served origin.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from email.utils import format_datetime

from demo.content import Article, Site

BASE = "{{BASE}}"
FEED_SIZE = 20
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
DISALLOWED = ("/admin/", "/tim-kiem")


def robots_txt(disallowed: Sequence[str] = DISALLOWED, sitemap: str | None = f"{BASE}/sitemap.xml",
               crawl_delay: float | None = None) -> str:
    """Keep crawlers out of the back office and the search results, point them to the sitemap."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallowed)]
    if crawl_delay is not None:
        lines.append(f"Crawl-delay: {crawl_delay:g}")
    lines.append("")
    if sitemap:
        lines += [f"Sitemap: {sitemap}", ""]
    return "\n".join(lines)


def sitemap_xml(articles: Sequence[Article]) -> str:
    """The home page and every article, each with its <lastmod>."""
    newest = max(a.published for a in articles)
    entries = [(f"{BASE}/", newest.date().isoformat())]
    entries += [(BASE + a.path, a.published.date().isoformat()) for a in articles]
    return urlset_xml(entries)


def urlset_xml(entries: Iterable[tuple[str, str]]) -> str:
    """A sitemap <urlset> of (loc, lastmod) pairs."""
    return _locations("urlset", "url", entries)


def sitemap_index_xml(entries: Iterable[tuple[str, str]]) -> str:
    """A <sitemapindex> of (loc, lastmod) pairs: the sitemaps a large site splits its URLs into."""
    return _locations("sitemapindex", "sitemap", entries)


def rss_xml(site: Site, articles: Sequence[Article]) -> str:
    """An RSS 2.0 channel of the latest articles (newest first)."""
    root = ET.Element("rss", version="2.0")
    channel = ET.SubElement(root, "channel")
    _text(channel, "title", f"{site.authority} – Tin tức")
    _text(channel, "link", f"{BASE}/")
    _text(channel, "description", f"Tin tức, hoạt động của {site.name}, {site.district}, {site.city}")
    _text(channel, "language", "vi")
    latest = articles[:FEED_SIZE]
    _text(channel, "lastBuildDate", format_datetime(latest[0].published))
    for article in latest:
        item = ET.SubElement(channel, "item")
        _text(item, "title", article.title)
        _text(item, "link", BASE + article.path)
        _text(item, "guid", BASE + article.path).set("isPermaLink", "true")
        _text(item, "pubDate", format_datetime(article.published))
        _text(item, "category", article.category.name)
        _text(item, "description", article.paragraphs[0])
    return _serialize(root)


def _locations(root_tag: str, tag: str, entries: Iterable[tuple[str, str]]) -> str:
    root = ET.Element(root_tag, xmlns=SITEMAP_NS)
    for loc, lastmod in entries:
        element = ET.SubElement(root, tag)
        _text(element, "loc", loc)
        _text(element, "lastmod", lastmod)
    return _serialize(root)


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element


def _serialize(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
