"""The crawl's read-write state: the frontier's order and persistence, transactions."""

from __future__ import annotations

import pytest

from crawler.state import CrawlState, FrontierItem, UrlState


def test_the_frontier_survives_reopening_and_serves_seeds_then_new_pages_then_revisits(tmp_path):
    with CrawlState.open(tmp_path) as state:
        state.enqueue(FrontierItem("s", "http://w/cu", 3, "page", None, 2))
        state.enqueue(FrontierItem("s", "http://w/moi-sau", 2, "page", None, 1))
        state.enqueue(FrontierItem("s", "http://w/moi", 1, "page", None, 1))
        state.enqueue(FrontierItem("s", "http://w/", 0, "page", None, 0))
        assert not state.enqueue(FrontierItem("s", "http://w/", 0, "page", None, 1))   # already queued
        state.enqueue(FrontierItem("khac", "http://k/", 0, "page", None, 0))
    with CrawlState.open(tmp_path) as state:
        order = []
        while (item := state.next_in_frontier("s")) is not None:
            order.append(item.url)
            state.dequeue("s", item.url)
        assert order == ["http://w/", "http://w/moi", "http://w/moi-sau", "http://w/cu"]
        assert state.frontier_size("khac") == 1


def test_a_failed_transaction_records_nothing(tmp_path):
    with CrawlState.open(tmp_path) as state:
        with pytest.raises(RuntimeError), state.transaction():
            state.save_url(UrlState(url="http://w/a", site="s", first_seen="2026-01-01T00:00:00Z"))
            state.add_capture("http://w/a", "s", "2026-01-01T00:00:00Z", 200, "response", "f.warc.gz",
                              10, 5, 15)
            raise RuntimeError("killed")
        assert state.url("http://w/a") is None and state.warc_ends() == {}
