"""Day-two scenarios on generated ward sites (`tests.wardsite`): what a nightly refresh finds, and how it
copes with sites that go wrong. Each night is crawled with the site's own calendar as the clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from crawler.crawl import CrawlRun
from crawler.parallel import crawl_sites
from crawler.state import CrawlState
from tests.crawler.conftest import USER_AGENT
from tests.wardsite import WardSite
from tinphuong.config import Config, parse_config
from tinphuong.listing import is_category_url, listing_key, numbered_page
from tinphuong.urls import canonicalize
from tinphuong.warc import IDENTICAL_PROFILE, iter_responses


def config_for(tmp_path: Path, *sites: WardSite, **crawl) -> Config:
    settings = {"user_agent": USER_AGENT, "delay_seconds": 0, "timeout_seconds": 2, "max_retries": 1} | crawl
    entries = [site.config_entry(f"phuong-{i}", revisit_days=30) for i, site in enumerate(sites)]
    return parse_config({"storage": {"archive_dir": "archive", "index_dir": "index"}, "crawl": settings,
                         "sites": entries}, tmp_path / "config.toml")


def crawl_night(config: Config, site: WardSite, backoff_base: float = 0.05) -> list:
    """Crawl every configured site on the evening of `site`'s current day (after the day's changes)."""
    evening = datetime.combine(site.today.date, datetime.min.time(), UTC) + timedelta(hours=20)
    with CrawlRun(config, backoff_base=backoff_base, clock=lambda: evening) as run:
        return crawl_sites(run, list(config.sites))


def url_of(site: WardSite, article) -> str:
    return canonicalize(site.article_url(article))


def content_captures(state: CrawlState, url: str) -> int:
    """Full 200 responses archived for the page at `url`, under any of its URLs (the page may be filed
    under another URL it was first met under: a copy met late)."""
    page = state.alias_of(url) or url
    return sum(1 for u in [page, *state.aliases_of(page)] for c in state.captures(u)
               if c["kind"] == "response" and c["status"] == 200)


def test_without_a_sitemap_new_and_backdated_articles_are_found_the_next_night(tmp_path):
    with WardSite("aspnet", seed=3, articles=150) as site:
        config = config_for(tmp_path, site)
        crawl_night(config, site)
        with CrawlState.open(config.storage.archive_dir) as state:
            listings = {u.url for u in state.site_urls("phuong-0") if u.role == "listing"}
        categories = {url for url in listings if is_category_url(listing_key(url))}
        deeper = {url for url in categories if numbered_page(url) is not None}
        assert deeper                                              # categories of several pages
        day = site.advance()
        new = day.publish(2) + [day.backdate(listing_page=5),
                                day.backdate(listing_page=2, category="thong-bao")]
        edited, deleted = day.edit(), day.delete()
        with CrawlState.open(config.storage.archive_dir) as state:
            edits_before = content_captures(state, url_of(site, edited))

        [summary] = crawl_night(config, site)
        requested = {canonicalize(site.url(path)) for path in site.traffic().per_path()}
        home_alias = site.url("/Default.aspx")                    # the home page's second address
        assert listings - deeper - {home_alias} <= requested       # the main listing in full, and each
        assert len(deeper & requested) < len(deeper) / 2           # category's first page (same articles)
        with CrawlState.open(config.storage.archive_dir) as state:
            assert all(content_captures(state, url_of(site, a)) == 1 for a in new)
        assert summary.new >= 4 and summary.failed is None

        for _ in range(30):                                        # edits and removals: within revisit_days
            with CrawlState.open(config.storage.archive_dir) as state:
                if state.url(url_of(site, deleted)).gone and \
                        content_captures(state, url_of(site, edited)) > edits_before:
                    break
            site.advance()
            crawl_night(config, site)
        else:
            raise AssertionError("an edit or a deletion was not seen within 30 nights")


def test_with_a_sitemap_edits_and_deletions_are_seen_the_next_night_and_copies_indexed_once(tmp_path):
    with WardSite("wordpress", seed=5, articles=60, duplicate_every=10) as site:
        config = config_for(tmp_path, site)
        crawl_night(config, site)
        day = site.advance()
        new = day.publish(1) + [day.backdate(listing_page=4)]
        edited = [day.edit(part="title"), day.edit(part="body")]
        deleted = day.delete()

        [summary] = crawl_night(config, site)
        with CrawlState.open(config.storage.archive_dir) as state:
            assert all(content_captures(state, url_of(site, a)) == 1 for a in new)
            assert all(content_captures(state, url_of(site, a)) == 2 for a in edited)
            assert state.url(url_of(site, deleted)).gone
        assert summary.gone == 1

        copied = next(a for a in site.live() if a.id % 10 == 0)
        records = {r.url: r for r in iter_responses(config.storage.archive_dir)}
        main = url_of(site, copied)
        printed = records[canonicalize(site.article_url(copied, "print"))]
        alias = records[canonicalize(site.article_url(copied, "alias"))]
        assert printed.canonical == main                           # rel=canonical: indexed as the article
        assert {alias.canonical, records[main].canonical} & {main, alias.url, None}
        assert IDENTICAL_PROFILE in {alias.profile, records[main].profile}   # the same bytes stored once


def test_a_city_night_with_a_site_down_one_in_503_one_throttled_and_a_hanging_page(tmp_path):
    sites = [WardSite(style, seed=f"city-{i}", articles=15) for i, style in
             enumerate(("aspnet", "wordpress", "aspnet", "wordpress"))]
    for site in sites:
        site.start()
    try:
        down, unavailable, throttled, hanging = sites
        config = config_for(tmp_path, *sites, delay_seconds=0.05, timeout_seconds=1, max_retries=2)
        crawl_night(config, down)
        days = [site.advance() for site in sites]
        days[0].down()
        days[1].unavailable(retry_after=3600)
        throttled.throttle(count=2, retry_after=2, http_date=True)
        category = hanging.listing_url(1, category=hanging.ward.beats[0].slug)     # read every night
        stuck = hanging.url(days[3].hang(category.removeprefix(hanging.base_url)))

        summaries = crawl_night(config, down, backoff_base=0.01)
        assert "robots.txt unavailable" in summaries[0].failed and "refused" in summaries[0].failed
        assert "Retry-After" in summaries[1].backed_off and summaries[1].failed     # 503 for an hour
        assert [r.status for r in unavailable.traffic().requests] == [503]          # asked once, then left
        assert summaries[2].failed is None and summaries[2].errors == 0
        first, second, third = throttled.traffic().requests[:3]
        assert (first.status, second.status, third.status) == (429, 429, 200)
        assert second.time - first.time >= 0.95 and third.time - second.time >= 0.95   # an HTTP date, 2 s on
        assert summaries[3].failed is None and summaries[3].errors == 1      # the hanging page only
        assert summaries[3].fetched > 5
        assert all(site.traffic().min_gap() >= 0.05 for site in sites)
        with CrawlState.open(config.storage.archive_dir) as state:
            errors = state.recent_errors(20)
        assert any(e.url == canonicalize(stuck) and "connection failed" in e.message for e in errors)
        assert any(e.site == "phuong-1" and "backed off for the rest of the run" in e.message for e in errors)
    finally:
        for site in sites:
            site.stop()


def test_a_listing_of_160_pages_behind_a_windowed_pager_is_read_to_its_end_on_the_first_crawl(tmp_path):
    """Each next page of a list is a click away from the one before; were it counted as one, a pager
    that shows four pages either side would leave the middle of a long list beyond max_depth."""
    with WardSite("aspnet", seed=11, articles=160, per_page=1) as site:
        config = config_for(tmp_path, site, max_depth=4, requisites=False, attachments=False)
        [summary] = crawl_night(config, site)
        assert summary.failed is None
        with CrawlState.open(config.storage.archive_dir) as state:
            known = {u.url for u in state.site_urls("phuong-0") if u.status == 200}
        assert site.listing_url(160) in known and site.listing_url(80) in known
        assert {url_of(site, a) for a in site.live()} <= known
