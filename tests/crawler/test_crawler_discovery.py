"""Link, sitemap and feed discovery on hostile input: what is found, what is skipped, nothing explodes."""

from __future__ import annotations

import gzip

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.discovery import html_links, iso_date, parse_feed, parse_sitemap

PAGE = "http://ward.test/chuyen-muc/tin-tuc/"


def test_links_resolve_against_base_href_skip_files_and_keep_document_order():
    html = ('<html><head><base href="http://ward.test/goc/"></head><body>'
            '<a href="bai-1.html">1</a><a href="/bai-2.html#binh-luan">2</a><a href="bai-1.html">again</a>'
            '<a href="anh.JPG">ảnh</a><a href="van-ban.pdf">pdf</a><a href="mailto:ubnd@ward.test">mail</a>'
            '<a href="javascript:void(0)">js</a><a href="http://khac.test/x" rel="nofollow">ngoài</a>'
            '<map><area href="/ban-do.html"></map></body></html>')
    found = html_links(html.encode(), PAGE)
    assert found.pages == ["http://ward.test/goc/bai-1.html", "http://ward.test/bai-2.html",
                           "http://khac.test/x", "http://ward.test/ban-do.html"]


def test_a_page_level_robots_nofollow_stops_link_following():
    html = '<html><head><meta name="Robots" content="noindex, NOFOLLOW"></head><a href="/x">x</a></html>'
    assert html_links(html.encode(), PAGE).pages == []


def test_feed_links_in_the_head_are_found():
    html = ('<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
            '<link rel="stylesheet" href="/s.css"></head></html>')
    assert html_links(html.encode(), PAGE).feeds == ["http://ward.test/rss.xml"]


def test_links_in_a_legacy_encoding_are_read_with_the_declared_charset():
    html = '<a href="/café-sáng">x</a>'.encode("cp1252")
    assert html_links(html, PAGE, charset="windows-1252").pages == ["http://ward.test/caf%C3%A9-s%C3%A1ng"]


def test_sitemap_index_and_gzipped_urlset_with_lastmod():
    index = parse_sitemap(b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                          b"<sitemap><loc>/sm-1.xml.gz</loc></sitemap></sitemapindex>",
                          "http://ward.test/sitemap.xml")
    assert index.sitemaps == ["http://ward.test/sm-1.xml.gz"] and index.pages == []
    urlset = parse_sitemap(gzip.compress(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>http://ward.test/a</loc><lastmod>2023-03-16T08:00:00+07:00</lastmod></url>"
        b"<url><loc>http://ward.test/b.pdf</loc></url></urlset>"), "http://ward.test/sm-1.xml.gz")
    assert [(link.url, link.lastmod) for link in urlset.pages] == [
        ("http://ward.test/a", "2023-03-16T01:00:00Z")]


def test_xml_entities_are_never_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MAT-KHAU", encoding="utf-8")
    body = (f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY s SYSTEM "file://{secret}">'
            '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            "<urlset><url><loc>http://ward.test/&s;</loc></url><url><loc>http://ward.test/&b;</loc></url>"
            "</urlset>").encode()
    urls = [link.url for link in parse_sitemap(body, "http://ward.test/s.xml").pages]
    assert urls == ["http://ward.test/"]             # both entities dropped, the same address once
    feed = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY s SYSTEM "file://{secret}">]>'
            "<rss><channel><item><link>http://ward.test/&s;</link></item></channel></rss>").encode()
    assert [link.url for link in parse_feed(feed)] == ["http://ward.test/"]


def test_rss_and_atom_items_with_their_dates():
    rss = parse_feed(b'<rss version="2.0"><channel><item><title>Tin</title><link>http://ward.test/1</link>'
                     b"<pubDate>Thu, 16 Mar 2023 08:00:00 +0700</pubDate></item>"
                     b'<item><guid isPermaLink="true">http://ward.test/2</guid></item>'
                     b'<item><guid isPermaLink="false">tag:x</guid></item></channel></rss>')
    assert [(link.url, link.lastmod) for link in rss] == [("http://ward.test/1", "2023-03-16T01:00:00Z"),
                                                         ("http://ward.test/2", None)]
    atom = parse_feed(b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="edit" href="/e"/>'
                      b'<link href="http://ward.test/3"/><updated>2024-01-01T00:00:00Z</updated></entry></feed>')
    assert [(link.url, link.lastmod) for link in atom] == [("http://ward.test/3", "2024-01-01T00:00:00Z")]


def test_unreadable_dates_are_none():
    assert iso_date("hôm qua") is None and iso_date("2024-02-30") is None
    assert iso_date("2024-02-03") == "2024-02-03T23:59:59Z"      # a day: changed at any time of it


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_any_parser(data):
    html_links(data, PAGE)
    html_links(data, PAGE, charset="no-such-charset")
    parse_sitemap(data, PAGE)
    parse_sitemap(b"\x1f\x8b" + data, PAGE)
    parse_feed(data)
