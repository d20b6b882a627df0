"""The search page in Chromium, as staff use it: a query typed without diacritics, a facet, a quick date
range, the next page, the CSV download, the feed subscription; hostile titles stay inert; our pages
break no CSP rule. Screenshots of the search and status pages at desktop and phone width are saved
under test-artifacts/screenshots/ (printed by the test)."""

from __future__ import annotations

import csv
import io
import re
import urllib.request
import xml.etree.ElementTree as ET
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.webui.browser import RECORD_VIOLATIONS, ROOT, chromium_page, serving
from tests.webui.listing_corpus import build_listing_corpus

pytestmark = pytest.mark.browser
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 390}
A = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def server(browser_present, tmp_path_factory):
    listing = build_listing_corpus(tmp_path_factory.mktemp("search-browser"))
    with serving(listing.config.path) as base:
        yield base, listing


@pytest.fixture()
def page(server):
    # An English browser: dates must still read and type as dd/mm/yyyy.
    with chromium_page(RECORD_VIOLATIONS, locale="en-US", viewport={"width": 1280, "height": 900}) as page:
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        yield page
        assert dialogs == [], "a crawled script ran"
        assert page.evaluate("window.__violations") == []


def params(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def shown_ids(page) -> list[str]:
    return [href.rsplit("/", 1)[-1] for href in
            page.locator("li.result .result-title a").evaluate_all("links => links.map(a => a.href)")]


def test_query_facet_quick_dates_and_pages_in_a_real_browser(server, page):
    base, listing = server
    page.goto(base + "/")
    page.fill("input[name=q]", "ngap nuoc")
    page.press("input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    assert page.locator("li.result").count() == 10
    assert page.locator("li.result mark").first.inner_text().lower() in ("ngập nước", "ngập", "nước")
    assert "PWNED" not in page.title() and page.locator("li.result .result-title script").count() == 0

    page.locator(".facet-site a", has_text="Phường Đa Kao").click()            # a facet
    page.wait_for_url(re.compile(r"site=da-kao"))
    expected = {d.id for d in listing.flood if d.site == "da-kao"}
    assert set(shown_ids(page)) == expected
    assert page.locator(".facet-site .facet-on").inner_text().startswith("Phường Đa Kao")

    page.locator("label.chip", has_text="30 ngày").click()                     # a quick date range
    page.wait_for_url(re.compile(r"range=30d"))
    assert params(page.url).items() >= {"q": "ngap nuoc", "site": "da-kao", "range": "30d"}.items()
    today = listing.today
    assert set(shown_ids(page)) == {d.id for d in listing.flood if d.site == "da-kao" and d.date
                                    and today - timedelta(days=29) <= d.date}
    assert page.locator(".period").inner_text() == \
        f"{today - timedelta(days=29):%d/%m/%Y} – {today:%d/%m/%Y}"

    page.goto(base + "/search?q=sinh+hoat+khu+pho&sort=newest")
    first_page = shown_ids(page)
    page.locator("a[rel=next]").click()                                         # the next page
    page.wait_for_url(re.compile(r"page=2"))
    second_page = shown_ids(page)
    newest = sorted(listing.neighbourhood, key=lambda d: d.date, reverse=True)
    assert first_page + second_page == [d.id for d in newest[:20]]


def test_dates_are_typed_as_dd_mm_yyyy_in_an_english_browser(server, page):
    base, listing = server
    page.goto(base + "/search?q=sinh+hoat")
    assert page.locator("input[name=from]").get_attribute("type") == "text"
    page.locator("input[name=from]").fill("01/01/2000")
    assert page.locator("input[name=range][value=custom]").is_checked()      # typing a date chooses custom
    first = min(d.date for d in listing.neighbourhood)
    page.locator("input[name=to]").fill(f"{first + timedelta(days=1):%d/%m/%Y}")
    page.press("input[name=to]", "Enter")
    page.wait_for_url(re.compile(r"to="))
    assert page.locator("input[name=from]").input_value() == "01/01/2000"
    assert shown_ids(page) == [d.id for d in listing.neighbourhood if d.date == first]
    page.locator("input[name=from]").fill("1.1.2000")                         # refused by the field itself
    assert page.locator("input[name=from]").evaluate("field => field.validity.patternMismatch") is True


def test_download_the_csv_and_subscribe_to_the_feed(server, page, tmp_path):
    base, listing = server
    page.goto(base + "/search?q=ngap+nuoc")
    with page.expect_download() as download:
        page.locator("a", has_text="CSV").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "tin-phuong-ngap-nuoc.csv"
    data = saved.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0][:3] == ["Tiêu đề", "Ngày đăng", "Trang web"]
    assert len(rows) - 1 == len(listing.flood)
    assert {r[0].lstrip("'") for r in rows[1:]} >= {"Mưa lớn gây ngập nước đường Lý Tự Trọng"}
    assert not any(r[0].startswith(("=", "+", "-", "@")) for r in rows[1:])

    href = page.locator('head link[rel=alternate][type="application/atom+xml"]').get_attribute("href")
    with urllib.request.urlopen(base + href, timeout=20) as response:
        feed = ET.fromstring(response.read())
    titles = [entry.findtext(f"{A}title") for entry in feed.findall(f"{A}entry")]
    newest = max((d for d in listing.flood if d.date), key=lambda d: d.date)
    assert titles[0] == newest.title and len(titles) == len(listing.flood)
    search_link = page.locator('head link[rel=search]')
    assert search_link.get_attribute("type") == "application/opensearchdescription+xml"


def test_screenshots_of_the_search_and_status_pages(server, page):
    base, _ = server
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    saved = []
    for name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        for path, label in (("/search?q=ngap+nuoc", "search"), ("/status", "status")):
            page.goto(base + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
            assert overflow <= 0, f"{label} scrolls sideways at {width}px"
            target = SCREENSHOTS / f"{label}-{name}.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 10_000
            saved.append(target)
    print(f"\nscreenshots saved in {SCREENSHOTS}: {', '.join(p.name for p in saved)}")
