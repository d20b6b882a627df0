"""Page requisites and attachments, crawled from a real loopback site and read back from the WARC files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.requisites import page_resources, stylesheet_requisites
from crawler.state import CrawlState
from tests.crawler.conftest import make_config, run_crawl
from tests.media import png
from tests.requisite_site import ARTICLE, FONT, LOGO, PDF, PHOTO, SECOND, WardSite
from tinphuong.warc import IDENTICAL_PROFILE, NOT_MODIFIED_PROFILE, WARC_SUBDIR

REQUISITES = ["/static/site.css", "/static/co-ban.css", "/fonts/phuong.woff2", "/static/logo.png",
              "/images/logo-ban-sao.png", "/uploads/anh-1.png", "/uploads/anh-1@2x.png", "/uploads/anh-2.png",
              "/uploads/anh-2-nho.png", "/uploads/anh-3.png", "/uploads/nen.png", "/uploads/nen-2.png"]


@pytest.fixture()
def ward(site, other_site) -> WardSite:
    return WardSite.build(site, other_site)


def warc_records(config) -> list:
    """(type, URI, HTTP status, profile, refers-to URI, payload) of every record, read with warcio itself."""
    found = []
    for path in sorted((config.storage.archive_dir / WARC_SUBDIR).glob("*.warc.gz")):
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type in ("response", "revisit"):
                    headers = record.rec_headers
                    found.append((record.rec_type, headers.get_header("WARC-Target-URI"),
                                  int(record.http_headers.get_statuscode()),
                                  headers.get_header("WARC-Profile"),
                                  headers.get_header("WARC-Refers-To-Target-URI"),
                                  record.content_stream().read()))
    return found


def records_of(config, url: str) -> list:
    return [r for r in warc_records(config) if r[1] == url]


def test_an_article_s_images_stylesheets_font_and_attachment_are_archived(tmp_path, ward):
    config = ward.config(tmp_path)
    [summary] = run_crawl(config)
    assert summary.failed is None
    for path in REQUISITES + ["/van-ban/quyet-dinh-123.pdf"]:
        assert ward.site.count(path) == 1, path
    by_url = {r[1]: r for r in warc_records(config) if r[0] == "response"}
    assert by_url[ward.url("/uploads/anh-1.png")][5] == PHOTO
    assert by_url[ward.url("/fonts/phuong.woff2")][5] == FONT          # found in the stylesheet
    assert by_url[ward.url("/van-ban/quyet-dinh-123.pdf")][5] == PDF
    with CrawlState.open(config.storage.archive_dir) as state:
        assert state.url(ward.url("/uploads/anh-1.png")).kind == "requisite"
        assert state.url(ward.url("/van-ban/quyet-dinh-123.pdf")).kind == "attachment"
        assert state.url(ward.url(ARTICLE)).kind == "page"


def test_teaser_thumbnails_unknown_hosts_scripts_and_javascript_urls_are_not_fetched(tmp_path, ward):
    run_crawl(ward.config(tmp_path))
    assert ward.site.count("/uploads/thumb-ra-quan.png") == 0     # a listing's link to the article
    assert ward.elsewhere.paths() == []                            # images, @import, iframe on another host
    assert not any("javascript" in path for path in ward.site.paths())


def test_a_requisite_over_its_cap_is_not_archived_and_not_asked_for_every_night(tmp_path, ward):
    config = ward.config(tmp_path)
    [summary] = run_crawl(config)
    assert ward.site.count("/uploads/rat-lon.png") == 1
    assert records_of(config, ward.url("/uploads/rat-lon.png")) == []
    assert summary.errors == 1
    with CrawlState.open(config.storage.archive_dir) as state:
        [error] = state.recent_errors()
        assert "rat-lon.png" in error.message and "exceeds" in error.message
    ward.site.route(ARTICLE, ward.site.routes[ARTICLE].answers[0].body + b"<p>sua</p>")   # page changed
    run_crawl(ward.config(tmp_path, revisit_days=0))               # every page revalidated this time
    assert ward.site.count(ARTICLE) == 2 and ward.site.count("/uploads/rat-lon.png") == 1


def test_the_same_logo_under_two_urls_is_one_response_and_one_revisit(tmp_path, ward):
    config = ward.config(tmp_path)
    run_crawl(config)
    [original] = records_of(config, ward.url("/static/logo.png"))     # on three pages, fetched once
    [copy] = records_of(config, ward.url("/images/logo-ban-sao.png"))
    assert original[0] == "response" and original[5] == LOGO
    assert copy[0] == "revisit" and copy[3] == IDENTICAL_PROFILE and copy[5] == b""
    assert copy[4] == ward.url("/static/logo.png")                    # refers to the record holding it
    assert ward.site.count("/static/logo.png") == 1


def test_known_requisites_are_not_fetched_again_for_a_changed_page_but_in_their_turn_conditionally(
        tmp_path, ward):
    config = ward.config(tmp_path)
    run_crawl(config)
    ward.site.route(ARTICLE, ward.site.routes[ARTICLE].answers[0].body + b"<p>sua</p>")
    run_crawl(ward.config(tmp_path, revisit_days=0))        # the article changed: its requisites are known
    assert ward.site.count(ARTICLE) == 2
    assert all(ward.site.count(path) == 1 for path in REQUISITES)
    tomorrow = datetime.now(UTC) + timedelta(days=1)         # cycles of one night: all of them in turn
    run_crawl(ward.config(tmp_path, {"requisite_revisit_days": 1}, revisit_days=1), clock=lambda: tomorrow)
    etags = {"/static/co-ban.css": '"css-1"', "/uploads/anh-1.png": '"/uploads/anh-1.png"',
             "/van-ban/quyet-dinh-123.pdf": '"pdf-1"'}
    for path, etag in etags.items():                        # the PDF every night since revisit_days = 0
        first, *again = ward.site.requested(path)
        assert "If-None-Match" not in first.headers and again
        assert all(request.headers["If-None-Match"] == etag for request in again)
        [original, *revisits] = records_of(config, ward.url(path))
        assert original[0] == "response" and len(revisits) == len(again)
        assert all(r[0] == "revisit" and r[3] == NOT_MODIFIED_PROFILE for r in revisits)


def test_requisite_hosts_lets_a_site_use_another_host(tmp_path, ward):
    config = ward.config(tmp_path, requisite_hosts=["localhost"])
    run_crawl(config)
    assert ward.elsewhere.count("/anh-ngoai.png") == 1 and ward.elsewhere.count("/ngoai.css") == 1
    assert ward.elsewhere.count("/nhung.html") == 0 and ward.elsewhere.count("/tin-khac.html") == 0
    assert ward.elsewhere.count("/robots.txt") == 1                   # that host's robots.txt applies too


def test_robots_txt_applies_to_requisites(tmp_path, ward):
    ward.site.route("/robots.txt", "User-agent: *\nDisallow: /uploads/\n", content_type="text/plain")
    run_crawl(ward.config(tmp_path))
    assert not any(path.startswith("/uploads/") for path in ward.site.paths())
    assert ward.site.count("/static/logo.png") == 1


def test_requisites_and_attachments_can_be_turned_off(tmp_path, ward):
    run_crawl(ward.config(tmp_path, crawl={"requisites": False, "attachments": False}))
    assert set(ward.site.paths()) == {"/robots.txt", "/", ARTICLE, SECOND}


def test_a_link_that_answers_with_a_document_type_is_an_attachment(tmp_path, site):
    site.page("/", '<a href="/DownloadFile.aspx?id=7">Tải về</a>')
    site.route("/DownloadFile.aspx?id=7", PDF, content_type="application/pdf")
    config = make_config(tmp_path, site)
    run_crawl(config)
    with CrawlState.open(config.storage.archive_dir) as state:
        known = state.url(site.url("/DownloadFile.aspx?id=7"))
        assert known.kind == "attachment" and known.next_visit > known.last_fetched   # not a nightly hub
    assert records_of(config, site.url("/DownloadFile.aspx?id=7"))[0][5] == PDF


def test_attachments_have_their_own_cap(tmp_path, site):
    big = b"%PDF-1.4\n" + b"0" * 30_000
    site.page("/", '<a href="/a.pdf">a</a> <a href="/b.html">b</a>')
    site.route("/a.pdf", big, content_type="application/pdf")
    site.route("/b.html", b"<html><body>" + b"x" * 30_000 + b"</body></html>")
    config = make_config(tmp_path, site, crawl={"max_bytes": 40_000, "attachment_max_bytes": 20_000})
    [summary] = run_crawl(config)
    assert records_of(config, site.url("/a.pdf")) == [] and summary.errors == 1
    assert len(records_of(config, site.url("/b.html"))) == 1
    config = make_config(tmp_path / "2", site, crawl={"max_bytes": 20_000, "attachment_max_bytes": 40_000})
    run_crawl(config)
    assert records_of(config, site.url("/a.pdf"))[0][5] == big


# --- what a page and a stylesheet load -------------------------------------------------------------

PAGE = "http://phuong.example.vn/tin/bai.html"


def test_page_resources_reads_srcset_picture_lazy_styles_and_links_against_the_base():
    html = b"""<html><head><base href="http://phuong.example.vn/goc/">
    <link rel="alternate stylesheet" href="in.css"><link rel="icon" href="/favicon.ico">
    <style>@import 'nhap.css'; .a { background: url( "nen.png" ) }</style></head><body>
    <img src="a.png" srcset="a,1.png 1x, b.png 2x,c.png 640w">
    <picture><source srcset="d.webp"><img src="d.png"></picture>
    <video poster="poster.png"><source src="phim.mp4"></video>
    <img data-src="lazy.png" src="data:image/gif;base64,R0lG"> <table background="bang.png"></table>
    <div style="background:url(kieu.png)"></div> <input type="IMAGE" src="nut.png">
    <a href="/van-ban/qd.PDF">qd</a> <a href="bai-khac.html">bai</a> <a href="ds.xlsx?v=2">ds</a>
    </body></html>"""
    found = page_resources(html, PAGE)
    base = "http://phuong.example.vn/goc/"
    assert found.requisites == [base + p for p in (
        "a.png", "a,1.png", "b.png", "c.png", "d.webp", "d.png", "poster.png", "lazy.png", "bang.png",
        "nut.png", "in.css", "nhap.css", "nen.png", "kieu.png")]
    assert found.attachments == ["http://phuong.example.vn/van-ban/qd.PDF", base + "ds.xlsx?v=2"]


def test_images_that_link_to_other_pages_are_teasers_but_not_the_home_logo_or_zoom_links():
    html = b"""<html><body>
    <a href="/"><img src="/logo.png"></a>
    <a href="http://phuong.example.vn/trang-chu"><img src="/logo2.png"></a>
    <a href="/tin/khac.html"><img src="/thumb.png"><picture><source srcset="/thumb.webp"></picture></a>
    <a href="/anh/lon.jpg"><img src="/anh/nho.jpg"></a> <a href="#"><img src="/cung-trang.png"></a>
    </body></html>"""
    found = page_resources(html, PAGE, homes=["http://phuong.example.vn/trang-chu"])
    assert [u.rsplit("/", 1)[1] for u in found.requisites] == ["logo.png", "logo2.png", "nho.jpg",
                                                              "cung-trang.png"]


def test_stylesheet_requisites_resolve_against_the_sheet_and_skip_what_browsers_would_not_load():
    css = rb"""@charset "utf-8"; @import "a.css" screen; /* url(comment.png) */
    .b { background: url(\2f img\2f b.png) } .c { content: "url(string.png)" }
    .d { background: url(bad url.png) } .e { src: url('../f.woff2') format("woff2") }
    .g { background: url(data:image/png;base64,AAAA) } .h { background: url(javascript:alert(1)) }"""
    assert stylesheet_requisites(css, "http://phuong.example.vn/css/site.css", "text/css") == [
        "http://phuong.example.vn/css/a.css", "http://phuong.example.vn/img/b.png",
        "http://phuong.example.vn/f.woff2"]


def test_a_hostile_page_with_thousands_of_images_gives_a_bounded_list():
    html = "".join(f'<img src="/{i}.png">' for i in range(5000)).encode()
    assert len(page_resources(html, PAGE).requisites) == 100


def test_unparseable_bodies_give_nothing():
    assert page_resources(b"", PAGE).requisites == []
    assert page_resources(b"\x00\xff" * 10, PAGE).attachments == []
    assert stylesheet_requisites(b"\xff\xfe\x00", "http://x.vn/a.css", None) == []


def test_a_requisite_found_on_another_allowed_host_is_fetched_under_its_robots(tmp_path, site, other_site):
    other = other_site.base_url.replace("127.0.0.1", "localhost")
    site.page("/", f'<img src="{other}/anh.png">')
    other_site.route("/anh.png", png(), content_type="image/png")
    other_site.route("/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")
    run_crawl(make_config(tmp_path, site, requisite_hosts=["localhost"]))
    assert other_site.paths() == ["/robots.txt"]
