"""Extraction gives what it gave before its speed-ups: every field of every page, stored per page.

The pages: every captured portal fixture (`fixtures/portals`), and the generated ward sites
(`tests.wardsite`: both styles, both themes, articles, print views, listings, category pages and
the home page), rendered for a fixed origin so that their links do not depend on a port. The
expectations (`fixtures/extracted.json`: every field of `Extracted`, the text as its length and
digest) were written by the extractor that built a BeautifulSoup tree from lxml's serialisation
and searched it with bs4's `find_all` and soupsieve; a change that alters any field on any page
fails here. Regenerate them only for an intended change of what extraction finds:
`.venv/bin/python -m tests.indexer.test_extract_unchanged --write`.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from indexer.extract import Extracted, extract
from tests.indexer.portal_pages import load_pages
from tests.wardsite import WardSite

EXPECTED = Path(__file__).parent / "fixtures" / "extracted.json"
ORIGIN = "http://127.0.0.1:8"
ARTICLES = 30


def pages() -> Iterator[tuple[str, str, bytes, list[tuple[str, str]], object]]:
    """(name, URL, body, headers, capture day) of every page the expectations cover."""
    for page in load_pages():
        yield page.name, page.url, page.html(), page.headers(), page.captured.date()
    for style in ("aspnet", "wordpress"):
        site = WardSite(style, seed=21, articles=ARTICLES, per_page=8, duplicate_every=5)
        for theme in (0, 1):
            if theme:
                site.advance().change_theme()
            links = site.router.links(ORIGIN)
            paths = [links.home(), *(links.listing(n) for n in (1, 2, 3)),
                     *(links.listing(1, beat) for beat in site.ward.beats)]
            for article in site.live():
                paths += [links.article(article), links.article(article, "print")]
            for path in dict.fromkeys(paths):
                response = site.router.resolve(path, ORIGIN)
                if response.status == 200:
                    yield (f"{style}-{theme}{path}", links.absolute(path), response.body,
                           list(response.headers.items()), site.today.date)


def summary(found: Extracted | None) -> dict | None:
    """Every field, the text by length and digest (the file stays small; any change shows)."""
    if found is None:
        return None
    return {"title": found.title, "text_chars": len(found.text),
            "text_sha1": hashlib.sha1(found.text.encode()).hexdigest(),
            "date": found.date.isoformat() if found.date else None, "date_source": found.date_source,
            "author": found.author, "category": found.category, "links": [list(link) for link in found.links]}


def extracted() -> dict[str, dict | None]:
    return {name: summary(extract(body, url, headers, today=day))
            for name, url, body, headers, day in pages()}


def test_every_page_extracts_as_before():
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    found = extracted()
    assert sorted(found) == sorted(expected)
    assert sum(value is not None for value in expected.values()) >= 100     # articles, not only listings
    assert sum(value is None for value in expected.values()) >= 20          # and pages that are none
    changed = {name: (expected[name], found[name]) for name in expected if found[name] != expected[name]}
    assert not changed, "\n".join(f"{name}:\n  before {old}\n  now    {new}" for name, (old, new) in
                                  sorted(changed.items())[:10])


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    EXPECTED.write_text(json.dumps(extracted(), ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                        encoding="utf-8")
