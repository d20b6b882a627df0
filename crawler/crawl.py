"""The crawl: composes fetcher, robots, politeness, discovery, requisites, archive, state; no HTTP itself.

A `CrawlRun` is one `crawl`/`refresh` invocation: it recovers what a killed run
left, starts a run in the crawl state, and crawls sites (several at once with
`crawler.parallel`; one request at a time per host all the same, by
`Politeness`).

`SiteCrawl` works through the site's persistent frontier. Seeds are the start
URLs, the configured and robots.txt sitemaps and the feeds; then what the
revisit policy (`crawler.revisit`) makes due tonight: listing pages and sitemaps
at every run, a fixed share of the other pages. What a sitemap or feed says
during the run makes a page due at once (a `<lastmod>` newer than our last
fetch, a page that left the sitemap); a new link is always followed. Due pages
are revalidated with conditional requests (ETag / Last-Modified). What a page
loads and links (images, stylesheets, fonts, documents) is queued under the
kinds of `crawler.requisites`.

One page under several URLs is archived and indexed once: a `<link
rel="canonical">` to another URL of the site makes the page an alias of it, and
a body byte-identical to another URL's is written as a revisit of that URL; the
response record names the URL the page is indexed under (`CANONICAL_HEADER`),
and the alias is noted in the crawl state.

Each processed URL is archived (fsynced) first and then noted in the crawl state
in one transaction, so a kill at any moment loses at most the URLs in flight,
which stay in the frontier.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from urllib.parse import urlsplit

from crawler import revisit
from crawler.clock import Clock, utc_now
from crawler.discovery import Link, PageLinks, html_links, is_skipped_file, parse_feed, parse_sitemap
from crawler.exchange import Exchange
from crawler.fetcher import Fetcher, FetchResult
from crawler.page_role import LISTING, role_of
from crawler.pagination import Pagination
from crawler.politeness import Politeness
from crawler.requisites import RESOURCE_KINDS, SiteResources
from crawler.robots import RobotsRules
from crawler.state import CANONICAL_LINK, IDENTICAL, MOVED, Alias, CrawlState, FrontierItem, UrlState
from crawler.traps import TrapGuard, static_trap_reason
from crawler.warc_writer import Location, Revisit, WarcWriter, payload_digest, recover_open_files
from tinphuong.config import Config, SiteConfig
from tinphuong.http_response import GONE_STATUSES, SNIFF_BYTES, charset_of, is_html
from tinphuong.listing import is_listing_url
from tinphuong.urls import canonicalize, host_of
from tinphuong.warc import IDENTICAL_PROFILE, MOVED_STATUSES, NOT_MODIFIED_PROFILE, iso_seconds

log = logging.getLogger(__name__)

LISTED_DEPTH = 1                  # depth given to pages listed by a sitemap or feed
LASTMOD_DOUBT = 50                # more pages than this (and than half) dated as changed: dates ignored
# Frontier priorities, served in this order: seeds, hubs due tonight, new pages, pages a sitemap or feed
# says changed, then the rotation.
SEED, HUB, NEW, CHANGED, REVISIT = 0, 1, 2, 3, 4

Wrap = Callable[[Iterable[str]], Iterable[str]]


def listed_links(page: PageLinks | None, role: str) -> list[str]:
    """What a listing page lists, for `crawler.covered_lists`: its links but to other listing pages."""
    if page is None or role != LISTING:
        return []
    return [url for url in page.pages if not is_listing_url(url)]


class CrawlStopped(Exception):
    """The run is stopping (Ctrl-C, SIGTERM): nothing more is written; what is in flight stays queued."""


@dataclass
class SiteSummary:
    """What one site's crawl did; `failed` says why the site as a whole failed (exit status 1)."""

    site: str
    fetched: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    gone: int = 0
    errors: int = 0
    failed: str | None = None
    backed_off: str | None = None     # why the crawl left the site's host alone for the rest of the run

    def line(self) -> str:
        text = (f"{self.site}: fetched {self.fetched}, new {self.new}, changed {self.changed}, "
                f"unchanged {self.unchanged}, gone {self.gone}, errors {self.errors}")
        text += f" — backed off: {self.backed_off}" if self.backed_off else ""
        return text + (f" — FAILED: {self.failed}" if self.failed else "")

    def as_dict(self) -> dict:
        return asdict(self)


def total(summaries: Iterable[SiteSummary]) -> SiteSummary:
    """The sum of the counts of several sites (for the last summary line)."""
    result = SiteSummary("total")
    for summary in summaries:
        for name in ("fetched", "new", "changed", "unchanged", "gone", "errors"):
            setattr(result, name, getattr(result, name) + getattr(summary, name))
    return result


class CrawlRun:
    """One crawl or refresh invocation over the archive of `config` (the caller holds the refresh lock).

    Sites may be crawled from several threads at once (`crawler.parallel`): the
    archive and the state are written inside `writing()`, under the state's lock,
    and `stop()` makes every later write raise CrawlStopped.
    """

    def __init__(self, config: Config, command: str = "crawl", backoff_base: float = 1.0,
                 total_seconds: float | None = None, clock: Clock = utc_now) -> None:
        self.config = config
        self.command = command
        self.backoff_base = backoff_base
        self.total_seconds = total_seconds
        self.clock = clock                # the revisit policy's time (tests simulate nights with it)
        self.summaries: list[SiteSummary] = []
        self.stopping = False
        self._finished = False
        self._local = threading.local()

    def __enter__(self) -> CrawlRun:
        archive_dir = self.config.storage.archive_dir
        self.state = CrawlState.open(archive_dir)
        recovered = recover_open_files(archive_dir, self.state.warc_ends())
        if recovered:
            log.warning("finished %d WARC file(s) left open by an interrupted run", len(recovered))
        self.run_id = self.state.start_run(self.command)
        crawl = self.config.crawl
        self.politeness = Politeness(crawl.delay_seconds, backoff_base=self.backoff_base)
        self.fetcher = Fetcher(crawl, self.politeness, total_seconds=self.total_seconds)
        self.robots = RobotsRules(self.fetcher, self.politeness, crawl.user_agent,
                                  on_fetched=self._robots_fetched)
        self.warc_writer = WarcWriter(archive_dir)
        return self

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One transaction of archive records and state changes, alone; CrawlStopped once stopping."""
        with self.state.lock:
            if self.stopping:
                raise CrawlStopped
            with self.state.transaction():
                yield

    def archive_exchange(self, exchange: Exchange, site: str, revisit: Revisit | None = None,
                         canonical: str | None = None) -> Location:
        """Write one exchange to the WARC file (as a revisit when `revisit` is given), add its capture."""
        with self.writing():
            location = self.warc_writer.write(exchange, site, revisit, canonical)
            self.state.add_capture(exchange.url, site, iso_seconds(location.date), exchange.status,
                                   "revisit" if revisit else "response", location.warc_file, location.offset,
                                   location.length, location.end)
        return location

    def _robots_fetched(self, result: FetchResult) -> None:
        """robots.txt answers are archived like pages: the archive shows what the crawl obeyed."""
        for exchange in result.exchanges:
            self.archive_exchange(exchange, getattr(self._local, "site", ""))

    def crawl_site(self, site: SiteConfig, max_pages: int | None = None,
                   wrap: Wrap | None = None) -> SiteSummary:
        """Crawl one site; an unexpected failure is added to the errors and reported, never raised."""
        crawl = SiteCrawl(self, site, max_pages)
        self._local.site = site.name
        try:
            for _ in (wrap or iter)(crawl.steps()):
                pass
        except CrawlStopped:
            log.info("%s: stopped; what is queued waits for the next run", site.name)
        except Exception as error:  # noqa: BLE001 - one broken site must not stop the others
            log.exception("crawl of %s failed", site.name)
            crawl.summary.failed = f"{type(error).__name__}: {error}"
            self.note_error(site.name, None, f"crawl failed: {crawl.summary.failed}")
        self.summaries.append(crawl.summary)
        log.info("%s", crawl.summary.line())
        return crawl.summary

    def note_error(self, site: str, url: str | None, message: str) -> None:
        try:
            with self.writing():
                self.state.add_error(site, url, message, self.run_id)
        except CrawlStopped:
            pass

    def stop(self) -> None:
        """No more writes from any site's thread; the transaction in progress, if any, completes first."""
        with self.state.lock:
            self.stopping = True

    def seal_archive(self) -> None:
        """Finish the WARC file being written, so that readers (the indexer) see everything crawled."""
        with self.state.lock:
            self.warc_writer.close()

    def finish(self, exit_status: int, extra: dict | None = None) -> None:
        """Close the WARC file and note the run as finished with `exit_status`."""
        with self.state.lock:
            self.warc_writer.close()
            summary = {s.site: s.as_dict() for s in self.summaries} | (extra or {})
            self.state.finish_run(self.run_id, summary, exit_status)
            self._finished = True

    def __exit__(self, exc_type: object, *exc: object) -> None:
        try:
            self.stop()
            if not self._finished:
                self.finish(1 if exc_type else 0)
        finally:
            self.fetcher.close()
            self.state.close()


class SiteCrawl:
    """The crawl of one site within a run."""

    def __init__(self, run: CrawlRun, site: SiteConfig, max_pages: int | None = None) -> None:
        self.run = run
        self.site = site
        self.state = run.state
        self.limit = max_pages or site.max_pages
        self.max_depth = run.config.crawl.max_depth
        self.cycles = revisit.cycles(site.revisit_days, run.config.crawl.requisite_revisit_days)
        self.traps = TrapGuard()
        self.pagination = Pagination()
        self.summary = SiteSummary(site.name)
        self.start_urls = [u for u in (canonicalize(s) for s in site.start_urls) if u]
        self.resources = SiteResources(run.config.crawl, site, run.state, self.start_urls)
        self._start_answered = False
        self._start_refusals: list[str] = []
        self._now = revisit.iso(run.clock())

    # --- the loop ----------------------------------------------------------------------------------

    def steps(self) -> Iterator[str]:
        """Process frontier URLs until it is empty or the page cap is reached; yield each URL done."""
        self._seed()
        log.info("crawling %s: %d URL(s) queued, at most %d this run", self.site.name,
                 self.state.frontier_size(self.site.name), self.limit)
        processed = 0
        while processed < self.limit and not self.run.stopping:
            item = self.state.next_in_frontier(self.site.name)
            if item is None:
                break
            refusal = self.scope(item.url, item.kind)
            if refusal:
                log.debug("skipping %s: %s", item.url, refusal)
                if item.url in self.start_urls:
                    self._start_refusals.append(f"{item.url}: {refusal}")
                with self.run.writing():
                    self.state.dequeue(self.site.name, item.url)
                continue
            processed += 1
            try:
                self._process(item)
            except (OSError, sqlite3.Error, CrawlStopped):
                raise                      # the disk or the database, or the run ends: this site stops
            except Exception as error:     # noqa: BLE001 - one hostile page must not stop the site
                log.exception("processing %s failed", item.url)
                self.summary.errors += 1
                with self.run.writing():
                    self.state.add_error(self.site.name, item.url, f"{type(error).__name__}: {error}",
                                         self.run.run_id)
                    self.state.dequeue(self.site.name, item.url)
            yield item.url
            if self._backed_off(item.url):
                break
        if self.summary.backed_off is None:
            any(self._backed_off(url) for url in self.start_urls)      # robots.txt was refused, say
        if not self._start_answered and (processed or self._start_refusals):
            self._fail(self._start_refusals[0] if self._start_refusals else "no start URL could be fetched")
        if processed >= self.limit and self.state.frontier_size(self.site.name):
            log.info("%s: page cap %d reached; %d URL(s) wait for the next run", self.site.name, self.limit,
                     self.state.frontier_size(self.site.name))

    def _fail(self, reason: str) -> None:
        self.summary.failed = reason
        self.run.note_error(self.site.name, None, f"site failed: {reason}")

    def _backed_off(self, url: str) -> bool:
        """Whether the host of `url` is left alone for the rest of the run (then so is the site)."""
        reason = self.run.politeness.given_up(urlsplit(url).netloc.lower())
        if reason is None:
            return False
        self.summary.backed_off = f"{host_of(url)}: {reason}"
        log.warning("%s: backing off %s for the rest of this run (%s); %d URL(s) wait for the next run",
                    self.site.name, host_of(url), reason, self.state.frontier_size(self.site.name))
        self.run.note_error(self.site.name, None,
                             f"backed off for the rest of the run: {self.summary.backed_off}")
        return True

    def scope(self, url: str, kind: str = "page") -> str | None:
        """Why `url` may not be fetched for this site (None when it may): hosts, robots.txt, traps."""
        if kind in RESOURCE_KINDS:
            refusal = self.resources.refusal(url, kind)
            if refusal:
                return refusal
        elif host_of(url) not in self.site.allowed_hosts:
            return f"host {host_of(url)!r} is not in allowed_hosts"
        trap = static_trap_reason(url)
        if trap:
            return f"crawler trap: {trap}"
        return self.run.robots.refusal(url)

    def _seed(self) -> None:
        """Queue the start URLs, sitemaps and feeds, and what the revisit policy makes due tonight."""
        sitemaps = list(self.site.sitemaps)
        for url in self.start_urls:
            if host_of(url) in self.site.allowed_hosts:
                sitemaps += self.run.robots.sitemaps(url)
        seeds = [(u, "page") for u in self.start_urls]
        seeds += [(u, "sitemap") for u in sitemaps] + [(u, "feed") for u in self.site.feeds]
        name = self.site.name
        known = revisit.Known(self.state.listed_in_sitemaps(name), self.state.listing_links(name),
                              self.state.site_aliases(name))
        plan = revisit.plan(self.state.site_urls(name), known, self.run.clock(), self.cycles, self.run.run_id)
        with self.run.writing():
            for raw, kind in seeds:
                url = canonicalize(raw)
                if url and self._not_fetched_this_run(url):
                    self.state.enqueue(FrontierItem(self.site.name, url, 0, kind, None, SEED))
            for urls, priority in ((plan.hubs, HUB), (plan.rotation, REVISIT), (plan.other, REVISIT)):
                for due in urls:
                    self.state.enqueue(FrontierItem(self.site.name, due.url, due.depth, due.kind,
                                                    due.discovered_via, priority))
        log.info("%s: %d hub(s) and %d of the other page(s) due tonight; new articles are found %s",
                 self.site.name, len(plan.hubs), len(plan.rotation) + len(plan.other),
                 "through the sitemaps" if plan.sitemap_discovery else
                 f"through every page of the listings but {len(plan.covered)} that others show in full")

    def _not_fetched_this_run(self, url: str) -> bool:
        known = self.state.url(url)
        return known is None or known.last_run != self.run.run_id

    # --- one URL -----------------------------------------------------------------------------------

    def _process(self, item: FrontierItem) -> None:
        known = self.state.url(item.url)
        validators = known if known and known.payload_digest and not known.gone else None
        result = self.run.fetcher.fetch(
            item.url, etag=validators.etag if validators else None,
            last_modified=validators.last_modified if validators else None,
            scope=lambda url: self.scope(url, item.kind), max_bytes=self.resources.max_bytes(item.kind))
        page = self._html_links(item, result.final)        # parsed before the state's lock is taken
        with self.run.writing():
            self._archive_result(item, result, page)
            self.state.dequeue(self.site.name, item.url)

    def _archive_result(self, item: FrontierItem, result: FetchResult, page: PageLinks | None) -> None:
        if item.url in self.start_urls and any(e.status < 500 for e in result.exchanges):
            self._start_answered = True
        final = result.final
        hops = result.exchanges if final is None else result.exchanges[:-1]
        for exchange, after in zip(hops, [*result.exchanges[1:], None], strict=False):
            self._archive_plain(item, exchange, self._moved_to(item, exchange, after))
        if result.refused:
            log.debug("not following %s", result.refused)
        if result.error:
            self._error(item, result.error)
        if final is not None:
            self.summary.fetched += 1
            self._archive_final(item, final, page)

    def _archive_plain(self, item: FrontierItem, exchange: Exchange, canonical: str | None = None) -> None:
        """Archive a redirect (or other non-content answer) as a full response."""
        self.run.archive_exchange(exchange, self.site.name, canonical=canonical)
        answered = exchange.status < 500 and exchange.status != 429
        self.state.save_url(replace(self._updated(item, exchange),
                                    next_visit=self._next_visit(item, answered)))

    def _archive_final(self, item: FrontierItem, exchange: Exchange, page: PageLinks | None) -> None:
        item = self.resources.classify(item, exchange)
        known = self.state.url(exchange.url)
        status = exchange.status
        if status == 304 and known and known.payload_digest and (
                holder := self._holder(item, known, known.payload_digest)):
            self._revisit(item, exchange, known, NOT_MODIFIED_PROFILE, known.payload_digest, holder,
                          self.state.alias_of(exchange.url))
        elif status == 200:
            role = self._role(exchange.url, page)
            root = self._identity(exchange.url, page, role)
            digest = payload_digest(exchange.body)
            if holder := self._holder(item, known, digest):
                self._revisit(item, exchange, known, IDENTICAL_PROFILE, digest, holder, root)
            elif item.kind == "page" and (twin := self.state.twin(self.site.name, digest, exchange.url)):
                self._duplicate(item, exchange, known, twin, digest, root)
            else:
                self._content(item, exchange, known, digest, root)
            if role:
                self.state.save_url(replace(self.state.url(exchange.url), role=role))
                self.state.set_listing_links(self.site.name, exchange.url, listed_links(page, role))
            self._discover(item, exchange, page)
        elif status in GONE_STATUSES:
            self._archive_plain(item, exchange)
            archived = self.state.url(exchange.url)
            assert archived is not None
            self.state.save_url(replace(archived, gone=True))
            self.state.set_listing_links(self.site.name, exchange.url, [])
            if item.kind == "sitemap":
                self.state.forget_sitemap(exchange.url)
            if known and known.payload_digest and not known.gone:
                self.summary.gone += 1
                log.info("gone: %s answered %d", exchange.url, status)
        else:
            self._archive_plain(item, exchange)
            if status >= 400 or status == 304:
                self._error(item, f"{exchange.url}: HTTP {status} {exchange.reason}".rstrip())

    def _holder(self, item: FrontierItem, known: UrlState | None, digest: str) -> tuple[str, str] | None:
        """(URL, WARC-Date) of the record already holding this payload, when there is one to refer to:
        the URL's own last content; for requisites and attachments, any URL's. (A page with the bytes
        of another page is a `_duplicate`: which page it is matters to the index.)"""
        if item.kind in RESOURCE_KINDS:
            return self.resources.holder(digest)
        if known and known.payload_digest == digest and known.content_date:
            return known.url, known.content_date
        return None

    def _revisit(self, item: FrontierItem, exchange: Exchange, known: UrlState | None, profile: str,
                 digest: str, holder: tuple[str, str], canonical: str | None) -> None:
        revisit_of = Revisit(profile, holder[0], holder[1], digest)
        self.run.archive_exchange(exchange, self.site.name, revisit_of, canonical)
        updated = self._updated(item, exchange)
        self.state.save_url(replace(updated, status=200 if exchange.status == 304 else exchange.status,
                                    payload_digest=digest, content_date=holder[1], gone=False,
                                    next_visit=self._next_visit(item)))
        if known and known.payload_digest == digest:
            self.summary.unchanged += 1
        else:                                   # a new URL (or new content) whose payload is archived already
            self._count_content(known)

    def _content(self, item: FrontierItem, exchange: Exchange, known: UrlState | None, digest: str,
                 canonical: str | None) -> None:
        location = self.run.archive_exchange(exchange, self.site.name, canonical=canonical)
        self.resources.archived(item, exchange.url, digest, location.date)
        updated = self._updated(item, exchange)
        self.state.save_url(replace(updated, payload_digest=digest, content_date=location.date, gone=False,
                                    next_visit=self._next_visit(item)))
        self._count_content(known)

    def _count_content(self, known: UrlState | None) -> None:
        if known and known.payload_digest:
            self.summary.changed += 1
        else:
            self.summary.new += 1

    def _duplicate(self, item: FrontierItem, exchange: Exchange, known: UrlState | None, twin: UrlState,
                   digest: str, root: str | None) -> None:
        """Bytes another URL of the site already serves: written once, as a revisit of that URL's record.

        A URL met for the first time this way becomes an alias of the twin's page, for good (a URL
        keeps the identity it was first given, so the page's edits reach one document whichever of
        its URLs is fetched first). A page with content of its own that now shows another page's
        bytes (an error page served with 200, a placeholder) stays its own document. The URL keeps
        no digest of its own: its record holds no payload.
        """
        twin_root = self.state.alias_of(twin.url) or twin.url
        if root is None and twin_root != exchange.url and not (known and known.payload_digest):
            root = twin_root
            self.state.add_alias(exchange.url, self.site.name, root, IDENTICAL)
            log.info("%s serves the same bytes as %s: archived and indexed as one page", exchange.url,
                     twin.url)
        same = Revisit(IDENTICAL_PROFILE, twin.url, twin.content_date or "", digest)
        self.run.archive_exchange(exchange, self.site.name, same, root)
        self.state.save_url(replace(self._updated(item, exchange), payload_digest=None, content_date=None,
                                    gone=False, next_visit=self._next_visit(item)))
        self.summary.unchanged += 1

    def _updated(self, item: FrontierItem, exchange: Exchange) -> UrlState:
        """The URL's state after this exchange (validators kept when a 304 does not repeat them)."""
        known = self.state.url(exchange.url)
        now = revisit.iso(self.run.clock())
        base = known or UrlState(url=exchange.url, site=self.site.name, kind=item.kind, first_seen=now,
                                  depth=item.depth, discovered_via=item.via)
        keep = exchange.status == 304
        return replace(
            base, status=exchange.status, last_fetched=now, last_run=self.run.run_id,
            depth=min(base.depth, item.depth),
            etag=exchange.header("ETag") or (base.etag if keep else None),
            last_modified=exchange.header("Last-Modified") or (base.last_modified if keep else None))

    def _next_visit(self, item: FrontierItem, answered: bool = True) -> str:
        return revisit.next_visit(self.run.clock(), self.cycles[item.kind], answered)

    def _error(self, item: FrontierItem, message: str) -> None:
        log.warning("%s: %s", self.site.name, message)
        self.summary.errors += 1
        self.state.add_error(self.site.name, item.url, message, self.run.run_id)
        if self.state.url(item.url) is None:
            now = revisit.iso(self.run.clock())
            self.state.save_url(UrlState(url=item.url, site=self.site.name, kind=item.kind, first_seen=now,
                                          last_fetched=now, depth=item.depth,
                                          next_visit=self._next_visit(item) if item.kind in RESOURCE_KINDS
                                          else now,
                                          discovered_via=item.via, last_run=self.run.run_id))

    # --- what a page is --------------------------------------------------------------------------

    def _html_links(self, item: FrontierItem, exchange: Exchange | None) -> PageLinks | None:
        """The links of a 200 HTML page (None for sitemaps, feeds, requisites, attachments, other content
        and other answers)."""
        if exchange is None or exchange.status != 200 or item.kind != "page":
            return None
        content_type = exchange.header("Content-Type")
        if not is_html(content_type, exchange.body_decoded(SNIFF_BYTES)):
            return None
        return html_links(exchange.body_decoded(), exchange.url, charset_of(content_type))

    def _role(self, url: str, page: PageLinks | None) -> str | None:
        if page is None:
            return None
        return role_of(url, page.pages, page.shape, start=url in self.start_urls)

    def _identity(self, url: str, page: PageLinks | None, role: str | None) -> str | None:
        """The URL the page is archived and indexed under when it is not `url` (None: its own).

        A `<link rel="canonical">` naming another article of the site is followed: not for listings
        (CMSs point every numbered page to the first), nor when it names a listing (a CMS pointing
        every page to the home page) or another host; the page is filed where the named URL is (an
        item URL may itself be a copy of the URL it was first met under). Without one, an earlier
        finding that the URL serves another page's bytes (or moved) holds. Aliases are noted in the
        state as they change.
        """
        alias = self.state.alias(url)
        target = page.canonical if page else None
        if target and (role == LISTING or not self._page_of_site(target)):
            target = None
        root = target and (self.state.alias_of(target) or target)    # the page the named URL is filed under
        if not root or root == url:
            if alias is not None and alias.reason == CANONICAL_LINK:
                self.state.remove_alias(url)
                return None
            return alias.canonical if alias else None
        if alias != Alias(root, CANONICAL_LINK):
            self.state.add_alias(url, self.site.name, root, CANONICAL_LINK)
        return root

    def _moved_to(self, item: FrontierItem, exchange: Exchange, after: Exchange | None) -> str | None:
        """The page a page moved to, when `exchange` says so: a permanent redirect (`after` is the answer
        of the URL it leads to) from a page archived with content under its own URL to another page of
        the site (not a listing, not a start page). The redirect record names that page, and the index
        merges the old URL's document into it (`indexer.writing.pipeline`); the URL is filed under it
        for good, as an alias.
        """
        if after is None or exchange.status not in MOVED_STATUSES or item.kind != "page":
            return None
        alias = self.state.alias(exchange.url)
        if alias is not None:
            return alias.canonical if alias.reason == MOVED else None
        known = self.state.url(exchange.url)
        target = after.url
        if (known is None or not known.payload_digest or known.role == LISTING or target == exchange.url
                or not self._page_of_site(target)):
            return None
        root = self.state.alias_of(target) or target
        if root == exchange.url:
            return None
        self.state.add_alias(exchange.url, self.site.name, root, MOVED)
        log.info("%s moved to %s: archived and indexed as one page", exchange.url, target)
        return root

    def _page_of_site(self, url: str) -> bool:
        """Whether `url` can be the identity of another page: a page of the site, not a list of pages."""
        return (host_of(url) in self.site.allowed_hosts and url not in self.start_urls
                and not is_listing_url(url))

    # --- discovery ---------------------------------------------------------------------------------

    def _discover(self, item: FrontierItem, exchange: Exchange, page: PageLinks | None) -> None:
        if item.kind in RESOURCE_KINDS:
            self._enqueue_resources(self.resources.found_in_resource(item, exchange), item)
        elif item.kind == "sitemap":
            sitemap = parse_sitemap(exchange.body_decoded(), exchange.url)
            self._enqueue(((u, None) for u in sitemap.sitemaps), 0, "sitemap", exchange.url)
            ours = [link for link in sitemap.pages if host_of(link.url) in self.site.allowed_hosts]
            pages = self._believed(ours, exchange.url)
            self._enqueue(((link.url, link.lastmod) for link in pages), LISTED_DEPTH, "page", exchange.url)
            self._recheck(self.state.list_in_sitemap(self.site.name, exchange.url, [p.url for p in pages]),
                          exchange.url)
        elif item.kind == "feed":
            links = parse_feed(exchange.body_decoded())
            self._enqueue(((link.url, link.lastmod) for link in links), LISTED_DEPTH, "page", exchange.url)
        elif page is not None:
            self._enqueue(((u, None) for u in page.feeds), item.depth + 1, "feed", exchange.url)
            pager = self.pagination.free_pages(exchange.url, page.pages)
            self._enqueue(((u, None) for u in pager), item.depth, "page", exchange.url)
            self._enqueue(((u, None) for u in page.pages if u not in pager), item.depth + 1, "page",
                          exchange.url)
            canonical = self.state.alias_of(exchange.url)
            if canonical:
                self._enqueue([(canonical, None)], item.depth, "page", exchange.url)
            self._enqueue_resources(self.resources.found_in_page(exchange), item)

    def _enqueue_resources(self, found: Iterable[tuple[str, str]], via: FrontierItem) -> None:
        for url, kind in self.resources.wanted(found):
            self.state.enqueue(FrontierItem(self.site.name, url, via.depth + 1, kind, via.url, NEW))

    def _believed(self, links: list[Link], sitemap: str) -> list[Link]:
        """The sitemap's entries, without their dates when the dates cannot be true.

        Some CMSs stamp every entry with the time of the request: believed, they would make every
        page due every night. A sitemap whose dates make most of the pages we know due at once is
        read for its URLs only (edits are then found by the rotation).
        """
        known = [(link, self.state.url(link.url)) for link in links]
        fetched = [(link, k) for link, k in known if k is not None and k.last_fetched]
        newer = sum(1 for link, k in fetched if link.lastmod and link.lastmod > (k.last_fetched or ""))
        if newer <= max(LASTMOD_DOUBT, len(fetched) // 2):
            return links
        log.warning("%s: %s dates %d of %d known pages as changed since our last fetch; its dates are "
                    "ignored this run", self.site.name, sitemap, newer, len(fetched))
        return [Link(link.url) for link in links]

    def _recheck(self, left: list[str], sitemap: str) -> None:
        """Pages that no sitemap lists any more are rechecked at once (removed, or moved)."""
        if left:
            log.info("%s: %d page(s) left %s; rechecking them now", self.site.name, len(left), sitemap)
        for url in left:
            known = self.state.url(url)
            if known is not None and known.last_run != self.run.run_id:
                self.state.enqueue(FrontierItem(self.site.name, url, known.depth, known.kind, sitemap,
                                                CHANGED))

    def _enqueue(self, links: Iterable[tuple[str, str | None]], depth: int, kind: str, via: str) -> None:
        if depth > self.max_depth:
            return
        for url, lastmod in links:
            if host_of(url) not in self.site.allowed_hosts or (kind == "page" and is_skipped_file(url)):
                continue
            priority = self._priority(self.state.url(url), kind, lastmod)
            if priority is None:
                continue
            trap = self.traps.reason(url)
            if trap:
                log.debug("not queueing %s: %s", url, trap)
                continue
            self.state.enqueue(FrontierItem(self.site.name, url, depth, kind, via, priority))

    def _priority(self, known: UrlState | None, kind: str, lastmod: str | None) -> int | None:
        """Whether (and how soon) a linked URL is fetched in this run; None when it is not due."""
        if known is None:
            return NEW
        if known.last_run == self.run.run_id:
            return None
        if kind in revisit.HUB_KINDS:
            return HUB
        if lastmod and (known.last_fetched is None or lastmod > known.last_fetched):
            return CHANGED                 # the sitemap or feed says it changed since our last fetch
        return None
