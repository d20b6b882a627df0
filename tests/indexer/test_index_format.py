"""An index built by another version is detected: update refuses it, the web UI serves it and says so,
a rebuild replaces it."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from indexer import index_format
from indexer.analysis import exact_analyzer
from indexer.document import Document
from indexer.generations import live_generation
from indexer.index_format import FORMAT_FILE, current_format, format_mismatch
from indexer.schema import build_schema
from indexer.writing.writer import new_generation, open_writer
from tests.warc_builder import CLEANUP_PARAGRAPHS, WarcArchive, page, ward_article
from tinphuong.config import load_config
from webui import create_app

ROOT = Path(__file__).resolve().parents[2]
URL = "https://bennghe.example.gov.vn/tin-tuc/ra-quan.html"
NEW_URL = "https://bennghe.example.gov.vn/tin-tuc/hoi-nghi.html"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indexer", *args, "--config", "config.toml"], cwd=cwd,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def urls_found(site: Path, query: str) -> list[str]:
    return [r["url"] for r in json.loads(run("search", query, "--json", cwd=site).stdout)["results"]]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """An archive of one article, indexed, with a second article archived since."""
    (tmp_path / "config.toml").write_text(
        '[storage]\nindex_dir = "index"\narchive_dir = "archive"\n[[sites]]\nname = "ben-nghe"\n'
        'start_urls = ["https://bennghe.example.gov.vn/"]\n', encoding="utf-8")
    archive = WarcArchive(tmp_path / "archive")
    archive.write([page(URL, ward_article("Phường ra quân dọn dẹp vệ sinh", CLEANUP_PARAGRAPHS))])
    assert run("update", cwd=tmp_path).returncode == 0
    archive.write([page(NEW_URL, ward_article("Hội nghị tiếp xúc cử tri quý I", CLEANUP_PARAGRAPHS))])
    return tmp_path


def built_by_an_older_version(index_dir: Path, record: dict | None) -> None:
    """What an older version left: another format record, or none at all."""
    path = live_generation(index_dir) / FORMAT_FILE
    if record is None:
        path.unlink()
    else:
        path.write_text(json.dumps(record), encoding="utf-8")


def test_every_new_generation_records_the_running_format(tmp_path):
    with open_writer(tmp_path / "a") as writer:
        writer.upsert(Document(url=URL, site="s", title="t", text="x"))
    with new_generation(tmp_path / "b", procs=1) as writer:
        writer.upsert(Document(url=URL, site="s", title="t", text="x"))
    for index_dir in (tmp_path / "a", tmp_path / "b"):
        generation = live_generation(index_dir)
        assert json.loads((generation / FORMAT_FILE).read_text()) == current_format()
        assert format_mismatch(generation) is None


def test_the_fingerprint_follows_the_analysis_and_nothing_else(monkeypatch):
    unchanged = index_format._fingerprint()
    assert index_format._fingerprint() == unchanged
    seeds = {subprocess.run([sys.executable, "-c", "from indexer.index_format import current_format as f; "
                             "print(f()['analysis'])"], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip() for seed in ("1", "2")}
    assert seeds == {unchanged}                          # the same in every process

    def folded_field_unfolded():
        schema = build_schema()
        schema["body_folded"].analyzer = exact_analyzer()   # a change of analysis a developer might make
        return schema

    monkeypatch.setattr(index_format, "build_schema", folded_field_unfolded)
    assert index_format._fingerprint() != unchanged


@pytest.mark.parametrize("record, reason", [
    (None, "records no format: it was built by an older version"),
    ({"format": index_format.FORMAT_VERSION, "analysis": "0123456789abcdef"}, "analysis 0123456789abcdef;"),
    ({"format": 0, "analysis": current_format()["analysis"]}, "(index format 0, "),
    (["not", "an", "object"], "is not an object"),
], ids=["no record", "other analysis", "older format", "garbled"])
def test_a_generation_of_another_version_says_what_it_was_built_with(tmp_path, record, reason):
    with open_writer(tmp_path) as writer:
        writer.upsert(Document(url=URL, site="s", title="t", text="x"))
    built_by_an_older_version(tmp_path, record)
    assert reason in format_mismatch(live_generation(tmp_path))


def test_update_refuses_an_index_of_another_version_and_says_to_rebuild(site):
    built_by_an_older_version(site / "index", None)
    generation = live_generation(site / "index")

    refused = run("update", cwd=site)

    assert refused.returncode == 1
    assert "built by" in refused.stderr or "records no format" in refused.stderr
    assert "run `python -m indexer rebuild`" in refused.stderr and "Traceback" not in refused.stderr
    assert live_generation(site / "index") == generation
    assert urls_found(site, '"tiep xuc cu tri"') == []       # nothing was added to the old index

    rebuilt = run("rebuild", cwd=site)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert format_mismatch(live_generation(site / "index")) is None
    assert urls_found(site, '"tiep xuc cu tri"') == [NEW_URL]
    assert run("update", cwd=site).returncode == 0


def test_the_web_ui_serves_an_old_index_and_says_to_rebuild_it(site, caplog):
    built_by_an_older_version(site / "index", {"format": 0, "analysis": "0123456789abcdef"})
    config = load_config(site / "config.toml")
    with caplog.at_level(logging.WARNING, logger="tinphuong.webui"):
        client = create_app(config, test_config={"TESTING": True}).test_client()
    assert any("python -m indexer rebuild" in r.getMessage() for r in caplog.records)

    answer = client.get("/api/search?q=don+dep+ve+sinh").get_json()
    assert [r["url"] for r in answer["results"]] == [URL]          # the old index still answers
    notice = BeautifulSoup(client.get("/status").get_data(as_text=True), "lxml").select_one(".index-outdated")
    assert notice is not None and "python -m indexer rebuild" in notice.get_text()

    assert run("rebuild", cwd=site).returncode == 0
    after = BeautifulSoup(client.get("/status").get_data(as_text=True), "lxml")
    assert after.select_one(".index-outdated") is None
