"""The generated ward sites from day to day: every change and incident, seen over real HTTP."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import pytest
import requests
from bs4 import BeautifulSoup

from tests.wardsite import EVENTS, City, DayPlan, WardSite, soak_schedule

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def get(url: str, **headers: str) -> requests.Response:
    return requests.get(url, headers=headers, timeout=10, allow_redirects=False)


def titles_listed(url: str) -> list[str]:
    soup = BeautifulSoup(get(url).content, "html.parser")
    return [a.get_text() for a in soup.select("li.teaser h2 a, article h2.entry-title a, a.linktitle")]


@pytest.mark.parametrize("style", ["wordpress", "aspnet"])
def test_new_articles_go_on_top_and_a_backdated_one_into_page_5_the_next_day(style):
    with WardSite(style, seed=1, articles=120, per_page=10) as site:
        page5_before = titles_listed(site.listing_url(5))
        day = site.advance()
        assert (day.number, day.date) == (1, site.days[0].date.replace(day=site.days[0].date.day + 1))
        new = day.publish(2)
        old = day.backdate(listing_page=5)
        assert titles_listed(site.listing_url(1))[:2] == [new[1].title, new[0].title]
        page5 = titles_listed(site.listing_url(5))
        assert old.title in page5 and old.title not in page5_before
        assert page5.index(old.title) == 5 and site.listing_position(old) == (5, 5)
        assert page5[2:5] + page5[6:] == page5_before[:7]     # two new on top push the others down by 2
        assert old.backdated and old.created_on == 1 and old.published < new[0].published
        assert old.paragraphs[0].startswith(f"Ngày {old.date.day}/{old.date.month}/{old.date.year},")
        assert old.id > new[1].id                              # the CMS numbers it last, whatever its date
        in_category = day.backdate(listing_page=2, category=old.beat.slug)
        assert site.listing_position(in_category, old.beat.slug) == (2, 5)
        assert in_category.title in titles_listed(site.listing_url(2, old.beat.slug))


def test_an_edit_changes_the_validators_and_the_sitemap_lastmod_and_keeps_the_old_text():
    with WardSite("wordpress", seed=2, articles=60, sidebar_on_articles=False) as site:
        article = site.live()[10]
        url = site.article_url(article)
        first = get(url)
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        assert get(url, **{"If-None-Match": etag}).status_code == 304
        day = site.advance()
        day.publish(3)                                         # other news: this page does not change
        assert get(url, **{"If-None-Match": etag}).status_code == 304
        assert get(url, **{"If-Modified-Since": modified}).status_code == 304
        old_title, old_text = article.title, article.text
        day.edit(article, part="title")
        day.edit(article, part="body")
        second = get(url, **{"If-None-Match": etag})
        assert second.status_code == 200 and second.headers["ETag"] != etag
        assert article.title != old_title and article.title in second.text and old_title not in second.text
        assert article.text != old_text and article.paragraphs[-1] in second.text
        assert get(url, **{"If-None-Match": second.headers["ETag"]}).status_code == 304
        assert get(url, **{"If-Modified-Since": modified}).status_code == 200
        edited_at = parsedate_to_datetime(second.headers["Last-Modified"])
        assert edited_at == article.modified and edited_at.astimezone(UTC) > parsedate_to_datetime(modified)
        assert article.modified.date() == day.date
        assert [(v.title, v.text, v.day) for v in article.versions[:2]] == [(old_title, old_text, 0),
                                                                             (article.title, old_text, 1)]
        assert article.versions[2].text == article.text and site.edited() == [article] == day.edited[:1]
        lastmods = {}
        index = ET.fromstring(get(site.url("/sitemap.xml")).content)
        for child in index.iterfind("sm:sitemap/sm:loc", SITEMAP_NS):
            for entry in ET.fromstring(get(child.text).content).iterfind("sm:url", SITEMAP_NS):
                lastmods[entry.findtext("sm:loc", namespaces=SITEMAP_NS)] = entry.findtext("sm:lastmod",
                                                                                          namespaces=SITEMAP_NS)
        assert datetime.fromisoformat(lastmods[url]) == article.modified
        changed_today = {loc for loc, m in lastmods.items() if datetime.fromisoformat(m).date() == day.date}
        articles_today = {site.article_url(a) for a in [*day.published, article]}
        listings = {site.url("/")} | {site.listing_url(1, b.slug) for b in site.ward.beats}
        assert changed_today - articles_today <= listings
        assert articles_today <= changed_today


def test_with_the_sidebar_on_articles_a_publication_changes_every_article_page():
    with WardSite("aspnet", seed=2, articles=30) as site:
        url = site.article_url(site.live()[12])
        etag = get(url).headers["ETag"]
        site.advance()
        assert get(url, **{"If-None-Match": etag}).status_code == 304      # a day without news
        site.advance().publish()
        assert get(url, **{"If-None-Match": etag}).status_code == 200      # "Tin mới" changed


@pytest.mark.parametrize("style", ["wordpress", "aspnet"])
def test_a_deleted_article_answers_404_then_410_and_leaves_listings_sitemap_and_files(style):
    with WardSite(style, seed=3, articles=50) as site:
        article = next(a for a in site.live()[:10] if a.images)
        url, image = site.article_url(article), site.links().image(article, article.images[0])
        assert get(site.url(image)).status_code == 200
        day = site.advance()
        assert day.delete(article) is article
        assert get(url).status_code == 404 and get(site.article_url(article, "print")).status_code == 404
        assert article.title not in titles_listed(site.listing_url(1))
        assert article not in site.live() and site.deleted() == [article] and article.deleted_on == 1
        assert get(site.url(image)).status_code == 404
        if style == "wordpress":
            assert url.encode() not in get(site.url("/sitemap-posts-1.xml")).content
        site.advance()
        gone = get(url)
        assert gone.status_code == 410 and "đã bị gỡ bỏ" in gone.text
        assert article.exists_on(0) and not article.exists_on(1)


def test_a_down_day_refuses_connections_and_the_next_day_serves_on_the_same_port():
    with WardSite("aspnet", seed=4, articles=20) as site:
        port, session = site.port, requests.Session()
        assert session.get(site.url("/"), timeout=5).status_code == 200     # a kept-alive connection
        day = site.advance()
        day.publish()
        day.down()
        for attempt in (requests, session):
            with pytest.raises(requests.ConnectionError):
                attempt.get(site.url("/"), timeout=5)
        site.advance()
        assert site.port == port
        response = session.get(site.url("/"), timeout=5)
        assert response.status_code == 200 and day.published[0].title in response.text
        assert site.days[1].events == ["down"] and site.traffic(1).count == 0


def test_an_unavailable_day_answers_503_with_retry_after_everywhere_until_the_next_day():
    with WardSite("wordpress", seed=4, articles=20) as site:
        site.advance().unavailable(retry_after=120)
        article_path = site.article_url(site.live()[0])[len(site.base_url):]
        for path in ("/", "/robots.txt", "/sitemap.xml", article_path):
            response = get(site.url(path))
            assert (response.status_code, response.headers["Retry-After"]) == (503, "120"), path
        site.advance()
        assert get(site.url("/robots.txt")).status_code == 200


def test_a_hanging_page_never_answers_while_the_rest_of_the_site_does():
    with WardSite("aspnet", seed=5, articles=20) as site:
        day = site.advance()
        path = day.hang()
        assert path.startswith("/Default.aspx?ItemID=")
        with pytest.raises(requests.ReadTimeout):
            requests.get(site.url(path), timeout=0.5)
        assert get(site.url("/")).status_code == 200
        site.advance()
        assert get(site.url(path)).status_code == 200


@pytest.mark.parametrize("style", ["wordpress", "aspnet"])
def test_a_move_redirects_every_old_url_to_its_new_one(style):
    with WardSite(style, seed=6, articles=60) as site:
        article, doomed = site.live()[15], site.live()[16]
        old_url, old_listing = site.article_url(article), site.listing_url(3, article.beat.slug)
        old_doomed, old_alias = site.article_url(doomed), site.article_url(article, "alias")
        site.advance().delete(doomed)
        site.advance().move()
        new_url = site.article_url(article)
        assert new_url != old_url and site.urls_of(article) == [old_url, new_url]
        moved = get(old_url)
        assert (moved.status_code, moved.headers["Location"]) == (301, new_url)
        assert article.title in get(new_url).text
        assert get(old_listing).headers["Location"] == site.listing_url(3, article.beat.slug)
        assert get(old_doomed).status_code == 410
        if site.article_url(article, "alias") != old_alias:
            assert get(old_alias).headers["Location"] == site.article_url(article, "alias")
        home = BeautifulSoup(get(site.url("/")).content, "html.parser")
        hrefs = [urljoin(site.base_url, a["href"]) for a in home.find_all("a", href=True)]
        assert site.article_url(site.live()[0]) in hrefs and old_url not in hrefs
        assert get(site.listing_url(2)).status_code == 200
        with pytest.raises(ValueError, match="moved already"):
            site.today.move()


@pytest.mark.parametrize("style", ["wordpress", "aspnet"])
def test_a_theme_change_gives_new_html_with_the_same_urls_and_article_text(style):
    with WardSite(style, seed=7, articles=40) as site:
        article = site.live()[5]
        url = site.article_url(article)
        before = get(url)
        site.advance().change_theme()
        after = get(url)
        assert site.article_url(article) == url and after.status_code == 200
        assert after.content != before.content and after.headers["ETag"] != before.headers["ETag"]
        soups = [BeautifulSoup(r.content, "html.parser") for r in (before, after)]
        stylesheets = [s.find("link", rel="stylesheet")["href"] for s in soups]
        assert stylesheets[0] != stylesheets[1]
        assert all(get(urljoin(url, href)).status_code == 200 for href in stylesheets)
        for soup in soups:
            shown = " ".join(soup.get_text(" ").split())
            assert all(" ".join(p.split()) in shown for p in article.paragraphs) and article.title in shown
        holders = [title_holder(soup, article.title) for soup in soups]
        assert holders[0] != holders[1]                        # a selector written for the old theme misses


def title_holder(soup: BeautifulSoup, title: str) -> tuple[str, str, tuple[str, ...]]:
    """How the innermost element holding the title is named: its tag, id and classes (or its parent's)."""
    element = soup.find_all(lambda tag: tag.get_text() == title and tag.name not in ("title", "a"))[-1]
    while not (element.get("id") or element.get("class")):
        element = element.parent
    return element.name, element.get("id", ""), tuple(element.get("class", []))


@pytest.mark.parametrize("http_date", [False, True])
def test_throttling_answers_429_with_retry_after_in_seconds_or_as_an_http_date(http_date):
    with WardSite("wordpress", seed=8, articles=20) as site:
        site.throttle(count=2, retry_after=30, http_date=http_date)
        answers = [get(site.url("/")) for _ in range(3)]
        assert [r.status_code for r in answers] == [429, 429, 200]
        value = answers[0].headers["Retry-After"]
        if http_date:
            wait = (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds()
            assert 25 <= wait <= 31
        else:
            assert value == "30"
        site.throttle(count=1, retry_after=5, path="/feed/")
        assert get(site.url("/")).status_code == 200 and get(site.url("/feed/")).status_code == 429


def test_the_request_log_is_kept_per_day_with_counts_bytes_paths_and_gaps():
    with WardSite("wordpress", seed=9, articles=20) as site:
        sizes = [len(get(site.url(p)).content) for p in ("/", "/robots.txt", "/")]
        site.advance()
        etag = get(site.url("/")).headers["ETag"]
        get(site.url("/"), **{"If-None-Match": etag})
        get(site.url("/khong-co"))
        day0, day1 = site.traffic(0), site.traffic(1)
        assert (day0.count, day0.bytes) == (3, sum(sizes))
        assert day0.per_path() == {"/": 2, "/robots.txt": 1} and day0.statuses() == {200: 3}
        assert day1.statuses() == {200: 1, 304: 1, 404: 1} and day1.bytes == sizes[0] + day1.requests[2].bytes
        assert 0 < day0.min_gap() <= day0.requests[-1].time - day0.requests[0].time
        assert site.traffic().requests == day1.requests


def test_a_city_serves_each_site_on_its_own_port_and_moves_them_a_day_at_a_time():
    with City(12, seed="city", articles=6) as city:
        ports = {site.port for site in city.sites}
        assert len(ports) == 12
        assert [s.style.name for s in city.sites[:2]] == ["wordpress", "aspnet"]
        entries = city.config_entries()
        assert [e["name"] for e in entries[:2]] == ["phuong-0", "phuong-1"]
        assert len({e["title"] for e in entries}) > 1
        for entry, site in zip(entries, city.sites, strict=True):
            assert titles_listed(entry["start_urls"][0])[0] == site.live()[0].title
        days = city.advance(DayPlan(publish=1))
        assert all(d.number == 1 and len(d.published) == 1 for d in days)
        assert titles_listed(city.sites[5].url("/"))[0] == days[5].published[0].title


def test_a_soak_schedule_has_each_incident_once_and_replays_to_the_same_site():
    plans = soak_schedule("soak", days=30)
    assert plans == soak_schedule("soak", days=30) != soak_schedule("other", days=30)
    events = [p.event for p in plans if p.event]
    assert sorted(events) == sorted(EVENTS) and plans[0].event is None
    replicas = [WardSite("aspnet", seed="soak", articles=40) for _ in range(2)]
    for replica in replicas:
        for plan in plans:
            replica.advance(plan)
    one, two = replicas
    assert one.day == 30 and sorted(e for d in one.days for e in d.events) == sorted(EVENTS)
    assert [(a.id, a.title, a.text, a.deleted_on, len(a.versions)) for a in one.ever()] == \
           [(a.id, a.title, a.text, a.deleted_on, len(a.versions)) for a in two.ever()]
    assert len(one.ever()) == 40 + sum(p.publish + p.backdate for p in plans)
    assert len(one.deleted()) == sum(p.delete for p in plans)
    assert sum(len(a.versions) - 1 for a in one.edited()) == sum(p.edit_title + p.edit_body for p in plans)
    with one, two:
        path = one.listing_url(2)[len(one.base_url):]
        assert get(one.url(path), Host="ward.test").content == get(two.url(path), Host="ward.test").content


def test_a_past_day_cannot_be_changed_and_bad_arguments_are_refused():
    site = WardSite("wordpress", seed=10, articles=15)
    first = site.advance()
    site.advance()
    with pytest.raises(ValueError, match="day 1 is over"):
        first.publish()
    with pytest.raises(ValueError, match="no category"):
        site.today.publish(category="khong-co")
    with pytest.raises(ValueError, match="part must be"):
        site.today.edit(part="everything")
    with pytest.raises(ValueError, match="style must be"):
        WardSite("joomla")
    with pytest.raises(ValueError, match="event must be"):
        site.advance(DayPlan(event="flood"))
