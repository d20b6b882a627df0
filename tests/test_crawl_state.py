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


def test_capture_near_is_the_latest_at_or_before_else_the_earliest_after(tmp_path):
    url = "http://w/logo.png"
    with CrawlState.open(tmp_path) as state:
        for when, status, kind, offset in [("2026-01-02T00:00:00Z", 200, "response", 1),
                                           ("2026-01-05T00:00:00Z", 304, "revisit", 2),
                                           ("2026-01-07T00:00:00Z", 404, "response", 3),
                                           ("2026-01-09T00:00:00Z", 200, "revisit", 4)]:
            state.add_capture(url, "s", when, status, kind, "f.warc.gz", offset, 1, offset + 1)
        state.add_capture("http://w/old", "s", "2026-01-03T00:00:00Z", 301, "response", "f.warc.gz", 9, 1, 10)
        state.add_payload("sha1:X", url, "2026-01-02T00:00:00.123456Z")
        state.add_payload("sha1:X", "http://w/copy.png", "2026-01-04T00:00:00.000001Z")   # the first stays
    with CrawlStateReader.open_readonly(tmp_path) as view:
        def near(at: str) -> int | None:
            capture = view.capture_near(url, at)
            return capture.offset if capture else None

        assert near("2026-01-01T00:00:00Z") == 1                 # before any: the earliest after
        assert near("2026-01-02T00:00:00Z") == 1
        assert near("2026-01-06T00:00:00Z") == 2                 # a 304 says "as before"
        assert near("2026-01-08T00:00:00Z") == 2                 # a 404 holds nothing to show
        assert near("2030-01-01T00:00:00Z") == 4
        assert view.capture_near("http://w/old", "2026-01-01T00:00:00Z").status == 301
        assert view.capture_near("http://w/none", "2026-01-01T00:00:00Z") is None
        assert view.response_at(url, "2026-01-02T00:00:00Z").offset == 1
        assert view.response_at(url, "2026-01-05T00:00:00Z") is None            # a revisit holds no payload
        assert view.payload_record("sha1:X") == (url, "2026-01-02T00:00:00.123456Z")
        assert view.payload_record("sha1:Y") is None
