"""`python -m crawler verify` on archives, states and indexes made by real refreshes of a loopback ward site,
then damaged as disks, backups and restores damage them."""

from __future__ import annotations

import os
import shutil
import signal
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.state import CrawlState
from indexer.search import Searcher
from tests.crawler.ward_runs import refresh_hanging, run, verdict, write_config
from tests.wardsite import WardSite
from tinphuong.crawl_state import StoredCapture

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> Path:
    """Two nightly refreshes of a ward site (an article published, one edited, one deleted between them);
    `archive-day1` keeps the archive and state as they were after the first."""
    root = tmp_path_factory.mktemp("crawled")
    # Day 0 is today, so the sitemap dates the next day's edit after the first capture.
    with WardSite("wordpress", seed=11, articles=12, start=datetime.now(UTC).date()) as site:
        config = write_config(root, site)
        first = run("crawler", "refresh", config=config)
        assert first.returncode == 0, first.stderr
        shutil.copytree(root / "archive", root / "archive-day1")
        day = site.advance()
        day.publish(1)
        day.edit(part="body")
        day.delete()
        second = run("crawler", "refresh", config=config)
        assert second.returncode == 0, second.stderr
    return root


@pytest.fixture
def data(crawled: Path, tmp_path: Path) -> Path:
    """A copy of the crawled tree that a test may damage."""
    return Path(shutil.copytree(crawled, tmp_path / "data"))


def verify(data: Path):
    return run("crawler", "verify", config=data / "config.toml")


def captures(archive: Path) -> list[StoredCapture]:
    with CrawlState.open_readonly(archive) as state:
        return state.all_captures()


def article_capture(data: Path) -> StoredCapture:
    """The newest capture of an article (the one its document's text comes from), with records after it:
    a 200 response in the second night's WARC file (the article edited that day, which the sitemap dates
    after the first capture) of an article captured the first night too."""
    rows = captures(data / "archive")
    newest = max(row.warc_file for row in rows)
    older = {r.url for r in rows if r.warc_file != newest and r.status == 200}
    in_newest = [r for r in rows if r.warc_file == newest]
    return next(r for r in in_newest[:-1] if r.status == 200 and r.kind == "response"
                and "/20" in r.url and r.url in older)     # wordpress permalinks: /YYYY/MM/DD/slug/


def test_a_sound_archive_state_and_index_exit_0_with_a_summary_line(data):
    result = verify(data)
    assert result.returncode == 0, result.stdout + result.stderr
    warc_files = sorted((data / "archive" / "warc").glob("*.warc.gz"))
    documents = Searcher(data / "index").count()
    assert len(warc_files) == 2 and documents > 10
    assert verdict(result).startswith("verify: all sound (archive: 2 WARC files, ")
    state = len(captures(data / "archive"))
    assert f"state: {state} captures; index: {documents} documents" in verdict(result)
    assert "DAMAGED" not in result.stdout


def test_a_byte_flipped_in_the_middle_of_a_warc_file_names_the_file_the_offset_and_the_url(data):
    hit = article_capture(data)
    path = data / "archive" / "warc" / hit.warc_file
    raw = bytearray(path.read_bytes())
    raw[hit.offset + hit.length // 2] ^= 0xFF
    path.write_bytes(bytes(raw))

    result = verify(data)

    assert result.returncode == 1
    out = result.stdout
    assert f"DAMAGED: {hit.warc_file} at offset {hit.offset}: a damaged record" in out
    assert "gzip data is corrupt" in out and "restore it from a backup" in out
    assert f"offset {hit.offset}: response 200 {hit.url}" in out          # the state's capture
    assert "1 document takes its text from a capture the archive lacks" in out    # the index's document
    assert "gives 1 document the text of an older capture" in out
    assert verdict(result).startswith("verify: 4 problems found")


def test_a_warc_file_cut_short_is_damaged_from_the_record_it_cuts(data):
    hit = article_capture(data)
    path = data / "archive" / "warc" / hit.warc_file
    os.truncate(path, hit.offset + 40)

    result = verify(data)

    assert result.returncode == 1
    where = f"{hit.warc_file} from offset {hit.offset}"
    heading = f"DAMAGED: {where}: the last 40 bytes hold no sound record"
    assert heading in result.stdout
    assert "cut short" in result.stdout and f"cut the file at offset {hit.offset}" in result.stdout
    assert "the crawl state accounts for" in result.stdout and "its tail was lost" in result.stdout


def test_captures_the_state_names_in_a_file_the_archive_lacks_exit_1(data):
    second = max(row.warc_file for row in captures(data / "archive"))
    named = [row for row in captures(data / "archive") if row.warc_file == second]
    (data / "archive" / "warc" / second).unlink()

    result = verify(data)

    assert result.returncode == 1
    heading = f"DAMAGED: state.sqlite: {len(named)} captures name {second}, which the archive lacks"
    assert heading in result.stdout
    assert named[0].url in result.stdout
    assert f"restore {second} from a backup" in result.stdout


def test_an_index_newer_than_the_restored_archive_points_at_missing_records_until_a_rebuild(data):
    shutil.rmtree(data / "archive")                       # archive and state restored from the day-1 backup
    shutil.copytree(data / "archive-day1", data / "archive")

    result = verify(data)

    assert result.returncode == 1
    damaged = [line for line in result.stdout.splitlines() if line.startswith("DAMAGED")]
    assert damaged and all(line.startswith("DAMAGED: index:") for line in damaged)
    assert "the archive has no such file" in result.stdout and "python -m indexer rebuild" in result.stdout

    rebuilt = run("indexer", "rebuild", config=data / "config.toml")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert verify(data).returncode == 0


def test_a_damaged_state_database_exits_1_and_says_how_to_restore_it(data):
    state = data / "archive" / "state.sqlite"
    for leftover in state.parent.glob("state.sqlite-*"):
        leftover.unlink()
    state.write_bytes(b"SQLite format 3\x00" + os.urandom(8000))

    result = verify(data)

    assert result.returncode == 1
    assert "DAMAGED: state.sqlite: the database is damaged" in result.stdout
    assert "restore state.sqlite from a backup" in result.stdout and "Traceback" not in result.stderr


def test_verify_runs_while_a_refresh_holds_the_lock_and_checks_what_is_committed(tmp_path):
    with WardSite("wordpress", seed=5, articles=10) as site:
        config = write_config(tmp_path, site, timeout=120)
        with refresh_hanging(site, config) as refresh:
            during = run("crawler", "verify", config=config)
            assert list((tmp_path / "archive" / "warc").glob("*.open")), "the refresh writes its file"
            site.advance()                                 # the hanging page is let go; the refresh ends
            refresh.wait(timeout=120)
        after = run("crawler", "verify", config=config)

    assert during.returncode == 0, during.stdout + during.stderr
    assert f"a crawl or refresh is running (pid {refresh.pid})" in during.stdout
    assert "being written by the running crawl: checked up to offset" in during.stdout
    assert refresh.returncode == 0
    assert after.returncode == 0 and "running" not in after.stdout
    assert verdict(after).startswith("verify: all sound")


def test_the_open_file_of_a_killed_refresh_is_a_note_and_the_next_refresh_mends_it(tmp_path):
    with WardSite("wordpress", seed=6, articles=10) as site:
        config = write_config(tmp_path, site, timeout=120)
        with refresh_hanging(site, config) as refresh:
            os.kill(refresh.pid, signal.SIGKILL)
            refresh.wait()
        left = run("crawler", "verify", config=config)
        site.advance()
        again = run("crawler", "refresh", config=config)
        mended = run("crawler", "verify", config=config)

    assert left.returncode == 0, left.stdout
    assert ".warc.gz.open: left by an interrupted crawl" in left.stdout
    assert "the next crawl or refresh keeps its first" in left.stdout
    assert again.returncode == 0, again.stderr
    assert mended.returncode == 0 and "note" not in mended.stdout


def test_pages_archived_under_two_urls_are_sound(tmp_path):
    """Copies (the same bytes under a second URL, a print view naming the page) are filed under the page:
    their records name another URL than the document's, and are its captures all the same."""
    with WardSite("aspnet", seed=3, articles=8, duplicate_every=2) as site:
        config = write_config(tmp_path, site)
        assert run("crawler", "refresh", config=config).returncode == 0
        result = verify(tmp_path)
    assert result.returncode == 0, result.stdout
    assert verdict(result).startswith("verify: all sound")
