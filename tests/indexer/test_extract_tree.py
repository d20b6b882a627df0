"""`find_tags` against the `find_all` it replaces: the same tags in the same order, on realistic pages."""

from __future__ import annotations

import pytest
from bs4 import Tag

from indexer.extract.boilerplate import is_boilerplate_named
from indexer.extract.fields import is_author_element
from indexer.extract.parse import parse_html
from indexer.extract.tree import find_ancestor, find_tag, find_tags, has_href
from tests.requisite_site import article_html
from tests.warc_builder import CLEANUP_PARAGRAPHS, ward_article, ward_listing

PAGES = {
    "article": ward_article("Phường ra quân dọn dẹp vệ sinh môi trường", CLEANUP_PARAGRAPHS),
    "listing": ward_listing([(f"Tin số {i}", f"/tin/{i}.html", "Tóm tắt.") for i in range(12)]),
    "hostile": article_html("http://localhost:1"),
    "nested": "<div>" * 300 + "<p>sâu</p>" + "</div>" * 300,
}


def has_short_text(tag: Tag) -> bool:
    return len(tag.get_text()) < 40


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("names", "where", "limit"), [
    (None, None, None), ("a", None, None), (("p", "div", "td"), None, None), (("h1", "h2"), None, 2),
    (None, is_boilerplate_named, None), (None, has_short_text, 5), (("li", "div"), has_short_text, None),
])
def test_find_tags_finds_what_find_all_finds(page, names, where, limit):
    soup = parse_html(PAGES[page])
    for root in [soup, *soup.find_all(("body", "div"), limit=5)]:
        if names is not None and where is not None:
            expected = [t for t in root.find_all(names) if where(t)][:limit]
        else:
            expected = root.find_all(names if names is not None else where or True, limit=limit)
        assert find_tags(root, names, where, limit) == expected
        assert [id(t) for t in find_tags(root, names, where, limit)] == [id(t) for t in expected]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("names", ["h1", ("article", "main", "h1"), ("p", "div", "td", "figure"), "a"])
def test_find_tag_and_find_ancestor_find_what_bs4_finds(page, names):
    soup = parse_html(PAGES[page])
    for tag in soup.find_all(True):
        assert find_tag(tag, names) is tag.find(names)
        assert find_ancestor(tag, names) is tag.find_parent(names)
    assert [t for t in soup.find_all("a") if has_href(t)] == soup.find_all("a", href=True)


AUTHOR_SELECTOR = ('[itemprop="author"], [rel~="author"], [class*="author"], [class*="tac-gia"], '
                   '[class*="tacgia"], .createdby')
AUTHOR_MARKUP = """<html><body>
<span itemprop="author">A</span><span itemprop="Author">B</span><a rel="nofollow AUTHOR">C</a>
<span rel="author">D</span><span rel="x\u00a0author">E</span><div class="post-author-name">F</div>
<p class="tac-gia">G</p><p class="TacGia">H</p><i class="createdby small">I</i><i class="createdbyx">J</i>
<a rel="authors">K</a><b class="tacgia-x">L</b><em id="author">M</em></body></html>"""


@pytest.mark.parametrize("page", [*PAGES, "authors"])
def test_author_elements_are_what_soupsieve_selects(page):
    soup = parse_html(AUTHOR_MARKUP if page == "authors" else PAGES[page])
    assert find_tags(soup, where=is_author_element) == soup.select(AUTHOR_SELECTOR)
