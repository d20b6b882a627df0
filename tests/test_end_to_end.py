"""The whole product through its real interfaces: demo site → `crawler refresh` → `webui` over HTTP.

Runs the commands as subprocesses exactly as the administrator and cron do, then searches the way
ward staff type, with and without diacritics.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from demo.serve import DemoSite

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
SEED_TITLE = "PHƯỜNG BẾN NGHÉ TỔ CHỨC TẬP HUẤN CÔNG TÁC TỔ CHỨC XÂY DỰNG ĐẢNG"


def run(*args: str, config: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args, "--config", str(config)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("application/json")
        return json.loads(response.read())


@pytest.fixture(scope="module")
def product(tmp_path_factory):
    """A refreshed archive and index of the demo site, and the web UI serving them."""
    tmp = tmp_path_factory.mktemp("e2e")
    with DemoSite() as site:
        config = tmp / "config.toml"
        config.write_text(
            '[storage]\nindex_dir = "data/index"\narchive_dir = "data/archive"\n'
            '[crawl]\ndelay_seconds = 0\nuser_agent = "TinPhuongTest/1.0"\n'
            f'[[sites]]\nname = "ben-nghe"\ntitle = "Phường Bến Nghé"\nstart_urls = ["{site.base_url}/"]\n'
            "revisit_days = 0\n",                # every page revalidated at every run, the seed article too
            encoding="utf-8")
        first = run("-m", "crawler", "refresh", config=config)
        assert first.returncode == 0, first.stdout + first.stderr
        port = free_port()
        web = subprocess.Popen([sys.executable, "-m", "webui", "--config", str(config), "--host", "127.0.0.1",
                                "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    get_json(base + "/healthz")
                    break
                except (urllib.error.URLError, ConnectionError):
                    time.sleep(0.1)
            yield {"base": base, "config": config, "site": site, "first": first}
        finally:
            os.killpg(web.pid, signal.SIGTERM)
            web.wait(timeout=10)


def search(base: str, q: str, **params: str) -> dict:
    return get_json(base + "/api/search?" + urllib.parse.urlencode({"q": q, **params}))


@pytest.mark.parametrize("query", ["bui thi thuy hien", "Bùi Thị Thúy Hiền", "Bùi Thị Thuý Hiền"])
def test_the_seed_article_comes_first_however_the_name_is_typed(product, query):
    answer = search(product["base"], query)
    assert answer["total"] >= 1
    first = answer["results"][0]
    assert first["title"].startswith(SEED_TITLE)
    assert first["date"] == "2023-03-16"
    assert first["site"] == "ben-nghe"
    # The snippet shows why it matched, in the original (accented) form.
    assert "<mark>Bùi</mark>" in first["snippet"] or "<mark>Bùi Thị Thúy Hiền</mark>" in first["snippet"]


def test_a_topic_query_without_diacritics_has_the_seed_in_the_top_three(product):
    answer = search(product["base"], "tap huan xay dung dang")
    titles = [r["title"] for r in answer["results"][:3]]
    assert any(t.startswith(SEED_TITLE) for t in titles), titles
    seed = next(r for r in answer["results"] if r["title"].startswith(SEED_TITLE))
    assert "<mark>" in seed["snippet"]


def test_the_document_api_returns_title_date_and_its_capture(product):
    hit = search(product["base"], "Bùi Thị Thúy Hiền")["results"][0]
    doc = get_json(product["base"] + "/api/doc/" + hit["id"])
    assert doc["id"] == hit["id"]
    assert doc["title"].startswith(SEED_TITLE)
    assert doc["date"] == "2023-03-16"
    assert doc["url"].startswith(product["site"].base_url)
    assert "Chỉ thị số 10-CT/TW" in doc["text"]
    assert doc["gone"] is False
    assert doc["captures"] and doc["captures"][0]["status"] == 200
    assert doc["captures"][0]["warc_file"].endswith(".warc.gz")


def test_listing_pages_are_not_documents_and_every_article_is(product):
    listing = search(product["base"], "", per_page="100")
    urls = [r["url"] for r in listing["results"]]
    assert len(urls) == len(set(urls)) == listing["total"]
    assert listing["total"] >= 46
    assert all(r["date"] for r in listing["results"])
    assert not any(u.rstrip("/") == product["site"].base_url for u in urls)


def test_a_second_refresh_of_the_unchanged_site_adds_no_duplicates(product):
    before = get_json(product["base"] + "/healthz")
    second = run("-m", "crawler", "refresh", config=product["config"])
    assert second.returncode == 0, second.stdout + second.stderr
    after = get_json(product["base"] + "/healthz")     # the running UI sees the refreshed index
    assert after["documents"] == before["documents"]
    assert after["last_refresh"] and after["last_refresh"] >= (before["last_refresh"] or "")
    answer = search(product["base"], "bui thi thuy hien")
    seeds = [r for r in answer["results"] if r["title"].startswith(SEED_TITLE)]
    assert len(seeds) == 1
    doc = get_json(product["base"] + "/api/doc/" + seeds[0]["id"])
    assert len(doc["captures"]) >= 2      # revalidated: a new capture (revisit), the first one kept
