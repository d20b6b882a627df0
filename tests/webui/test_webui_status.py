"""`/status` and `/healthz` read the crawl state the crawler wrote, read-only."""

from __future__ import annotations

import dataclasses

from bs4 import BeautifulSoup

from crawler.state import CrawlState
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
