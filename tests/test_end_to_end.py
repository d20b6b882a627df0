"""The whole product through its real interfaces: demo site → `crawler refresh` → `webui` over HTTP.

Runs the commands as subprocesses exactly as the administrator and cron do, then searches the way
ward staff type, with and without diacritics.
"""

from __future__ import annotations

import json
import os
import shutil
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

from demo.serve import SITE_DIR, DemoSite

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
SEED_TITLE = "PHƯỜNG BẾN NGHÉ TỔ CHỨC TẬP HUẤN CÔNG TÁC TỔ CHỨC XÂY DỰNG ĐẢNG"
SEED_PATH = ("tin-tuc/phuong-ben-nghe-to-chuc-tap-huan-cong-tac-to-chuc-xay-dung-dang-dau-tranh-phan-bac-"
             "cac-quan-diem-sai-trai.html")
# Between the two refreshes the site publishes an article and edits the seed; both name people
# who appear nowhere else on the demo site.
NEW_PATH = "tin-tuc/khanh-thanh-thu-vien-khu-pho-7.html"
NEW_TITLE = "Khánh thành thư viện cộng đồng khu phố 7"
NEW_ARTICLE = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{NEW_TITLE}</title>
<meta property="article:published_time" content="2023-03-20T08:00:00+07:00"></head><body><article>
<h1>{NEW_TITLE}</h1>
<p>Sáng 20/3/2023, Ủy ban nhân dân phường Bến Nghé khánh thành thư viện cộng đồng khu phố 7 với hơn
2.000 đầu sách do người dân và các doanh nghiệp trên địa bàn đóng góp.</p>
<p>Bà Lâm Ngọc Trâm, Trưởng khu phố 7, cho biết thư viện mở cửa các buổi tối trong tuần và sáng
Chủ nhật, phục vụ miễn phí học sinh, người cao tuổi và bà con trong khu phố.</p>
</article></body></html>"""
NEW_NAME_QUERY = '"lam ngoc tram"'                     # a phrase: each syllable alone occurs elsewhere
EDIT = ("Kết thúc buổi tập huấn, đồng chí Tôn Nữ Diệu Hằng, Phó Bí thư Chi bộ khu phố 2, "
        "phát biểu tiếp thu và đề nghị các chi bộ triển khai nội dung tập huấn đến từng đảng viên.")


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
    root = shutil.copytree(SITE_DIR, tmp / "site")        # the last test changes the site
    with DemoSite(root) as site:
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
            yield {"base": base, "config": config, "site": site, "root": root, "first": first}
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


def insert_before(path: Path, marker: str, html: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert marker in text, (path, marker)
    path.write_text(text.replace(marker, html + marker, 1), encoding="utf-8")


def publish_and_edit(root: Path) -> None:
    """The ward publishes an article (linked from its home page) and adds a paragraph to the seed."""
    (root / NEW_PATH).write_text(NEW_ARTICLE, encoding="utf-8")
    insert_before(root / "index.html", "</main>", f'<a href="/{NEW_PATH}">{NEW_TITLE}</a>')
    insert_before(root / SEED_PATH, "<script>", f"<p>{EDIT}</p>\n")


def seed_document(base: str) -> dict:
    seeds = [r for r in search(base, "bui thi thuy hien")["results"] if r["title"].startswith(SEED_TITLE)]
    assert len(seeds) == 1, seeds
    return get_json(base + "/api/doc/" + seeds[0]["id"])


def test_the_running_ui_sees_what_a_second_refresh_found_without_duplicates(product):
    base = product["base"]
    before = get_json(base + "/healthz")
    seed_before = seed_document(base)
    assert search(base, NEW_NAME_QUERY)["total"] == 0 and EDIT not in seed_before["text"]
    publish_and_edit(product["root"])

    second = run("-m", "crawler", "refresh", config=product["config"])
    assert second.returncode == 0, second.stdout + second.stderr
    assert "new 1, changed 2, " in second.stdout          # the new article; the home page and the seed
    assert "index: added 1, " in second.stdout

    after = get_json(base + "/healthz")                 # the same UI process, not restarted
    assert after["documents"] == before["documents"] + 1
    assert after["last_refresh"] > before["last_refresh"]
    [new] = search(base, NEW_NAME_QUERY)["results"]
    assert new["title"] == NEW_TITLE and new["url"] == f"{product['site'].base_url}/{NEW_PATH}"
    seed_after = seed_document(base)
    assert seed_after["id"] == seed_before["id"] and EDIT in seed_after["text"]
    assert len(seed_after["captures"]) == len(seed_before["captures"]) + 1
    # An unchanged article is revalidated: one more capture, no second document.
    fire_drill = search(base, "dien tap phuong an chua chay cuu nan cuu ho")["results"][0]
    assert fire_drill["title"].startswith("Diễn tập phương án chữa cháy")
    drill = get_json(base + "/api/doc/" + fire_drill["id"])
    assert len(drill["captures"]) == 2, drill["captures"]
