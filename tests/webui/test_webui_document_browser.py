"""The document page in Chromium, on an article edited between two real crawls: its history, the
comparison of two captures (chosen with the form too), the citation copied by its button, and the
archived copy. Hostile text from the article stays text; no CSP rule is broken. Screenshots of the
document and comparison pages at desktop and phone width go to test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest

from tests.webui.browser import ROOT, chromium_page, serving
from tests.webui.edited_site import ADDED, NEW_TITLE, OLD_TITLE, build_edited_site
from tests.webui.test_webui_browser import RECORD_VIOLATIONS

pytestmark = pytest.mark.browser
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def server(browser_present, tmp_path_factory):
    edited = build_edited_site(tmp_path_factory.mktemp("document-browser"))
    with serving(edited.config.path) as base:
        yield base, edited


@pytest.fixture()
def page(server):
    with chromium_page(RECORD_VIOLATIONS) as page:
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.dialogs = dialogs
        yield page
        assert dialogs == [], "a script from the article ran"
        assert page.evaluate("window.__violations") == []


def screenshot(page, name: str) -> None:
    """The page as it is, at desktop and at phone width, whole."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} scrolls sideways"
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_open_a_document_compare_two_captures_and_open_the_archived_copy(server, page):
    base, edited = server
    page.goto(f"{base}/doc/{edited.doc_id}")
    assert page.locator("article h1").inner_text() == NEW_TITLE
    changes = [c.strip() for c in page.locator(".captures tbody td:nth-child(3)").all_inner_texts()]
    assert changes == ["Bản đầu tiên", "Bài viết đã thay đổi — xem thay đổi", "Không đổi"]
    screenshot(page, "document")

    page.get_by_role("link", name="xem thay đổi").click()
    page.wait_for_url(re.compile(r"/compare\?old=0&new=1$"))
    diff = page.locator("article.diff")
    assert diff.locator("del").all_inner_texts() == ["Thủy", "5", "xuất sắc"]
    assert diff.locator("ins").all_inner_texts() == ['<script>alert("t")</script>', "Thúy", "6", ADDED]
    assert "tiêu đề thay đổi" in page.locator(".diff-summary").inner_text()
    assert page.locator("article.diff img").count() == 0
    screenshot(page, "compare")

    # The other way round, chosen with the form.
    page.select_option("select[name=old]", "1")
    page.select_option("select[name=new]", "0")
    page.get_by_role("button", name="So sánh hai bản lưu").click()
    page.wait_for_url(re.compile(r"/compare\?old=1&new=0$"))
    assert page.locator("article.diff ins").all_inner_texts() == ["Thủy", "5", "xuất sắc"]

    # The older capture's archived copy, from the comparison's summary line.
    page.locator(".diff-summary a").nth(1).click()
    page.wait_for_url(f"{base}/doc/{edited.doc_id}/archive?capture=0")
    frame = page.frame_locator("iframe.archive-frame")
    assert frame.locator("h1").inner_text() == OLD_TITLE


def test_the_citation_is_copied_by_its_button(server, page):
    base, edited = server
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page.goto(f"{base}/doc/{edited.doc_id}")
    citation = page.locator("input.citation-text").input_value()
    assert citation.startswith(f"{NEW_TITLE}. Phường Bến Nghé, 16/03/2023. {edited.url} (lưu trữ ngày ")
    button = page.get_by_role("button", name="Sao chép")
    assert button.is_visible()                        # shown by our script; hidden without it
    button.click()
    page.wait_for_function("document.querySelector('button.copy').textContent === 'Đã sao chép'")
    assert page.evaluate("navigator.clipboard.readText()") == citation
    page.locator("input.citation-text").focus()      # focusing selects it whole, for Ctrl+C
    selected = page.evaluate("e => e.value.substring(e.selectionStart, e.selectionEnd)",
                             page.evaluate_handle("document.activeElement"))
    assert selected == citation
