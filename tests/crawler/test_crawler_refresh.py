"""`python -m crawler refresh` as cron runs it: the lock against a second refresh, and a kill -9 in the middle
of its index update followed by a refresh that leaves archive, state and index consistent."""

from __future__ import annotations

import errno
import os
import signal
from datetime import UTC, datetime
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from crawler.state import CrawlState
from indexer.document import Document
from indexer.generations import live_generation
from indexer.stored import stored_to_document
from indexer.writing.writer import CHECKPOINT
from tests.crawler.ward_runs import refresh_hanging, run, start, verdict, wait_for, write_config
from tests.wardsite import WardSite
from tinphuong.urls import canonicalize

pytestmark = pytest.mark.slow

# Sorts after every WARC file the crawler names (TINPHUONG-<UTC timestamp>-...), so the index update
# reads it last: a named pipe, whose open() waits for a writer, holds the update there.
LAST_NAME = "TINPHUONG-99991231235959999999-0-00001.warc.gz"


def test_a_refresh_while_another_refresh_runs_exits_75_naming_it(tmp_path):
    with WardSite("wordpress", seed=3, articles=8) as site:
        config = write_config(tmp_path, site, timeout=120)
        with refresh_hanging(site, config) as first:
            requests = len(site.server.requests)
            second = run("crawler", "refresh", config=config)
            asked = len(site.server.requests) - requests
            site.advance()
            first.wait(timeout=120)
    assert second.returncode == 75
    assert f"another refresh holds {tmp_path / 'archive' / 'refresh.lock'} (pid {first.pid})" in second.stderr
    assert "Traceback" not in second.stderr and asked == 0
    assert first.returncode == 0


def documents(index_dir: Path) -> dict[str, Document]:
    ix = whoosh_index.open_dir(str(live_generation(index_dir)))
    try:
        with ix.searcher() as searcher:
            return {doc.id: doc for doc in map(stored_to_document, searcher.all_stored_fields())}
    finally:
        ix.close()


def consumed(index_dir: Path) -> str:
    return (live_generation(index_dir) / CHECKPOINT).read_text(encoding="utf-8")


def refresh_killed_in_its_index_update(config: Path, warc_dir: Path) -> None:
    """Start a refresh, let it crawl, and kill -9 it once its index update is reading the archive."""
    pipe = warc_dir / LAST_NAME
    os.mkfifo(pipe)
    process = start("crawler", "refresh", config=config)
    writer: list[int] = []

    def update_reads_the_pipe() -> bool:
        try:
            writer.append(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))   # fails until a reader has it open
        except OSError as error:
            if error.errno != errno.ENXIO:
                raise
        return bool(writer)

    try:
        wait_for(update_reads_the_pipe, process, "the index update reading the archive")
        os.kill(process.pid, signal.SIGKILL)
        process.communicate()
    finally:
        for fd in writer:
            os.close(fd)
        pipe.unlink()
    assert process.returncode == -signal.SIGKILL


def test_a_refresh_killed_during_its_index_update_is_completed_by_the_next_one(tmp_path):
    index_dir, archive = tmp_path / "index", tmp_path / "archive"
    # Day 0 is today, so the sitemap dates the next day's edit after our first capture, as a real one would.
    with WardSite("wordpress", seed=4, articles=8, start=datetime.now(UTC).date()) as site:
        config = write_config(tmp_path, site)
        assert run("crawler", "refresh", config=config).returncode == 0
        before = consumed(index_dir)
        day = site.advance()
        published, edited, deleted = day.publish(2), day.edit(part="title"), day.delete()

        refresh_killed_in_its_index_update(config, archive / "warc")
        assert consumed(index_dir) == before, "the killed update committed nothing"
        with CrawlState.open_readonly(archive) as state:
            assert state.captures(canonicalize(site.article_url(published[0])))   # its crawl was done

        again = run("crawler", "refresh", config=config)
        assert again.returncode == 0, again.stderr
        checked = run("crawler", "verify", config=config)
        maintained = documents(index_dir)
        articles = {canonicalize(site.article_url(a)): a for a in site.ever()}

    assert checked.returncode == 0, checked.stdout
    assert verdict(checked).startswith("verify: all sound") and "note" not in checked.stdout
    by_url = {doc.url: doc for doc in maintained.values()}
    for url, article in articles.items():                      # nothing lost, the night's changes applied
        assert by_url[url].title == article.title, url
    assert by_url[canonicalize(site.article_url(edited))].title == edited.title
    assert by_url[canonicalize(site.article_url(deleted))].gone
    assert all(by_url[canonicalize(site.article_url(a))].title == a.title for a in published)
    rebuilt = run("indexer", "rebuild", config=config)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert documents(index_dir) == maintained                 # the same documents, captures and all
