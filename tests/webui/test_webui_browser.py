"""A real browser against `python -m webui`: search without diacritics, open the article, open its
archived copy, and prove that the archived page's scripts never ran and our pages break no CSP rule."""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.webui.browser_requirement import CHROMIUM, missing_browser_parts, require_browser
from tests.webui.webui_corpus import build_corpus

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# Runs before any page script, in every page of ours: records CSP violations reported to the page.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def wait_for_listening(process: subprocess.Popen, timeout: float = 20) -> str:
    """Read the server's log until its start line names the port; return the base URL."""
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stderr], [], [], 0.2)
        if ready:
            line = process.stderr.readline()
            seen.append(line)
            match = re.search(r"serving (http://127\.0\.0\.1:\d+)/", line)
            if match:
                return match.group(1)
        if process.poll() is not None:
            break
    raise AssertionError("python -m webui did not start:\n" + "".join(seen))


@pytest.fixture(scope="module", autouse=True)
def browser_present():
    """Before the server is built: skip, or in CI fail, when Chromium or Playwright is missing."""
    require_browser(missing_browser_parts(CHROMIUM), os.environ)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    corpus = build_corpus(tmp_path_factory.mktemp("browser"))
    process = subprocess.Popen(
        [sys.executable, "-m", "webui", "--config", str(corpus.config.path), "--host", "127.0.0.1",
         "--port", "0", "--threads", "2"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        yield wait_for_listening(process), corpus
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        assert process.wait(timeout=10) == 0, "SIGTERM stops the server cleanly"


@pytest.fixture()
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.add_init_script(RECORD_VIOLATIONS)
            yield context.new_page()
        finally:
            browser.close()


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

    # The archived page's outside resources were stopped by its sandbox policy, before the network.
    assert finished and all(url.startswith(base) for url in finished), finished
    outside = {url: why for url, why in failed.items() if not url.startswith(base)}
    # (scripts are not even requested: the sandbox disables them)
    assert set(outside) == {"http://tracker.example.net/style.css", "http://tracker.example.net/pixel.gif"}
    assert outside and all(why in ("csp", "net::ERR_BLOCKED_BY_CSP") for why in outside.values()), outside
    ours = [m for m in csp_messages if "/archive/raw" not in m]
    assert ours == [], ours
