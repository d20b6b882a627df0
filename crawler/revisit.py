"""The revisit policy: which known URLs tonight's crawl revalidates, and why.

A nightly refresh must find every new article and stay cheap. New articles
appear in a site's listings (home, category and numbered pages) and, on sites
that have one, in the sitemap; so those are read every night, and everything
else is revalidated in turn:

- sitemaps and feeds (`HUB_KINDS`) are read at every run;
- listing pages (`crawler.page_role`) are hubs: on a site whose sitemaps list
  its articles (`SITEMAP_COVERAGE` of the articles the crawl knows), the sitemap
  is the discovery path and only the first page of each list is read every night;
  on any other site every page of every list is, because a portal inserts a
  backdated article anywhere in a list and nowhere else, except the lists whose
  articles other lists read in full show (`crawler.covered_lists`: a category
  beside the main list), of which the first page is; a listing page that is an
  alias of another (the home page under a second address) is the other's copy;
- every other URL takes its turn in a rotation, one per kind, each with its own
  cycle (`cycles`: pages and attachments every `revisit_days`, page requisites
  every `requisite_revisit_days`): tonight's share is `count / cycle` (spread
  exactly over the cycle: the shares of `cycle` consecutive nights add up to the
  count), taken in the order of `next_visit`, so the URL waiting longest goes
  first. A missed night only shifts the queue by a night; nothing piles up, and
  URLs fetched together on the first crawl leave together a few each night
  instead of all on the same night a cycle later;
- what the crawl learns during the run makes a page due at once, outside the
  rotation (`crawler.crawl`): a sitemap `<lastmod>` or feed date newer than the
  last fetch, a page that left its sitemap, a new link;
- a URL the crawl never got an answer for is due again, outside the rotation,
  when its `next_visit` comes: at the next run for a page, and after 429 or 5xx;
  a cycle later for a requisite or attachment that failed otherwise (over its
  size cap, no answer).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from crawler.covered_lists import covered_lists
from crawler.page_role import ARTICLE, LISTING
from crawler.requisites import ATTACHMENT, REQUISITE
from crawler.state import UrlState
from tinphuong.listing import listing_key, numbered_page

HUB_KINDS = frozenset({"sitemap", "feed"})      # they list the pages: read at every run; the others rotate
SITEMAP_COVERAGE = 0.9       # sitemaps listing this share of the known articles are the discovery path
RECENT = timedelta(hours=12)  # rotation pages fetched this recently (by a run earlier tonight) count


@dataclass
class Known:
    """What the crawl state knows of a site besides its URLs: what its sitemaps list, what its listing
    pages showed, which URLs are aliases (URL → the URL its page is archived under)."""

    listed: set[str] = field(default_factory=set)
    shown: dict[str, set[str]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)


@dataclass
class Plan:
    """Tonight's revalidations of one site's known URLs."""

    sitemap_discovery: bool = False
    covered: set[str] = field(default_factory=set)        # lists of which the first page is enough
    hubs: list[UrlState] = field(default_factory=list)
    rotation: list[UrlState] = field(default_factory=list)
    other: list[UrlState] = field(default_factory=list)


def iso(when: datetime) -> str:
    """The crawl state's timestamp form: ISO 8601 UTC to the second."""
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def cycles(revisit_days: int, requisite_revisit_days: int) -> dict[str, int]:
    """The nights over which each kind of URL is revalidated once (0: every run, as sitemaps and feeds)."""
    return {"page": revisit_days, ATTACHMENT: revisit_days, REQUISITE: requisite_revisit_days,
            **dict.fromkeys(HUB_KINDS, 0)}


def plan(urls: Iterable[UrlState], known: Known, now: datetime, cycle: Mapping[str, int],
         run_id: int | None = None) -> Plan:
    """What to revalidate tonight among `urls` (a site's known URLs; `cycle`: the nights of each kind's
    rotation, as `cycles` gives them)."""
    urls = list(urls)
    result = Plan(sitemap_discovery=sitemap_lists_articles(urls, known.listed))
    if not result.sitemap_discovery:
        result.covered = covered_lists(known.shown, document_identity(urls, known.aliases))
    rotating: defaultdict[str, list[UrlState]] = defaultdict(list)
    for url in urls:
        if url.last_run is not None and url.last_run == run_id:
            continue
        if url.kind in HUB_KINDS or is_nightly_listing(url, result, known.aliases):
            result.hubs.append(url)
        elif never_answered(url):
            if url.next_visit is None or url.next_visit <= iso(now):
                result.other.append(url)
        else:
            rotating[url.kind].append(url)
    result.rotation = [due for kind, group in sorted(rotating.items())
                       for due in rotation(group, now, cycle[kind])]
    return result


def document_identity(urls: list[UrlState], aliases: Mapping[str, str]) -> Callable[[str], str | None]:
    """A link → the live article it shows (under the URL it is archived at), None for any other known
    URL (a listing, a page gone), the link itself when the crawl does not know it."""
    known = {u.url for u in urls}
    articles = {u.url: aliases.get(u.url, u.url) for u in urls if u.role == ARTICLE and not u.gone}
    return lambda link: articles.get(link) if link in known else link


def sitemap_lists_articles(urls: Iterable[UrlState], listed: set[str]) -> bool:
    """Whether the site's sitemaps list (nearly) every article the crawl knows of it."""
    articles = [u.url for u in urls if u.role == ARTICLE and not u.gone]
    return bool(articles) and sum(u in listed for u in articles) >= SITEMAP_COVERAGE * len(articles)


def is_nightly_listing(url: UrlState, tonight: Plan, aliases: Mapping[str, str]) -> bool:
    """A listing page read every night: any page of a list read in full, else only a first page; never
    an alias (its page is read under its own URL)."""
    if url.role != LISTING or url.gone or url.url in aliases:
        return False
    if not tonight.sitemap_discovery and listing_key(url.url) not in tonight.covered:
        return True
    numbered = numbered_page(url.url)
    return numbered is None or numbered.number <= 1


def never_answered(url: UrlState) -> bool:
    """A URL the crawl knows of but could never fetch (no answer, over its cap, 429, 5xx)."""
    return url.payload_digest is None and not url.gone and (url.status is None or url.status == 429
                                                              or url.status >= 500)


def rotation(rotating: list[UrlState], now: datetime, revisit_days: int) -> list[UrlState]:
    """Tonight's share of one kind's rotation: the URLs waiting longest, `share(...)` of them."""
    if revisit_days <= 0:
        return rotating
    since = iso(now - RECENT)
    done = sum(1 for u in rotating if u.last_fetched is not None and u.last_fetched >= since)
    waiting = sorted((u for u in rotating if u.last_fetched is None or u.last_fetched < since),
                     key=lambda u: (u.next_visit or "", u.url))
    return waiting[: max(0, share(len(rotating), revisit_days, night_number(now)) - done)]


def share(count: int, revisit_days: int, night: int) -> int:
    """Night `night`'s part of `count` pages spread over `revisit_days` nights (any consecutive
    `revisit_days` nights add up to `count`; each gets the floor or the ceiling of the mean)."""
    return (night + 1) * count // revisit_days - night * count // revisit_days


def night_number(now: datetime) -> int:
    """Which night `now` belongs to: days since 0001-01-01 (UTC)."""
    return now.date().toordinal()


def next_visit(now: datetime, revisit_days: int, answered: bool) -> str:
    """When a URL fetched `now` falls due again: after the cycle when the site answered, else next run."""
    return iso(now + timedelta(days=revisit_days) if answered else now)
