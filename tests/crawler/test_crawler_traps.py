"""Trap guards: URL spaces that never end are refused, real articles are not."""

from __future__ import annotations

import pytest

from crawler.traps import MAX_DATE_VARIANTS, TrapGuard, static_trap_reason
from tests.crawler.conftest import make_config, run_crawl
from tests.sites import Request, Response
from tinphuong.listing import numbered_page

LAST = 12          # the last page of the list without end that has articles


@pytest.mark.parametrize("url", [
    "http://ward.test/tin-tuc/2023/03/16/tap-huan-cong-tac-dang.html",
    "http://ward.test/Pages/tin-tuc.aspx?ItemID=2999",
    "http://ward.test/van-ban/so-123-qd-ubnd-2024",
    "http://ward.test/tin-tuc/trang-2",
    "http://ward.test/lich-cong-tac?tuan=2025-23",
])
def test_ordinary_ward_urls_are_not_traps(url):
    assert static_trap_reason(url, max_year=2027) is None


@pytest.mark.parametrize("url, reason", [
    ("http://ward.test/" + "a" * 2100, "longer than"),
    ("http://ward.test/" + "/".join(f"m{i}" for i in range(16)) + "/", "deeper than"),
    ("http://ward.test/tin/anh/tin/anh/tin/anh/", "repeated"),
    ("http://ward.test/lich?thang=2090-01", "date out of range (2090)"),
    ("http://ward.test/su-kien/1899/12/", "date out of range (1899)"),
])
def test_trap_shaped_urls_are_refused_with_a_reason(url, reason):
    assert reason in static_trap_reason(url, max_year=2027)


def test_a_calendar_is_cut_after_a_bounded_number_of_months_but_articles_are_not():
    guard = TrapGuard()
    months = [f"http://ward.test/lich?thang={2025 - i // 12}-{i % 12 + 1:02d}" for i in range(200)]
    allowed = [url for url in months if guard.reason(url) is None]
    assert len(allowed) == MAX_DATE_VARIANTS
    articles = [f"http://ward.test/Pages/tin.aspx?ItemID={i}" for i in range(500)]
    assert all(guard.reason(url) is None for url in articles)
    assert guard.reason(months[0]) is None               # a URL already let through stays allowed


def test_endless_query_variants_of_one_path_are_bounded():
    guard = TrapGuard(max_query_variants=20)
    verdicts = [guard.reason(f"http://ward.test/tim-kiem?q={i}") for i in range(30)]
    assert verdicts.count(None) == 20 and "query variants" in verdicts[-1]
    sorted_lists = [guard.reason(f"http://ward.test/Default.aspx?CatID=3&sort={i}") for i in range(30)]
    assert sorted_lists.count(None) == 20                  # numbers, but under a key that names no content


def test_a_portal_numbering_all_its_content_on_one_path_is_not_a_trap():
    guard = TrapGuard(max_query_variants=20)
    urls = [f"http://ward.test/Default.aspx?ItemID={i}" for i in range(3000)]
    urls += [f"http://ward.test/Default.aspx?CatID={c}&page={p}" for c in range(8) for p in range(40)]
    urls += [f"http://ward.test/TinTuc/DanhMuc.aspx?cat={c}&trang={p}" for c in range(8) for p in range(40)]
    assert all(guard.reason(url) is None for url in urls)


@pytest.mark.parametrize("past_the_end", ["empty", "last page again"])
def test_a_pager_without_end_stops_at_max_depth_and_grows_no_further_the_next_night(tmp_path, site,
                                                                                   past_the_end):
    """The pages of a list keep their depth while they show new links; past the end they show none."""
    def listing(request: Request) -> Response:
        number = numbered_page(site.url(request.path)).number if "page=" in request.path else 1
        shown = number if number <= LAST else LAST if past_the_end == "last page again" else None
        items = "".join(f'<li><a href="/bai/{shown}-{i}.html">Bài {shown}-{i}</a></li>' for i in range(3))
        pager = f'<a href="/tin?page={number + 1}">Trang sau</a>'
        return Response(body=f"<html><body><ul>{items if shown else ''}</ul>{pager}</body></html>".encode(),
                        headers={"Content-Type": "text/html"})

    site.page("/", '<a href="/tin">Tin tức</a>')
    site.handler("/tin", listing)
    site.handler("/bai/", lambda request: Response(body=b"<html><body><p>Bai</p></body></html>",
                                                   headers={"Content-Type": "text/html"}))
    config = make_config(tmp_path, site, crawl={"max_depth": 5}, revisit_days=30)
    run_crawl(config)
    pages = {p for p in site.paths() if p.startswith("/tin?page=")}
    assert {f"/tin?page={n}" for n in range(2, LAST + 1)} <= pages            # the whole list
    assert all(site.count(f"/bai/{LAST}-{i}.html") == 1 for i in range(3))
    beyond = pages - {f"/tin?page={n}" for n in range(2, LAST + 1)}
    assert 0 < len(beyond) <= 5                                             # then a click per page

    run_crawl(config)
    assert {p for p in site.paths() if p.startswith("/tin?page=")} == pages  # nothing further tonight
