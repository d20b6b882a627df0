"""Several sites at once, on real loopback servers: the delay still holds per host, the sites overlap."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from crawler.crawl import CrawlRun
from crawler.parallel import crawl_sites
from tests.crawler.conftest import make_config
from tests.sites import Response, TestSite


@pytest.fixture()
def sites() -> Iterator[list[TestSite]]:
    with ExitStack() as stack:
        yield [stack.enter_context(TestSite()) for _ in range(12)]


def small_site(site: TestSite, pages: int = 3, delay: float = 0.0) -> None:
    site.page("/", "".join(f'<a href="/bai-{i}">{i}</a>' for i in range(pages)), delay=delay)
    for i in range(pages):
        site.page(f"/bai-{i}", f"Bài số {i} của {site.base_url}", delay=delay)


def crawl(config, **options):
    with CrawlRun(config, backoff_base=0.05) as run:
        return crawl_sites(run, list(config.sites), **options)


def most_at_once(intervals: list[tuple[float, float]]) -> int:
    """The largest number of intervals that contain a common moment."""
    return max(sum(1 for start, end in intervals if start <= moment <= end) for moment, _ in intervals)


def test_twelve_sites_are_crawled_at_once_and_the_delay_holds_per_host(tmp_path, sites):
    for site in sites:
        small_site(site)
    config = make_config(tmp_path, *sites, crawl={"delay_seconds": 0.2, "concurrency": 8})
    summaries = crawl(config)

    assert [s.site for s in summaries] == [f"site-{i}" for i in range(12)]     # in the configuration's order
    assert all(s.fetched == 4 and s.new == 4 and not s.failed for s in summaries)
    for site in sites:
        times = [r.time for r in site.requests]
        assert len(times) == 5                                                   # robots.txt and 4 pages
        assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.19
    overlap = most_at_once([(s.requests[0].time, s.requests[-1].time) for s in sites])
    assert 4 <= overlap <= 8                      # sites crawled side by side, never more than `concurrency`


def test_a_slow_site_holds_no_other_back(tmp_path, sites):
    slow, *fast = sites[:4]
    release = threading.Event()

    def stuck(request):
        """The home page answers only when the test says so; robots.txt at once (404)."""
        if request.path == "/robots.txt":
            return Response(404)
        release.wait(60)
        return Response(200, "<html><body>trang chủ</body></html>".encode(), {"Content-Type": "text/html"})

    slow.handler("/", stuck)
    for site in fast:
        small_site(site)
    config = make_config(tmp_path, slow, *fast, crawl={"concurrency": 2, "timeout_seconds": 60})
    done: list = []
    crawler = threading.Thread(target=lambda: done.append(crawl(config)))
    crawler.start()
    try:
        deadline = time.monotonic() + 60                       # a guard against a hang, not a measure
        while sum(len(site.requests) for site in fast) < 15 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert [len(site.requests) for site in fast] == [5, 5, 5]     # crawled one after the other...
        assert [r.path for r in slow.requests] == ["/robots.txt", "/"] and crawler.is_alive()
    finally:                                                   # ...while the slow site's page was in flight
        release.set()
        crawler.join(60)
    [summaries] = done
    assert [s.fetched for s in summaries] == [1, 4, 4, 4]
