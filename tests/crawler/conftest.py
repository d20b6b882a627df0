"""Fixtures of the crawler tests: test sites on 127.0.0.1 and configurations pointing at them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.crawl import CrawlRun, SiteSummary
from tests.sites import TestSite
from tinphuong.config import Config, parse_config

USER_AGENT = "TinPhuongTest/1.0 (+mailto:test@example.invalid)"


@pytest.fixture()
def site() -> Iterator[TestSite]:
    with TestSite() as test_site:
        yield test_site


@pytest.fixture()
def other_site() -> Iterator[TestSite]:
    """A second server, reached as `localhost` so that its host differs from `site`'s."""
    with TestSite() as test_site:
        yield test_site


def make_config(tmp_path: Path, *sites: TestSite, crawl: dict | None = None, **site_options) -> Config:
    """A configuration with one [[sites]] entry per test site (named site-0, site-1, ...)."""
    entries = []
    for i, test_site in enumerate(sites):
        entry = {"name": f"site-{i}", "title": f"Site {i}", "start_urls": [test_site.url("/")]}
        entry.update(site_options)
        entries.append(entry)
    settings = {"user_agent": USER_AGENT, "delay_seconds": 0, "timeout_seconds": 2, "max_retries": 1}
    settings.update(crawl or {})
    raw = {"storage": {"archive_dir": "archive", "index_dir": "index"}, "crawl": settings, "sites": entries}
    return parse_config(raw, tmp_path / "config.toml")


def run_crawl(config: Config, max_pages: int | None = None, **run_options) -> list[SiteSummary]:
    """One crawl run over every configured site, with quick back-off for tests."""
    run_options.setdefault("backoff_base", 0.05)
    with CrawlRun(config, **run_options) as run:
        return [run.crawl_site(site, max_pages) for site in config.sites]
