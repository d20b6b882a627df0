"""The result list as CSV: UTF-8 with BOM, the page's query, filters and order, every match up to the
limit, and no cell a spreadsheet would evaluate, whatever the crawled titles hold."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from bs4 import BeautifulSoup

from tests.webui.listing_corpus import FLOOD, HOSTILE_TITLES
from webui import create_app
from webui.export import COLUMNS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_link(client, **params) -> str:
    soup = BeautifulSoup(client.get("/search", query_string=params).get_data(as_text=True), "lxml")
    links = [a for a in soup.select("a[href]") if "csv" in a["href"].lower() or "CSV" in a.get_text()]
    assert len(links) == 1
    return links[0]["href"]


def rows_of(response) -> list[dict[str, str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=\"tin-phuong")
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")                    # the BOM Excel needs for UTF-8
    text = data.decode("utf-8-sig")                            # as a spreadsheet opens it
    assert "\r\n" in text
    reader = csv.reader(io.StringIO(text, newline=""))
    assert next(reader) == list(COLUMNS)
    return [dict(zip(COLUMNS, row, strict=True)) for row in reader]


def doc_id(row: dict[str, str]) -> str:
    return row["Bản lưu trữ"].rsplit("/", 2)[-2]


def page_ids(client, **params) -> list[str]:
    ids = []
    for page in range(1, 20):
        html = client.get("/search", query_string={**params, "page": page}).get_data(as_text=True)
        soup = BeautifulSoup(html, "lxml")
        found = [a["href"].rsplit("/", 1)[-1] for a in soup.select("li.result .result-title a")]
        if not found:
            return ids
        ids.extend(found)
    return ids


def test_the_export_has_every_match_in_the_pages_order_with_the_same_filters(listing_client, listing):
    params = {"q": "sinh hoat", "site": "da-kao", "sort": "oldest", "page": "2"}
    href = export_link(listing_client, **params)
    assert "page" not in href and "sort=oldest" in href and "site=da-kao" in href
    rows = rows_of(listing_client.get(href))
    expected = sorted((d for d in listing.neighbourhood if d.site == "da-kao"), key=lambda d: d.date)
    assert len(rows) == len(expected) == 15 > 10                 # more than one page
    assert [r["Tiêu đề"] for r in rows] == [d.title for d in expected]
    assert [doc_id(r) for r in rows] == page_ids(listing_client, **params | {"page": 1})
    first = rows[0]
    assert first["Ngày đăng"] == expected[0].date.isoformat()    # ISO: a date in every Excel locale
    assert first["Trang web"] == "Phường Đa Kao" and first["Địa chỉ gốc"] == expected[0].url
    assert first["Bản lưu trữ"] == f"http://localhost/doc/{expected[0].id}/archive"
    assert first["Trích đoạn"] == expected[0].text and "<mark>" not in first["Trích đoạn"]


def test_the_relevance_order_is_the_pages_and_vietnamese_text_survives(listing_client, listing):
    rows = rows_of(listing_client.get(export_link(listing_client, q="ngap nuoc")))
    assert [doc_id(r) for r in rows] == page_ids(listing_client, q="ngap nuoc")
    assert len(rows) == len(listing.flood) and all("ngập nước" in r["Trích đoạn"] for r in rows)
    assert {r["Tiêu đề"] for r in rows} >= {"Mưa lớn gây ngập nước đường Lý Tự Trọng"}


def test_hostile_cells_are_text_never_formulas(listing_client, listing):
    rows = rows_of(listing_client.get("/search.csv", query_string={"q": FLOOD}))
    assert len(rows) == len(listing.flood)
    titles = {r["Tiêu đề"] for r in rows}
    for title in HOSTILE_TITLES:
        visible = title.replace("\u202e", "").replace("\u2066", "").replace("\u2069", "")
        expected = "'" + visible if visible.startswith(FORMULA_STARTS) else visible
        assert expected in titles, title
    for row in rows:
        for value in row.values():
            assert not value.startswith(FORMULA_STARTS) and not value.lstrip().startswith(FORMULA_STARTS)
            assert not any(c in value for c in "\u202e\u2066\u2069\x0b\x1b")
    hostile = next(r for r in rows if r["Tiêu đề"].startswith("'=HYPERLINK"))
    assert "<img src=x onerror=alert(1)>" in hostile["Trích đoạn"] or "]]>" in hostile["Trích đoạn"]


def test_the_export_stops_at_its_limit(listing):
    client = create_app(listing.config, test_config={"TESTING": True, "EXPORT_LIMIT": 12}).test_client()
    rows = rows_of(client.get("/search.csv", query_string={"q": "sinh hoat", "sort": "newest"}))
    newest = sorted(listing.neighbourhood, key=lambda d: d.date, reverse=True)[:12]
    assert [r["Tiêu đề"] for r in rows] == [d.title for d in newest]


def test_no_query_lists_by_date_and_bad_filters_are_refused(listing_client, listing):
    rows = rows_of(listing_client.get("/search.csv", query_string={"range": "30d"}))
    dated = [d for d in listing.documents if d.date and (listing.today - d.date).days < 30]
    assert [date.fromisoformat(r["Ngày đăng"]) for r in rows] == sorted((d.date for d in dated), reverse=True)
    response = listing_client.get("/search.csv", query_string={"q": "x", "to": "2024-02-30"})
    assert response.status_code == 400 and response.mimetype == "text/html"


@pytest.mark.parametrize(("query", "name"), [
    ("ngập nước", "tin-phuong-ngap-nuoc.csv"), ("", "tin-phuong.csv"), ('"; x=/../..', "tin-phuong-x.csv")])
def test_the_file_is_named_after_the_query_in_ascii(listing_client, query, name):
    response = listing_client.get("/search.csv", query_string={"q": query, "site": "ben-nghe"})
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
