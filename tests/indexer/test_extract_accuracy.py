"""Extraction measured on the portal fixture set (`fixtures/portals`, see `portal_pages`).

Seven layouts written like real ward portals, with their chrome: every article's title
exact, at least 98% of the dates right (and from the part of the page that states them),
body token F1 of at least 0.95 on every article, at most 1% of the extracted tokens
from outside the article, and no home, listing, search, contact or error page taken
for an article. A failure prints the table per layout and the pages that failed.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

import pytest

from indexer.extract import Extracted, extract
from tests.indexer.portal_pages import BodyScore, Page, body_score, load_pages, median

MIN_DATES_RIGHT = 0.98
MIN_F1 = 0.95
MAX_LEAKED = 0.01


@dataclass
class Outcome:
    page: Page
    result: Extracted | None
    body: BodyScore | None = None
    problems: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    found = []
    for page in load_pages():
        result = extract(page.html(), page.url, page.headers(), today=page.captured.date())
        outcome = Outcome(page, result)
        if not page.is_article:
            if result is not None:
                outcome.problems.append(f"not an article, extracted as {result.title!r}")
        elif result is None:
            outcome.problems.append("article not extracted")
        else:
            outcome.body = body_score(result.text, page.body)
            outcome.problems += _article_problems(page, result, outcome.body)
        found.append(outcome)
    return found


def _article_problems(page: Page, result: Extracted, body: BodyScore) -> list[str]:
    problems = []
    if result.title != page.title:
        problems.append(f"title {result.title!r}")
    if (result.date, result.date_source) != (page.date, page.date_source):
        problems.append(f"date {result.date} from {result.date_source}, "
                        f"not {page.date} from {page.date_source}")
    if body.f1 < MIN_F1:
        problems.append(f"body F1 {body.f1:.3f}")
    if page.author and result.author != page.author:
        problems.append(f"author {result.author!r}")
    if page.category and result.category != page.category:
        problems.append(f"category {result.category!r}")
    return problems


def report(outcomes: list[Outcome]) -> str:
    """Per layout: articles, titles and dates right, median and lowest F1, leaked share, others taken."""
    rows = defaultdict(list)
    for outcome in outcomes:
        rows[outcome.page.layout].append(outcome)
    lines = [f"{'layout':<16}{'articles':>9}{'titles':>7}{'dates':>6}{'F1 med':>8}{'F1 min':>8}{'leaked':>8}"
             f"{'others':>7}{'taken':>6}"]
    for layout, items in [*sorted(rows.items()), ("all", outcomes)]:
        articles = [o for o in items if o.page.is_article]
        scores = [o.body for o in articles if o.body is not None]
        others = [o for o in items if not o.page.is_article]
        lines.append(
            f"{layout:<16}{len(articles):>9}"
            f"{sum(o.result is not None and o.result.title == o.page.title for o in articles):>7}"
            f"{sum(o.result is not None and o.result.date == o.page.date for o in articles):>6}"
            f"{median([s.f1 for s in scores]):>8.3f}{min((s.f1 for s in scores), default=0):>8.3f}"
            f"{leaked_share(scores):>8.2%}{len(others):>7}{sum(o.result is not None for o in others):>6}")
    lines += [f"{o.page.name}: {'; '.join(o.problems)}" for o in outcomes if o.problems]
    return "\n".join(lines)


def leaked_share(scores: list[BodyScore]) -> float:
    return sum(s.leaked for s in scores) / max(1, sum(s.extracted for s in scores))


def test_the_fixture_set_is_large_and_varied():
    pages = load_pages()
    articles = [p for p in pages if p.is_article]
    assert len({p.layout for p in pages}) >= 6
    assert len(articles) >= 30 and len(pages) - len(articles) >= 10
    assert {p.date_source for p in articles if p.date} >= {"jsonld", "meta", "microdata", "time", "dateline",
                                                            "body", "url"}
    assert any(p.date is None for p in articles)           # a page whose only date is another thing's


def test_extraction_measures_up(outcomes):
    articles = [o for o in outcomes if o.page.is_article]
    scores = [o.body for o in articles if o.body is not None]
    table = report(outcomes)
    assert all(o.result is not None and o.result.title == o.page.title for o in articles), table
    dates_right = sum(o.result is not None and (o.result.date, o.result.date_source)
                      == (o.page.date, o.page.date_source) for o in articles)
    assert dates_right >= MIN_DATES_RIGHT * len(articles), table
    assert len(scores) == len(articles) and min(s.f1 for s in scores) >= MIN_F1, table
    assert median([s.f1 for s in scores]) >= MIN_F1, table
    assert leaked_share(scores) <= MAX_LEAKED, table
    assert not [o for o in outcomes if not o.page.is_article and o.result is not None], table
    marked = [o for o in articles if o.page.author or o.page.category]
    assert all(not o.problems for o in marked), table


def test_windows_1258_pages_decode_to_nfc(outcomes):
    results = [o.result for o in outcomes if o.page.layout == "windows-1258" and o.result is not None]
    assert len(results) == 5
    for result in results:
        for text in (result.title, result.text, result.category or ""):
            assert unicodedata.is_normalized("NFC", text)
        assert "\u0301" not in result.text and "\u0323" not in result.text   # no tone mark left combining


def test_display_text_keeps_the_published_characters(outcomes):
    """`…` stays U+2026 in a title; quotes, dashes and `–` stay what the page wrote."""
    by_title = {o.page.title: o.result for o in outcomes if o.page.is_article and o.result is not None}
    ellipsis = next(title for title in by_title if "…" in title)
    assert by_title[ellipsis].title == ellipsis and "..." not in by_title[ellipsis].title
    quoted = next(title for title in by_title if "“" in title and "–" in title)
    assert by_title[quoted].title == quoted
