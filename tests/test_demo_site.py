"""The bundled demo ward site: what `make demo` and the end-to-end tests crawl.

Everything goes through the real server on 127.0.0.1 (raw HTTP requests, so that unusual paths
reach it unaltered) and reads the pages the way the crawler will.
"""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import deque
from datetime import datetime
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from demo.build_site import build
from demo.content import ContentError, slugify, slugify_by_character
from demo.run_demo import write_config
from demo.serve import SITE_DIR, DemoSite
from tinphuong.config import load_config

ROOT = Path(__file__).resolve().parent.parent
BROKEN_LINK = "/tin-tuc/lich-tiep-cong-dan-dinh-ky-quy-iii-2021.html"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SEED_PATH = ("/tin-tuc/phuong-ben-nghe-to-chuc-tap-huan-cong-tac-to-chuc-xay-dung-dang-"
             "dau-tranh-phan-bac-cac-quan-diem-sai-trai.html")
SEED_TITLE = ("PHƯỜNG BẾN NGHÉ TỔ CHỨC TẬP HUẤN CÔNG TÁC TỔ CHỨC XÂY DỰNG ĐẢNG, "
              "ĐẤU TRANH PHẢN BÁC CÁC QUAN ĐIỂM, LUẬN ĐIỂM SAI TRÁI, XUYÊN TẠC")
SEED_FIRST = ("Ngày 16/3/2023, Đảng ủy phường Bến Nghé tổ chức Hội nghị tập huấn công tác tổ chức "
              "xây dựng Đảng, đấu tranh phản bác các quan điểm, luận điểm sai trái, xuyên tạc và thông tin "
              "thời sự quý I/2023. Tham dự có các đồng chí: Thái Thị Kim Thanh, Bí thư Đảng ủy phường; "
              "Phạm Tấn Kính, Phó Bí thư Đảng ủy phường.")
SEED_PHRASES = (
    "báo cáo viên Dương Văn Phước, nêu rõ 6 nội dung cần lưu ý của Chỉ thị số 10-CT/TW ngày 30 tháng 3",
    "quy trình bồi dưỡng, xét đề nghị và kết nap đảng viên.",
    "Buổi tập huấn cũng được báo cáo viên Bùi Thị Thúy Hiền, Phó Trưởng Ban Tuyên giáo Quận ủy Quận 1",
    "mối quan hệ với quốc tế và mối quan hệ giữa các nước trên thế giới.",
)


@pytest.fixture(scope="module")
def site():
    with DemoSite() as running:
        yield running


def request(site: DemoSite, path: str, method: str = "GET", headers: dict[str, str] | None = None):
    """One raw HTTP request: the path goes on the wire exactly as given."""
    connection = http.client.HTTPConnection(site.host, site.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host="Host" in (headers or {}), skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def page(site: DemoSite, path: str) -> BeautifulSoup:
    status, headers, body = request(site, path)
    assert status == 200, path
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    return BeautifulSoup(body.decode("utf-8"), "html.parser")


def sitemap_paths(site: DemoSite) -> list[str]:
    status, _, body = request(site, "/sitemap.xml")
    assert status == 200
    return [urlsplit(loc.text).path for loc in ET.fromstring(body).iterfind("sm:url/sm:loc", SITEMAP_NS)]


def article_paths(site: DemoSite) -> list[str]:
    return [p for p in sitemap_paths(site) if p.startswith("/tin-tuc/")]


# --- the server -------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "content_type"), [
    ("/", "text/html; charset=utf-8"),
    (SEED_PATH, "text/html; charset=utf-8"),
    ("/chuyen-muc/y-te/", "text/html; charset=utf-8"),
    ("/static/style.css", "text/css; charset=utf-8"),
    ("/static/logo.svg", "image/svg+xml"),
    ("/robots.txt", "text/plain; charset=utf-8"),
    ("/sitemap.xml", "application/xml; charset=utf-8"),
    ("/rss.xml", "application/rss+xml; charset=utf-8"),
])
def test_files_are_served_with_their_content_type_and_validators(site, path, content_type):
    status, headers, body = request(site, path)
    assert (status, headers["Content-Type"]) == (200, content_type)
    assert int(headers["Content-Length"]) == len(body) > 0
    assert re.fullmatch(r'"[0-9a-f]{20}"', headers["ETag"])
    assert parsedate_to_datetime(headers["Last-Modified"]).tzinfo is not None


def test_a_page_is_utf8_vietnamese_in_nfc(site):
    status, _, body = request(site, SEED_PATH)
    text = body.decode("utf-8")
    assert status == 200 and "Bùi Thị Thúy Hiền" in text
    assert unicodedata.normalize("NFC", text) == text


def test_conditional_requests_get_304_with_the_validators_given(site):
    _, first, body = request(site, SEED_PATH)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    status, headers, empty = request(site, SEED_PATH, headers={"If-None-Match": etag})
    assert (status, empty, headers["ETag"]) == (304, b"", etag)
    status, _, empty = request(site, SEED_PATH, headers={"If-None-Match": f'"other", W/{etag}'})
    assert (status, empty) == (304, b"")
    status, _, empty = request(site, SEED_PATH, headers={"If-Modified-Since": last_modified})
    assert (status, empty) == (304, b"")
    # A validator that does not match gets the full page again.
    assert request(site, SEED_PATH, headers={"If-None-Match": '"0000"'})[2] == body
    # If-None-Match decides when present, even with a matching date.
    both = {"If-None-Match": '"0000"', "If-Modified-Since": last_modified}
    assert request(site, SEED_PATH, headers=both)[0] == 200
    earlier = formatdate(parsedate_to_datetime(last_modified).timestamp() - 86400, usegmt=True)
    assert request(site, SEED_PATH, headers={"If-Modified-Since": earlier})[2] == body
    assert request(site, SEED_PATH, headers={"If-Modified-Since": "not a date"})[2] == body


def test_head_answers_the_headers_without_a_body(site):
    _, get_headers, body = request(site, "/")
    status, headers, empty = request(site, "/", method="HEAD")
    assert (status, empty) == (200, b"")
    assert headers["ETag"] == get_headers["ETag"]
    assert int(headers["Content-Length"]) == len(body)


@pytest.mark.parametrize("path", ["/khong-ton-tai.html", "/tin-tuc/", "/static/", "/tin-tuc/x.html/",
                                  "/admin/x"])
def test_unknown_paths_and_directories_answer_404_without_listing(site, path):
    status, headers, body = request(site, path)
    assert status == 404
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    text = body.decode("utf-8")
    assert "Không tìm thấy trang" in text
    assert ".html" not in text and "style.css" not in text


def test_a_directory_without_its_slash_is_redirected(site):
    status, headers, _ = request(site, "/chuyen-muc/y-te")
    assert (status, headers["Location"]) == (301, "/chuyen-muc/y-te/")


@pytest.mark.parametrize("path", [
    "/../serve.py", "/../../README.md", "/%2e%2e/serve.py", "/%2E%2E/serve.py", "/..%2fserve.py",
    "/%2e%2e%2fserve.py", "/static/%2e%2e/%2e%2e/serve.py", "/static/..%2F..%2Fserve.py",
    "/static/..%5c..%5cserve.py", "/..\\serve.py", "//etc/passwd", "/%2fetc%2fpasswd", "/static/%00",
    "/%ff%fe", "/.git/config", "/static/./style.css",
])
def test_paths_leaving_the_site_root_answer_404(site, path):
    status, _, body = request(site, path)
    assert status == 404
    assert b"DemoSite" not in body and b"root:" not in body


def test_nothing_outside_the_root_is_reachable_even_through_a_symlink(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text("<h1>Trang chủ</h1>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("mật khẩu", encoding="utf-8")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    with DemoSite(root=root) as other:
        assert request(other, "/")[2] == "<h1>Trang chủ</h1>".encode()
        for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/link.txt", "/..%2fsecret.txt"):
            status, _, body = request(other, path)
            assert status == 404 and "mật khẩu".encode() not in body, path


def test_each_site_gets_its_own_port_and_stops_cleanly():
    with DemoSite() as one, DemoSite() as two:
        assert one.port != two.port
        assert one.base_url == f"http://127.0.0.1:{one.port}"
        assert request(two, "/")[0] == 200
    with pytest.raises(OSError):
        request(one, "/")


def test_the_command_line_serves_until_interrupted():
    process = subprocess.Popen([sys.executable, "-m", "demo.serve", "--port", "0"], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True)
    try:
        base = process.stdout.readline().strip()
        host, port = urlsplit(base).hostname, urlsplit(base).port
        assert host == "127.0.0.1" and port
        connection = http.client.HTTPConnection(host, port, timeout=10)
        connection.request("GET", "/robots.txt")
        assert f"Sitemap: {base}/sitemap.xml" in connection.getresponse().read().decode()
        connection.close()
    finally:
        process.terminate()
        process.wait(timeout=10)


# --- robots.txt, sitemap, feed -------------------------------------------------------------------

def test_robots_txt_keeps_crawlers_out_of_admin_and_search_and_names_the_sitemap(site):
    _, _, body = request(site, "/robots.txt")
    lines = body.decode("utf-8").splitlines()
    assert "User-agent: *" in lines
    assert {"Disallow: /admin/", "Disallow: /tim-kiem"} <= set(lines)
    assert f"Sitemap: {site.base_url}/sitemap.xml" in lines
    assert "{{" not in body.decode("utf-8")


def test_absolute_urls_follow_the_host_asked_for_and_ignore_a_forged_one(site):
    _, _, body = request(site, "/robots.txt", headers={"Host": f"localhost:{site.port}"})
    assert f"Sitemap: http://localhost:{site.port}/sitemap.xml" in body.decode()
    _, _, body = request(site, "/robots.txt", headers={"Host": 'evil"><x'})
    assert f"Sitemap: {site.base_url}/sitemap.xml" in body.decode()


def test_the_sitemap_lists_every_article_with_lastmod_and_only_pages_that_exist(site):
    _, _, body = request(site, "/sitemap.xml")
    urls = ET.fromstring(body).findall("sm:url", SITEMAP_NS)
    assert len(urls) >= 47
    for url in urls:
        loc = url.findtext("sm:loc", namespaces=SITEMAP_NS)
        lastmod = url.findtext("sm:lastmod", namespaces=SITEMAP_NS)
        assert loc.startswith(site.base_url + "/")
        datetime.strptime(lastmod, "%Y-%m-%d")
        assert request(site, urlsplit(loc).path, method="HEAD")[0] == 200, loc


def test_the_rss_feed_has_the_latest_20_articles_newest_first_and_they_exist(site):
    status, _, body = request(site, "/rss.xml")
    root = ET.fromstring(body)
    assert status == 200 and root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("channel/item")
    assert len(items) == 20
    dates = [parsedate_to_datetime(item.findtext("pubDate")) for item in items]
    assert dates == sorted(dates, reverse=True)
    articles = set(article_paths(site))
    for item in items:
        link = item.findtext("link")
        assert link.startswith(site.base_url) and urlsplit(link).path in articles
        assert item.findtext("title") and item.findtext("description") and item.findtext("category")


# --- the pages -------------------------------------------------------------------------------------

def test_every_internal_link_resolves_except_the_deliberately_broken_one(site):
    seen, broken, queue = {"/"}, set(), deque(["/"])
    html_pages = 0
    while queue:
        path = queue.popleft()
        status, headers, body = request(site, path)
        if status != 200:
            broken.add((path, status))
            continue
        if not headers["Content-Type"].startswith("text/html"):
            continue
        html_pages += 1
        soup = BeautifulSoup(body.decode("utf-8"), "html.parser")
        for tag in soup.find_all(["a", "link", "img", "script"]):
            target = tag.get("href") or tag.get("src")
            if not target:
                continue
            url = urldefrag(urljoin(site.base_url + path, target)).url
            parts = urlsplit(url)
            if parts.netloc == urlsplit(site.base_url).netloc and parts.path not in seen:
                seen.add(parts.path)
                queue.append(parts.path)
    assert broken == {(BROKEN_LINK, 404)}
    assert "/admin/" in seen                      # linked, so robots.txt has something to forbid
    assert set(article_paths(site)) <= seen       # every article is reachable by links alone
    assert html_pages >= 47 + 5 + 8


def test_the_seed_article_is_there_verbatim(site):
    soup = page(site, SEED_PATH)
    assert soup.h1.get_text() == SEED_TITLE
    assert soup.find("meta", property="article:published_time")["content"] == "2023-03-16T15:30:00+07:00"
    assert "16/03/2023" in soup.find(class_="date").get_text()
    assert soup.find(class_="category").a.get_text() == "Xây dựng Đảng"
    assert soup.find(id="view-count").get_text() == "22"
    paragraphs = [p.get_text() for p in soup.find(class_="content").find_all("p")]
    assert paragraphs[0] == SEED_FIRST
    assert len(paragraphs) == 4
    body = "\n".join(paragraphs)
    for phrase in SEED_PHRASES:
        assert phrase in body


def test_articles_look_like_ward_news_and_span_categories_and_years(site):
    paths = article_paths(site)
    assert len(paths) >= 46
    categories, years, with_meta = set(), set(), 0
    for path in paths:
        soup = page(site, path)
        content = soup.find("div", class_="content")
        text = " ".join(p.get_text() for p in content.find_all("p"))
        assert 150 <= len(text.split()) <= 500, path
        assert len(content.find_all("p")) >= 4, path
        assert content.find("script") is not None                 # the inline counter the extractor drops
        date_line = soup.find("span", class_="date").get_text()
        day = datetime.strptime(re.search(r"\d{2}/\d{2}/\d{4}", date_line).group(), "%d/%m/%Y")
        meta = soup.find("meta", property="article:published_time")
        if meta:
            with_meta += 1
            assert datetime.fromisoformat(meta["content"]).date() == day.date()
        years.add(day.year)
        categories.add(soup.find("span", class_="category").a.get_text())
        assert soup.find("p", class_="author").get_text().startswith("Tin, ảnh: ")
        assert soup.find("nav", class_="breadcrumb").a.get_text() == "Trang chủ"
        assert len(soup.select("aside .latest li")) == 5
        related = soup.find("section", class_="related")
        assert related.h2.get_text() == "Bài viết liên quan" and related.find("a")
    assert len(categories) >= 6
    assert {2022, 2023, 2024} <= years
    assert len(paths) // 2 < with_meta < len(paths)          # most, not all: the extractor's fallback is used


def test_the_articles_offer_what_vietnamese_search_tests_need(site):
    texts = []
    for path in article_paths(site):
        soup = page(site, path)
        texts.append(soup.h1.get_text() + "\n" + soup.find("div", class_="content").get_text())
    corpus = "\n".join(texts)
    for token in ("UBND", "Ủy ban nhân dân", "HĐND", "MTTQ", "Mặt trận Tổ quốc", "TP.HCM",
                  "Thành phố Hồ Chí Minh", "Q.1", "Quận 1", "KP", "CCB", "ĐTN", "BCH", "COVID-19",
                  "123/QĐ-UBND", "05-NQ/ĐU", "10-CT/TW", "16/3/2023", "1.250.000 đồng", "đường", "Dương",
                  "đương"):
        assert re.search(rf"(?<!\w){re.escape(token)}(?!\w)", corpus), token
    for old, new in (("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("uỷ", "ủy")):
        old_style = [t for t in texts if re.search(rf"(?<!\w){old}(?!\w)", t, re.IGNORECASE)]
        new_style = [t for t in texts if re.search(rf"(?<!\w){new}(?!\w)", t, re.IGNORECASE)]
        assert old_style and new_style and set(old_style) != set(new_style), old
    assert re.search(r"[\w.]+@[\w.]+\.vn", corpus) and "https://" in corpus


@pytest.mark.parametrize(("base", "pages"), [("/", 6), ("/chuyen-muc/cai-cach-hanh-chinh/", 2),
                                             ("/chuyen-muc/y-te/", 1)])
def test_listings_paginate_ten_per_page(site, base, pages):
    listed, path, seen_pages = [], base, 0
    while path:
        soup = page(site, path)
        seen_pages += 1
        teasers = [a["href"] for a in soup.select("li.teaser h2 a")]
        assert 1 <= len(teasers) <= 10
        assert len(teasers) == 10 or not soup.select_one("nav.pagination a.next")   # only the last is short
        listed += teasers
        following = soup.select_one("nav.pagination a.next")
        path = following["href"] if following else None
        if path:
            assert path == f"{base}trang-{seen_pages + 1}.html"
    assert seen_pages == pages
    assert len(listed) == len(set(listed)) and set(listed) <= set(article_paths(site))
    if base == "/":
        assert sorted(listed) == sorted(article_paths(site))


def test_the_admin_page_exists_but_is_forbidden_to_robots(site):
    soup = page(site, "/admin/")
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    assert soup.find("input", attrs={"type": "password"})


# --- the build and the demo configuration ----------------------------------------------------------

def test_the_committed_site_is_the_build_of_the_sources_and_the_build_is_stable(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    build(first)
    build(second)
    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    built = files(first)
    assert built == files(second)
    assert built == files(SITE_DIR), "demo/site is stale: run python -m demo.build_site"


VIETNAMESE_LETTERS = ("aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợ"
                      "ùúủũụừứửữựỳýỷỹỵ")
TITLE_CHARACTERS = VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + " -–,.:/0123456789"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(TITLE_CHARACTERS)) | st.text())
def test_slugify_gives_what_the_character_by_character_slug_gives(title):
    folded = unicodedata.normalize("NFD", title.replace("đ", "d").replace("Đ", "D"))
    assert slugify(title) == slugify_by_character(folded)


def test_slugify_turns_a_vietnamese_title_into_ascii_words():
    assert slugify("Tiêm vắc xin phòng COVID-19 – đợt 2/2024") == "tiem-vac-xin-phong-covid-19-dot-2-2024"
    assert slugify("Hội nghị “Dân vận khéo”") == "hoi-nghi-dan-van-kheo"


def test_the_build_refuses_content_that_is_not_nfc(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "demo" / "content", content)
    article = next((content / "articles").glob("*.md"))
    article.write_text(unicodedata.normalize("NFD", article.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ContentError, match="not in Unicode NFC"):
        build(tmp_path / "out", content)


def test_the_demo_configuration_points_at_the_served_site_and_keeps_data_in_demo_data(tmp_path):
    template = load_config(ROOT / "demo" / "config.toml")
    assert template.sites[0].name == "ben-nghe" and template.sites[0].title == "Phường Bến Nghé"
    assert template.storage.index_dir.resolve() == ROOT / "demo" / "data" / "index"
    assert template.storage.archive_dir.resolve() == ROOT / "demo" / "data" / "archive"
    assert template.crawl.delay_seconds == 0.05
    written = load_config(write_config("http://127.0.0.1:8123", tmp_path / "config.toml"))
    assert written.sites[0].start_urls == ("http://127.0.0.1:8123/",)
    assert written.sites[0].allowed_hosts == ("127.0.0.1",)
    assert written.storage.index_dir.resolve() == ROOT / "demo" / "data" / "index"
    assert written.crawl == template.crawl
