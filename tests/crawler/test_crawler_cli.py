"""`python -m crawler`: exit codes, summaries, the refresh lock, and a crawl killed and resumed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from crawler.__main__ import main
from crawler.state import CrawlState
from tests.sites import TestSite
from tinphuong.lock import refresh_lock
from tinphuong.warc import read_response

ROOT = Path(__file__).resolve().parents[2]


def write_config(tmp_path: Path, *sites: TestSite, names: tuple[str, ...] = (), extra: str = "") -> Path:
    """A TOML configuration file with one [[sites]] entry per test site."""
    text = ('[storage]\narchive_dir = "archive"\nindex_dir = "index"\n'
            '[crawl]\nuser_agent = "TinPhuongTest/1.0"\ndelay_seconds = 0\ntimeout_seconds = 2\n'
            'max_retries = 0\n')
    for i, site in enumerate(sites):
        name = names[i] if i < len(names) else f"site-{i}"
        text += f'[[sites]]\nname = "{name}"\nstart_urls = ["{site.url("/")}"]\n{extra}'
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def run_module(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def small_site(site: TestSite, pages: int = 2) -> None:
    site.page("/", "".join(f'<a href="/bai-{i}">{i}</a>' for i in range(pages)))
    for i in range(pages):
        site.page(f"/bai-{i}", f"Bài số {i}")


def test_crawl_archives_every_site_and_prints_a_summary_per_site_and_a_total(tmp_path, site, other_site):
    small_site(site, 2)
    small_site(other_site, 1)
    config = write_config(tmp_path, site, other_site, names=("ben-nghe", "da-kao"))
    result = invoke("crawl", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert "ben-nghe: fetched 3, new 3, changed 0, unchanged 0, gone 0, errors 0" in result.output
    assert "da-kao: fetched 2, new 2, changed 0, unchanged 0, gone 0, errors 0" in result.output
    assert "total: fetched 5, new 5" in result.output
    with CrawlState.open_readonly(tmp_path / "archive") as state:
        assert state.last_refresh() is not None
        assert state.site_counts()["ben-nghe"]["archived"] == 3


def test_site_and_max_pages_options_narrow_the_crawl(tmp_path, site, other_site):
    small_site(site, 3)
    small_site(other_site, 1)
    config = write_config(tmp_path, site, other_site)
    result = invoke("crawl", "--config", str(config), "--site", "site-0", "--max-pages", "2")
    assert result.exit_code == 0, result.output
    assert "site-0: fetched 2" in result.output and "site-1" not in result.output
    assert other_site.requests == []


def test_an_unknown_site_is_a_usage_error(tmp_path, site):
    config = write_config(tmp_path, site)
    result = invoke("crawl", "--config", str(config), "--site", "khong-co")
    assert result.exit_code == 2
    assert "no site named 'khong-co'" in result.output and "Traceback" not in result.output
    assert site.requests == []


@pytest.mark.parametrize("content, problem", [
    (None, "configuration file not found"),
    ('[crawl]\ndelay_second = 1\n', "crawl.delay_second: unknown key"),
    ('[[sites]]\nname = "x"\nstart_urls = ["ftp://x/"]\n', "is not an http(s) URL"),
])
def test_a_missing_or_invalid_configuration_exits_2_with_one_line(tmp_path, content, problem):
    path = tmp_path / "config.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = invoke("refresh", "--config", str(path))
    assert result.exit_code == 2
    assert problem in result.output and "Traceback" not in result.output


def test_a_failing_site_gives_exit_1_after_the_other_sites_are_crawled(tmp_path, site, other_site):
    site.route("/robots.txt", "maintenance", status=503, content_type="text/plain")
    small_site(other_site, 1)
    config = write_config(tmp_path, site, other_site)
    result = invoke("crawl", "--config", str(config))
    assert result.exit_code == 1
    assert "site-0: fetched 0" in result.output and "FAILED: " in result.output
    assert other_site.count("/bai-0") == 1
    with CrawlState.open_readonly(tmp_path / "archive") as state:
        assert any("robots.txt unavailable" in e.message for e in state.recent_errors(10))


def test_help_reads_like_documentation():
    result = invoke("refresh", "--help")
    assert result.exit_code == 0
    for words in ("--site NAME", "--max-pages N", "--config PATH", "conditional requests", "cron"):
        assert words in result.output
    assert "Exit codes" in invoke("--help").output


def test_a_second_crawl_while_one_holds_the_lock_exits_75(tmp_path, site):
    small_site(site)
    config = write_config(tmp_path, site)
    with refresh_lock(tmp_path / "archive"):
        result = run_module("crawl", "--config", str(config))
    assert result.returncode == 75, result.stderr
    assert "another refresh holds" in result.stderr
    assert site.requests == []


def slow_site(site: TestSite, pages: int, delay: float) -> None:
    """A home page linking `pages` articles, each answered after `delay` seconds."""
    site.page("/", "".join(f'<a href="/bai-{i}">{i}</a>' for i in range(pages)))
    for i in range(pages):
        site.page(f"/bai-{i}", f"Bài số {i} " + "nội dung " * 200, delay=delay)


def crawl_under_way(config: Path, site: TestSite, requests: int, **popen) -> subprocess.Popen:
    """`python -m crawler crawl` started, once the site has seen `requests` requests."""
    process = subprocess.Popen([sys.executable, "-m", "crawler", "crawl", "--config", str(config)], cwd=ROOT,
                               **popen)
    deadline = time.monotonic() + 30
    while len(site.requests) < requests:
        if time.monotonic() >= deadline or process.poll() is not None:
            process.kill()
            process.wait()
            pytest.fail("crawl did not get going")
        time.sleep(0.01)
    return process


def test_a_killed_crawl_leaves_a_consistent_archive_and_the_next_run_completes_it(tmp_path, site):
    pages = 40
    slow_site(site, pages, delay=0.02)
    config = write_config(tmp_path, site)
    process = crawl_under_way(config, site, 12, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    warc_dir = tmp_path / "archive" / "warc"
    assert list(warc_dir.glob("*.open")), "the kill should leave the file being written"

    result = run_module("crawl", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert not list(warc_dir.glob("*.open"))
    files = sorted(warc_dir.glob("*.warc.gz"))
    assert len(files) == 2, files                            # the killed run's, finished, and this run's
    for path in files:                                       # every file reads to the end
        with open(path, "rb") as handle:
            assert sum(1 for _ in ArchiveIterator(handle)) >= 1
    state = CrawlState.open_readonly(tmp_path / "archive")
    archived = set()
    for i in range(pages):
        url = site.url(f"/bai-{i}")
        captures = state.captures(url)
        assert captures, f"{url} was never archived"
        for capture in captures:
            response = read_response(tmp_path / "archive", capture["warc_file"], capture["offset"])
            assert response.url == url and response.status == capture["status"]
        archived.add(url)
    assert state.frontier_size("site-0") == 0
    state.close()
    assert len(archived) == pages


def test_sigterm_stops_a_crawl_cleanly_with_every_file_finished(tmp_path, site):
    slow_site(site, 40, delay=0.05)
    config = write_config(tmp_path, site)
    process = crawl_under_way(config, site, 8, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 1 and "interrupted" in stderr and "Traceback" not in stderr
    warc_dir = tmp_path / "archive" / "warc"
    assert not list(warc_dir.glob("*.open")), "the WARC file being written is finished on SIGTERM"
    records = 0
    for path in warc_dir.glob("*.warc.gz"):
        with open(path, "rb") as handle:
            records += sum(1 for _ in ArchiveIterator(handle))
    assert records >= 2
    state = CrawlState.open_readonly(tmp_path / "archive")
    try:
        assert state.frontier_size("site-0") > 0           # stopped early: the rest waits for the next run
    finally:
        state.close()


def test_sigterm_stops_several_sites_crawled_at_once_with_the_run_recorded(tmp_path, site, other_site):
    with TestSite() as third:
        sites = (site, other_site, third)
        for each in sites:
            slow_site(each, 40, delay=0.05)
        config = write_config(tmp_path, *sites)
        process = crawl_under_way(config, site, 6, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert other_site.requests and third.requests                  # all three under way at once
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
        pages = [each.url(f"/bai-{i}") for each in sites for i in range(40)]
    assert process.returncode == 1 and "interrupted" in stderr and "Traceback" not in stderr
    warc_dir = tmp_path / "archive" / "warc"
    assert not list(warc_dir.glob("*.open"))
    for path in warc_dir.glob("*.warc.gz"):
        with open(path, "rb") as handle:
            assert sum(1 for _ in ArchiveIterator(handle)) >= 1
    with CrawlState.open_readonly(tmp_path / "archive") as state:
        assert state.last_refresh() is not None                         # the run is recorded as finished
        assert all(state.frontier_size(name) > 0 for name in ("site-0", "site-1", "site-2"))
        captures = [c for url in pages for c in state.captures(url)]
        assert captures
        for capture in captures:                                        # every recorded capture is readable
            assert read_response(tmp_path / "archive", capture["warc_file"], capture["offset"]).status == 200


def test_refresh_crawls_then_updates_the_index_with_what_it_archived(tmp_path, site):
    from indexer.search import Searcher
    from tests.warc_builder import CLEANUP_PARAGRAPHS, ward_article

    site.page("/", '<a href="/tin-tuc/ra-quan.html">Ra quân</a>')
    site.route("/tin-tuc/ra-quan.html", ward_article("Phường ra quân dọn dẹp vệ sinh", CLEANUP_PARAGRAPHS))
    config = write_config(tmp_path, site)
    result = invoke("refresh", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert "site-0: fetched " in result.output and "index: added 1," in result.output
    assert Searcher(tmp_path / "index").count() == 1       # this refresh's own WARC file was indexed
    assert not list((tmp_path / "archive" / "warc").glob("*.open"))
    with CrawlState.open_readonly(tmp_path / "archive") as state:
        assert state.last_refresh() is not None
