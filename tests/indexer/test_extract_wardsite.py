"""Extraction on the generated ward sites (`tests.wardsite`), served on 127.0.0.1: both styles, both themes.

The ASP.NET-style portal states an article's date only in its bold lead (`Ngày 2/5/2021, ...`)
and sets pictures with a caption in italics between paragraphs; the ground truth is the
paragraphs alone. Pages are fetched over HTTP as the crawler would fetch them.
"""

from __future__ import annotations

import pytest
import requests

from indexer.extract import extract
from tests.indexer.portal_pages import body_score, tokens
from tests.wardsite import WardSite

ARTICLES = 24


def fetch(url: str) -> requests.Response:
    response = requests.get(url, timeout=10)
    assert response.status_code == 200, url
    return response


@pytest.fixture(scope="module", params=[("aspnet", 0), ("aspnet", 1), ("wordpress", 0), ("wordpress", 1)],
                ids=lambda param: f"{param[0]}-theme-{param[1]}")
def site(request):
    style, theme = request.param
    with WardSite(style, seed=13, articles=40, duplicate_every=0) as running:
        if theme:
            running.advance().change_theme()
        yield running


def test_generated_articles_come_out_as_written(site):
    problems = []
    captions = 0
    for article in site.live()[:ARTICLES]:
        url = site.article_url(article)
        response = fetch(url)
        result = extract(response.content, url, list(response.headers.items()), today=site.today.date)
        if result is None:
            problems.append(f"{url}: not extracted")
            continue
        score = body_score(result.text, article.text)
        if (result.title, result.date) != (article.title, article.date) or score.f1 < 0.98 or score.leaked:
            problems.append(f"{url}: {result.title!r} {result.date} ({result.date_source}), "
                            f"F1 {score.f1:.3f}, {score.leaked} tokens leaked")
        for image in article.images:
            captions += 1
            if " ".join(tokens(image.caption)) in " ".join(tokens(result.text)):
                problems.append(f"{url}: caption {image.caption!r} in the text")
    assert not problems, "\n".join(problems)
    assert captions > 0                      # the check above had pictures to look at


def test_dates_of_the_aspnet_portal_come_from_the_lead(site):
    article = site.live()[0]
    url = site.article_url(article)
    result = extract(fetch(url).content, url, [], today=site.today.date)
    expected = "body" if site.style.name == "aspnet" else {"time", "meta", "dateline", "url"}
    assert result.date == article.date
    assert result.date_source == expected if isinstance(expected, str) else result.date_source in expected


def test_generated_listings_are_not_articles(site):
    for url in (site.listing_url(1), site.listing_url(2), site.listing_url(1, site.live()[0].category)):
        response = fetch(url)
        result = extract(response.content, url, list(response.headers.items()), today=site.today.date)
        assert result is None, url
