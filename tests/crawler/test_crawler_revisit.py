"""The revisit policy on real loopback portals, night after simulated night (an injected clock, no sleeping).

What is fetched each night is read from the server's request log.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from crawler.revisit import share
from crawler.state import CrawlState
from tests.crawler.conftest import make_config, run_crawl
from tests.crawler.portal import CATEGORY, LISTING, Portal
from tests.media import pdf, png

FIRST_NIGHT = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def night(number: int):
    """The clock of the crawl `number` nights after the first one (at the same hour)."""
    return lambda: FIRST_NIGHT + timedelta(days=number)


def crawl_night(config, site, number: int):
    """Crawl on night `number`; return its summary and the paths requested that night."""
    before = len(site.requests)
    [summary] = run_crawl(config, clock=night(number))
    return summary, site.paths()[before:]


def rotating(config, site) -> list[str]:
    """The paths of the known pages that take turns: every page but the listings."""
    with CrawlState.open(config.storage.archive_dir) as state:
        return [u.url.removeprefix(site.base_url) for u in state.site_urls("site-0")
                if u.kind == "page" and u.role != "listing"]


def one_share(count: int, days: int = 30) -> range:
    """How many of `count` URLs one night revalidates in a cycle of `days` nights (30: revisit_days)."""
    return range(count // days, -(-count // days) + 1)


def test_without_a_sitemap_an_article_backdated_onto_listing_page_5_is_found_the_next_night(tmp_path, site):
    portal = Portal(site, articles=60)
    config = make_config(tmp_path, site, revisit_days=30)
    crawl_night(config, site, 0)
    others = rotating(config, site)
    late = portal.insert(45, "Bài đăng muộn về hội nghị tổng kết năm của phường")
    assert portal.page_of(late) == f"{LISTING}?page=5"

    summary, tonight = crawl_night(config, site, 1)
    assert late.path in tonight and summary.new == 2             # the article, and listing page 7
    listings = [p for p in tonight if p.startswith(LISTING) and p not in others and p != late.path]
    assert sorted(listings) == sorted(portal.listing_paths)      # every page of the listing, once
    revalidated = [p for p in tonight if p in others]
    assert len(revalidated) in one_share(len(others))            # and tonight's share of the other pages
    assert len(tonight) == 1 + 1 + len(listings) + 1 + len(revalidated)   # robots.txt, home, ..., new


def test_a_category_the_main_listing_shows_in_full_is_read_on_its_first_page_only(tmp_path, site):
    portal = Portal(site, articles=120, categories=3)           # 12 pages, and 3 categories of 4 pages
    config = make_config(tmp_path, site, revisit_days=30)
    crawl_night(config, site, 0)
    categories = [first for first in portal.lists() if first != LISTING]
    deeper = [path for first in categories for path in portal.pages(first)[1:]]
    late = portal.insert(75, "Bài đăng muộn về hội nghị tổng kết năm của phường", category=1)
    assert (portal.page_of(late), portal.page_of(late, f"{CATEGORY}1")) == (f"{LISTING}?page=8",
                                                                           f"{CATEGORY}1?page=3")
    others = rotating(config, site) + deeper                     # the categories' other pages take turns

    summary, tonight = crawl_night(config, site, 1)
    assert late.path in tonight
    nightly = ["/robots.txt", "/", *portal.listing_paths, *categories]
    assert set(nightly) <= set(tonight)                          # the main listing in full, each category's
    revalidated = [p for p in tonight if p in others]            # first page
    assert len(revalidated) in one_share(len(others))
    assert len(tonight) == len(nightly) + 1 + len(revalidated) + 1    # the article, and listing page 13


def test_a_category_the_main_listing_leaves_out_is_read_in_full_every_night(tmp_path, site):
    portal = Portal(site, articles=90, categories=3, apart=2)   # 6 pages; categories of 3 pages each
    config = make_config(tmp_path, site, revisit_days=30)
    crawl_night(config, site, 0)
    others = rotating(config, site) + [path for first in (f"{CATEGORY}0", f"{CATEGORY}1")
                                       for path in portal.pages(first)[1:]]
    late = portal.insert(70, "Thông báo đăng muộn về lịch tiếp công dân của phường", category=2)
    assert portal.page_of(late, f"{CATEGORY}2") == f"{CATEGORY}2?page=3"
    assert late not in portal.lists()[LISTING]

    _, tonight = crawl_night(config, site, 1)
    assert late.path in tonight
    nightly = ["/robots.txt", "/", *portal.listing_paths, f"{CATEGORY}0", f"{CATEGORY}1",
               *portal.pages(f"{CATEGORY}2")]                    # with its new page 4
    assert set(nightly) <= set(tonight)
    revalidated = [p for p in tonight if p in others]
    assert len(revalidated) in one_share(len(others))
    assert len(tonight) == len(nightly) + 1 + len(revalidated)


def test_a_listing_page_under_a_second_address_is_read_under_one(tmp_path, site):
    Portal(site, articles=40)
    site.page("/", f'<a href="{LISTING}">Tin tức</a> <a href="/tin-tuc/index.aspx">Tin tức</a>')
    site.route("/tin-tuc/index.aspx", site.routes[LISTING].answers[0].body)      # the same bytes
    config = make_config(tmp_path, site, revisit_days=30)
    crawl_night(config, site, 0)
    with CrawlState.open(config.storage.archive_dir) as state:
        assert state.alias_of(site.url("/tin-tuc/index.aspx")) == site.url(LISTING)
    nights = [crawl_night(config, site, n)[1] for n in range(1, 4)]
    assert all(LISTING in tonight for tonight in nights)
    assert sum(tonight.count("/tin-tuc/index.aspx") for tonight in nights) <= 1     # its turn, at most


def test_with_a_sitemap_an_edited_article_is_due_at_once_and_nothing_else_is_fetched(tmp_path, site):
    portal = Portal(site, articles=40, sitemap=True)
    config = make_config(tmp_path, site, revisit_days=30)
    crawl_night(config, site, 0)
    edited = portal.edit(7, on="2026-03-01")                      # a date alone: edited some time that day

    others = rotating(config, site)

    summary, tonight = crawl_night(config, site, 1)
    assert edited.path in tonight and summary.changed == 2        # the article, and the sitemap's lastmod
    nightly = {"/robots.txt", "/sitemap.xml", "/", LISTING, edited.path}
    assert nightly <= set(tonight)
    assert len(tonight) - len(nightly) in one_share(len(others) + 3)   # numbered listing pages take turns
    with CrawlState.open(config.storage.archive_dir) as state:
        assert state.url(site.url(f"{LISTING}?page=3")).role == "listing"
        assert state.url(site.url(edited.path)).role == "article"

    summary, tonight = crawl_night(config, site, 2)
    assert edited.path not in tonight and summary.changed == 0   # its lastmod is older than our copy now


def test_a_sitemap_that_dates_every_page_as_changed_is_not_believed(tmp_path, site):
    portal = Portal(site, articles=120, sitemap=True)
    config = make_config(tmp_path, site, revisit_days=30)
    crawl_night(config, site, 0)
    others = rotating(config, site)
    for article in portal.articles:
        article.modified = "2026-03-01"                          # a CMS stamping every entry with today
    portal.publish()

    _, tonight = crawl_night(config, site, 1)
    nightly = {"/robots.txt", "/sitemap.xml", "/", LISTING}
    assert nightly <= set(tonight)
    assert len(tonight) - len(nightly) in one_share(len(others) + 11)   # 11 numbered pages take turns too


def test_a_page_that_leaves_the_sitemap_is_rechecked_at_once(tmp_path, site):
    portal = Portal(site, articles=30, sitemap=True)
    config = make_config(tmp_path, site, revisit_days=30)
    crawl_night(config, site, 0)
    deleted = portal.delete(4)
    unlisted = portal.unlist(12)

    summary, tonight = crawl_night(config, site, 1)
    assert deleted.path in tonight and unlisted.path in tonight
    assert summary.gone == 1
    with CrawlState.open(config.storage.archive_dir) as state:
        assert state.url(site.url(deleted.path)).gone
        assert not state.url(site.url(unlisted.path)).gone

    _, tonight = crawl_night(config, site, 2)
    assert deleted.path not in tonight and unlisted.path not in tonight     # back in the rotation


def test_revisits_are_spread_a_fixed_share_each_night_over_the_cycle(tmp_path, site):
    Portal(site, articles=60, per_page=30)
    config = make_config(tmp_path, site, revisit_days=30)
    crawl_night(config, site, 0)
    others = rotating(config, site)
    nights = [[p for p in crawl_night(config, site, n)[1] if p in others] for n in range(1, 32)]

    assert all(len(pages) in one_share(len(others)) for pages in nights)     # a fixed share each night
    cycle = [p for pages in nights[:30] for p in pages]
    assert sorted(cycle) == sorted(others)                       # each page exactly once in 30 nights
    assert nights[30] == nights[0]                               # and again 30 nights later


def test_listing_pages_are_read_every_night_without_a_sitemap(tmp_path, site):
    portal = Portal(site, articles=25, per_page=5)
    config = make_config(tmp_path, site, revisit_days=30)
    crawl_night(config, site, 0)
    for number in (1, 2):
        _, tonight = crawl_night(config, site, number)
        assert set(portal.listing_paths) | {"/"} <= set(tonight)


def test_a_second_run_the_same_night_takes_no_second_share(tmp_path, site):
    Portal(site, articles=60)
    config = make_config(tmp_path, site, revisit_days=30)
    crawl_night(config, site, 0)
    others = rotating(config, site)
    _, first = crawl_night(config, site, 1)
    _, second = crawl_night(config, site, 1)
    assert set(first) & set(others) and not set(second) & set(others)


def test_attachments_and_requisites_are_revalidated_a_fixed_share_each_night_over_their_cycles(tmp_path,
                                                                                                site):
    images = [f"/anh/{a}-{i}.png" for a in range(4) for i in range(6)]
    documents = [f"/van-ban/{a}-{i}.pdf" for a in range(4) for i in range(3)]
    for number, path in enumerate(images):
        site.route(path, png(4, 4, (number, 0, 0)), content_type="image/png", etag=f'"{number}"')
    for number, path in enumerate(documents):
        site.route(path, pdf(f"Van ban {number}"), content_type="application/pdf", etag=f'"{number}"')
    for a in range(4):
        site.page(f"/tin/bai-{a}.html", "<h1>Bài</h1>" + "".join(
            f'<img src="{p}">' for p in images if p.startswith(f"/anh/{a}-")) + "".join(
            f'<a href="{p}">Văn bản</a>' for p in documents if p.startswith(f"/van-ban/{a}-")))
    site.page("/", "".join(f'<a href="/tin/bai-{a}.html">Bài {a}</a>' for a in range(4)))
    config = make_config(tmp_path, site, revisit_days=6, crawl={"requisite_revisit_days": 8})
    crawl_night(config, site, 0)
    nights = [crawl_night(config, site, n)[1] for n in range(1, 9)]

    for files, cycle in ((documents, 6), (images, 8)):
        shares = [[p for p in tonight if p in files] for tonight in nights[:cycle]]
        assert all(len(tonight) in one_share(len(files), cycle) for tonight in shares)   # not all at once
        assert sorted(p for tonight in shares for p in tonight) == sorted(files)         # each once a cycle
        assert all(site.requested(p)[1].headers["If-None-Match"] for p in files)          # conditionally


@given(count=st.integers(0, 5000), days=st.integers(1, 400), start=st.integers(0, 800_000))
def test_the_shares_of_any_cycle_of_nights_add_up_to_the_count(count, days, start):
    shares = [share(count, days, n) for n in range(start, start + days)]
    assert sum(shares) == count
    assert max(shares) - min(shares) <= 1
