"""One page under two URLs (`rel="canonical"`, identical bodies, a move with a permanent redirect):
crawled, archived, indexed once."""

from __future__ import annotations

import pytest

from crawler.state import MOVED, Alias, CrawlState
from crawler.verify import verify
from indexer.document import document_id
from indexer.index_check import check_index
from indexer.search import Searcher
from indexer.writing.pipeline import rebuild_index, update_index
from tests.crawler.conftest import make_config, run_crawl
from tests.indexer.writers import write_through
from tests.office_files import decision_pdf
from tests.warc_builder import CLEANUP_PARAGRAPHS, ward_article
from tests.wardsite import DayPlan, WardSite
from tinphuong.urls import canonicalize
from tinphuong.warc import IDENTICAL_PROFILE, iter_responses

TITLE = "Phường ra quân dọn dẹp vệ sinh môi trường"


def article(canonical: str | None = None, marker: str = "") -> str:
    head = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return ward_article(TITLE, CLEANUP_PARAGRAPHS + ([marker] if marker else []), head=head)


def indexed(config) -> dict[str, object]:
    """Every indexed Document by URL."""
    update_index(config)
    searcher = Searcher(config.storage.index_dir)
    try:
        return {doc.url: doc for doc in (searcher.document(document_id(r.canonical or r.url))
                                         for r in iter_responses(config.storage.archive_dir)) if doc}
    finally:
        searcher.close()


def damage(config) -> list[str]:
    """What `crawler verify` finds damaged in the archive, the state and the index."""
    report = verify(config.storage.archive_dir, lambda found: check_index(config.storage.index_dir, found))
    return [line for finding in report.damaged for line in finding.lines()]


def records(config, url: str) -> list:
    return [r for r in iter_responses(config.storage.archive_dir) if r.url == url]


def test_a_page_under_two_urls_with_rel_canonical_is_indexed_once_with_both_urls_known(tmp_path, site):
    canonical = site.url("/tin-tuc/ra-quan.html")
    site.page("/", '<a href="/bai-viet/123">a</a>')
    site.route("/bai-viet/123", article(canonical, marker="Xem bản gốc."))         # not the same bytes
    site.route("/tin-tuc/ra-quan.html", article(canonical))
    config = make_config(tmp_path, site)
    run_crawl(config)

    assert site.count("/tin-tuc/ra-quan.html") == 1  # followed from the alias; nothing else links it
    [alias_record] = records(config, site.url("/bai-viet/123"))
    assert alias_record.canonical == canonical
    assert records(config, canonical)[0].canonical is None
    with CrawlState.open(config.storage.archive_dir) as state:
        assert state.alias_of(site.url("/bai-viet/123")) == canonical
        assert state.alias_of(canonical) is None
    documents = indexed(config)
    assert list(documents) == [canonical]
    assert len(documents[canonical].captures) == 2            # the page as either URL answered it
    assert damage(config) == []             # verify finds the alias's capture where the page's document says


def test_a_canonical_naming_the_home_page_or_another_host_is_not_followed(tmp_path, site):
    site.page("/", '<a href="/bai-1.html">1</a> <a href="/bai-2.html">2</a>')
    site.route("/bai-1.html", article(site.url("/")))
    site.route("/bai-2.html", article("http://khac.example/bai-2.html", marker="Bài hai."))
    config = make_config(tmp_path, site)
    run_crawl(config)
    assert all(r.canonical is None for r in iter_responses(config.storage.archive_dir))
    assert sorted(indexed(config)) == [site.url("/bai-1.html"), site.url("/bai-2.html")]


def test_two_urls_serving_identical_bytes_are_archived_and_indexed_once(tmp_path, site):
    site.page("/", '<a href="/tin/ra-quan.html">a</a> <a href="/in-bai?id=7">in</a>')
    site.route("/tin/ra-quan.html", article())
    site.route("/in-bai?id=7", article())
    config = make_config(tmp_path, site, revisit_days=0)
    [summary] = run_crawl(config)

    original, copy = site.url("/tin/ra-quan.html"), site.url("/in-bai?id=7")
    [first] = records(config, original)
    [second] = records(config, copy)
    assert first.kind == "response" and first.canonical is None
    assert second.kind == "revisit" and second.profile == IDENTICAL_PROFILE and second.canonical == original
    assert summary.new == 2 and summary.unchanged == 1        # the home page and the article; the copy
    documents = indexed(config)
    assert list(documents) == [original] and len(documents[original].captures) == 2


def test_an_edit_reaches_the_one_document_whichever_url_of_the_page_is_fetched_first(tmp_path, site):
    site.page("/", '<a href="/tin/ra-quan.html">a</a> <a href="/in-bai?id=7">in</a>')
    site.route("/tin/ra-quan.html", article())
    site.route("/in-bai?id=7", article())
    config = make_config(tmp_path, site, revisit_days=0)
    run_crawl(config)
    original, copy = site.url("/tin/ra-quan.html"), site.url("/in-bai?id=7")
    site.page("/", '<a href="/in-bai?id=7">in</a> <a href="/tin/ra-quan.html">a</a>')   # the copy first now
    for path in ("/tin/ra-quan.html", "/in-bai?id=7"):
        site.route(path, article(marker="Bài đã được cập nhật số liệu."))
    run_crawl(config)

    edited = records(config, copy)[-1]
    assert edited.kind == "response" and edited.canonical == original     # stored in full, as the page
    assert records(config, original)[-1].kind == "revisit"                # then the same bytes, once
    with CrawlState.open(config.storage.archive_dir) as state:
        assert state.aliases_of(original) == [copy]
    [document] = indexed(config).values()
    assert document.url == original and "cập nhật số liệu" in document.text
    assert len(document.captures) == 4


def documents_before_and_after_a_rebuild(config) -> tuple[dict, dict]:
    """Every Document as the updates left them, then as a rebuild from the archive gives them."""
    updated = indexed(config)
    rebuild_index(config)
    return updated, indexed(config)


def crawled_portal_item(tmp_path, site, home_links: str):
    """An item under its category URL and its plain URL (the same bytes), and its print view, which
    names the plain URL as canonical; crawled once."""
    site.page("/", home_links)
    for path in ("/bai?cat=2&id=7", "/bai?id=7"):
        site.route(path, article(marker='<a href="/in?id=7">In bài</a>'))
    site.route("/in?id=7", article(site.url("/bai?id=7"), marker="Bản in."))
    config = make_config(tmp_path, site)
    run_crawl(config)
    return config


def test_a_copy_naming_an_alias_as_canonical_is_filed_under_the_page_the_alias_belongs_to(tmp_path, site):
    # A portal links an item with its category first; the plain item URL serves the same bytes, and the
    # print view names the plain URL as canonical: all three are one page, whatever order they come in.
    config = crawled_portal_item(tmp_path, site, '<a href="/bai?cat=2&id=7">a</a> <a href="/bai?id=7">b</a>')

    first = site.url("/bai?cat=2&id=7")
    assert records(config, site.url("/in?id=7"))[0].canonical == first
    updated, rebuilt = documents_before_and_after_a_rebuild(config)
    assert list(updated) == [first] and len(updated[first].captures) == 3
    assert rebuilt == updated


def test_a_page_first_indexed_under_a_url_later_found_to_be_a_copy_joins_the_page(tmp_path, site):
    # The print view comes before the plain item URL (linked only as the print view's canonical): its
    # records are filed under the plain URL, which then turns out to serve the category URL's bytes.
    config = crawled_portal_item(tmp_path, site, '<a href="/bai?cat=2&id=7">a</a>')

    first, plain, printed = site.url("/bai?cat=2&id=7"), site.url("/bai?id=7"), site.url("/in?id=7")
    assert [r.url for r in iter_responses(config.storage.archive_dir) if r.url in (first, plain, printed)] \
        == [first, printed, plain]
    [copy] = records(config, plain)
    assert copy.profile == IDENTICAL_PROFILE and copy.canonical == first
    updated, rebuilt = documents_before_and_after_a_rebuild(config)
    assert list(updated) == [first] and len(updated[first].captures) == 3
    assert rebuilt == updated
    assert damage(config) == []             # the print view's capture, filed under a copy, is the page's


def moved_site(site, first_links: str) -> None:
    """The article moves from /tin/ra-quan.html to /tin-tuc/ra-quan/ (a new theme: other bytes)."""
    site.page("/", first_links)
    site.redirect("/tin/ra-quan.html", "/tin-tuc/ra-quan/")
    site.route("/tin-tuc/ra-quan/", article(marker="Giao diện mới."))


def test_a_page_that_moved_is_one_document_under_its_new_url_with_its_whole_history(tmp_path, site):
    site.page("/", '<a href="/tin/ra-quan.html">a</a>')
    site.route("/tin/ra-quan.html", article())
    config = make_config(tmp_path, site, revisit_days=0)
    run_crawl(config)
    old, new = site.url("/tin/ra-quan.html"), site.url("/tin-tuc/ra-quan/")
    assert list(indexed(config)) == [old]

    moved_site(site, '<a href="/tin-tuc/ra-quan/">a</a>')    # the new URL is fetched first, as a new page
    run_crawl(config)
    assert [r.url for r in iter_responses(config.storage.archive_dir) if r.url in (old, new)][-3:] == [
        new, old, new]
    [redirect] = [r for r in records(config, old) if r.status == 301]
    assert redirect.canonical == new
    with CrawlState.open(config.storage.archive_dir) as state:
        assert state.alias(old) == Alias(new, MOVED)
    updated, rebuilt = documents_before_and_after_a_rebuild(config)
    assert list(updated) == [new]
    document = updated[new]
    assert "Giao diện mới." in document.text and not document.gone
    assert [c.status for c in document.captures] == [200, 200, 200]   # the old URL's, then the new one's
    assert rebuilt == updated
    assert damage(config) == []             # the old URL's captures belong to the page that moved


@pytest.mark.parametrize("style", ["wordpress", "aspnet"])
def test_a_moved_site_is_one_document_per_article_night_by_night_and_rebuilt(tmp_path, monkeypatch, style):
    """The night the crawl meets the 301s, each article is one document under its new URL with the
    captures of both; a rebuild gives the same, also when the pages of a window are already in
    Whoosh's writer (not committed) when the window's moves merge them, as in a large update or
    rebuild."""
    write_through(monkeypatch)
    with WardSite(style, seed=5, articles=6, per_page=4) as site:
        config = make_config(tmp_path, site, revisit_days=0)
        run_crawl(config)
        update_index(config)
        old = {article.id: canonicalize(site.article_url(article)) for article in site.live()}
        site.advance(DayPlan(event="move"))
        run_crawl(config)
        new = {article.id: canonicalize(site.article_url(article)) for article in site.live()}
        updated, rebuilt = documents_before_and_after_a_rebuild(config)

    assert old.keys() == new.keys() and not set(old.values()) & set(new.values())
    assert not set(old.values()) & updated.keys()
    for url in new.values():
        captures = updated[url].captures
        assert [c.status for c in captures][:2] == [200, 200], url      # the old URL's, then the new one's
        assert captures[0].fetched_at <= captures[-1].fetched_at and not updated[url].gone   # whole seconds
    assert rebuilt == updated


def test_a_file_only_the_old_page_of_a_moved_article_linked_is_linked_by_nothing_once_merged(tmp_path, site):
    """The article's new page no longer links the file: once the old URL's document is merged into the
    new one, no document links the file, night by night as in a rebuild (also on a night the file
    itself is not fetched again)."""
    pdf = "/van-ban/qd-123.pdf"
    site.page("/", '<a href="/tin/ra-quan.html">a</a>')
    site.route("/tin/ra-quan.html", article(marker=f'<a href="{pdf}">Quyết định 123/QĐ-UBND</a>'))
    site.route(pdf, decision_pdf(), content_type="application/pdf")
    config = make_config(tmp_path, site, revisit_days=0)
    run_crawl(config)
    old = site.url("/tin/ra-quan.html")
    assert [link.id for link in indexed(config)[site.url(pdf)].linked_from] == [document_id(old)]
    moved_site(site, '<a href="/tin-tuc/ra-quan/">a</a>')
    site.route("/robots.txt", "User-agent: *\nDisallow: /van-ban/\n", content_type="text/plain")
    run_crawl(config)

    assert site.count(pdf) == 1
    updated, rebuilt = documents_before_and_after_a_rebuild(config)
    assert sorted(updated) == sorted([site.url(pdf), site.url("/tin-tuc/ra-quan/")])
    assert updated[site.url(pdf)].linked_from == []
    assert rebuilt == updated


def test_a_page_that_moved_before_its_new_url_was_seen_is_one_document(tmp_path, site):
    site.page("/", '<a href="/tin/ra-quan.html">a</a>')
    site.route("/tin/ra-quan.html", article())
    config = make_config(tmp_path, site, revisit_days=0)
    run_crawl(config)
    moved_site(site, '<a href="/tin/ra-quan.html">a</a>')    # the listing still links the old URL
    run_crawl(config)

    new = site.url("/tin-tuc/ra-quan/")
    updated, rebuilt = documents_before_and_after_a_rebuild(config)
    assert list(updated) == [new] and len(updated[new].captures) == 2
    assert rebuilt == updated


def test_what_the_old_url_of_a_moved_page_answers_later_is_not_the_page_s(tmp_path, site):
    site.page("/", '<a href="/tin/ra-quan.html">a</a>')
    site.route("/tin/ra-quan.html", article())
    config = make_config(tmp_path, site, revisit_days=0)
    run_crawl(config)
    update_index(config)                                   # night by night
    moved_site(site, '<a href="/tin-tuc/ra-quan/">a</a>')
    run_crawl(config)
    update_index(config)                                   # the old URL's document is merged
    site.route("/tin/ra-quan.html", "Trang không tồn tại", status=410)     # the redirect is dropped
    run_crawl(config)

    new = site.url("/tin-tuc/ra-quan/")
    assert [r.status for r in records(config, site.url("/tin/ra-quan.html"))] == [200, 301, 410]
    updated, rebuilt = documents_before_and_after_a_rebuild(config)
    assert list(updated) == [new] and not updated[new].gone
    assert 410 not in [c.status for c in updated[new].captures]
    assert rebuilt == updated


def test_a_page_redirected_to_the_home_page_or_for_a_while_keeps_its_document(tmp_path, site):
    site.page("/", '<a href="/bai-1.html">1</a> <a href="/bai-2.html">2</a>')
    site.route("/bai-1.html", article())
    site.route("/bai-2.html", article(marker="Bài hai."))
    config = make_config(tmp_path, site, revisit_days=0)
    run_crawl(config)
    site.redirect("/bai-1.html", "/")
    site.redirect("/bai-2.html", "/bai-1.html", status=302)
    run_crawl(config)

    assert all(r.canonical is None for r in iter_responses(config.storage.archive_dir))
    assert sorted(indexed(config)) == [site.url("/bai-1.html"), site.url("/bai-2.html")]
