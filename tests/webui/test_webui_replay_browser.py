"""The archived view in Chromium with the ward site stopped: every request the page makes goes to our
origin, its images render from the archive, its imported stylesheet applies, and its scripts never run."""

from __future__ import annotations

import re

import pytest

from indexer.document import document_id
from tests.requisite_site import ARTICLE, SECOND, archived_ward
from tests.webui.browser import chromium_page, serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(browser_present, tmp_path_factory):
    ward = archived_ward(tmp_path_factory.mktemp("replay-browser"))       # the live site is stopped
    with serving(ward.config.path) as base:
        yield base, ward


def image_width(frame, selector: str) -> int:
    return frame.locator(selector).evaluate("image => image.complete ? image.naturalWidth : -1")


def test_the_archived_article_is_shown_from_the_archive_alone(server):
    base, ward = server
    requested: list[str] = []
    answered: dict[str, int] = {}
    with chromium_page() as page:
        page.on("request", lambda request: requested.append(request.url))
        page.on("response", lambda response: answered.__setitem__(response.url, response.status))
        page.goto(f"{base}/doc/{document_id(ward.url(ARTICLE))}/archive", wait_until="load")
        frame = page.frame(url=re.compile(r"/archive/raw"))
        assert frame is not None
        frame.wait_for_load_state("load")

        assert frame.locator("#title").inner_text() == "Phường ra quân vệ sinh môi trường"
        assert image_width(frame, "#photo") in (30, 60)             # the 1x or 2x candidate, from the archive
        assert image_width(frame, "#logo") == 8
        assert image_width(frame, "#lazy") == 10                    # lazy image shown without its script
        assert image_width(frame, "#pictured") == 12
        assert image_width(frame, "#huge") == 0 and image_width(frame, "#foreign") == 0    # not archived
        assert frame.locator("#title").evaluate("h => getComputedStyle(h).color") == "rgb(0, 80, 160)"
        assert "/archive/resource?" in frame.locator("body").evaluate(
            "b => getComputedStyle(b).backgroundImage")
        page.wait_for_timeout(300)
        assert frame.locator("html").get_attribute("data-ran") is None     # no script, no onerror, no link
        assert not frame.locator("#js-link").evaluate("a => a.hasAttribute('href')")

        assert requested and all(url.startswith(base + "/") for url in requested), requested
        fetched = {url for url, status in answered.items() if status == 200}
        for name in ("anh-1", "logo.png", "anh-3.png", "nen.png", "co-ban.css", "phuong.woff2"):
            assert any(name in url and "/archive/resource?" in url for url in fetched), name

        frame.locator("#second").click()               # a link opens the archived article, on top
        page.wait_for_url(re.compile(rf"/doc/{document_id(ward.url(SECOND))}/archive\?capture=0$"))
        assert page.title().startswith("Bản lưu trữ: Trao quà")

        page.go_back()
        page.frame(url=re.compile(r"/archive/raw")).locator("#outside").click()
        page.wait_for_url(re.compile(r"/archive/link\?"))
        assert "Trang này chưa được lưu trữ" in page.locator("main").inner_text()
    assert all(url.startswith(base + "/") for url in requested), requested
