"""`find_tags` against the `find_all` it replaces: the same tags in the same order, on realistic pages."""

from __future__ import annotations

import pytest
from bs4 import Tag

from indexer.extract.boilerplate import is_boilerplate_named
from indexer.extract.parse import parse_html
from indexer.extract.tree import find_tags
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
