"""`python -m indexer` as the administrator and cron run it: real subprocesses, real files."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.warc_builder import CLEANUP_PARAGRAPHS, WarcArchive, page, ward_article
from tinphuong.lock import refresh_lock

ROOT = Path(__file__).resolve().parents[2]
URL = "https://bennghe.example.gov.vn/tin-tuc/ra-quan.html"
HOSTILE_TITLE = "Phường ra quân \x1b[31mdọn dẹp\x1b[0m vệ sinh"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indexer", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "config.toml").write_text("""
[storage]
index_dir = "index"
archive_dir = "archive"

[[sites]]
name = "ben-nghe"
title = "Phường Bến Nghé"
start_urls = ["https://bennghe.example.gov.vn/"]
""", encoding="utf-8")
    WarcArchive(tmp_path / "archive").write([page(URL, ward_article(HOSTILE_TITLE, CLEANUP_PARAGRAPHS))])
    return tmp_path


def test_help_documents_every_command():
    result = run("--help", cwd=ROOT)
    assert result.returncode == 0
    for word in ("update", "rebuild", "search", "75"):
        assert word in result.stdout
    search_help = run("search", "--help", cwd=ROOT).stdout
    for option in ("--limit", "--json", "--site", "--from", "--to", "--sort", "--config"):
        assert option in search_help


def test_update_then_search_json_has_the_api_shape(site: Path):
    update = run("update", "--config", "config.toml", cwd=site)
    assert update.returncode == 0, update.stderr
    assert "added 1" in update.stdout

    result = run("search", "dọn dẹp vệ sinh", "--json", "--config", str(site / "config.toml"), cwd=ROOT)

    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert set(answer) == {"query", "total", "page", "per_page", "took_ms", "suggestion", "facets", "results"}
    assert answer["total"] == 1 and answer["per_page"] == 10
    hit = answer["results"][0]
    assert set(hit) == {"id", "url", "title", "date", "site", "score", "snippet"}
    assert (hit["url"], hit["site"], hit["date"]) == (URL, "ben-nghe", "2023-03-16")
    assert "<mark>" in hit["snippet"]


def test_readable_search_marks_words_and_strips_terminal_controls(site: Path):
    run("update", "--config", "config.toml", cwd=site)

    result = run("search", "rac thai", "--limit", "5", "--config", "config.toml", cwd=site)

    assert result.returncode == 0, result.stderr
    assert "1 result" in result.stdout and URL in result.stdout
    assert "[rác thải]" in result.stdout or "[rác] [thải]" in result.stdout
    assert "\x1b" not in result.stdout      # crawled text never drives the terminal
    assert "2023-03-16 · ben-nghe" in result.stdout


@pytest.mark.parametrize("args", [
    ("search", "x", "--limit", "0"),
    ("search", "x", "--from", "2023-02-30"),
    ("search", "x", "--from", "2023-03-02", "--to", "2023-03-01"),
    ("search", "x", "--sort", "random"),
    ("frobnicate",),
])
def test_bad_parameters_exit_2_with_a_message(site: Path, args):
    result = run(*args, "--config", "config.toml", cwd=site) if args[0] == "search" else run(*args, cwd=site)
    assert result.returncode == 2
    assert result.stderr.strip() and "Traceback" not in result.stderr


def test_missing_configuration_exits_2(tmp_path: Path):
    result = run("update", "--config", str(tmp_path / "none.toml"), cwd=tmp_path)
    assert result.returncode == 2
    assert "none.toml" in result.stderr and "Traceback" not in result.stderr


def test_update_exits_75_while_another_refresh_holds_the_lock(site: Path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom tinphuong.lock import refresh_lock\n"
         "with refresh_lock(sys.argv[1]):\n    print('held', flush=True)\n    time.sleep(30)\n",
         str(site / "archive")],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, env={"PYTHONPATH": str(ROOT)})
    try:
        assert holder.stdout.readline().strip() == "held"
        result = run("update", "--config", "config.toml", cwd=site)
        rebuild = run("rebuild", "--config", "config.toml", cwd=site)
    finally:
        holder.kill()
        holder.wait()
    assert (result.returncode, rebuild.returncode) == (75, 75)
    assert "refresh" in result.stderr
    with refresh_lock(site / "archive"):
        pass    # released by the holder's death: a later run proceeds


def test_rebuild_replaces_the_index_with_the_same_documents(site: Path):
    run("update", "--config", "config.toml", cwd=site)
    before = json.loads(run("search", "vệ sinh", "--json", "--config", "config.toml", cwd=site).stdout)

    result = run("rebuild", "--config", "config.toml", cwd=site)

    assert result.returncode == 0, result.stderr
    assert "added 1" in result.stdout
    after = json.loads(run("search", "vệ sinh", "--json", "--config", "config.toml", cwd=site).stdout)
    assert [r["id"] for r in after["results"]] == [r["id"] for r in before["results"]]


def test_a_rebuild_killed_while_its_workers_extract_leaves_the_live_index_and_its_processes_gone(site: Path):
    """SIGKILL of the rebuild (its pool of extraction processes and their parser children running):
    the live generation still answers, no process of the rebuild survives, the next rebuild completes."""
    assert run("update", "--config", "config.toml", cwd=site).returncode == 0
    live = (site / "index" / "CURRENT").read_text()
    pages = [page(f"{URL}?bai={n}", ward_article(f"Bài số {n}", CLEANUP_PARAGRAPHS)) for n in range(300)]
    WarcArchive(site / "archive", pid=4343).write(pages)     # a file of its own beside the first
    command = [sys.executable, "-m", "indexer", "rebuild", "--workers", "2", "--config", "config.toml"]
    rebuild = subprocess.Popen(command, cwd=site, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_for(lambda: len(_generations(site)) == 2 and len(_children(rebuild.pid)) >= 2)
    finally:
        rebuild.kill()
        rebuild.wait(timeout=30)
    _wait_for(lambda: not _session_processes(rebuild.pid))       # workers and parsers exit on their own

    assert (site / "index" / "CURRENT").read_text() == live
    found = run("search", "dọn dẹp", "--json", "--config", "config.toml", cwd=site)
    assert json.loads(found.stdout)["total"] == 1
    again = subprocess.run(command, cwd=site, capture_output=True, text=True, timeout=600,
                           env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert again.returncode == 0, again.stderr
    assert "added 301" in again.stdout and len(_generations(site)) == 1


def _generations(site: Path) -> list[Path]:
    return [p for p in (site / "index").iterdir() if p.is_dir()]


def _children(pid: int) -> list[str]:
    return subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()


def _session_processes(session: int) -> list[str]:
    return subprocess.run(["pgrep", "-s", str(session)], capture_output=True, text=True).stdout.split()


def _wait_for(condition, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)
