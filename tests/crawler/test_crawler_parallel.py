"""Several sites at once, on real loopback servers: the delay still holds per host, the sites overlap."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from crawler.crawl import CrawlRun
from crawler.parallel import crawl_sites
from tests.crawler.conftest import make_config
from tests.sites import TestSite


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
    small_site(slow, pages=1, delay=0.6)
    for site in fast:
        small_site(site)
    config = make_config(tmp_path, slow, *fast, crawl={"concurrency": 2})
    summaries = crawl(config)
    assert all(s.fetched == 4 for s in summaries[1:]) and summaries[0].fetched == 2
    assert max(site.requests[-1].time for site in fast) < slow.requests[-1].time   # done while it crawled
