"""The crawl: composes fetcher, robots, politeness, discovery, requisites, archive, state; no HTTP itself.

A `CrawlRun` is one `crawl`/`refresh` invocation: it recovers what a killed run
left, starts a run in the crawl state, and crawls sites one after the other
with `SiteCrawl`.

`SiteCrawl` works through the site's persistent frontier. Seeds are the start
URLs, the configured and robots.txt sitemaps, the feeds, and every known page
whose revisit is due. Hubs are due at every run so new articles are found:
start pages, pages one link away from them (the category and listing pages of
a ward portal), sitemaps, feeds, and the pages a sitemap or feed lists (the site
declares them current; ward CMSs rarely give a trustworthy `<lastmod>`, and a
conditional request that answers 304 costs little). Other pages are due
`revisit_days` after their last fetch. Due pages are revalidated with
conditional requests (ETag / Last-Modified). Each processed
URL is archived (fsynced) first and then noted in the crawl state in one
transaction, so a kill at any moment loses at most the URL in flight, which
stays in the frontier.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta

from crawler.discovery import html_links, is_skipped_file, parse_feed, parse_sitemap
from crawler.exchange import Exchange
from crawler.fetcher import Fetcher, FetchResult
from crawler.politeness import Politeness
from crawler.requisites import RESOURCE_KINDS, SiteResources
from crawler.robots import RobotsRules
from crawler.state import CrawlState, FrontierItem, UrlState, now_iso
from crawler.traps import TrapGuard, static_trap_reason
from crawler.warc_writer import Location, Revisit, WarcWriter, payload_digest, recover_open_files
from tinphuong.config import Config, SiteConfig
from tinphuong.http_response import GONE_STATUSES, SNIFF_BYTES, charset_of, is_html
from tinphuong.urls import canonicalize, host_of
from tinphuong.warc import IDENTICAL_PROFILE, NOT_MODIFIED_PROFILE, iso_seconds

log = logging.getLogger(__name__)

HUB_DEPTH = 1                     # pages this close to a start URL are revisited at every run
LISTED_DEPTH = 1                  # depth given to pages listed by a sitemap or feed (so: hubs)
SEED, NEW, REVISIT = 0, 1, 2      # frontier priorities: seeds first, then new pages, then revalidations

Wrap = Callable[[Iterable[str]], Iterable[str]]


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

    def line(self) -> str:
        text = (f"{self.site}: fetched {self.fetched}, new {self.new}, changed {self.changed}, "
                f"unchanged {self.unchanged}, gone {self.gone}, errors {self.errors}")
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
    """One crawl or refresh invocation over the archive of `config` (the caller holds the refresh lock)."""

    def __init__(self, config: Config, command: str = "crawl", backoff_base: float = 1.0,
                 total_seconds: float | None = None) -> None:
        self.config = config
        self.command = command
        self.backoff_base = backoff_base
        self.total_seconds = total_seconds
        self.summaries: list[SiteSummary] = []
        self._finished = False

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
        self._site_name = ""
        return self

    def archive_exchange(self, exchange: Exchange, site: str, revisit: Revisit | None = None) -> Location:
        """Write one exchange to the WARC file (as a revisit when `revisit` is given), add its capture."""
        location = self.warc_writer.write(exchange, site, revisit)
        self.state.add_capture(exchange.url, site, iso_seconds(location.date), exchange.status,
                               "revisit" if revisit else "response", location.warc_file, location.offset,
                               location.length, location.end)
        return location

    def _robots_fetched(self, result: FetchResult) -> None:
        """robots.txt answers are archived like pages: the archive shows what the crawl obeyed."""
        for exchange in result.exchanges:
            self.archive_exchange(exchange, self._site_name)

    def crawl_site(self, site: SiteConfig, max_pages: int | None = None,
                   wrap: Wrap | None = None) -> SiteSummary:
        """Crawl one site; an unexpected failure is added to the errors and reported, never raised."""
        crawl = SiteCrawl(self, site, max_pages)
        self._site_name = site.name
        try:
            for _ in (wrap or iter)(crawl.steps()):
                pass
        except Exception as error:  # noqa: BLE001 - one broken site must not stop the others
            log.exception("crawl of %s failed", site.name)
            crawl.summary.failed = f"{type(error).__name__}: {error}"
            self.state.add_error(site.name, None, f"crawl failed: {crawl.summary.failed}", self.run_id)
        self.summaries.append(crawl.summary)
        log.info("%s", crawl.summary.line())
        return crawl.summary

    def seal_archive(self) -> None:
        """Finish the WARC file being written, so that readers (the indexer) see everything crawled."""
        self.warc_writer.close()

    def finish(self, exit_status: int, extra: dict | None = None) -> None:
        """Close the WARC file and note the run as finished with `exit_status`."""
        self.warc_writer.close()
        summary = {s.site: s.as_dict() for s in self.summaries} | (extra or {})
        self.state.finish_run(self.run_id, summary, exit_status)
        self._finished = True

    def __exit__(self, exc_type: object, *exc: object) -> None:
        try:
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
        self.traps = TrapGuard()
        self.summary = SiteSummary(site.name)
        self.start_urls = [u for u in (canonicalize(s) for s in site.start_urls) if u]
        self.resources = SiteResources(run.config.crawl, site, run.state, run.run_id, self.start_urls)
        self._start_answered = False
        self._start_refusals: list[str] = []
        self._now = now_iso()

    # --- the loop ----------------------------------------------------------------------------------

    def steps(self) -> Iterator[str]:
        """Process frontier URLs until it is empty or the page cap is reached; yield each URL done."""
        self._seed()
        log.info("crawling %s: %d URL(s) queued, at most %d this run", self.site.name,
                 self.state.frontier_size(self.site.name), self.limit)
        processed = 0
        while processed < self.limit:
            item = self.state.next_in_frontier(self.site.name)
            if item is None:
                break
            refusal = self.scope(item.url, item.kind)
            if refusal:
                log.debug("skipping %s: %s", item.url, refusal)
                if item.url in self.start_urls:
                    self._start_refusals.append(f"{item.url}: {refusal}")
                self.state.dequeue(self.site.name, item.url)
                continue
            processed += 1
            try:
                self._process(item)
            except (OSError, sqlite3.Error):
                raise                      # the disk or the database: no point going on with this site
            except Exception as error:     # noqa: BLE001 - one hostile page must not stop the site
                log.exception("processing %s failed", item.url)
                self.summary.errors += 1
                self.state.add_error(self.site.name, item.url, f"{type(error).__name__}: {error}",
                                     self.run.run_id)
                self.state.dequeue(self.site.name, item.url)
            yield item.url
        if not self._start_answered and (processed or self._start_refusals):
            self._fail(self._start_refusals[0] if self._start_refusals else "no start URL could be fetched")
        if processed >= self.limit and self.state.frontier_size(self.site.name):
            log.info("%s: page cap %d reached; %d URL(s) wait for the next run", self.site.name, self.limit,
                     self.state.frontier_size(self.site.name))

    def _fail(self, reason: str) -> None:
        self.summary.failed = reason
        self.state.add_error(self.site.name, None, f"site failed: {reason}", self.run.run_id)

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
        sitemaps = list(self.site.sitemaps)
        for url in self.start_urls:
            if host_of(url) in self.site.allowed_hosts:
                sitemaps += self.run.robots.sitemaps(url)
        seeds = [(u, "page") for u in self.start_urls]
        seeds += [(u, "sitemap") for u in sitemaps] + [(u, "feed") for u in self.site.feeds]
        for raw, kind in seeds:
            url = canonicalize(raw)
            if url and self._not_fetched_this_run(url):
                self.state.enqueue(FrontierItem(self.site.name, url, 0, kind, None, SEED))
        for due in self.state.due_urls(self.site.name, self._now, self.run.run_id):
            self.state.enqueue(FrontierItem(self.site.name, due.url, due.depth, due.kind,
                                            due.discovered_via, REVISIT))

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
        with self.state.transaction():
            self._archive_result(item, result)
            self.state.dequeue(self.site.name, item.url)

    def _archive_result(self, item: FrontierItem, result: FetchResult) -> None:
        if item.url in self.start_urls and any(e.status < 500 for e in result.exchanges):
            self._start_answered = True
        final = result.final
        hops = result.exchanges if final is None else result.exchanges[:-1]
        for exchange in hops:
            self._archive_plain(item, exchange)
        if result.refused:
            log.debug("not following %s", result.refused)
        if result.error:
            self._error(item, result.error)
        if final is not None:
            self.summary.fetched += 1
            self._archive_final(item, final)

    def _archive_plain(self, item: FrontierItem, exchange: Exchange) -> None:
        """Archive a redirect (or other non-content answer) as a full response."""
        self.run.archive_exchange(exchange, self.site.name)
        self.state.save_url(replace(self._updated(item, exchange), next_visit=self._next_visit(item)))

    def _archive_final(self, item: FrontierItem, exchange: Exchange) -> None:
        item = self.resources.classify(item, exchange)
        known = self.state.url(exchange.url)
        status = exchange.status
        if status == 304 and known and known.payload_digest and (
                holder := self._holder(item, known, known.payload_digest)):
            self._revisit(item, exchange, known, NOT_MODIFIED_PROFILE, known.payload_digest, holder)
        elif status == 200:
            digest = payload_digest(exchange.body)
            if holder := self._holder(item, known, digest):
                self._revisit(item, exchange, known, IDENTICAL_PROFILE, digest, holder)
            else:
                self._content(item, exchange, known, digest)
            self._discover(item, exchange)
        elif status in GONE_STATUSES:
            self._archive_plain(item, exchange)
            archived = self.state.url(exchange.url)
            assert archived is not None
            self.state.save_url(replace(archived, gone=True))
            if known and known.payload_digest and not known.gone:
                self.summary.gone += 1
                log.info("gone: %s answered %d", exchange.url, status)
        else:
            self._archive_plain(item, exchange)
            if status >= 400 or status == 304:
                self._error(item, f"{exchange.url}: HTTP {status} {exchange.reason}".rstrip())

    def _holder(self, item: FrontierItem, known: UrlState | None, digest: str) -> tuple[str, str] | None:
        """(URL, WARC-Date) of the record already holding this payload, when there is one to refer to:
        the page's own last content; for requisites and attachments, any URL's."""
        if item.kind in RESOURCE_KINDS:
            return self.resources.holder(digest)
        if known and known.payload_digest == digest and known.content_date:
            return known.url, known.content_date
        return None

    def _revisit(self, item: FrontierItem, exchange: Exchange, known: UrlState | None, profile: str,
                 digest: str, holder: tuple[str, str]) -> None:
        revisit = Revisit(profile, holder[0], holder[1], digest)
        self.run.archive_exchange(exchange, self.site.name, revisit)
        updated = self._updated(item, exchange)
        self.state.save_url(replace(updated, status=200 if exchange.status == 304 else exchange.status,
                                    payload_digest=digest, content_date=holder[1], gone=False,
                                    next_visit=self._next_visit(item)))
        if known and known.payload_digest == digest:
            self.summary.unchanged += 1
        else:                                   # a new URL (or new content) whose payload is archived already
            self._count_content(known)

    def _content(self, item: FrontierItem, exchange: Exchange, known: UrlState | None, digest: str) -> None:
        location = self.run.archive_exchange(exchange, self.site.name)
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

    def _updated(self, item: FrontierItem, exchange: Exchange) -> UrlState:
        """The URL's state after this exchange (validators kept when a 304 does not repeat them)."""
        known = self.state.url(exchange.url)
        now = now_iso()
        base = known or UrlState(url=exchange.url, site=self.site.name, kind=item.kind, first_seen=now,
                                  depth=item.depth, discovered_via=item.via)
        keep = exchange.status == 304
        return replace(
            base, status=exchange.status, last_fetched=now, last_run=self.run.run_id,
            depth=min(base.depth, item.depth),
            etag=exchange.header("ETag") or (base.etag if keep else None),
            last_modified=exchange.header("Last-Modified") or (base.last_modified if keep else None))

    def _next_visit(self, item: FrontierItem) -> str:
        if item.kind in RESOURCE_KINDS:
            return self.resources.next_visit(item.kind)
        if item.kind != "page" or item.depth <= HUB_DEPTH:
            return now_iso()
        when = datetime.now(UTC) + timedelta(days=self.site.revisit_days)
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")

    def _error(self, item: FrontierItem, message: str) -> None:
        log.warning("%s: %s", self.site.name, message)
        self.summary.errors += 1
        self.state.add_error(self.site.name, item.url, message, self.run.run_id)
        if self.state.url(item.url) is None:
            now = now_iso()
            self.state.save_url(UrlState(url=item.url, site=self.site.name, kind=item.kind, first_seen=now,
                                          last_fetched=now, depth=item.depth,
                                          next_visit=self._next_visit(item) if item.kind in RESOURCE_KINDS
                                          else now,
                                          discovered_via=item.via, last_run=self.run.run_id))

    # --- discovery ---------------------------------------------------------------------------------

    def _discover(self, item: FrontierItem, exchange: Exchange) -> None:
        if item.kind in RESOURCE_KINDS:
            self._enqueue_resources(self.resources.found_in_resource(item, exchange), item)
        elif item.kind == "sitemap":
            sitemap = parse_sitemap(exchange.body_decoded(), exchange.url)
            self._enqueue(((u, None) for u in sitemap.sitemaps), 0, "sitemap", exchange.url)
            self._enqueue(((link.url, link.lastmod) for link in sitemap.pages), LISTED_DEPTH, "page",
                          exchange.url)
        elif item.kind == "feed":
            links = parse_feed(exchange.body_decoded())
            self._enqueue(((link.url, link.lastmod) for link in links), LISTED_DEPTH, "page", exchange.url)
        elif is_html(content_type := exchange.header("Content-Type"), exchange.body_decoded(SNIFF_BYTES)):
            links = html_links(exchange.body_decoded(), exchange.url, charset_of(content_type))
            self._enqueue(((u, None) for u in links.feeds), item.depth + 1, "feed", exchange.url)
            self._enqueue(((u, None) for u in links.pages), item.depth + 1, "page", exchange.url)
            self._enqueue_resources(self.resources.found_in_page(exchange), item)

    def _enqueue_resources(self, found: Iterable[tuple[str, str]], via: FrontierItem) -> None:
        for url, kind, new in self.resources.wanted(found):
            self.state.enqueue(FrontierItem(self.site.name, url, via.depth + 1, kind, via.url,
                                            NEW if new else REVISIT))

    def _enqueue(self, links: Iterable[tuple[str, str | None]], depth: int, kind: str, via: str) -> None:
        if depth > self.max_depth:
            return
        for url, lastmod in links:
            if host_of(url) not in self.site.allowed_hosts or (kind == "page" and is_skipped_file(url)):
                continue
            known = self.state.url(url)
            if known is None:
                priority = NEW
            elif known.last_run == self.run.run_id:
                continue
            elif self._due(known, lastmod) or depth < min(known.depth, HUB_DEPTH + 1):   # now a hub
                priority = REVISIT
            else:
                continue
            trap = self.traps.reason(url)
            if trap:
                log.debug("not queueing %s: %s", url, trap)
                continue
            self.state.enqueue(FrontierItem(self.site.name, url, depth, kind, via, priority))

    def _due(self, known: UrlState, lastmod: str | None) -> bool:
        if known.next_visit is None or known.next_visit <= self._now:
            return True
        return bool(lastmod and (known.last_fetched is None or lastmod > known.last_fetched))

