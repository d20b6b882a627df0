"""Crawling real test sites on 127.0.0.1: discovery, incremental revisits, gone pages, redirects, limits."""

from __future__ import annotations

import email.utils
import gzip
from datetime import UTC, datetime, timedelta

from crawler.crawl import CrawlRun
from crawler.politeness import GIVE_UP_AFTER
from crawler.state import CrawlState
from tests.crawler.conftest import make_config, run_crawl
from tests.sites import Response
from tinphuong.warc import IDENTICAL_PROFILE, NOT_MODIFIED_PROFILE, iter_responses, read_response


def archived(config) -> list:
    return list(iter_responses(config.storage.archive_dir))


def by_url(config, url: str) -> list:
    return [r for r in archived(config) if r.url == url]


def links(*paths: str) -> str:
    return "".join(f'<a href="{p}">{p}</a> ' for p in paths)


# --- robots.txt -------------------------------------------------------------------------------------

def test_robots_txt_is_obeyed_for_our_product_token_and_fetched_once(tmp_path, site):
    site.route("/robots.txt", "User-agent: *\nDisallow: /rieng/\n\nUser-agent: TinPhuongTest\n"
               "Disallow: /chi-cho-ban\nDisallow: /rieng/\n", content_type="text/plain")
    site.page("/", links("/rieng/a.html", "/chi-cho-ban", "/cong-khai"))
    site.page("/cong-khai", links("/rieng/b.html", "/"))
    [summary] = run_crawl(make_config(tmp_path, site))
    assert site.count("/robots.txt") == 1
    assert not any(p.startswith(("/rieng/", "/chi-cho-ban")) for p in site.paths())
    assert site.count("/cong-khai") == 1
    assert summary.fetched == 2 and summary.errors == 0
    assert all(r.headers["User-Agent"].startswith("TinPhuongTest/1.0") for r in site.requests)
    [robots] = by_url(make_config(tmp_path, site), site.url("/robots.txt"))      # archived: what was obeyed
    assert robots.status == 200 and robots.site == "site-0"


def test_an_unavailable_robots_txt_means_nothing_is_fetched_and_the_site_fails(tmp_path, site):
    site.route("/robots.txt", "busy", status=503, content_type="text/plain")
    site.page("/", links("/a"))
    [summary] = run_crawl(make_config(tmp_path, site))
    assert set(site.paths()) == {"/robots.txt"}            # retried (max_retries=1), nothing else
    assert summary.failed and summary.fetched == 0
    answers = [(r.url, r.status) for r in archived(make_config(tmp_path, site))]
    assert answers == [(site.url("/robots.txt"), 503)]                  # archived, nothing else


def test_robots_crawl_delay_above_the_configured_delay_is_honoured(tmp_path, site):
    site.route("/robots.txt", "User-agent: *\nCrawl-delay: 0.3\n", content_type="text/plain")
    site.page("/", links("/a", "/b"))
    site.page("/a", "a")
    site.page("/b", "b")
    run_crawl(make_config(tmp_path, site, crawl={"delay_seconds": 0.05}))
    times = [r.time for r in site.requests]
    assert len(times) == 4
    gaps = [b - a for a, b in zip(times[1:], times[2:], strict=False)]    # after robots.txt is known
    assert min(gaps) >= 0.29, gaps


def test_requests_to_one_host_are_spaced_by_the_configured_delay(tmp_path, site):
    site.page("/", links("/a", "/b", "/c"))
    for path in ("/a", "/b", "/c"):
        site.page(path, path)
    run_crawl(make_config(tmp_path, site, crawl={"delay_seconds": 0.2}))
    times = [r.time for r in site.requests]
    assert len(times) == 5                                  # robots.txt (404), /, /a, /b, /c
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.19


# --- discovery ----------------------------------------------------------------------------------------

def test_sitemaps_from_robots_txt_sitemap_index_gzip_and_feeds_are_followed(tmp_path, site):
    base = site.base_url
    site.route("/robots.txt", f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap-index.xml\n",
               content_type="text/plain")
    site.route("/sitemap-index.xml", '<?xml version="1.0"?><sitemapindex '
               'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               f"<sitemap><loc>{base}/tin-tuc.xml.gz</loc></sitemap></sitemapindex>",
               content_type="application/xml")
    site.route("/tin-tuc.xml.gz", gzip.compress(
        ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
         f"<url><loc>{base}/tin/1.html</loc><lastmod>2025-01-02</lastmod></url>"
         f"<url><loc>{base}/tin/2.html</loc></url></urlset>").encode()), content_type="application/gzip")
    site.route("/rss.xml", f'<rss version="2.0"><channel><item><link>{base}/tin/3.html</link></item>'
               "</channel></rss>", content_type="application/rss+xml")
    site.route("/atom.xml", '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
               f'<link rel="alternate" href="{base}/tin/4.html"/></entry></feed>',
               content_type="application/atom+xml")
    site.route("/", '<html><head><link rel="alternate" type="application/atom+xml" href="/atom.xml">'
               "</head><body>Trang chủ, không có liên kết bài viết</body></html>")
    for i in range(1, 5):
        site.page(f"/tin/{i}.html", f"Bài {i}")
    config = make_config(tmp_path, site, feeds=[f"{base}/rss.xml"])
    [summary] = run_crawl(config)
    for i in range(1, 5):
        assert site.count(f"/tin/{i}.html") == 1, i
    assert summary.errors == 0 and summary.new == 9       # /, 2 sitemaps, 2 feeds, 4 articles
    kinds = {r.url.removeprefix(base): r.status for r in archived(config)}
    assert kinds["/tin-tuc.xml.gz"] == 200 and kinds["/atom.xml"] == 200


def test_malformed_sitemaps_and_feeds_do_not_stop_the_crawl(tmp_path, site):
    base = site.base_url
    site.route("/robots.txt", f"Sitemap: {base}/hong.xml\n", content_type="text/plain")
    site.route("/hong.xml", f"<urlset><url><loc>{base}/con-song.html</loc></url><url><loc>"
               .encode() + b"\xff\xfe<<<", content_type="application/xml")
    site.route("/rss.xml", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]><rss><channel><item>'
               b"<link>&x;</link>", content_type="application/rss+xml")
    site.page("/", "trang chủ")
    site.page("/con-song.html", "vẫn đọc được")
    [summary] = run_crawl(make_config(tmp_path, site, feeds=[f"{base}/rss.xml"]))
    assert site.count("/con-song.html") == 1
    assert summary.failed is None


# --- incremental revisits -----------------------------------------------------------------------------

def test_an_etag_revalidation_answers_304_and_is_archived_as_a_server_not_modified_revisit(tmp_path, site):
    site.page("/", links("/bai"), etag='"home-1"')
    site.page("/bai", "Nội dung bài", etag='"bai-1"', last_modified="Mon, 02 Jun 2025 08:00:00 GMT")
    config = make_config(tmp_path, site, revisit_days=0)
    run_crawl(config)
    [summary] = run_crawl(config)
    second = site.requested("/bai")[1]
    assert second.headers["If-None-Match"] == '"bai-1"'
    assert second.headers["If-Modified-Since"] == "Mon, 02 Jun 2025 08:00:00 GMT"
    assert summary.unchanged == 2 and summary.new == 0 and summary.changed == 0
    captures = by_url(config, site.url("/bai"))
    assert [(c.kind, c.status) for c in captures] == [("response", 200), ("revisit", 304)]
    assert captures[1].profile == NOT_MODIFIED_PROFILE
    assert read_response(config.storage.archive_dir, captures[0].warc_file, captures[0].offset).body() \
        == site.routes["/bai"].answers[0].body


def test_an_unchanged_page_without_validators_is_an_identical_payload_revisit(tmp_path, site):
    site.page("/", links("/bai"))
    site.page("/bai", "Không có ETag")
    config = make_config(tmp_path, site, revisit_days=0)
    run_crawl(config)
    [summary] = run_crawl(config)
    assert "If-None-Match" not in site.requested("/bai")[1].headers
    captures = by_url(config, site.url("/bai"))
    assert [c.kind for c in captures] == ["response", "revisit"]
    assert captures[1].profile == IDENTICAL_PROFILE and captures[1].refers_to_date
    assert summary.unchanged == 2


def test_a_changed_page_gets_a_new_capture_and_the_old_one_stays_readable(tmp_path, site):
    site.page("/", links("/bai"))
    site.page("/bai", "Phiên bản một", etag='"v1"')
    config = make_config(tmp_path, site, revisit_days=0)
    run_crawl(config)
    site.page("/bai", "Phiên bản hai", etag='"v2"')
    [summary] = run_crawl(config)
    assert summary.changed == 1
    old, new = by_url(config, site.url("/bai"))
    assert b"Phi\xc3\xaan b\xe1\xba\xa3n m\xe1\xbb\x99t" in read_response(
        config.storage.archive_dir, old.warc_file, old.offset).body()
    assert "Phiên bản hai".encode() in new.body()


def headlines(*paths: str) -> str:
    """A category page's list: linked headings, the shape of a listing."""
    return "".join(f'<h3><a href="{p}">Tin hoạt động của phường {p}</a></h3><p>Tóm tắt.</p>' for p in paths)


def test_articles_not_due_are_skipped_and_listings_are_always_revisited(tmp_path, site):
    site.page("/", links("/chuyen-muc"))
    site.page("/chuyen-muc", headlines("/bai-cu", "/bai-khac", "/bai-nua"))
    for path in ("/bai-cu", "/bai-khac", "/bai-nua"):
        site.page(path, "bài cũ " + path)
    config = make_config(tmp_path, site, revisit_days=30)
    run_crawl(config)
    site.page("/chuyen-muc", headlines("/bai-moi", "/bai-cu", "/bai-khac", "/bai-nua"))
    site.page("/bai-moi", "bài mới")
    [summary] = run_crawl(config)                          # the same night: no share of the rotation
    assert site.count("/bai-cu") == 1
    assert site.count("/") == 2 and site.count("/chuyen-muc") == 2
    assert site.count("/bai-moi") == 1 and summary.new == 1


def test_a_page_that_now_answers_404_or_410_is_marked_gone_and_the_answer_archived(tmp_path, site):
    site.page("/", links("/bai-a", "/bai-b"))
    site.page("/bai-a", "a")
    site.page("/bai-b", "b")
    config = make_config(tmp_path, site, revisit_days=0)
    run_crawl(config)
    site.route("/bai-a", "Không tìm thấy", status=404)
    site.route("/bai-b", "Đã xoá", status=410)
    [summary] = run_crawl(config)
    assert summary.gone == 2 and summary.errors == 0
    assert [c.status for c in by_url(config, site.url("/bai-a"))] == [200, 404]
    assert [c.status for c in by_url(config, site.url("/bai-b"))] == [200, 410]
    with CrawlState.open(config.storage.archive_dir) as state:
        assert state.url(site.url("/bai-a")).gone and state.url(site.url("/bai-b")).gone
        assert state.site_counts()["site-0"]["gone"] == 2


# --- redirects --------------------------------------------------------------------------------------

def test_redirects_inside_the_site_are_followed_and_every_hop_archived(tmp_path, site):
    site.page("/", links("/cu"))
    site.redirect("/cu", "/trung-gian", status=301)
    site.redirect("/trung-gian", site.url("/moi?utm_source=x"), status=302)
    site.page("/moi", "trang mới")
    config = make_config(tmp_path, site)
    [summary] = run_crawl(config)
    statuses = {r.url.removeprefix(site.base_url): r.status for r in archived(config)}
    assert statuses == {"/robots.txt": 404, "/": 200, "/cu": 301, "/trung-gian": 302, "/moi": 200}
    assert site.count("/moi?utm_source=x") == 0 and site.count("/moi") == 1    # canonicalised hop
    assert summary.errors == 0


def test_a_redirect_to_a_host_not_allowed_is_archived_but_not_followed(tmp_path, site, other_site):
    outside = other_site.url("/bat-ky").replace("127.0.0.1", "localhost")
    other_site.page("/bat-ky", "ngoài phạm vi")
    site.page("/", links("/ra-ngoai", outside))
    site.redirect("/ra-ngoai", outside)
    config = make_config(tmp_path, site)
    run_crawl(config)
    assert other_site.requests == []
    assert [r.status for r in by_url(config, site.url("/ra-ngoai"))] == [301]


# --- hostile and faulty servers -------------------------------------------------------------------------

def test_wrong_or_missing_charsets_are_archived_byte_for_byte(tmp_path, site):
    cp1258 = "Phường Bến Nghé".encode("cp1258", errors="replace") + b"\x80\x81\xfe"
    site.page("/", links("/khong-charset", "/sai-charset"))
    bodies = {path: b"<html><body>" + cp1258 + path.encode() + b"</body></html>"
              for path in ("/khong-charset", "/sai-charset")}
    site.route("/khong-charset", bodies["/khong-charset"], content_type="text/html")
    site.route("/sai-charset", bodies["/sai-charset"], content_type="text/html; charset=utf-8")
    config = make_config(tmp_path, site)
    run_crawl(config)
    for path, body in bodies.items():
        [capture] = by_url(config, site.url(path))
        assert capture.body() == body


def test_a_slow_response_times_out_and_is_recorded_as_an_error(tmp_path, site):
    site.page("/", links("/cham", "/nhanh"))
    site.page("/cham", "quá chậm", delay=1.0)
    site.page("/nhanh", "nhanh")
    config = make_config(tmp_path, site, crawl={"timeout_seconds": 0.3, "max_retries": 0})
    [summary] = run_crawl(config)
    assert summary.errors == 1 and summary.fetched == 2
    assert by_url(config, site.url("/cham")) == []
    with CrawlState.open(config.storage.archive_dir) as state:
        [error] = state.recent_errors(5)
    assert error.url == site.url("/cham") and "connection failed" in error.message


def test_a_trickling_response_is_cut_by_the_wall_clock_cap(tmp_path, site):
    site.page("/", links("/nho-giot"))
    site.page("/nho-giot", "x" * 200, trickle=0.01)
    config = make_config(tmp_path, site, crawl={"max_retries": 0})
    [summary] = run_crawl(config, total_seconds=0.4)
    assert summary.errors == 1 and by_url(config, site.url("/nho-giot")) == []


def test_an_oversize_response_is_not_archived_and_an_error_is_recorded(tmp_path, site):
    site.page("/", links("/lon", "/lon-khong-do-dai", "/vua"))
    site.route("/lon", b"x" * 5000)
    site.sequence("/lon-khong-do-dai", [Response(200, b"y" * 5000, {"Content-Type": "text/html"},
                                                 send_length=False)])
    site.page("/vua", "vừa")
    config = make_config(tmp_path, site, crawl={"max_bytes": 2048})
    [summary] = run_crawl(config)
    assert summary.errors == 2
    assert by_url(config, site.url("/lon")) == [] and by_url(config, site.url("/lon-khong-do-dai")) == []
    assert len(by_url(config, site.url("/vua"))) == 1
    with CrawlState.open(config.storage.archive_dir) as state:
        messages = [e.message for e in state.recent_errors(5)]
    assert all("max_bytes" in m for m in messages) and len(messages) == 2


def test_a_503_is_retried_after_its_retry_after_and_then_archived(tmp_path, site):
    site.page("/", links("/ban", "/khong-co"))
    site.sequence("/ban", [Response(503, b"busy", {"Retry-After": "1"}),
                           Response(200, b"<html>ok</html>", {"Content-Type": "text/html"})])
    config = make_config(tmp_path, site, crawl={"max_retries": 2})
    [summary] = run_crawl(config)
    first, second = site.requested("/ban")
    assert second.time - first.time >= 0.95
    assert [c.status for c in by_url(config, site.url("/ban"))] == [200]
    assert site.count("/khong-co") == 1                     # a 4xx is never retried
    assert summary.errors == 0


def answers(*responses: Response):
    """A handler answering its n-th request with responses[n] (the last one repeats); a response
    given as a function is built when the request arrives."""
    seen = []

    def answer(request):
        seen.append(request)
        response = responses[min(len(seen), len(responses)) - 1]
        return response() if callable(response) else response
    return answer


def test_429_with_retry_after_in_seconds_and_as_an_http_date_is_waited_for(tmp_path, site):
    def in_two_seconds() -> Response:
        when = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=2), usegmt=True)
        return Response(429, b"slow down", {"Retry-After": when})

    ok = Response(200, b"<html><body>ok</body></html>", {"Content-Type": "text/html"})
    site.page("/", links("/giay", "/ngay"))
    site.handler("/giay", answers(Response(429, b"slow down", {"Retry-After": "1"}), ok))
    site.handler("/ngay", answers(in_two_seconds, ok))
    config = make_config(tmp_path, site, crawl={"max_retries": 2})
    [summary] = run_crawl(config)
    for path in ("/giay", "/ngay"):
        first, second = site.requested(path)
        assert second.time - first.time >= 0.95, path      # an HTTP date has whole seconds: 1 to 2 s
        assert [c.status for c in by_url(config, site.url(path))] == [200]
    assert summary.errors == 0 and summary.backed_off is None


def test_a_host_that_keeps_answering_503_is_left_alone_for_the_rest_of_the_run_and_reported(tmp_path, site):
    site.page("/", links(*(f"/bai-{i}" for i in range(20))))
    site.handler("/bai-", lambda request: Response(503, b"busy", {"Content-Type": "text/html"}))
    config = make_config(tmp_path, site, crawl={"max_retries": 1})
    [summary] = run_crawl(config, backoff_base=0.001)
    assert len([p for p in site.paths() if p.startswith("/bai-")]) == GIVE_UP_AFTER   # 5 URLs, twice each
    assert "10 failed requests in a row" in summary.backed_off and "backed off" in summary.line()
    assert summary.failed is None and summary.errors == 5
    with CrawlState.open(config.storage.archive_dir) as state:
        assert any("backed off for the rest of the run" in e.message for e in state.recent_errors(10))
        assert state.frontier_size("site-0") == 15          # the rest waits for the next run

    site.handler("/bai-", lambda request: Response(200, request.path.encode(), {"Content-Type": "text/html"}))
    site.prefixes.reverse()                                # the newer handler answers first
    [summary] = run_crawl(config)
    assert summary.new == 20 and summary.backed_off is None     # the ones that failed are tried again too


def test_a_retry_after_beyond_the_cap_leaves_the_host_alone_at_once(tmp_path, site):
    site.page("/", links("/bai", "/khac"))
    site.route("/bai", "busy", status=429, headers={"Retry-After": "3600"})
    site.page("/khac", "khác")
    config = make_config(tmp_path, site, crawl={"max_retries": 3})
    [summary] = run_crawl(config)
    assert site.count("/bai") == 1 and site.count("/khac") == 0
    assert "Retry-After" in summary.backed_off
    assert [c.status for c in by_url(config, site.url("/bai"))] == [429]


def test_server_errors_are_retried_with_growing_back_off_and_bounded(tmp_path, site):
    site.page("/", links("/loi"))
    site.route("/loi", "boom", status=500)
    config = make_config(tmp_path, site, crawl={"max_retries": 2})
    [summary] = run_crawl(config, backoff_base=0.1)
    times = [r.time for r in site.requested("/loi")]
    assert len(times) == 3
    assert times[1] - times[0] >= 0.09 and times[2] - times[1] >= 0.19
    assert summary.errors == 1
    assert [c.status for c in by_url(config, site.url("/loi"))] == [500]


# --- traps and limits -------------------------------------------------------------------------------

def test_an_infinite_calendar_and_ever_deeper_links_stay_bounded(tmp_path, site):
    def calendar(request):
        month = request.path.split("thang=")[1]
        year, number = int(month[:4]), int(month[5:7])
        previous = f"{year - (number == 1)}-{(number - 2) % 12 + 1:02d}"
        following = f"{year + (number == 12)}-{number % 12 + 1:02d}"
        return Response(body=f'<a href="/lich?thang={previous}">trước</a><a href="/lich?thang={following}">'
                        "sau</a>".encode(), headers={"Content-Type": "text/html"})

    def deeper(request):
        return Response(body=f'<a href="{request.path}x/">sâu hơn</a>'.encode(),
                        headers={"Content-Type": "text/html"})

    site.handler("/lich", calendar)
    site.handler("/sau/", deeper)
    site.page("/", links("/lich?thang=2025-06", "/sau/"))
    config = make_config(tmp_path, site)
    [summary] = run_crawl(config)
    calendar_requests = [p for p in site.paths() if p.startswith("/lich")]
    deep_requests = [p for p in site.paths() if p.startswith("/sau/")]
    assert 10 < len(calendar_requests) <= 61
    assert all(2027 >= int(p[12:16]) >= 1995 for p in calendar_requests)
    assert len(deep_requests) <= 15
    with CrawlState.open(config.storage.archive_dir) as state:
        assert state.frontier_size("site-0") == 0
    assert summary.failed is None


def test_max_pages_caps_a_run_and_the_next_run_continues_from_the_frontier(tmp_path, site):
    site.page("/", links(*(f"/bai-{i}" for i in range(8))))
    for i in range(8):
        site.page(f"/bai-{i}", links(f"/bai-{i}/chi-tiet"))
        site.page(f"/bai-{i}/chi-tiet", f"chi tiết {i}")
    config = make_config(tmp_path, site, revisit_days=30)
    [first] = run_crawl(config, max_pages=5)
    assert first.fetched == 5
    with CrawlState.open(config.storage.archive_dir) as state:
        assert state.frontier_size("site-0") == 8       # /bai-4..7 and the details of /bai-0..3
    [second] = run_crawl(config)
    details = [p for p in site.paths() if p.endswith("/chi-tiet")]
    assert sorted(details) == sorted(set(details)) and len(details) == 8   # each once, none lost
    assert second.new == 12


def test_a_start_page_that_keeps_answering_5xx_fails_the_site(tmp_path, site):
    site.route("/", "bảo trì", status=502)
    [summary] = run_crawl(make_config(tmp_path, site, crawl={"max_retries": 0}))
    assert summary.failed == "no start URL could be fetched" and summary.errors == 1


def test_gzip_encoded_pages_are_archived_encoded_and_their_links_followed(tmp_path, site):
    home = gzip.compress(b'<html><body><a href="/bai">b\xc3\xa0i</a></body></html>')
    site.route("/", home, headers={"Content-Encoding": "gzip"})
    site.page("/bai", "bài")
    config = make_config(tmp_path, site)
    run_crawl(config)
    assert "gzip" in site.requests[1].headers["Accept-Encoding"]
    [capture] = by_url(config, site.url("/"))
    assert capture.payload == home and b"/bai" in capture.body()
    assert site.count("/bai") == 1


def test_after_a_kill_the_open_file_is_cut_to_what_the_state_recorded_and_the_run_goes_on(tmp_path, site):
    site.page("/", links("/a", "/b"))
    site.page("/a", "a")
    site.page("/b", "b")
    config = make_config(tmp_path, site)
    run = CrawlRun(config).__enter__()
    run.crawl_site(config.sites[0], max_pages=2)
    handle = run.warc_writer._handle
    handle.write(gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n")[:20])   # a record cut by the kill
    handle.close()                                                                 # no rename, no finish
    run.state.close()
    [open_file] = (tmp_path / "archive" / "warc").glob("*.open")
    with CrawlState.open(config.storage.archive_dir) as state:
        recorded_end = state.warc_ends()[open_file.name.removesuffix(".open")]
    assert open_file.stat().st_size == recorded_end + 20

    [summary] = run_crawl(config)
    finished = open_file.with_name(open_file.name.removesuffix(".open"))
    assert finished.stat().st_size == recorded_end and not open_file.exists()
    assert site.count("/b") == 1 and summary.new == 1          # the page left in the frontier is done now
    pages = sorted(r.url for r in archived(config) if r.kind == "response" and "robots" not in r.url)
    assert pages == sorted(site.url(p) for p in ("/", "/a", "/b"))
