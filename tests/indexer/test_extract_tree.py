"""The lxml tree helpers against the BeautifulSoup calls they replace: the same elements in the same
order, the same text pieces after removals, on realistic pages.

Elements of the two trees are compared by their position in document order (the BeautifulSoup tree is
built from lxml's serialisation, as extraction once built it, so both trees have the same shape).
"""

from __future__ import annotations

import lxml.html
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from indexer.extract.fields import is_author_element
from indexer.extract.parse import parse_html
from indexer.extract.text import clean_line, has_at_most, paragraphs, text_of
from indexer.extract.tree import decompose, find_ancestor, find_tag, find_tags, has_href, unwrap
from tests.requisite_site import article_html
from tests.warc_builder import CLEANUP_PARAGRAPHS, ward_article, ward_listing

PAGES = {
    "article": ward_article("Phường ra quân dọn dẹp vệ sinh môi trường", CLEANUP_PARAGRAPHS),
    "listing": ward_listing([(f"Tin số {i}", f"/tin/{i}.html", "Tóm tắt.") for i in range(12)]),
    "hostile": article_html("http://localhost:1"),
    "nested": "<div>" * 300 + "<p>sâu</p>" + "</div>" * 300,
    "pieces": "<html><body><div class='a  b'>Tin<script>x</script>Mới<!-- c -->tiếp<p>Một<b>hai</b>ba"
              "<i>bốn</i>năm</p><form><span>Ngày</span>16/3</form>cuối<br>dòng</div></body></html>",
}


def both(page: str):
    document = parse_html(PAGES[page])
    return document, BeautifulSoup(lxml.html.tostring(document.getroot(), encoding="unicode"), "lxml")


ALIVE: list = []        # lxml makes a Python object per element on demand: keep them so that ids stay


def positions(document, soup):
    """Each element's position in document order, in either tree."""
    ALIVE[:] = list(document.iter(etree.Element))
    mine = {id(node): n for n, node in enumerate(ALIVE)}
    theirs = {id(tag): n for n, tag in enumerate(soup.find_all(True))}
    return mine, theirs


@pytest.mark.parametrize("page", PAGES)
def test_both_trees_have_the_same_elements(page):
    document, soup = both(page)
    assert [node.tag for node in document.iter(etree.Element)] == [tag.name for tag in soup.find_all(True)]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("names", "limit"), [(None, None), ("a", None), (("p", "div", "td"), None),
                                              (("h1", "h2"), 2), (("li", "div"), 3)])
def test_find_tags_finds_what_find_all_finds(page, names, limit):
    document, soup = both(page)
    mine, theirs = positions(document, soup)
    roots = zip([document, *find_tags(document, ("body", "div"), limit=5)],
                [soup, *soup.find_all(("body", "div"), limit=5)], strict=True)
    for root, tag in roots:
        assert [mine[id(node)] for node in find_tags(root, names, limit=limit)] == \
            [theirs[id(found)] for found in tag.find_all(names if names is not None else True, limit=limit)]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("names", ["h1", ("article", "main", "h1"), ("p", "div", "td", "figure"), "a"])
def test_find_tag_and_find_ancestor_find_what_bs4_finds(page, names):
    document, soup = both(page)
    mine, theirs = positions(document, soup)
    for node, tag in zip(document.iter(etree.Element), soup.find_all(True), strict=True):
        for found, expected in ((find_tag(node, names), tag.find(names)),
                                (find_ancestor(node, names), tag.find_parent(names))):
            assert (mine[id(found)] if found is not None else None) == \
                (theirs[id(expected)] if expected is not None else None)
    assert [mine[id(a)] for a in find_tags(document, "a", where=has_href)] == \
        [theirs[id(a)] for a in soup.find_all("a", href=True)]


AUTHOR_SELECTOR = ('[itemprop="author"], [rel~="author"], [class*="author"], [class*="tac-gia"], '
                   '[class*="tacgia"], .createdby')
AUTHOR_MARKUP = """<html><body>
<span itemprop="author">A</span><span itemprop="Author">B</span><a rel="nofollow AUTHOR">C</a>
<span rel="author">D</span><span rel="x\u00a0author">E</span><div class="post-author-name">F</div>
<p class="tac-gia">G</p><p class="TacGia">H</p><i class="createdby small">I</i><i class="createdbyx">J</i>
<a rel="authors">K</a><b class="tacgia-x">L</b><em id="author">M</em></body></html>"""


@pytest.mark.parametrize("page", [*PAGES, "authors"])
def test_author_elements_are_what_soupsieve_selects(page):
    PAGES.setdefault("authors", AUTHOR_MARKUP)
    document, soup = both(page)
    mine, theirs = positions(document, soup)
    assert [mine[id(node)] for node in find_tags(document, where=is_author_element)] == \
        [theirs[id(tag)] for tag in soup.select(AUTHOR_SELECTOR)]


def bs4_text(tag) -> str:
    """What extraction's text walk gave on the BeautifulSoup tree: every string but comments, joined by
    a space."""
    return clean_line(" ".join(str(s) for s in tag.descendants
                               if isinstance(s, str) and type(s).__name__ != "Comment"))


@pytest.mark.parametrize("removal", ["script", "b", "i", "form", "p"])
def test_removals_leave_the_text_pieces_bs4_left(removal):
    document, soup = both("pieces")
    node, tag = find_tag(document, removal), soup.find(removal)
    if removal == "form":
        unwrap(node)
        tag.unwrap()
    else:
        decompose(node)
        tag.decompose()
    root, body = find_tag(document, "div"), soup.find("div")
    assert text_of(root) == bs4_text(body)
    assert "".join(paragraphs(root)).replace(" ", "") == bs4_text(body).replace(" ", "")
    size = sum(1 for _ in body.descendants)
    assert has_at_most(root, size) and not has_at_most(root, size - 1)
    assert [n.tag for n in find_tags(root)] == [t.name for t in body.find_all(True)]
