"""The crawl state's read-only view, as the web UI reads what the crawler wrote."""

from __future__ import annotations

import sqlite3

import pytest

from crawler.state import CrawlState, UrlState
from tinphuong.crawl_state import CrawlStateReader


def test_a_state_that_does_not_exist_yet_reads_as_empty(tmp_path):
    with CrawlStateReader.open_readonly(tmp_path / "chua-co") as state:
        assert state.last_refresh() is None
        assert state.recent_errors(5) == [] and state.site_counts() == {}
    assert not (tmp_path / "chua-co").exists()


def test_the_read_only_view_counts_sites_lists_errors_newest_first_and_cannot_write(tmp_path):
    with CrawlState.open(tmp_path) as state:
        run = state.start_run("refresh")
        state.save_url(UrlState(url="http://w/a", site="s", status=200, first_seen="t"))
        state.save_url(UrlState(url="http://w/b", site="s", status=404, gone=True, first_seen="t",
                                payload_digest="sha1:B"))
        state.save_url(UrlState(url="http://w/broken-link", site="s", status=404, gone=True, first_seen="t"))
        state.add_capture("http://w/a", "s", "2026-01-01T00:00:00Z", 200, "response", "f.warc.gz", 10, 5, 15)
        state.add_error("s", "http://w/c", "HTTP 500")
        state.add_error("s", None, "robots.txt unavailable")
        state.finish_run(run, {"s": {"fetched": 2}}, 0)
    with CrawlStateReader.open_readonly(tmp_path) as view:
        assert view.site_counts() == {"s": {"pages": 3, "archived": 1, "gone": 1, "captures": 1, "errors": 2,
                                            "queued": 0}}
        assert [e.message for e in view.recent_errors(10)] == ["robots.txt unavailable", "HTTP 500"]
        assert view.last_refresh() and view.last_refresh().endswith("Z")
    with CrawlState.open_readonly(tmp_path) as view, pytest.raises(sqlite3.OperationalError):
        view.add_error("s", None, "không được ghi")       # the connection itself refuses writes
