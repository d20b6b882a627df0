"""Page requisites and attachments: what an archived page needs to look as it did, and the documents it links.

Requisites are the images a page shows (`<img src/srcset>`, `<picture><source>`,
lazy-loading `data-src`, `poster`, `background`), its stylesheets (`<link
rel=stylesheet>`, `<style>`, `style=""`) and, read from those stylesheets, the
fonts, background images and `@import`s they load. Attachments are the
documents its links point to (PDF, Word, Excel, OpenDocument, by extension; a
link that names no extension but answers with such a Content-Type becomes one
too). Each is archived as a response of its own under the frontier kinds
`requisite` and `attachment`, with its own size cap, from the site's
`allowed_hosts` plus its `requisite_hosts`, and robots.txt obeyed as for pages.

Which pages: every HTML page fetched in full, one rule for all, because the
crawler cannot tell an article from a listing the way the indexer does. What
makes listings expensive is their teaser thumbnails (one per article, often a
resized copy), so an image that is a link to another page is a teaser and not
a requisite: it belongs to the page it links to, which archives its own
images. The logo's link to the home page is not a teaser. What listing pages
add beyond that is the site's chrome (stylesheets, logo, banners), shared by
every page and fetched once.

Dedupe: a requisite URL already known is not fetched again when another page
uses it: it is revalidated in its turn (`crawler.revisit`: a share each night of
a `requisite_revisit_days` cycle, conditional requests); a payload already
archived under another URL (the same logo at two addresses) is written as an
identical-payload-digest revisit of the first record holding it (the state's
`payloads` table), so the archive keeps one copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from crawler.discovery import is_skipped_file, parse_html
from crawler.exchange import Exchange
from crawler.state import CrawlState, FrontierItem
from tinphuong.config import CrawlConfig, SiteConfig
from tinphuong.css_urls import css_references, decode_stylesheet
from tinphuong.file_types import is_attachment_type, is_attachment_url
from tinphuong.http_response import charset_of, media_type
from tinphuong.page_resources import base_url, embedded_values, is_stylesheet_link
from tinphuong.urls import canonicalize, host_of

REQUISITE, ATTACHMENT = "requisite", "attachment"
RESOURCE_KINDS = frozenset({REQUISITE, ATTACHMENT})
MAX_PER_PAGE = 100                    # requisites (and attachments) taken from one page or stylesheet
# Elements whose image attributes are requisites (a <source> only inside <picture>: video is not archived).
_IMAGE_XPATH = ("//img | //picture/source | //input[translate(@type, 'IMAGE', 'image') = 'image']"
                " | //video[@poster] | //body[@background] | //table[@background] | //tr[@background]"
                " | //td[@background] | //th[@background]")


@dataclass
class PageResources:
    """The canonical URLs of a page's requisites and attachments, in document order, without repeats."""

    requisites: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)


def is_stylesheet(url: str, content_type: str | None) -> bool:
    """Whether a requisite's answer is CSS: its type says so, or it says nothing useful and the URL does."""
    kind = media_type(content_type)
    if kind == "text/css":
        return True
    unhelpful = kind in ("", "text/plain", "application/octet-stream")
    return unhelpful and urlsplit(url).path.lower().endswith(".css")


def page_resources(body: bytes, page_url: str, charset: str | None = None,
                   homes: Iterable[str] = ()) -> PageResources:
    """Requisites and attachments of an HTML page; `homes` are links that make no image a teaser."""
    root = parse_html(body, charset)
    if root is None:
        return PageResources()
    base = base_url(root, page_url)
    homes = frozenset(homes)
    found: list[str | None] = []
    for element in root.xpath(_IMAGE_XPATH):
        if element.tag in ("img", "source") and _is_teaser(element, base, page_url, homes):
            continue
        found += [canonicalize(value, base=base) for _, value in embedded_values(element)]
    found += [canonicalize(link.get("href"), base=base) for link in root.xpath("//link")
              if is_stylesheet_link(link)]
    css = [style.text or "" for style in root.xpath("//style")] + root.xpath("//@style")
    found += [canonicalize(ref.url, base=base) for text in css for ref in css_references(text) if not ref.bad]
    links = (canonicalize(href, base=base) for href in root.xpath("//a/@href | //area/@href"))
    return PageResources(requisites=_unique(found),
                         attachments=_unique(url for url in links if url and is_attachment_url(url)))


def stylesheet_requisites(body: bytes, css_url: str, content_type: str | None) -> list[str]:
    """What a stylesheet loads (fonts, images, @imports), as canonical URLs resolved against it."""
    text = decode_stylesheet(body, content_type)
    return _unique(canonicalize(ref.url, base=css_url) for ref in css_references(text) if not ref.bad)


def _is_teaser(image, base: str, page_url: str, homes: frozenset[str]) -> bool:
    """An image inside a link to another page (not a file, not the home page): a listing's thumbnail."""
    for link in image.iterancestors("a"):
        target = canonicalize(link.get("href") or "", base=base)
        if not target or target == page_url or is_skipped_file(target):
            return False
        return urlsplit(target).path != "/" and target not in homes
    return False


def _unique(urls: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(url for url in urls if url))[:MAX_PER_PAGE]


class SiteResources:
    """The requisites and attachments of one site's crawl: scope, caps, revisits, discovery, dedupe.

    One per `SiteCrawl`; it holds no state of its own beyond its configuration, so
    sites crawled in parallel threads share nothing here.
    """

    def __init__(self, crawl: CrawlConfig, site: SiteConfig, state: CrawlState, homes: Sequence[str]) -> None:
        self.crawl = crawl
        self.state = state
        self.homes = tuple(homes)
        self.hosts = frozenset(site.allowed_hosts) | frozenset(site.requisite_hosts)
        self.enabled = {REQUISITE: crawl.requisites, ATTACHMENT: crawl.attachments}

    def refusal(self, url: str, kind: str) -> str | None:
        """Why a URL of this kind may not be fetched for the site, as far as hosts go (None when it may)."""
        if not self.enabled[kind]:
            return f"archiving {kind}s is turned off"
        if host_of(url) not in self.hosts:
            return f"host {host_of(url)!r} is not in allowed_hosts or requisite_hosts"
        return None

    def max_bytes(self, kind: str) -> int | None:
        """The size cap of a fetch of this kind (None: the pages' `max_bytes`)."""
        return {REQUISITE: self.crawl.requisite_max_bytes,
                ATTACHMENT: self.crawl.attachment_max_bytes}.get(kind)

    def classify(self, item: FrontierItem, exchange: Exchange) -> FrontierItem:
        """A page link whose first answer is a document (`download.aspx?id=7` answering a PDF) is an
        attachment from then on: archived, never parsed for links, revisited like one."""
        content_type = exchange.header("Content-Type")
        if (item.kind == "page" and self.enabled[ATTACHMENT] and is_attachment_type(content_type)
                and self.state.url(exchange.url) is None):
            return replace(item, kind=ATTACHMENT)
        return item

    def holder(self, digest: str) -> tuple[str, str] | None:
        """(URL, WARC-Date) of the record already holding this payload, if any: the revisit's target."""
        return self.state.payload_record(digest)

    def archived(self, item: FrontierItem, url: str, digest: str, date: str) -> None:
        """A resource's payload was written in full: later copies of it, under any URL, refer here."""
        if item.kind in RESOURCE_KINDS:
            self.state.add_payload(digest, url, date)

    # --- discovery ---------------------------------------------------------------------------------

    def found_in_page(self, exchange: Exchange) -> list[tuple[str, str]]:
        """(URL, kind) of the requisites and attachments of an HTML page just archived in full."""
        if not (self.enabled[REQUISITE] or self.enabled[ATTACHMENT]):
            return []
        found = page_resources(exchange.body_decoded(), exchange.url,
                               charset_of(exchange.header("Content-Type")), self.homes)
        return ([(url, REQUISITE) for url in found.requisites]
                + [(url, ATTACHMENT) for url in found.attachments])

    def found_in_resource(self, item: FrontierItem, exchange: Exchange) -> list[tuple[str, str]]:
        """What a stylesheet loads; other requisites and attachments lead nowhere."""
        content_type = exchange.header("Content-Type")
        if item.kind != REQUISITE or not is_stylesheet(exchange.url, content_type):
            return []
        return [(url, REQUISITE) for url in stylesheet_requisites(exchange.body_decoded(), exchange.url,
                                                                  content_type)]

    def wanted(self, found: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
        """(URL, kind) for each found URL to queue: allowed and new (known ones are revalidated in their
        rotation, `crawler.revisit`; a URL known as a page stays a page)."""
        for url, kind in found:
            if not self.refusal(url, kind) and self.state.url(url) is None:
                yield url, kind
