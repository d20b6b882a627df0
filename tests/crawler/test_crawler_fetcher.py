"""The fetcher against a real loopback server: redirects, validators, streaming, robots.txt answers."""

from __future__ import annotations

import gzip
import threading

from crawler.fetcher import Fetcher
from crawler.politeness import Politeness
from crawler.robots import RobotsRules, product_token
from tests.sites import Response
from tinphuong.config import CrawlConfig

CRAWL = CrawlConfig(user_agent="TinPhuongTest/1.0 (+mailto:a@b.c)", delay_seconds=0, timeout_seconds=2,
                    max_bytes=100_000, max_retries=0)


def fetcher() -> Fetcher:
    return Fetcher(CRAWL, Politeness(0, backoff_base=0.01))


def test_conditional_headers_go_with_the_first_hop_only(site):
    site.redirect("/cu", "/moi")
    site.page("/moi", "x", etag='"e1"')
    result = fetcher().fetch(site.url("/cu"), etag='"e1"', last_modified="Mon, 02 Jun 2025 08:00:00 GMT")
    first, second = site.requests
    assert first.headers["If-None-Match"] == '"e1"' and "If-Modified-Since" in first.headers
    assert "If-None-Match" not in second.headers
    assert [e.status for e in result.exchanges] == [301, 200]


def test_redirect_loops_and_long_chains_end_with_an_error_after_archiving_each_hop(site):
    site.redirect("/a", "/b")
    site.redirect("/b", "/a")
    loop = fetcher().fetch(site.url("/a"))
    assert "redirect loop" in loop.error and [e.status for e in loop.exchanges] == [301, 301]
    for i in range(8):
        site.redirect(f"/chain-{i}", f"/chain-{i + 1}")
    chain = fetcher().fetch(site.url("/chain-0"))
    assert "more than 5 redirects" in chain.error
    assert len(chain.exchanges) == 6 and site.count("/chain-6") == 0


def test_a_redirect_out_of_scope_or_to_another_scheme_is_not_followed(site):
    site.redirect("/ra-ngoai", "http://localhost:9/x")
    site.redirect("/ftp", "ftp://ward.test/tep")
    result = fetcher().fetch(site.url("/ra-ngoai"), scope=lambda url: None if "127.0.0.1" in url else "out")
    assert result.refused == "http://localhost:9/x: out" and result.final is None
    ftp = fetcher().fetch(site.url("/ftp"))
    assert ftp.final is not None and ftp.final.status == 301     # nothing to follow: the 301 is the answer


def test_the_body_is_kept_as_sent_and_transfer_encoding_is_dropped(site):
    compressed = gzip.compress("Ủy ban nhân dân".encode())
    site.sequence("/gz", [Response(200, compressed, {"Content-Type": "text/html", "Content-Encoding": "gzip"},
                                   send_length=False)])
    [exchange] = fetcher().fetch(site.url("/gz")).exchanges
    assert exchange.body == compressed
    assert exchange.body_decoded() == "Ủy ban nhân dân".encode()
    assert exchange.header("content-encoding") == "gzip"
    assert exchange.header("Transfer-Encoding") is None
    assert dict(exchange.request_headers)["User-Agent"] == CRAWL.user_agent


def test_robots_rules_for_missing_redirected_and_failing_robots_txt(site, other_site):
    assert product_token(CRAWL.user_agent) == "TinPhuongTest"
    rules = RobotsRules(fetcher(), Politeness(0), CRAWL.user_agent)
    assert rules.allowed(site.url("/bat-ky"))                           # 404: allow all
    assert site.count("/robots.txt") == 1
    rules.allowed(site.url("/khac"))
    assert site.count("/robots.txt") == 1                               # cached per origin
    other_site.route("/robots.txt", "", status=500)
    assert rules.refusal(other_site.url("/x")) == "robots.txt unavailable (HTTP 500)"


def test_one_request_at_a_time_per_host_even_from_several_threads(site):
    site.page("/cham", "chậm", delay=0.2)
    shared = fetcher()
    threads = [threading.Thread(target=shared.fetch, args=(site.url("/cham"),)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first, second = site.requested("/cham")
    assert second.time - first.time >= 0.19        # the second waited for the first answer
