"""The results page narrows a search: facets, the category filter, quick dates typed and shown as
dd/mm/yyyy, and the histogram of matches per month (inline SVG, readable as text)."""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup

from tests.webui.listing_corpus import FLOOD, HOSTILE_CATEGORY


def soup_of(response) -> BeautifulSoup:
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


def query_of(href: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


def facet_links(soup: BeautifulSoup, facet: str) -> dict[str, tuple[int, str | None]]:
    """label -> (count, link) of a facet list; an active value has no link."""
    found = {}
    for item in soup.select(f".facet-{facet} li"):
        count = int(item.select_one(".count").get_text(strip=True).replace(".", ""))
        label = item.select_one(".isolate").get_text(strip=True) if item.select_one(".isolate") else \
            item.get_text(" ", strip=True).split()[0]
        link = item.select_one("a:not(.facet-off)")
        found[label] = (count, link["href"] if link else None)
    return found


def result_ids(soup: BeautifulSoup) -> list[str]:
    return [a["href"].rsplit("/", 1)[-1] for a in soup.select("li.result .result-title a")]


def test_facets_count_every_match_and_link_to_the_narrowed_search(listing_client, listing):
    soup = soup_of(listing_client.get("/search", query_string={"q": "ngap nuoc"}))
    flood = listing.flood
    assert len(soup.select("li.result")) == 10 < len(flood)           # a page of a longer list
    sites = facet_links(soup, "site")
    assert {k: v[0] for k, v in sites.items()} == {
        "Phường Bến Nghé": sum(d.site == "ben-nghe" for d in flood),
        "Phường Đa Kao": sum(d.site == "da-kao" for d in flood)}
    years = facet_links(soup, "year")
    assert {k: v[0] for k, v in years.items()} == dict(Counter(str(d.date.year) for d in flood if d.date))
    categories = facet_links(soup, "category")
    assert {k: v[0] for k, v in categories.items()} == dict(Counter(d.category for d in flood if d.category))

    narrowed = soup_of(listing_client.get(categories["Đô thị"][1]))
    assert query_of(categories["Đô thị"][1]) == {"q": "ngap nuoc", "category": "Đô thị"}
    assert sorted(result_ids(narrowed)) == sorted(d.id for d in flood if d.category == "Đô thị")
    assert narrowed.select_one("input[type=hidden][name=category]")["value"] == "Đô thị"  # kept by the form
    active = facet_links(narrowed, "category")
    assert active == {"Đô thị": (2, None)}
    remove = narrowed.select_one(".facet-category .facet-off")["href"]
    assert query_of(remove) == {"q": "ngap nuoc"}

    last_year = str(listing.today.year - 1)
    year_page = soup_of(listing_client.get(years[last_year][1]))
    assert query_of(years[last_year][1])["from"] == f"01/01/{last_year}"
    assert query_of(years[last_year][1])["to"] == f"31/12/{last_year}"
    assert result_ids(year_page) == [d.id for d in flood if d.date and d.date.year == int(last_year)]
    assert year_page.select_one("input[name=from]")["value"] == f"01/01/{last_year}"


def test_the_hostile_category_is_escaped_and_filters_exactly(listing_client, listing):
    response = listing_client.get("/search", query_string={"q": FLOOD})
    html = response.get_data(as_text=True)
    assert "<i>Chuyên mục</i>" not in html and "&lt;i&gt;Chuyên mục&lt;/i&gt;" in html
    link = facet_links(soup_of(response), "category")[HOSTILE_CATEGORY][1]
    page = soup_of(listing_client.get(link))
    assert result_ids(page) == [d.id for d in listing.flood if d.category == HOSTILE_CATEGORY]


def test_quick_date_choices_and_typed_dates_in_dd_mm_yyyy(listing_client, listing):
    form = soup_of(listing_client.get("/"))
    choices = {r["value"]: r.find_parent("label").get_text(strip=True)
               for r in form.select("input[name=range]")}
    assert choices == {"": "Mọi lúc", "7d": "7 ngày", "30d": "30 ngày", "year": "Năm nay",
                       "custom": "Khoảng tùy chọn"}
    for name in ("from", "to"):
        field = form.select_one(f"input[name={name}]")
        assert field["type"] == "text" and field["placeholder"] == "dd/mm/yyyy" and field["pattern"]

    today = listing.today
    for period, first in (("7d", today - timedelta(days=6)), ("30d", today - timedelta(days=29)),
                          ("year", date(today.year, 1, 1))):
        page = soup_of(listing_client.get("/search", query_string={"range": period, "per_page": "100"}))
        expected = {d.id for d in listing.documents if d.date and first <= d.date <= today}
        assert set(result_ids(page)) == expected, period
        assert page.select_one(f"input[name=range][value='{period}']").has_attr("checked")
        assert page.select_one(".period").get_text(strip=True) == f"{first:%d/%m/%Y} – {today:%d/%m/%Y}"

    typed = listing_client.get("/search", query_string={"q": "sinh hoat", "from": "1/1/2000",
                                                        "to": today.strftime("%d/%m/%Y"), "range": "7d"})
    page = soup_of(typed)                                       # typed dates win over a quick choice
    assert page.select_one("input[name=range][value=custom]").has_attr("checked")
    assert page.select_one("input[name=from]")["value"] == "01/01/2000"   # shown as dd/mm/yyyy
    assert len(result_ids(page)) == 10
    iso = soup_of(listing_client.get("/search", query_string={"q": "sinh hoat", "to": "2099-12-31"}))
    assert iso.select_one("input[name=to]")["value"] == "31/12/2099"

    bad = listing_client.get("/search", query_string={"q": "sinh hoat", "from": "31/02/2024"})
    assert bad.status_code == 400
    assert "dd/mm/yyyy" in soup_of(bad).select_one(".notice.error").get_text()
    assert soup_of(bad).select_one("input[name=from]")["value"] == "31/02/2024"   # kept to correct it


def test_the_histogram_is_inline_svg_with_numbers_as_text_and_links_per_month(listing_client, listing):
    response = listing_client.get("/search", query_string={"q": "sinh hoat khu pho"})
    soup = soup_of(response)
    svg = soup.select_one(".facets svg.chart")
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"].split()
    per_month = Counter(f"{d.date:%m/%Y}" for d in listing.neighbourhood)
    description = soup.find(id=desc_id).get_text()
    for month, count in per_month.items():
        assert f"{month}: {count} kết quả" in description
    first, last = min(d.date for d in listing.neighbourhood), max(d.date for d in listing.neighbourhood)
    assert soup.find(id=title_id).get_text() == f"Số kết quả theo tháng, {first:%m/%Y} – {last:%m/%Y}"
    bars = svg.select("rect.bar")
    assert sorted(b.title.get_text() for b in bars) == sorted(
        f"{m}: {n} kết quả" for m, n in per_month.items())
    assert not svg.find_all(style=True) and not svg.find_all("script") and not svg.find_all("style")
    link = bars[-1].find_parent("a")["href"]
    month = date(last.year, last.month, 1)
    end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    assert query_of(link) == {"q": "sinh hoat khu pho", "from": f"{month:%d/%m/%Y}", "to": f"{end:%d/%m/%Y}"}
    in_month = soup_of(listing_client.get(link))
    assert set(result_ids(in_month)) == {d.id for d in listing.neighbourhood if month <= d.date <= end}


def test_the_api_returns_facets_and_takes_category_range_and_vietnamese_dates(listing_client, listing):
    answer = listing_client.get("/api/search", query_string={"q": "ngap nuoc", "per_page": "2"}).get_json()
    assert answer["total"] == len(listing.flood) and len(answer["results"]) == 2
    assert list(answer)[-2:] == ["facets", "results"]
    assert answer["facets"]["site"] == dict(Counter(d.site for d in listing.flood).most_common())
    assert answer["facets"]["category"][HOSTILE_CATEGORY] == 1
    recent = listing_client.get("/api/search", query_string={"range": "7d", "per_page": "100"}).get_json()
    assert {r["id"] for r in recent["results"]} == {
        d.id for d in listing.documents if d.date and d.date >= listing.today - timedelta(days=6)}
    both = [listing_client.get("/api/search", query_string={"q": "sinh hoat", "from": value}).get_json()
            ["total"] for value in ((listing.today - timedelta(days=100)).isoformat(),
                          (listing.today - timedelta(days=100)).strftime("%d/%m/%Y"))]
    assert both[0] == both[1] == 5
    for params in ({"category": "x" * 300}, {"range": "week"}, {"from": "16-03-2023"}):
        response = listing_client.get("/api/search", query_string=params)
        assert response.status_code == 400 and response.get_json()["error"]
