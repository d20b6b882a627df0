"""Document pages: the cleaned article, its captures, and the archived copy kept inert."""

from __future__ import annotations

from urllib.parse import urlencode

from bs4 import BeautifulSoup

from webui.security import ARCHIVE_POLICY


def archive_route(url: str, at: str, css: bool = False) -> str:
    return f"/archive/resource?{urlencode({'at': at, 'url': url} | ({'as': 'css'} if css else {}))}"


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


def test_document_page_shows_metadata_paragraphs_and_the_original_link(client, corpus):
    soup = soup_of(client.get(f"/doc/{corpus.article.id}"))
    assert soup.select_one("article h1").get_text(strip=True) == corpus.article.title
    meta = dict(zip([dt.get_text(strip=True) for dt in soup.select(".doc-meta dt")],
                    [dd.get_text(" ", strip=True) for dd in soup.select(".doc-meta dd")], strict=True))
    assert meta["Ngày đăng"] == "16/03/2023"
    assert meta["Trang web"] == "Phường Bến Nghé"
    assert meta["Tác giả"] == "Nguyễn Văn An"
    assert meta["Chuyên mục"] == "Xây dựng Đảng"
    paragraphs = [p.get_text() for p in soup.select(".doc-text p")]
    assert paragraphs == corpus.article.text.split("\n\n")
    original = soup.select_one("a.original")
    assert original["href"] == corpus.article.url
    assert set(original["rel"]) == {"noopener", "noreferrer", "nofollow"}
    assert not soup.select(".badge.gone")


def test_captures_are_listed_in_vietnam_time_with_status_content_and_archive_link(client, corpus):
    soup = soup_of(client.get(f"/doc/{corpus.article.id}"))
    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in soup.select(".captures tbody tr")]
    # the archived page is too short to be an article for the extractor; the 304 says nothing changed
    assert rows[0][:3] == ["05/01/2026 15:00", "200", "Không đọc được nội dung bài viết"]
    assert rows[1][:3] == ["04/02/2026 15:00", "304", "Không đổi"]
    links = [a["href"] for a in soup.select(".captures tbody a")]
    base = f"/doc/{corpus.article.id}/archive"
    assert links == [f"{base}?capture=0", f"{base}?capture=1"]


def test_gone_document_has_the_badge(client, corpus):
    soup = soup_of(client.get(f"/doc/{corpus.gone.id}"))
    assert soup.select_one(".badge.gone").get_text(strip=True) == "Trang gốc đã bị gỡ"
    rows = [[td.get_text(strip=True) for td in tr.select("td")[1:3]]
            for tr in soup.select(".captures tbody tr")]
    assert rows[1] == ["404", "Trang đã bị gỡ"] and rows[0][0] == "200"


def test_hostile_document_is_escaped(client, corpus):
    response = client.get(f"/doc/{corpus.hostile.id}")
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>in đậm</b>" not in html
    soup = soup_of(response)
    assert soup.select_one("article h1").get_text() == corpus.hostile.title
    assert soup.select(".doc-text p")[1].get_text() == '<b>in đậm</b> & "trích dẫn"'
    assert "Chưa có bản lưu trữ nào" in soup.select_one(".captures").get_text()


def test_archive_page_frames_the_raw_capture_in_a_script_free_sandbox(client, corpus):
    response = client.get(f"/doc/{corpus.article.id}/archive")
    soup = soup_of(response)
    frame = soup.select_one("iframe")
    # No allow-scripts, no allow-same-origin: only a click may navigate the top window (to our link route).
    assert frame.has_attr("sandbox") and frame["sandbox"] == ["allow-top-navigation-by-user-activation"]
    assert "allow-scripts" not in response.get_data(as_text=True)
    assert "allow-same-origin" not in response.get_data(as_text=True)
    assert frame["src"] == f"/doc/{corpus.article.id}/archive/raw?capture=0"
    banner = soup.select_one(".archive-banner").get_text(" ", strip=True)
    assert banner.startswith(f"Bản lưu trữ lúc 05/01/2026 15:00:00 — Trang gốc: {corpus.article.url}")
    link = soup.select_one(".archive-banner a")
    assert link["href"] == corpus.article.url and "noopener" in link["rel"]


def test_raw_archive_serves_the_archived_bytes_under_the_sandbox_policy(client, corpus):
    response = client.get(f"/doc/{corpus.article.id}/archive/raw?capture=0")
    assert response.headers["Content-Security-Policy"] == ARCHIVE_POLICY
    directives = dict(d.strip().partition(" ")[::2] for d in ARCHIVE_POLICY.split(";"))
    assert directives["sandbox"] == "allow-top-navigation-by-user-activation"     # no scripts, opaque origin
    assert directives["default-src"] == "'none'" and "script-src" not in directives
    assert {directives[k] for k in ("img-src", "font-src")} == {"'self' data:"}
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    soup = soup_of(response)
    assert soup.select_one("#archived-heading").get_text() == "Phường Bến Nghé tập huấn cho đảng viên mới"
    assert not soup.select("script") and "PWNED" not in response.get_data(as_text=True)
    # What the page loads comes from the archive as of this capture, never from the live host.
    pixel = "http://tracker.example.net/pixel.gif"
    assert soup.select_one("img")["src"] == archive_route(pixel, "20260105080000")
    assert soup.select_one("link")["href"] == archive_route("http://tracker.example.net/style.css",
                                                            "20260105080000", css=True)


def test_a_revisit_capture_shows_the_content_of_the_last_full_response(client, corpus):
    soup = soup_of(client.get(f"/doc/{corpus.article.id}/archive?capture=1"))
    assert soup.select_one("iframe")["src"] == f"/doc/{corpus.article.id}/archive/raw?capture=1"
    banner = soup.select_one(".archive-banner").get_text(" ", strip=True)
    assert "04/02/2026 15:00:00" in banner and "05/01/2026 15:00:00" in banner
    raw = soup_of(client.get(f"/doc/{corpus.article.id}/archive/raw?capture=1"))
    assert raw.select_one("#archived-heading").get_text() == "Phường Bến Nghé tập huấn cho đảng viên mới"
    # the page as of the revisit: what it embeds is looked up at the revisit's time
    pixel = "http://tracker.example.net/pixel.gif"
    assert raw.select_one("img")["src"] == archive_route(pixel, "20260204080000")


def test_the_default_archive_view_of_a_gone_page_is_its_last_content(client, corpus):
    soup = soup_of(client.get(f"/doc/{corpus.gone.id}/archive"))
    assert soup.select_one("iframe")["src"].endswith("capture=0")
    assert "Trang gốc đã bị gỡ" in soup.select_one(".archive-banner").get_text()
    gone_answer = client.get(f"/doc/{corpus.gone.id}/archive/raw?capture=1").get_data(as_text=True)
    assert "Không tìm thấy" in gone_answer


def test_raw_archive_decodes_the_page_charset(client, corpus):
    response = client.get(f"/doc/{corpus.latin1.id}/archive/raw")
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Café crème" in response.data.decode("utf-8")


def test_a_lost_warc_file_gives_a_note_not_an_error(client, corpus):
    response = client.get(f"/doc/{corpus.broken.id}/archive/raw")
    assert response.status_code == 200
    assert "Không đọc được bản lưu trữ" in response.get_data(as_text=True)
    assert response.headers["Content-Security-Policy"] == ARCHIVE_POLICY


def test_unknown_capture_and_unknown_document_get_vietnamese_errors(client, corpus):
    for path, code in [(f"/doc/{corpus.article.id}/archive?capture=9", 404),
                       (f"/doc/{corpus.article.id}/archive/raw?capture=9", 404),
                       (f"/doc/{corpus.article.id}/archive?capture=abc", 400),
                       (f"/doc/{corpus.article.id}/archive/raw?capture=-1", 400),
                       (f"/doc/{corpus.hostile.id}/archive", 404),
                       ("/doc/0000000000000000", 404),
                       ("/doc/0000000000000000/archive/raw", 404)]:
        response = client.get(path)
        assert response.status_code == code, path
        soup = soup_of(response)
        assert soup.html["lang"] == "vi"
        assert soup.select_one(".error-page h1").get_text(strip=True) in {
            "Không tìm thấy trang", "Yêu cầu không hợp lệ"}, path
