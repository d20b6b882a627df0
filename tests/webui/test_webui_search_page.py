"""The search pages as ward staff use them: query kept, filters, marks, pagination, hints, escaping."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup


def soup_of(response) -> BeautifulSoup:
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


def result_titles(soup: BeautifulSoup) -> list[str]:
    return [h.get_text().strip() for h in soup.select("li.result .result-title")]


def test_home_page_is_vietnamese_with_the_empty_state_and_every_filter(client):
    response = client.get("/")
    soup = soup_of(response)
    assert soup.html["lang"] == "vi"
    assert soup.select_one("form.search-form")["action"] == "/search"
    sites = {o["value"]: o.get_text(strip=True) for o in soup.select("select[name=site] option")}
    assert sites == {"": "Tất cả các phường", "ben-nghe": "Phường Bến Nghé (4)",
                     "da-kao": "Phường Đa Kao (24)"}
    assert [o.get_text(strip=True) for o in soup.select("select[name=sort] option")] == [
        "Liên quan nhất", "Mới nhất", "Cũ nhất"]
    for name, label in [("from", "Từ ngày"), ("to", "Đến ngày")]:
        field = soup.select_one(f"input[type=text][name={name}]")      # dd/mm/yyyy, any browser locale
        assert field.find_parent("label").get_text(strip=True) == label
    assert "Tìm trong kho tin của các phường" in soup.select_one(".empty-state").get_text()
    assert not soup.select("li.result")


def test_every_html_page_carries_the_security_headers_and_no_inline_script(client, corpus):
    for path in ["/", "/search?q=dang+vien", f"/doc/{corpus.article.id}", f"/doc/{corpus.article.id}/archive",
                 "/status", "/khong-co-trang-nay"]:
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        soup = soup_of(response)
        assert all(script.get("src") and not script.string for script in soup.find_all("script")), path
        assert not soup.find_all(style=True), path          # style-src 'self' forbids inline styles too


def test_a_query_without_diacritics_finds_the_article_with_marks_date_and_site(client, corpus):
    soup = soup_of(client.get("/search", query_string={"q": "dang vien"}))
    assert soup.select_one("input[name=q]")["value"] == "dang vien"          # the query is kept
    first = soup.select_one("li.result")
    link = first.select_one(".result-title a")
    assert link["href"] == f"/doc/{corpus.article.id}"
    assert link.get_text() == corpus.article.title
    assert first.select(".snippet mark"), "the snippet shows why it matched"
    assert {m.get_text().lower() for m in first.select("mark")} & {"đảng viên", "đảng", "viên"}
    assert first.select_one(".date").get_text(strip=True) == "16/03/2023"
    assert first.select_one(".site").get_text(strip=True) == "Phường Bến Nghé"
    summary = soup.select_one(".summary").get_text(strip=True)
    assert re.fullmatch(r"Tìm thấy \d+ kết quả \(\d+,\d\d giây\)", summary), summary


def test_the_did_you_mean_link_searches_the_accented_form_with_the_same_filters(client):
    soup = soup_of(client.get("/search", query_string={"q": "dang vien", "site": "ben-nghe"}))
    suggestion = soup.select_one(".suggestion")
    assert suggestion is not None and suggestion.get_text(" ", strip=True).startswith("Có phải bạn muốn tìm:")
    link = suggestion.select_one("a")
    assert link.get_text(strip=True) == "đảng viên"
    assert parse_qs(urlsplit(link["href"]).query) == {"q": ["đảng viên"], "site": ["ben-nghe"]}


def test_hostile_titles_and_text_show_as_text(client, corpus):
    response = client.get("/search", query_string={"q": "lich tiep cong dan"})
    html = response.get_data(as_text=True)
    assert '<script>alert("tiêu đề")' not in html and "<img src=x" not in html
    soup = soup_of(response)
    titles = result_titles(soup)
    assert any(t.startswith('<script>alert("tiêu đề")</script>') for t in titles), titles
    assert not soup.select("li.result script, li.result img, li.result b")


def test_titles_mark_the_query_words_in_any_form_even_where_the_snippet_does_not(client, corpus):
    soup = soup_of(client.get("/search", query_string={"q": "thang 4"}))     # only the title says "tháng 4"
    title = next(t for t in soup.select("li.result .result-title") if "Lịch tiếp" in t.get_text())
    assert [m.get_text() for m in title.select("mark")] == ["tháng 4"]
    assert title.get_text().startswith('<script>alert("tiêu đề")</script>')   # escaped, still text
    first = soup_of(client.get("/search", query_string={"q": "đảng viên"})).select_one("li.result")
    assert [m.get_text() for m in first.select(".result-title mark")] == ["đảng viên"]


def test_gone_documents_carry_the_badge_in_results(client, corpus):
    soup = soup_of(client.get("/search", query_string={"q": "don ve sinh moi truong"}))
    result = next(r for r in soup.select("li.result") if corpus.gone.title in r.get_text())
    assert result.select_one(".badge.gone").get_text(strip=True) == "Trang gốc đã bị gỡ"
    article = client.get("/search", query_string={"q": "tap huan dang vien"}).get_data(as_text=True)
    assert "Trang gốc đã bị gỡ" not in article


def test_site_filter_and_date_order_list_documents_without_a_query(client):
    soup = soup_of(client.get("/search", query_string={"site": "da-kao", "sort": "newest"}))
    assert soup.select_one(".summary").get_text().startswith("Tìm thấy 24 kết quả")
    sites = {r.select_one(".site").get_text(strip=True) for r in soup.select("li.result")}
    assert sites == {"Phường Đa Kao"}
    dates = [r.select_one(".date").get_text(strip=True) for r in soup.select("li.result")]
    assert dates[:2] == ["24/01/2024", "23/01/2024"]
    assert soup.select_one("select[name=site] option[selected]")["value"] == "da-kao"
    assert soup.select_one("select[name=sort] option[selected]")["value"] == "newest"


def test_date_range_filter_is_inclusive_and_kept_in_the_form(client):
    params = {"q": "", "site": "da-kao", "from": "2024-01-05", "to": "2024-01-07", "sort": "oldest"}
    soup = soup_of(client.get("/search", query_string=params))
    dates = [r.select_one(".date").get_text(strip=True) for r in soup.select("li.result")]
    assert dates == ["05/01/2024", "06/01/2024", "07/01/2024"]
    assert soup.select_one("input[name=from]")["value"] == "05/01/2024"      # shown as Vietnamese write dates
    assert soup.select_one("input[name=to]")["value"] == "07/01/2024"


def test_blank_fields_of_a_submitted_form_mean_no_filter(client, corpus):
    params = {"q": "dang vien", "site": "", "from": "", "to": "", "sort": "relevance"}
    soup = soup_of(client.get("/search", query_string=params))
    assert result_titles(soup)[0] == corpus.article.title


def test_pagination_walks_every_result_once_and_keeps_the_filters(client):
    seen: list[str] = []
    url = "/search?site=da-kao&sort=oldest"
    pages = 0
    while url:
        soup = soup_of(client.get(url))
        seen += result_titles(soup)
        pages += 1
        nav = soup.select_one("nav.pagination")
        assert nav.select_one("[aria-current=page]").get_text(strip=True) == str(pages)
        following = nav.select_one("a[rel=next]")
        url = following["href"] if following else None
        if url:
            expected = {"site": ["da-kao"], "sort": ["oldest"], "page": [str(pages + 1)]}
            assert parse_qs(urlsplit(url).query) == expected
    assert pages == 3
    assert len(seen) == len(set(seen)) == 24
    last = soup_of(client.get("/search?site=da-kao&sort=oldest&page=3"))
    assert len(last.select("li.result")) == 4
    back = last.select_one("nav.pagination a[rel=prev]")
    assert parse_qs(urlsplit(back["href"]).query)["page"] == ["2"]


def test_no_result_message_has_hints(client):
    soup = soup_of(client.get("/search", query_string={"q": "qwxzv pqzzk"}))
    message = soup.select_one(".no-results")
    assert "Không tìm thấy kết quả nào cho “qwxzv pqzzk”" in message.get_text()
    assert len(message.select("ul.hints li")) >= 2
    assert not soup.select("li.result")


def test_bad_parameters_give_a_vietnamese_400_and_keep_the_form(client):
    response = client.get("/search", query_string={"q": "dang vien", "from": "2025-13-40"})
    assert response.status_code == 400
    soup = soup_of(response)
    assert "không hợp lệ" in soup.select_one(".notice.error").get_text()
    assert soup.select_one("input[name=q]")["value"] == "dang vien"
    assert not soup.select("li.result")
