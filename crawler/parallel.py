"""Several sites at once: one thread per site, at most `crawl.concurrency` at a time.

Sites are independent: each has its own frontier, and `Politeness` keeps one
request at a time per host whichever thread asks, so a slow or dead site only
holds its own thread. What they share, the WARC file and the crawl state, is
written inside `CrawlRun.writing()` (one lock). The main thread only waits and
reports progress, so Ctrl-C and SIGTERM (a KeyboardInterrupt, raised there) end
the wait at once; `CrawlRun.stop()` then lets the transaction in progress finish
and no other start, and the site threads, daemons, end with the process.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator

from crawler.crawl import CrawlRun, SiteSummary
from tinphuong.config import SiteConfig

Progress = Callable[[Iterable[str]], Iterable[str]]
WAIT_SECONDS = 0.2       # how often the main thread wakes up while it waits (signals are handled then too)


def crawl_sites(run: CrawlRun, sites: list[SiteConfig], max_pages: int | None = None,
                progress: Progress | None = None, concurrency: int | None = None) -> list[SiteSummary]:
    """Crawl `sites`, `concurrency` (default: the configuration's) at a time; summaries in `sites` order.

    `progress` wraps the stream of processed pages, each given as its site's name.
    """
    todo: queue.SimpleQueue[SiteConfig] = queue.SimpleQueue()
    for site in sites:
        todo.put(site)
    events: queue.SimpleQueue[tuple[str, str | None]] = queue.SimpleQueue()   # (site, URL done | None: end)
    summaries: dict[str, SiteSummary] = {}

    def work() -> None:
        while not run.stopping:
            try:
                site = todo.get_nowait()
            except queue.Empty:
                return
            try:
                summaries[site.name] = run.crawl_site(
                    site, max_pages, wrap=lambda steps, name=site.name: _reported(steps, name, events))
            finally:
                events.put((site.name, None))

    workers = min(concurrency or run.config.crawl.concurrency, len(sites))
    for number in range(workers):
        threading.Thread(target=work, name=f"crawl-{number + 1}", daemon=True).start()
    for _ in (progress or iter)(_pages(events, len(sites))):
        pass
    return [summaries.get(site.name) or SiteSummary(site.name, failed="the crawl thread ended unexpectedly")
            for site in sites]


def _reported(steps: Iterable[str], site: str, events: queue.SimpleQueue) -> Iterator[str]:
    for url in steps:
        events.put((site, url))
        yield url


def _pages(events: queue.SimpleQueue, sites: int) -> Iterator[str]:
    """The name of the site of each processed page, until every site is done."""
    done = 0
    while done < sites:
        try:
            site, url = events.get(timeout=WAIT_SECONDS)
        except queue.Empty:
            continue
        if url is None:
            done += 1
        else:
            yield site
