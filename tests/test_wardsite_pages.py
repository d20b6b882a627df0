"""The generated ward sites as a crawler meets them on their first day: pages, files, determinism.

Everything goes through the real server on 127.0.0.1 with `requests`.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from bs4 import BeautifulSoup

from tests.wardsite import WardSite

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
STYLES = ("wordpress", "aspnet")


@pytest.fixture(scope="module", params=STYLES)
def site(request):
    with WardSite(request.param, seed=11, articles=95, per_page=10, crawl_delay=1.5, duplicate_every=7,
                  sitemap_size=40) as running:
        yield running


def get(url: str, **headers: str) -> requests.Response:
    return requests.get(url, headers=headers, timeout=10, allow_redirects=False)


def soup_of(url: str) -> BeautifulSoup:
    response = get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    return BeautifulSoup(response.content, "html.parser")


def content_paragraphs(soup: BeautifulSoup) -> list[str]:
    """The article's paragraphs, whatever the theme (demo, flat WordPress or table portal)."""
    body = soup.select_one("div.content, div.entry-content, td.ContentNews, td.noidung")
    return [p.get_text() for p in body.find_all("p") if not p.find("img") and p.get_text().strip()]


def next_listing_page(soup: BeautifulSoup, current: str) -> str | None:
    """The pager's link to the page after this one, by its number."""
    found = re.search(r"(?:page[/=]|trang[/=])(\d+)", current)
    number = int(found.group(1)) + 1 if found else 2
    for link in soup.select("nav.pagination a, td.pager a, .nav-links a"):
        if link.get_text() == str(number):
            return urljoin(current, link["href"])
    return None


def listed(site: WardSite, category: str | None = None) -> list[str]:
    """Every article URL of a listing, page after page, in order."""
    urls, url = [], site.listing_url(1, category)
    while url:
        soup = soup_of(url)
        links = soup.select("li.teaser h2 a, article h2.entry-title a, a.linktitle")
        assert 1 <= len(links) <= site.per_page
        urls += [urljoin(url, a["href"]) for a in links]
        following = next_listing_page(soup, url)
        if following:
            assert len(links) == site.per_page                 # only the last page is short
        url = following
    return urls


# --- determinism ---------------------------------------------------------------------------------

@pytest.mark.parametrize("style", STYLES)
def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_ones(style):
    paths = lambda s: ["/", "/robots.txt", *(u[len(s.base_url):] for u in (  # noqa: E731
        s.listing_url(2), s.article_url(s.live()[5]), s.listing_url(1, s.ward.beats[0].slug)))]
    with WardSite(style, seed="a", articles=40) as one, WardSite(style, seed="a", articles=40) as two, \
            WardSite(style, seed="b", articles=40) as other:
        assert one.port != two.port
        assert paths(one) == paths(two)
        for path in paths(one):
            first, second = get(one.url(path), Host="ward.test"), get(two.url(path), Host="ward.test")
            assert first.status_code == 200 and first.content == second.content, path
            assert first.headers["ETag"] == second.headers["ETag"]
            assert first.headers["Last-Modified"] == second.headers["Last-Modified"]
        assert get(one.url("/")).content != get(other.url("/")).content
        assert [a.title for a in one.ever()] == [a.title for a in two.ever()]
        assert {a.title for a in one.ever()}.isdisjoint({a.title for a in other.ever()})


def test_a_site_of_2000_articles_writes_no_article_text_until_a_page_needs_it():
    with WardSite("wordpress", seed=3, articles=2000) as site:
        articles = site.ever()
        assert len(articles) == len({a.title for a in articles}) == len({a.slug for a in articles}) == 2000
        assert all(a.versions[0]._body is None for a in articles)
        response = get(site.article_url(articles[100]))
        assert response.status_code == 200 and articles[100].paragraphs[0] in response.text
        written = sum(a.versions[0]._body is not None for a in articles)
        assert 1 <= written <= 6                                # the article and the "Tin mới" list


# --- article pages -------------------------------------------------------------------------------

def test_an_article_page_shows_the_ground_truth(site):
    for article in site.live()[3:40:9]:
        soup = soup_of(site.article_url(article))
        assert content_paragraphs(soup) == list(article.paragraphs)
        title = soup.select_one("h1, td.TitleNews, td.tieude")
        assert title.get_text() == article.title
        assert article.author in soup.get_text()
        assert re.fullmatch(r"Ngày \d{1,2}/\d{1,2}/\d{4}, .+", article.paragraphs[0], re.DOTALL)
        day = article.date
        assert article.paragraphs[0].startswith(f"Ngày {day.day}/{day.month}/{day.year},")


def test_a_wordpress_article_has_a_permalink_a_canonical_link_and_its_dates_in_the_head():
    with WardSite("wordpress", seed=4, articles=30) as site:
        article = site.live()[2]
        url = site.article_url(article)
        assert re.fullmatch(rf"{site.base_url}/{article.published:%Y/%m/%d}/{article.slug}/", url)
        soup = soup_of(url)
        assert soup.find("link", rel="canonical")["href"] == url
        meta = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
        assert meta["article:published_time"] == article.published.isoformat()
        assert meta["article:modified_time"] == article.modified.isoformat()
        assert soup.select_one("aside h2").get_text() == "Tin mới"
        assert [a.get_text() for a in soup.select("aside .latest li a")] == [a.title for a in site.live()[:5]]


def test_an_aspnet_article_gives_its_date_only_in_the_bold_lead():
    with WardSite("aspnet", seed=4, articles=30) as site:
        article = site.live()[2]
        url = site.article_url(article)
        assert url == f"{site.base_url}/Default.aspx?ItemID={article.id}"
        soup = soup_of(url)
        assert soup.find("h1") is None and soup.find("time") is None
        assert soup.find("link", rel="canonical") is None
        assert not soup.find_all("meta", property=True)
        lead = soup.select_one("td.ContentNews p b")
        assert lead.get_text() == article.paragraphs[0]
        content = soup.select_one("td.ContentNews")
        content.decompose()
        assert not re.search(r"\d{1,2}/\d{1,2}/\d{4}", soup.get_text())   # no date outside the body
        assert soup.find("input", attrs={"name": "__VIEWSTATE"}) and soup.find("table", class_="khung")


def test_article_pages_use_images_a_stylesheet_a_font_and_a_background_from_the_same_host(site):
    article = next(a for a in site.live() if len(a.images) == 2)
    url = site.article_url(article)
    soup = soup_of(url)
    images = [urljoin(url, img["src"]) for img in soup.find_all("img")]
    assert len(images) >= 2 and all(urlsplit(i).netloc == urlsplit(url).netloc for i in images)
    bodies = set()
    for image in images:
        response = get(image)
        assert (response.status_code, response.headers["Content-Type"]) == (200, "image/png")
        assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
        bodies.add(response.content)
    assert len(bodies) == len(images)                            # logo and the article's own pictures differ
    css_url = urljoin(url, soup.find("link", rel="stylesheet")["href"])
    css = get(css_url)
    assert css.headers["Content-Type"] == "text/css; charset=utf-8"
    referenced = [urljoin(css_url, ref) for ref in re.findall(r'url\("([^"]+)"\)', css.text)]
    types = {get(ref).headers["Content-Type"] for ref in referenced}
    assert types == {"font/woff2", "image/png"}


def test_attachments_are_served_with_their_type_and_the_hook_can_replace_them(site):
    article = next(a for a in site.live() if a.attachments)
    url = site.article_url(article)
    soup = soup_of(url)
    links = {a.get_text(): urljoin(url, a["href"]) for a in soup.find_all("a") if a.get_text() in
             {att.label for att in article.attachments}}
    assert set(links) == {att.label for att in article.attachments}
    expected = {"pdf": "application/pdf", "doc": "application/msword", "xls": "application/vnd.ms-excel",
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    attachment = article.attachments[0]
    response = get(links[attachment.label])
    assert response.headers["Content-Type"] == expected[attachment.name.rsplit(".", 1)[1]]
    assert f"placeholder for {attachment.name}".encode() in response.content
    stock, site.attachment_bytes = site.attachment_bytes, lambda art, name: f"{art.id}:{name}".encode()
    try:
        assert get(links[attachment.label]).content == f"{article.id}:{attachment.name}".encode()
    finally:
        site.attachment_bytes = stock


def test_an_article_served_twice_has_byte_identical_alias_and_a_print_view_naming_the_canonical(site):
    article = next(a for a in site.live() if a.id % 7 == 0)
    main = get(site.article_url(article))
    alias = get(site.article_url(article, "alias"))
    assert site.article_url(article, "alias") != site.article_url(article)
    assert alias.status_code == 200 and alias.content == main.content
    printed = BeautifulSoup(get(site.article_url(article, "print")).content, "html.parser")
    assert printed.find("link", rel="canonical")["href"] == site.article_url(article)
    assert [p.get_text() for p in printed.select(".print-content p")] == list(article.paragraphs)
    main_soup = BeautifulSoup(main.content, "html.parser")
    hrefs = {urljoin(site.article_url(article), a["href"]) for a in main_soup.find_all("a", href=True)}
    assert site.article_url(article, "print") in hrefs                     # linked: a crawler finds it
    category_page = site.listing_position(article, article.beat.slug)[0]
    category_soup = soup_of(site.listing_url(category_page, article.beat.slug))
    teasers = {urljoin(site.base_url, a["href"]) for a in category_soup.find_all("a", href=True)}
    assert site.article_url(article, "alias") in teasers


# --- listings, robots, sitemaps, feed --------------------------------------------------------------

def test_listings_hold_every_article_once_newest_first_with_a_short_pager(site):
    urls = listed(site)
    assert urls == [site.article_url(a) for a in site.live()]
    soup = soup_of(site.listing_url(5))
    pager_numbers = [a.get_text() for a in soup.select("nav.pagination a, td.pager a, .nav-links a")
                     if a.get_text().isdigit()]
    assert "1" in pager_numbers and "10" in pager_numbers and len(pager_numbers) < 10
    category = site.live()[0].beat
    members = [site.article_url(a, "alias" if a.id % 7 == 0 else "main")
               for a in site.live() if a.beat == category]
    assert listed(site, category.slug) == members


def test_robots_txt_disallows_the_back_office_and_names_the_sitemap_if_there_is_one(site):
    response = get(site.url("/robots.txt"))
    lines = response.text.splitlines()
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert lines[0] == "User-agent: *" and "Crawl-delay: 1.5" in lines
    disallowed = [line.split(": ", 1)[1] for line in lines if line.startswith("Disallow: ")]
    assert disallowed and all(get(site.url(path)).status_code == 404 for path in disallowed)
    soup = soup_of(site.url("/"))
    linked = {urlsplit(urljoin(site.base_url, a["href"])).path for a in soup.find_all("a", href=True)}
    forms = {form["action"] for form in soup.find_all("form")}
    assert site.style.files.admin in linked and site.style.files.search in linked | forms
    sitemaps = [line.split(": ", 1)[1] for line in lines if line.startswith("Sitemap: ")]
    if site.style.name == "wordpress":
        assert sitemaps == [site.url("/sitemap.xml")]
    else:
        assert sitemaps == [] and get(site.url("/sitemap.xml")).status_code == 404
        assert get(site.url("/feed/")).status_code == 404


def test_the_wordpress_sitemap_lists_every_live_article_with_its_last_change():
    with WardSite("wordpress", seed=5, articles=95, sitemap_size=40) as site:
        index = ET.fromstring(get(site.url("/sitemap.xml")).content)
        children = [loc.text for loc in index.iterfind("sm:sitemap/sm:loc", SITEMAP_NS)]
        assert len(children) == 1 + 3                            # listing pages, then 95 articles by 40
        entries = {}
        for child in children:
            for url in ET.fromstring(get(child).content).iterfind("sm:url", SITEMAP_NS):
                entries[url.findtext("sm:loc", namespaces=SITEMAP_NS)] = url.findtext("sm:lastmod",
                                                                                      namespaces=SITEMAP_NS)
        for article in site.live():
            assert entries.pop(site.article_url(article)) == article.modified.isoformat()
        assert set(entries) == {site.url("/")} | {site.listing_url(1, b.slug) for b in site.ward.beats}
        assert get(site.url("/sitemap-posts-4.xml")).status_code == 404


def test_the_wordpress_feed_has_the_latest_articles_by_date():
    with WardSite("wordpress", seed=5, articles=40) as site:
        response = get(site.url("/feed/"))
        assert response.headers["Content-Type"] == "application/rss+xml; charset=UTF-8"
        items = ET.fromstring(response.content).findall("channel/item")
        assert [item.findtext("link") for item in items] == [site.article_url(a) for a in site.live()[:20]]
        dates = [parsedate_to_datetime(item.findtext("pubDate")) for item in items]
        assert dates == [a.published for a in site.live()[:20]]
        home = soup_of(site.url("/"))
        assert home.find("link", type="application/rss+xml")["href"] == "/feed/"


@pytest.mark.parametrize("path", ["/2024/01/01/khong-co-bai-nay/", "/page/0/", "/page/1/", "/page/99/",
                                  "/?p=99999", "/category/khong-co/", "/Default.aspx?ItemID=abc",
                                  "/Default.aspx?ItemID=99999", "/wp-content/uploads/2024/01/khong-co.png",
                                  "/wp-content/themes/khong-co/style.css", "/Upload/anh-1-9.png"])
def test_unknown_paths_answer_404(site, path):
    response = get(site.url(path))
    assert response.status_code == 404 and "Không tìm thấy trang" in response.text


def test_a_permalink_with_a_wrong_date_or_category_is_not_the_article(site):
    article = site.live()[4]
    url = site.article_url(article)
    if site.style.name == "wordpress":
        wrong = url.replace(f"/{article.published:%Y}/", f"/{article.published.year - 1}/")
    else:
        other = next(n for n in range(1, 9) if n != site.ward.beats.index(article.beat) + 1)
        wrong = site.article_url(article, "alias").replace(f"CatID={site.ward.beats.index(article.beat) + 1}",
                                                           f"CatID={other}")
    assert get(wrong).status_code == 404


def test_the_text_is_vietnamese_in_nfc_with_abbreviations_numbers_and_both_tone_spellings():
    with WardSite("aspnet", seed=8, articles=150) as site:
        texts = [a.title + "\n" + a.text for a in site.ever()]
        corpus = "\n".join(texts)
        assert unicodedata.normalize("NFC", corpus) == corpus
        for token in ("UBND", "Ủy ban nhân dân", "MTTQ", "HĐND", r"\d+/KH-UBND", r"\d+-NQ/ĐU",
                      r"\d{1,3}\.\d{3}\.000 đồng", r"@example\.gov\.vn", "https://"):
            assert re.search(token, corpus), token
        for new, old in (("hòa", "hoà"), ("thủy", "thuỷ"), ("khỏe", "khoẻ")):
            for spelling in (new, old):
                assert re.search(rf"(?<!\w){spelling}(?!\w)", corpus), spelling
        lengths = sorted(len(a.text) for a in site.ever())
        assert lengths[0] >= 400 and all(max(len(p) for p in a.paragraphs) >= 400 for a in site.ever())
        assert len({a.category for a in site.ever()}) >= 5 and len({a.author for a in site.ever()}) >= 50
        dates = sorted(a.date for a in site.ever())             # about one a day, up to the day before day 0
        assert dates[-1] < site.today.date and (site.today.date - dates[0]).days >= 120
