"""robots.txt, the sitemaps (an index, articles in files of `size`, and the listing pages) and the feed.

The XML is written by `demo.feeds`; what goes in it is decided here. Sitemap `lastmod` is the
article's last change (an edit or a backdated insertion moves it; a theme change does not), the
way CMS sitemap plugins report it; a deleted article leaves the sitemap and the feed.
"""

from __future__ import annotations

from collections.abc import Sequence

from demo import feeds
from tests.wardsite.model import Article
from tests.wardsite.pages import Links
from tests.wardsite.wordpress import demo_article
from tests.wardsite.writer import Ward

POSTS = "/sitemap-posts-{n}.xml"
PAGES = "/sitemap-pages.xml"


def robots_txt(links: Links, disallowed: Sequence[str], crawl_delay: float | None) -> str:
    sitemap = links.absolute(links.files.sitemap) if links.files.sitemap else None
    return feeds.robots_txt(disallowed, sitemap, crawl_delay)


def sitemap_index(links: Links, live: Sequence[Article], size: int) -> str:
    entries = [(links.absolute(PAGES), _newest(live))]
    for number, chunk in enumerate(_chunks(live, size), start=1):
        entries.append((links.absolute(POSTS.format(n=number)), _newest(chunk)))
    return feeds.sitemap_index_xml(entries)


def sitemap_posts(links: Links, live: Sequence[Article], size: int, number: int) -> str | None:
    """File `number` of the article sitemap (oldest articles first), None past the last one."""
    chunks = _chunks(live, size)
    if not 1 <= number <= len(chunks):
        return None
    entries = [(links.absolute(links.article(a)), a.modified.isoformat()) for a in chunks[number - 1]]
    return feeds.urlset_xml(entries)


def sitemap_pages(links: Links, ward: Ward, live: Sequence[Article]) -> str:
    entries = [(links.absolute(links.home()), _newest(live))]
    for beat in ward.beats:
        members = [a for a in live if a.beat == beat]
        entries.append((links.absolute(links.listing(1, beat)), _newest(members or live)))
    return feeds.urlset_xml(entries)


def rss(links: Links, ward: Ward, live: Sequence[Article]) -> str:
    """The latest articles by publication date: a backdated article never shows here."""
    items = [demo_article(links, a) for a in live[:feeds.FEED_SIZE]]
    return feeds.rss_xml(ward.site, items).replace(feeds.BASE, links.origin)


def _chunks(live: Sequence[Article], size: int) -> list[list[Article]]:
    oldest_first = list(reversed(live))
    return [oldest_first[i:i + size] for i in range(0, len(oldest_first), size)]


def _newest(articles: Sequence[Article]) -> str:
    return max(a.modified for a in articles).isoformat() if articles else ""
