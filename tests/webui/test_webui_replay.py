"""Replay of a crawled ward site through the real app: rewritten HTML, archived bytes under the
archive policy, links to the archive, and nothing from the live site (it is stopped)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from indexer.document import document_id
from tests.requisite_site import (
    ARTICLE,
    BACKGROUND,
    FONT,
    LAZY,
    LOGO,
    PDF,
    PHOTO,
    PHOTO_2X,
    SECOND,
    archived_ward,
)
from tinphuong.css_urls import css_references
from tinphuong.page_resources import srcset_candidates
from webui import create_app
from webui.security import ARCHIVE_POLICY

URL_ATTRIBUTES = ("src", "href", "poster", "background", "data-src", "action", "formaction", "xlink:href")


@pytest.fixture(scope="module")
def ward(tmp_path_factory):
    return archived_ward(tmp_path_factory.mktemp("replay"))


@pytest.fixture(scope="module")
def client(ward):
    return create_app(ward.config, test_config={"TESTING": True}).test_client()


@pytest.fixture(scope="module")
def page(ward, client):
    response = client.get(f"/doc/{document_id(ward.url(ARTICLE))}/archive/raw")
    assert response.status_code == 200
    return response


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


def target(route: str) -> tuple[str, str, str]:
    """(path, url, at) of one of our replay URLs."""
    parts = urlsplit(route)
    params = parse_qs(parts.query)
    return parts.path, params["url"][0], params["at"][0]


def every_url(soup: BeautifulSoup) -> list[str]:
    """Every URL the rewritten page names in attributes, srcsets and CSS."""
    found = []
    for tag in soup.find_all(True):
        found += [tag[name] for name in URL_ATTRIBUTES if tag.has_attr(name)]
        for name in ("srcset", "data-srcset"):
            if tag.has_attr(name):
                found += [c.url for c in srcset_candidates(tag[name])]
        css = (tag.string or "") if tag.name == "style" else ""
        found += [ref.url for ref in css_references(css + ";" + tag.get("style", ""))]
    return found


def test_the_index_holds_the_articles_and_the_attachment_and_none_of_the_requisites(ward, client):
    assert client.get("/api/search?q=&per_page=100").get_json()["total"] == 3
    for path in (ARTICLE, SECOND):
        assert client.get(f"/api/doc/{document_id(ward.url(path))}").get_json()["kind"] == "article"
    attachment = client.get(f"/api/doc/{document_id(ward.url('/van-ban/quyet-dinh-123.pdf'))}").get_json()
    assert attachment["kind"] == "attachment" and attachment["file"]["text_layer"] is False   # not a real PDF
    for path in ("/static/site.css", "/uploads/anh-1.png"):
        assert client.get(f"/api/doc/{document_id(ward.url(path))}").status_code == 404


def test_every_url_the_archived_page_loads_is_rewritten_to_our_routes(ward, page):
    html = page.get_data(as_text=True)
    assert ward.live not in html and ward.other not in html            # not even as text in an attribute
    urls = every_url(soup_of(page))
    ours = ("/archive/resource?", "/archive/link?", "data:", "#")
    assert urls and all(u.startswith(ours) for u in urls), urls
    article_time = target(soup_of(page).select_one("#photo")["src"])[2]
    assert all(target(u)[2] == article_time for u in urls if u.startswith("/archive/"))  # one moment


def test_images_srcsets_pictures_lazy_images_and_styles_point_at_their_archived_urls(ward, page):
    soup = soup_of(page)
    photo = target(soup.select_one("#photo")["src"])
    assert photo[:2] == ("/archive/resource", ward.url("/uploads/anh-1.png"))
    assert [target(c.url)[1] for c in srcset_candidates(soup.select_one("#photo")["srcset"])] == [
        ward.url("/uploads/anh-1.png"), ward.url("/uploads/anh-1@2x.png")]
    assert target(soup.select_one("picture source")["srcset"])[1] == ward.url("/uploads/anh-2.png")
    assert target(soup.select_one("#lazy")["src"])[1] == ward.url("/uploads/anh-3.png")    # unlazied
    [stylesheet] = soup.select("link")
    assert target(stylesheet["href"])[1] == ward.url("/static/site.css") and "as=css" in stylesheet["href"]
    [background] = css_references(soup.select_one("#banner")["style"])
    assert target(background.url)[1] == ward.url("/uploads/nen-2.png")
    assert target(soup.select_one("#second")["href"])[:2] == ("/archive/link", ward.url(SECOND))
    assert soup.select_one("#second")["target"] == "_top"


def test_everything_active_is_gone_from_the_archived_page(page):
    soup = soup_of(page)
    assert not soup.select("script, iframe, object, embed, base, meta[http-equiv]")
    assert [link.get("rel") for link in soup.select("link")] == [["stylesheet"]]       # no preconnect
    assert not any(name.startswith("on") for tag in soup.find_all(True) for name in tag.attrs)
    assert not soup.select_one("#js-link").has_attr("href")
    assert "javascript" not in page.get_data(as_text=True).lower()


def test_archived_images_and_fonts_are_served_with_their_type_and_the_archive_policy(ward, client, page):
    soup = soup_of(page)
    for route, body in [(soup.select_one("#photo")["src"], PHOTO),
                        (srcset_candidates(soup.select_one("#photo")["srcset"])[1].url, PHOTO_2X),
                        (soup.select_one("#lazy")["src"], LAZY), (soup.select_one("#logo")["src"], LOGO)]:
        response = client.get(route)
        assert response.status_code == 200 and response.data == body
        assert response.headers["Content-Type"] == "image/png"
        assert response.headers["Content-Security-Policy"] == ARCHIVE_POLICY
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_stylesheet_is_served_rewritten_and_so_are_its_imports_fonts_and_images(ward, client, page):
    sheet = client.get(soup_of(page).select_one("link")["href"])
    assert sheet.headers["Content-Type"] == "text/css; charset=utf-8"
    assert sheet.headers["Content-Security-Policy"] == ARCHIVE_POLICY
    refs = {target(ref.url)[1] if ref.url.startswith("/") else ref.url: ref
            for ref in css_references(sheet.get_data(as_text=True))}
    assert set(refs) == {ward.url("/static/co-ban.css"), f"{ward.other}/ngoai.css", "about:invalid",
                         ward.url("/uploads/nen.png"), ward.url("/fonts/phuong.woff2")}  # javascript: blanked
    base_css = refs[ward.url("/static/co-ban.css")]
    assert base_css.is_import and "as=css" in base_css.url
    font = client.get(refs[ward.url("/fonts/phuong.woff2")].url)
    assert font.data == FONT and font.headers["Content-Type"] == "font/woff2"
    assert font.headers["Access-Control-Allow-Origin"] == "*"          # fonts load in CORS mode
    assert client.get(refs[ward.url("/uploads/nen.png")].url).data == BACKGROUND
    imported = client.get(refs[ward.url("/static/co-ban.css")].url)
    assert imported.get_data(as_text=True) == "h1 { color: rgb(0, 80, 160); }\n"
    external = client.get(refs[f"{ward.other}/ngoai.css"].url)      # another host: never archived
    assert external.status_code == 404 and external.data == b""


def test_a_logo_archived_once_under_another_url_is_served_from_the_record_holding_it(ward, client):
    at = "20990101000000"                       # long after: the latest capture (a revisit) is the one
    response = client.get("/archive/resource", query_string={"url": ward.url("/images/logo-ban-sao.png"),
                                                              "at": at})
    assert response.status_code == 200 and response.data == LOGO


@pytest.mark.parametrize("path", ["/uploads/rat-lon.png", "/uploads/khong-co.png",
                                  "/uploads/thumb-ra-quan.png"])
def test_what_was_not_archived_is_an_empty_404_never_a_live_request(ward, client, path):
    response = client.get("/archive/resource", query_string={"url": ward.url(path), "at": "20990101000000"})
    assert response.status_code == 404 and response.data == b""
    assert response.headers["Content-Security-Policy"] == ARCHIVE_POLICY


def test_links_lead_to_the_archived_article_an_attachment_download_or_a_not_archived_page(ward, client, page):
    soup = soup_of(page)
    to_article = client.get(soup.select_one("#second")["href"])
    assert to_article.status_code == 302
    assert to_article.headers["Location"] == f"/doc/{document_id(ward.url(SECOND))}/archive?capture=0"
    download = client.get(soup.select_one("#pdf")["href"])
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"] == "attachment; filename*=UTF-8''quyet-dinh-123.pdf"
    assert download.headers["Content-Security-Policy"] == ARCHIVE_POLICY
    outside = client.get(soup.select_one("#outside")["href"])
    assert outside.status_code == 404
    text = soup_of(outside).get_text(" ", strip=True)
    assert "Trang này chưa được lưu trữ" in text and f"{ward.other}/tin-khac.html" in text
    [live] = soup_of(outside).select(f'a[href="{ward.other}/tin-khac.html"]')
    assert set(live["rel"]) == {"noopener", "noreferrer", "nofollow"}   # leaving the archive is a choice


def test_a_link_to_an_archived_page_that_is_not_an_article_opens_its_archived_copy(ward, client, page):
    home = client.get(soup_of(page).select_one("#logo").parent["href"])
    assert home.status_code == 302 and home.headers["Location"].startswith("/archive/page?")
    view = soup_of(client.get(home.headers["Location"]))
    frame = view.select_one("iframe.archive-frame")
    assert frame["sandbox"] == ["allow-top-navigation-by-user-activation"]
    assert ward.url("/") in view.select_one(".archive-banner").get_text()
    raw = client.get(frame["src"])
    assert raw.headers["Content-Security-Policy"] == ARCHIVE_POLICY
    listing = soup_of(raw)
    assert listing.select_one("h3 a").get_text() == "Phường ra quân vệ sinh môi trường"
    assert all(img["src"].startswith("/archive/resource?") for img in listing.select("img"))
    missing = client.get("/archive/page", query_string={"url": ward.url("/khong-co.html"),
                                                         "at": "20990101000000"})
    assert missing.status_code == 404


@pytest.mark.parametrize("query", ["", "url=http://x.vn/a.png", "at=20260101000000",
                                   "url=javascript:alert(1)&at=20260101000000",
                                   "url=http://x.vn/a.png&at=2026", "url=http://x.vn/a.png&at=20261399000000",
                                   "url=" + "a" * 5000 + "&at=20260101000000"])
def test_bad_parameters_are_a_400_not_a_500(client, query):
    for route in ("/archive/resource", "/archive/link", "/archive/page", "/archive/page/raw"):
        assert client.get(f"{route}?{query}").status_code == 400


def test_archived_view_of_the_article_frames_the_rewritten_page(ward, client):
    html = client.get(f"/doc/{document_id(ward.url(ARTICLE))}/archive").get_data(as_text=True)
    assert re.search(r'<iframe class="archive-frame" src="/doc/\w+/archive/raw\?capture=0" '
                     r'sandbox="allow-top-navigation-by-user-activation"', html)
