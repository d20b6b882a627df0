"""The HTML rewriter on its own: hostile and unusual markup, and the property replay relies on."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from tinphuong.css_urls import css_references
from tinphuong.page_resources import srcset_candidates
from webui.replay.archive_urls import ArchiveUrls
from webui.replay.html import rewrite_html

PAGE = "http://phuong.example.vn/tin/bai.html"
URLS = ArchiveUrls(base="", at="20260105080000", resource_path="/r", link_path="/l")


def rewrite(html: str) -> BeautifulSoup:
    return BeautifulSoup(rewrite_html(html, PAGE, URLS), "lxml")


def original(route: str) -> str:
    return parse_qs(urlsplit(route).query)["url"][0]


def test_relative_urls_resolve_against_the_base_href_which_is_then_removed():
    soup = rewrite('<head><base href="http://phuong.example.vn/goc/"></head>'
                   '<img src="a.png"><a href="b.html">b</a>')
    assert not soup.select("base")
    assert original(soup.img["src"]) == "http://phuong.example.vn/goc/a.png"
    assert original(soup.a["href"]) == "http://phuong.example.vn/goc/b.html"


def test_fragments_stay_other_schemes_lose_their_href():
    soup = rewrite('<a id="f" href="#muc-2">a</a><a id="m" href="mailto:ubnd@x.vn">m</a>'
                   '<a id="j" href=" jav&#x09;ascript:alert(1)">j</a><a id="v" href="vbscript:x">v</a>')
    assert soup.select_one("#f")["href"] == "#muc-2" and not soup.select_one("#f").has_attr("target")
    assert not any(soup.select_one(f"#{i}").has_attr("href") for i in "mjv")


def test_event_handlers_forms_pings_and_integrity_are_removed():
    soup = rewrite('<body ONLOAD="x()"><form action="http://evil/">'
                   '<button formaction="http://e/" onclick="y()"></button></form>'
                   '<a href="/a" ping="http://t/">a</a>'
                   '<link rel="stylesheet" href="/s.css" integrity="sha384-x" crossorigin="anonymous">'
                   '</body>')
    assert not soup.body.attrs and not soup.form.attrs and not soup.button.attrs
    assert not soup.a.has_attr("ping")
    assert set(soup.link.attrs) == {"rel", "href"}


def test_svg_references_and_animations():
    soup = rewrite('<svg><use xlink:href="/sprite.svg#icon"></use><image href="/anh.png"></image>'
                   '<a xlink:href="javascript:alert(1)">'
                   '<animate attributeName="href" to="javascript:alert(2)"/>'
                   '<set attributeName="href" to="javascript:alert(3)"/></a></svg>')
    assert original(soup.find("use")["xlink:href"]) == "http://phuong.example.vn/sprite.svg"
    assert original(soup.find("image")["href"]) == "http://phuong.example.vn/anh.png"
    assert not soup.find("animate") and not soup.find("set")
    assert "javascript" not in str(soup)


def test_noscript_content_is_kept_and_rewritten_comments_dropped():
    soup = rewrite('<noscript><img src="/that.png"></noscript><!--[if IE]><link rel="stylesheet" '
                   'href="http://evil/ie.css"><![endif]--><p>ok</p>')
    assert original(soup.select_one("noscript img")["src"]) == "http://phuong.example.vn/that.png"
    assert "evil" not in str(soup) and soup.p.get_text() == "ok"


def test_srcset_candidates_and_data_urls():
    soup = rewrite('<img srcset="a.png 1x, data:image/png;base64,AAA= 2x, javascript:x 3x" '
                   'src="data:image/gif;base64,R0lG">')
    candidates = srcset_candidates(soup.img["srcset"])
    assert [c.descriptor for c in candidates] == ["1x", "2x"]
    assert original(candidates[0].url) == "http://phuong.example.vn/tin/a.png"
    assert candidates[1].url == "data:image/png;base64,AAA=" and soup.img["src"].startswith("data:")


def test_an_xhtml_page_with_an_xml_declaration_and_an_empty_page():
    soup = rewrite('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
                   '<body><p>Xin chào</p></body></html>')
    assert soup.p.get_text() == "Xin chào"
    assert rewrite_html("   ", PAGE, URLS) == ""


def test_the_doctype_is_kept_or_left_absent_so_the_page_keeps_its_rendering_mode():
    assert rewrite_html("<!DOCTYPE html><html><body><p>x</p></body></html>", PAGE, URLS).startswith(
        "<!DOCTYPE html>\n<html>")
    assert rewrite_html("<html><body><p>x</p></body></html>", PAGE, URLS).startswith("<html>")


TAGS = st.sampled_from(["img", "a", "link", "script", "iframe", "source", "video", "div", "style", "svg",
                        "use", "form", "input", "meta", "base", "object", "embed", "noscript", "area"])
ATTRIBUTES = st.sampled_from(["src", "href", "srcset", "style", "onerror", "onclick", "action", "poster",
                              "background", "data-src", "rel", "http-equiv", "xlink:href", "formaction"])
VALUES = st.sampled_from(["http://live.example.vn/x.png", "//live.example.vn/y", "javascript:alert(1)",
                          " JaVaScRiPt:alert(1)", "/rel.png", "url(http://live.example.vn/z.png)",
                          "background:url('//live.example.vn/b.png')", "stylesheet", "refresh",
                          "a.png 1x, http://live.example.vn/c.png 2x", "data:image/png;base64,AA"])
ELEMENT = st.tuples(TAGS, st.lists(st.tuples(ATTRIBUTES, VALUES), max_size=3), VALUES)


@settings(max_examples=200, deadline=None)
@given(st.lists(ELEMENT, min_size=1, max_size=6))
def test_whatever_the_markup_nothing_live_and_nothing_active_survives(elements):
    markup = "".join(f"<{tag} " + " ".join(f'{name}="{value}"' for name, value in attributes)
                     + f">{text}</{tag}>" for tag, attributes, text in elements)
    soup = BeautifulSoup(rewrite_html(markup, "http://live.example.vn/bai.html", URLS), "lxml")
    assert not soup.select("script, iframe, object, embed, base, meta[http-equiv]")
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            assert not name.startswith("on") and name not in ("action", "formaction")
            if name in ("src", "href", "poster", "background", "data-src", "xlink:href"):
                assert value.startswith(("/r?", "/l?", "data:", "#")), (name, value)
            if name in ("srcset", "data-srcset"):
                assert all(c.url.startswith(("/r?", "data:")) for c in srcset_candidates(value))
        css = (tag.string or "") if tag.name == "style" else tag.get("style", "")
        assert all(ref.url.startswith(("/r?", "data:", "about:invalid")) for ref in css_references(css))
