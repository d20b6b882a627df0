"""A real browser against `python -m webui`: search without diacritics, open the article, open its
archived copy, and prove that the archived page's scripts never ran and our pages break no CSP rule."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from tests.webui.browser import RECORD_VIOLATIONS, chromium_page, serving
from tests.webui.webui_corpus import build_corpus

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(browser_present, tmp_path_factory):
    corpus = build_corpus(tmp_path_factory.mktemp("browser"))
    with serving(corpus.config.path) as base:
        yield base, corpus


@pytest.fixture()
def page(server):
    with chromium_page(RECORD_VIOLATIONS) as page:
        yield page


def test_search_open_document_and_archive_without_running_archived_scripts(server, page):
    base, corpus = server
    finished: list[str] = []
    failed: dict[str, str | None] = {}
    csp_messages: list[str] = []
    page.on("requestfinished", lambda request: finished.append(request.url))
    page.on("requestfailed", lambda request: failed.setdefault(request.url, request.failure))
    page.on("console", lambda message: csp_messages.append(f"{message.location.get('url')}: {message.text}")
            if "Content Security Policy" in message.text else None)

    page.goto(base + "/")
    page.fill("input[name=q]", "dang vien")
    page.press("input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    first = page.locator("li.result").first
    assert first.locator(".result-title").inner_text() == corpus.article.title
    assert first.locator("mark").count() >= 1
    assert page.evaluate("window.__violations") == []

    # Our own script (static file, allowed by CSP) re-runs the search when the sort order changes.
    page.select_option("select[name=sort]", "newest")
    page.wait_for_url(re.compile(r"sort=newest"))
    assert page.evaluate("window.__violations") == []

    page.goto(base + "/search?q=dang+vien")
    page.locator("li.result .result-title a").first.click()
    page.wait_for_url(f"{base}/doc/{corpus.article.id}")
    assert page.locator("article h1").inner_text() == corpus.article.title
    assert page.evaluate("window.__violations") == []

    page.get_by_text("Xem bản lưu trữ của trang").click()
    page.wait_for_url(f"{base}/doc/{corpus.article.id}/archive")
    archived = page.frame_locator("iframe.archive-frame")
    heading = archived.locator("#archived-heading")
    assert heading.inner_text() == "Phường Bến Nghé tập huấn cho đảng viên mới"    # not "SCRIPT RAN"
    assert archived.locator("html").get_attribute("data-ran") is None
    page.wait_for_timeout(300)
    assert "PWNED" not in page.title() and page.title().startswith("Bản lưu trữ:")
    assert page.locator("body").get_attribute("data-pwned") is None
    assert page.evaluate("window.__violations") == []

    # The archived page's outside resources were asked of the archive (which lacks them), never of the
    # live site; scripts were not even requested.
    assert finished and all(url.startswith(base) for url in [*finished, *failed]), (finished, failed)
    asked = [unquote(url) for url in [*finished, *failed] if "/archive/resource?" in url]   # 404: blank
    assert any("url=http://tracker.example.net/pixel.gif" in url for url in asked), asked
    assert any("url=http://tracker.example.net/style.css" in url for url in asked), asked
    assert not any("evil.js" in url for url in [*finished, *failed])
    ours = [m for m in csp_messages if "/archive/raw" not in m]
    assert ours == [], ours
