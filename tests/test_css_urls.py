"""The CSS URL tokenizer: the URLs a browser would load, with their exact spans, whatever the sheet holds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinphuong.css_urls import css_references, decode_stylesheet, rewrite_css


def urls(text: str) -> list[str]:
    return [ref.url for ref in css_references(text) if not ref.bad]


@pytest.mark.parametrize(("css", "expected"), [
    ("a { background: url(x.png) }", ["x.png"]),
    ("a { background: URL(  'y z.png'  ) }", ["y z.png"]),
    ('a { background: url("q\\"uote.png") }', ['q"uote.png']),
    ("a { background: url(\\2f abs\\2f p.png) }", ["/abs/p.png"]),          # hex escapes, one space eaten
    ("a { background: \\75 rl(escaped-name.png) }", ["escaped-name.png"]),  # `\\75 rl(` is `url(`
    ("a { background: u\\rl(r.png) }", ["r.png"]),
    ("/* url(comment.png) */ b { x: url(after.png) }", ["after.png"]),
    ('b { content: "url(in-string.png)"; x: url(real.png) }', ["real.png"]),
    ('@import "a.css";', ["a.css"]),
    ("@import url(b.css) screen;", ["b.css"]),
    ("@IMPORT 'c.css';", ["c.css"]),
    ('a { font-family: "import"; } @media print { x: url(m.png) }', ["m.png"]),
    ('a { b: image-set("1x.png" 1x, url(2x.png) 2x); c: -webkit-image-set("w.png" 1x) }',
     ["1x.png", "2x.png", "w.png"]),
    ("@font-face { src: local('Arial'), url(f.woff2) format('woff2') }", ["f.woff2"]),
    ("a { background: url(unterminated.png", ["unterminated.png"]),           # EOF ends the token
    ("a { background: url(data:image/png;base64,AAA=) }", ["data:image/png;base64,AAA="]),
])
def test_references_are_the_urls_a_browser_loads(css, expected):
    assert urls(css) == expected


@pytest.mark.parametrize("css", [
    "a { background: url(bad url.png) }",         # white space inside an unquoted url
    "a { background: url(bad'quote.png) }",
    "a { background: url(bad(paren.png) }",
    'a { background: url("x.png" junk) }',
])
def test_malformed_url_tokens_are_bad_and_load_nothing(css):
    [ref] = css_references(css)
    assert ref.bad and ref.url == ""


def test_an_import_after_a_string_elsewhere_is_not_confused():
    refs = css_references('@import "a.css"; p { content: "b.css" } @import url(c.css);')
    assert [(r.url, r.is_import) for r in refs] == [("a.css", True), ("c.css", True)]


def test_rewriting_replaces_only_the_tokens_and_blanks_what_must_not_load():
    css = ("/* keep */ a{background:url( x.png )} b{c:url('javascript:alert(1)')} @import 'i.css'; "
           "d{e:url(bad x)}")
    out = rewrite_css(css, lambda ref: None if ref.url.startswith("javascript:") else f"/a?u={ref.url}")
    assert out == ('/* keep */ a{background:url("/a?u=x.png")} b{c:url("about:invalid")} '
                   '@import "/a?u=i.css"; d{e:url("about:invalid")}')


def test_rewritten_urls_are_escaped_so_they_stay_one_token():
    out = rewrite_css("a{b:url(x)}", lambda ref: 'q"\\\n)')
    [ref] = css_references(out)
    assert ref.url == 'q"\\\n)' and out.endswith("}")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("url(\"')\\ /*@import;{}-image-set,:abc\n\t2f ")), max_size=80))
def test_after_rewriting_every_reference_is_ours_whatever_the_input(css):
    """The safety property replay relies on: nothing that loads survives unrewritten."""
    out = rewrite_css(css, lambda ref: "/ours")
    assert all(ref.bad or ref.url in ("/ours", "about:invalid") for ref in css_references(out))


def test_stylesheets_are_decoded_by_bom_then_http_charset_then_at_charset_then_the_page():
    text = "a{content:'Phường'}"
    assert decode_stylesheet(b"\xef\xbb\xbf" + text.encode("utf-8"), "text/css; charset=latin-1") == text
    assert decode_stylesheet(text.encode("cp1258", errors="replace"), "text/css; charset=windows-1258") \
        == text.encode("cp1258", errors="replace").decode("cp1258")
    assert decode_stylesheet(b'@charset "iso-8859-1"; a{b:"\xe9"}', None) == '@charset "iso-8859-1"; a{b:"é"}'
    assert decode_stylesheet(b'@charset "utf-16"; a{b:"\xc3\xa9"}', None).endswith('"é"}')
    assert decode_stylesheet(b'a{b:"\xe9"}', None, fallback="windows-1252") == 'a{b:"é"}'
    assert decode_stylesheet(b'a{b:"\xff"}', None) == 'a{b:"\ufffd"}'
