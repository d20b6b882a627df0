"""Following a search: every results page links an Atom feed of its query, newest first, which a real
XML parser reads; a real refresh that archives a new article puts it at the top of the feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

from bs4 import BeautifulSoup

from tests.sites import TestSite
from tests.webui.listing_corpus import FLOOD, HOSTILE_TITLES
from tests.webui.ward_refresh import refresh, ward_page, write_config
from tinphuong.config import load_config
from webui import create_app

A = "{http://www.w3.org/2005/Atom}"
BIDI = ("\u202e", "\u2066", "\u2069")


def feed_of(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    assert response.get_data().startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = ET.fromstring(response.get_data())
    assert root.tag == f"{A}feed"
    return root


def feed_link(client, path: str, **params) -> str:
    soup = BeautifulSoup(client.get(path, query_string=params).get_data(as_text=True), "lxml")
    links = soup.head.select('link[rel=alternate][type="application/atom+xml"]')
    assert len(links) == 1 and links[0]["title"]
    return links[0]["href"]


def entries(feed: ET.Element) -> list[dict]:
    found = []
    for entry in feed.findall(f"{A}entry"):
        links = {link.get("rel"): link.get("href") for link in entry.findall(f"{A}link")}
        found.append({"id": entry.findtext(f"{A}id"), "title": entry.findtext(f"{A}title"),
                      "published": entry.findtext(f"{A}published"), "updated": entry.findtext(f"{A}updated"),
                      "summary": entry.findtext(f"{A}summary"), "links": links,
                      "author": entry.findtext(f"{A}author/{A}name")})
    return found


def rfc3339(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert moment.tzinfo is not None, text
    return moment


def test_the_results_page_links_a_valid_atom_feed_of_its_query_newest_first(listing_client, listing):
    href = feed_link(listing_client, "/search", q="ngap nuoc", sort="oldest", page="2")
    assert "sort" not in href and "page" not in href and "q=ngap+nuoc" in href
    feed = feed_of(listing_client, href)
    assert feed.findtext(f"{A}id") == "http://localhost" + href
    assert feed.findtext(f"{A}title") == "Tin Phường: ngap nuoc"
    rfc3339(feed.findtext(f"{A}updated"))
    assert {link.get("rel"): link.get("href") for link in feed.findall(f"{A}link")} == {
        "self": "http://localhost" + href, "alternate": "http://localhost/search?q=ngap+nuoc"}
    found = entries(feed)
    flood = {d.id: d for d in listing.flood}
    assert sorted(e["id"] for e in found) == sorted(f"http://localhost/doc/{i}" for i in flood)
    published = [rfc3339(e["published"]) for e in found if e["published"]]
    assert published == sorted(published, reverse=True)        # newest first, whatever the page's sort
    assert found[0]["id"].endswith(max((d for d in flood.values() if d.date), key=lambda d: d.date).id)
    assert found[-1]["published"] is None                                # undated last
    for entry in found:
        doc = flood[entry["id"].rsplit("/", 1)[-1]]
        assert entry["links"] == {"alternate": entry["id"], "related": doc.url}
        assert entry["author"] in ("Phường Bến Nghé", "Phường Đa Kao")
        rfc3339(entry["updated"])
        if doc.date:
            assert entry["published"] == f"{doc.date.isoformat()}T00:00:00+07:00"


def test_hostile_titles_and_bodies_stay_inert_text_in_the_feed(listing_client, listing):
    raw = listing_client.get("/search.atom", query_string={"q": FLOOD}).get_data(as_text=True)
    assert "<script" not in raw and "<img" not in raw and "]]>" not in raw.replace("]]&gt;", "")
    assert not any(mark in raw for mark in BIDI) and "\x0b" not in raw and "\x1b" not in raw
    found = {e["title"]: e for e in entries(feed_of(listing_client, f"/search.atom?q={FLOOD}"))}
    assert '<script>alert("x")</script> ]]> &amp; & ngập nước' in found          # the same text, as text
    assert "gnp.exe ngập nước đảo chiều" in found                                  # without its overrides
    hostile = found['<script>alert("x")</script> ]]> &amp; & ngập nước']
    assert "<img src=x onerror=alert(1)>" in hostile["summary"] and "<mark>" not in hostile["summary"]
    assert "ký tự điều khiển" in hostile["summary"]
    assert len(found) == len(listing.flood) and all(t.strip() for t in HOSTILE_TITLES)


def test_a_document_number_and_the_filters_are_followed_too(listing_client, listing):
    href = feed_link(listing_client, "/search", q="123/QĐ-UBND")
    assert [e["id"] for e in entries(feed_of(listing_client, href))] == [
        f"http://localhost/doc/{listing.decision.id}"]
    href = feed_link(listing_client, "/search", q="ngap nuoc", category="Đô thị", site="da-kao")
    assert [e["id"].rsplit("/", 1)[-1] for e in entries(feed_of(listing_client, href))] == [
        d.id for d in listing.flood if d.category == "Đô thị" and d.site == "da-kao"]
    empty = feed_of(listing_client, "/search.atom?q=khongcotuanao")                 # valid, and waiting
    assert empty.findall(f"{A}entry") == [] and rfc3339(empty.findtext(f"{A}updated"))
    assert listing_client.get("/search.atom?from=31/02/2024").status_code == 400


def test_a_new_article_is_first_in_the_feed_after_the_next_refresh(tmp_path):
    with TestSite() as site:
        site.page("/", '<a href="/tin/ngap-pasteur.html">Ngập nước đường Pasteur</a>')
        site.route("/tin/ngap-pasteur.html", ward_page("Kiểm tra điểm ngập nước đường Pasteur", "02/09/2024",
                                                        "Pasteur"))
        config = write_config(tmp_path, ("ben-nghe", "Phường Bến Nghé", site))
        refresh(config)
        client = create_app(load_config(config), test_config={"TESTING": True}).test_client()
        href = feed_link(client, "/search", q="ngap nuoc")
        before = entries(feed_of(client, href))
        assert [e["title"] for e in before] == ["Kiểm tra điểm ngập nước đường Pasteur"]

        site.page("/", '<a href="/tin/ngap-pasteur.html">Ngập nước đường Pasteur</a>'
                       '<a href="/tin/ngap-hai-ba-trung.html">Ngập nước đường Hai Bà Trưng</a>')
        site.route("/tin/ngap-hai-ba-trung.html", ward_page("Khắc phục ngập nước đường Hai Bà Trưng",
                                                            "15/10/2024", "Hai Bà Trưng"))
        refresh(config)
        after = entries(feed_of(client, href))                    # the same running app, the same URL
        assert [e["title"] for e in after] == ["Khắc phục ngập nước đường Hai Bà Trưng",
                                               "Kiểm tra điểm ngập nước đường Pasteur"]
        assert after[0]["published"] == "2024-10-15T00:00:00+07:00" and after[1]["id"] == before[0]["id"]
        assert after[0]["links"]["related"] == site.url("/tin/ngap-hai-ba-trung.html")
        assert rfc3339(after[0]["updated"]) > rfc3339(after[0]["published"])   # archived after publication
