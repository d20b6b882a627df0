"""srcset syntax and the page's base URL, as the crawler reads and the archived view rewrites them."""

from __future__ import annotations

import pytest
from lxml import html

from tinphuong.page_resources import Candidate, base_url, join_srcset, srcset_candidates


@pytest.mark.parametrize(("value", "expected"), [
    ("a.png", [("a.png", "")]),
    ("a.png 1x, b.png 2x", [("a.png", "1x"), ("b.png", "2x")]),
    ("a.png 1x,b.png 2x", [("a.png", "1x"), ("b.png", "2x")]),
    ("img,crop=1,2.jpg 640w, x.jpg 1280w", [("img,crop=1,2.jpg", "640w"), ("x.jpg", "1280w")]),
    ("a.png, b.png", [("a.png", ""), ("b.png", "")]),              # trailing commas end a URL
    ("  \n a.png   100w  ,  ", [("a.png", "100w")]),
    ("a.png (weird, descriptor) 2x, b.png", [("a.png", "(weird, descriptor) 2x"), ("b.png", "")]),
    (",,,", []),
])
def test_srcset_candidates_split_as_browsers_split(value, expected):
    assert [(c.url, c.descriptor) for c in srcset_candidates(value)] == expected


def test_join_srcset_round_trips():
    candidates = [Candidate("/a?x=1", "1x"), Candidate("/b", "")]
    assert srcset_candidates(join_srcset(candidates)) == candidates


def test_base_url_is_the_first_base_href_resolved_against_the_page():
    page = "http://phuong.vn/tin/bai.html"
    root = html.document_fromstring('<base href="/goc/"><base href="http://khac.vn/"><p>x</p>')
    assert base_url(root, page) == "http://phuong.vn/goc/"
    assert base_url(html.document_fromstring("<p>x</p>"), page) == page
    assert base_url(html.document_fromstring('<base href="javascript:x"><p>x</p>'), page) == page
