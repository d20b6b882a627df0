"""`/status` and `/healthz` read the crawl state the crawler wrote, read-only."""

from __future__ import annotations

import dataclasses

from bs4 import BeautifulSoup

from crawler.state import CrawlState
from tests.sites import TestSite
from tests.webui.ward_refresh import refresh, ward_page, write_config
from tinphuong.config import load_config
from webui import create_app


def test_status_before_any_crawl_lists_sites_and_says_no_refresh_yet(client, corpus):
    soup = BeautifulSoup(client.get("/status").get_data(as_text=True), "lxml")
    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in soup.select("table.sites tbody tr")]
    assert [row[:5] for row in rows] == [
        ["Phường Bến Nghé", "ben-nghe", "http://bennghe.example.gov.vn/", "4", "0"],
        ["Phường Đa Kao", "da-kao", "http://dakao.example.gov.vn/", "24", "0"]]
    assert soup.select_one(".total-documents").get_text(strip=True) == "28"
    assert soup.select_one(".last-refresh").get_text(strip=True) == "Chưa có lần cập nhật nào"
    assert "Không có lỗi nào gần đây" in soup.get_text()


def test_status_and_healthz_show_the_last_refresh_and_recent_errors(corpus, tmp_path):
    archive_dir = tmp_path / "archive"
    with CrawlState.open(archive_dir) as state:
        run = state.start_run("refresh")
        state.add_error("da-kao", "http://dakao.example.gov.vn/<script>", "timeout <b>after 20s</b>", run)
        state.finish_run(run, {"fetched": 3}, 0)
        finished = state.last_refresh()
    storage = dataclasses.replace(corpus.config.storage, archive_dir=archive_dir)
    client = create_app(dataclasses.replace(corpus.config, storage=storage)).test_client()

    health = client.get("/healthz").get_json()
    assert health == {"status": "ok", "documents": 28, "last_refresh": finished}

    response = client.get("/status")
    html = response.get_data(as_text=True)
    assert "<b>after" not in html and "/<script>" not in html
    soup = BeautifulSoup(html, "lxml")
    assert soup.select_one(".last-refresh").get_text(strip=True).count("/") == 2     # dd/mm/yyyy hh:mm:ss
    error = [td.get_text(strip=True) for td in soup.select("table.errors tbody tr td")]
    assert error[1:] == ["da-kao", "http://dakao.example.gov.vn/<script>", "timeout <b>after 20s</b>"]
    per_site = [tr.select_one("td.errors").get_text(strip=True) for tr in soup.select("table.sites tbody tr")]
    assert per_site == ["0", "1"]


def summary_line(output: str, site: str) -> str:
    """The refresh's summary line of a site, in the status page's words."""
    line = next(line for line in output.splitlines() if line.startswith(f"{site}: fetched "))
    counts = dict(part.rsplit(" ", 1) for part in line.split(": ", 1)[1].split(", "))
    words = {"fetched": "tải", "new": "mới", "changed": "thay đổi", "unchanged": "không đổi", "gone": "bị gỡ",
             "errors": "lỗi"}
    return ", ".join(f"{words[key]} {counts[key]}" for key in words)


# three different articles on one theme: each its own paragraphs
DETAILS = (
    ("Đoạn gần trường tiểu học bị ngập sâu nhất, nhiều phụ huynh phải đưa con đi vòng qua hẻm bên cạnh "
     "trong suốt buổi sáng.", "Công ty thoát nước cho biết sẽ lắp thêm một máy bơm di động tại giao lộ "
     "trước mùa mưa năm sau."),
    ("Nước rút chậm vì miệng cống bị rác thải và lá cây bít kín; tổ dân phố số bốn đã tổ chức dọn rác "
     "ngay trong đêm.", "Phường đề nghị các hộ kinh doanh ven đường không đổ rác xuống lòng đường và "
     "phối hợp giữ sạch hố ga."),
    ("Một số xe máy chết máy giữa đường, đoàn thanh niên phường lập điểm hỗ trợ đẩy xe và sửa chữa "
     "miễn phí cho người đi đường.", "Ban chỉ huy quân sự phường bố trí trực suốt đêm để kịp thời ứng "
     "phó nếu mưa lớn tiếp diễn."),
)


def test_status_shows_each_sites_last_refresh_its_summary_and_articles_per_month(tmp_path):
    with TestSite() as ben_nghe, TestSite() as da_kao:
        ben_nghe.page("/", "".join(f'<a href="/tin/{p}.html">{p}</a>' for p in "abc"))
        for path, title, day, detail in (
                ("/tin/a.html", "Ngập nước đường Pasteur", "02/09/2024", DETAILS[0]),
                ("/tin/b.html", "Ngập nước đường Lê Duẩn", "20/09/2024", DETAILS[1]),
                ("/tin/c.html", "Ngập nước đường Hai Bà Trưng", "15/11/2024", DETAILS[2])):
            ben_nghe.route(path, ward_page(title, day, title.rsplit("đường ", 1)[-1], *detail))
        da_kao.page("/", '<a href="/tin/d.html">d</a>')
        da_kao.route("/tin/d.html", ward_page("Ngập nước đường Đinh Tiên Hoàng", "05/10/2024", "Đinh Bộ"))
        config = write_config(tmp_path, ("ben-nghe", "Phường <b>Bến Nghé</b>", ben_nghe),
                              ("da-kao", "Phường Đa Kao", da_kao))
        first = summary_line(refresh(config), "ben-nghe")
        da_kao.route("/tin/d.html", b"", status=404)
        later = summary_line(refresh(config, "--site", "da-kao"), "da-kao")   # a run of one site only
    client = create_app(load_config(config)).test_client()
    html = client.get("/status").get_data(as_text=True)
    assert "<b>Bến Nghé</b>" not in html
    soup = BeautifulSoup(html, "lxml")
    runs = {li["data-site"]: li for li in soup.select(".site-run")}
    assert runs["ben-nghe"].select_one(".run-summary").get_text(strip=True) == first   # the refresh's line
    assert runs["da-kao"].select_one(".run-summary").get_text(strip=True) == later
    assert "bị gỡ 1" in later and runs["da-kao"].select_one(".run-time").get_text(strip=True).count("/") == 2
    gone = {tr.select_one("code").get_text(): tr.select_one("td.gone").get_text(strip=True)
            for tr in soup.select("table.sites tbody tr")}
    assert gone == {"ben-nghe": "0", "da-kao": "1"}

    charts = {div["data-site"]: div.select_one("svg.chart") for div in soup.select(".status-chart")}
    ben_nghe_chart = charts["ben-nghe"]
    assert ben_nghe_chart["role"] == "img" and not ben_nghe_chart.find_all(style=True)
    desc = soup.find(id=ben_nghe_chart["aria-labelledby"].split()[1]).get_text()
    assert desc == "09/2024: 2 bài viết; 11/2024: 1 bài viết."
    assert [b.title.get_text() for b in ben_nghe_chart.select("rect.bar")] == [
        "09/2024: 2 bài viết", "11/2024: 1 bài viết"]
    # the gone page is rewritten in the index (deleted, then added again) and counted once
    assert soup.find(id=charts["da-kao"]["aria-labelledby"].split()[1]).get_text() == "10/2024: 1 bài viết."
    same_axis = {c.find_next("figcaption").get_text(" ", strip=True) for c in charts.values()}
    assert same_axis == {"09/2024 11/2024"}                          # the sites' charts line up
    link = ben_nghe_chart.select("a")[0]["href"]
    listed = BeautifulSoup(client.get(link).get_data(as_text=True), "lxml")
    assert [h.get_text(strip=True) for h in listed.select("li.result .result-title")] == [
        "Ngập nước đường Lê Duẩn", "Ngập nước đường Pasteur"]
