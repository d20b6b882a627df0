"""One page under two URLs (`rel="canonical"`, identical bodies): crawled, archived, indexed once."""

from __future__ import annotations

from crawler.state import CrawlState
from indexer.document import document_id
from indexer.search import Searcher
from indexer.writing.pipeline import update_index
from tests.crawler.conftest import make_config, run_crawl
from tests.warc_builder import CLEANUP_PARAGRAPHS, ward_article
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
