"""A new generation's batches written as segments of their own by forked processes: the index one process
writes, on disk, from the pages' fields down to every posting; and a failing process fails the write."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec

from indexer.document import Document
from indexer.generations import live_generation
from indexer.search import Searcher, SearchRequest
from indexer.writing import writer as writer_module
from indexer.writing.pipeline import rebuild_index
from indexer.writing.writer import BATCH_SIZE, new_generation, open_writer
from tests.indexer.test_analysis_ahead import archive_pages, index_contents
from tests.indexer.test_pipeline import ben_nghe_config
from tests.indexer.writers import recorded_forks

PLACES = ["khu phố 1", "chợ Bến Thành", "kênh Nhiêu Lộc", "trường tiểu học", "nhà văn hóa", "trạm y tế"]
COPIED = ("Ủy ban nhân dân quận ban hành kế hoạch tổng vệ sinh môi trường mùa mưa, mỗi phường tổ chức hai "
          "đợt ra quân khơi thông cống rãnh, thu gom rác thải và phát quang bụi rậm tại các khu đất "
          "trống. ") * 3


def pages(count: int) -> list[Document]:
    """Articles on a few subjects, and every tenth a ward's copy of one district article (clusters)."""
    found = []
    for n in range(count):
        place = PLACES[n % len(PLACES)]
        text = COPIED + f"Phường số {n}." if n % 10 == 0 else \
            f"Bài {n}: phường kiểm tra an toàn tại {place}, nhắc người dân giữ vệ sinh.\n\nSố {n * 7}."
        title = "Kế hoạch tổng vệ sinh mùa mưa" if n % 10 == 0 else f"Tin {place} số {n}"
        found.append(Document(url=f"https://phuong.example.vn/tin/{n}.html", site="ben-nghe", title=title,
                              text=text))
    return found


def build(index_dir: Path, documents: list[Document], procs: int, batch: int) -> None:
    with new_generation(index_dir, procs=procs) as writer:
        writer._batch_size = batch
        for document in documents:
            writer.upsert(document)


def segments(index_dir: Path) -> int:
    return len(whoosh_index.open_dir(str(live_generation(index_dir)))._segments())


@pytest.mark.parametrize("batch", [
    BATCH_SIZE,           # all pending at the end: the batch split between two processes
    8,                    # 130 pages (a fifth each, not analysed ahead): three batches written by this
                          # process, the last 10 split
])
def test_batches_written_by_forked_processes_give_the_index_one_process_writes(tmp_path, monkeypatch, batch):
    monkeypatch.setattr(writer_module, "MIN_FORKED_BATCH", 5)
    documents = pages(130)
    build(tmp_path / "one", documents, procs=1, batch=batch)
    build(tmp_path / "forked", documents, procs=2, batch=batch)

    forked = whoosh_index.open_dir(str(live_generation(tmp_path / "forked")))._segments()
    assert len(forked) > segments(tmp_path / "one")
    assert all(type(segment.codec()) is W3Codec for segment in forked)     # readers need none of ours
    assert index_contents(tmp_path / "forked") == index_contents(tmp_path / "one")
    searcher = Searcher(tmp_path / "forked")
    try:
        found = searcher.search(SearchRequest.from_params({"q": "chợ Bến Thành"}))
        assert found.total == 22
        copies = searcher.search(SearchRequest.from_params({"q": "tổng vệ sinh mùa mưa"}))
        assert [r.id for r in copies.results] == [min(d.id for d in documents[::10])]    # 13 copies: once
    finally:
        searcher.close()


def live_index_of_one_page(index_dir: Path, monkeypatch, segment) -> Path:
    """A live index of one page, the live generation returned; forked writers for 10 pages or more, each
    running `segment` instead of writing its segment."""
    with open_writer(index_dir) as writer:
        writer.upsert(pages(1)[0])
    monkeypatch.setattr(writer_module, "MIN_FORKED_BATCH", 10)
    monkeypatch.setattr(writer_module, "_segment", segment)
    return live_generation(index_dir)


def test_a_failing_segment_process_fails_the_rebuild_and_leaves_the_live_index(tmp_path, monkeypatch):
    live = live_index_of_one_page(tmp_path, monkeypatch, lambda *args: os._exit(3))

    with pytest.raises(RuntimeError, match="segment-writing process failed"):
        build(tmp_path, pages(30), procs=2, batch=BATCH_SIZE)

    assert live_generation(tmp_path) == live
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == [live.name]
    assert [d["id"] for d in whoosh_index.open_dir(str(live)).searcher().documents()] == [pages(1)[0].id]


def test_an_interrupt_while_the_forked_writers_run_ends_them_and_leaves_the_live_index(tmp_path, monkeypatch):
    """Ctrl-C (or SIGTERM, which the command line turns into the same) during the final write."""
    live = live_index_of_one_page(tmp_path, monkeypatch, lambda *args: time.sleep(60))
    started = recorded_forks(monkeypatch)

    def interrupt(*_):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        with pytest.raises(KeyboardInterrupt):
            build(tmp_path, pages(30), procs=2, batch=BATCH_SIZE)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

    assert len(started) == 2
    for process in started:                              # every forked writer ended and reaped
        with pytest.raises(ChildProcessError):
            os.waitpid(process.pid, os.WNOHANG)
        with pytest.raises(ProcessLookupError):
            os.kill(process.pid, 0)
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == [live.name]
    with open_writer(tmp_path) as writer:                # the generation's lock went with it
        writer.upsert(pages(2)[1])
    assert len(index_contents(tmp_path)[0]) == 2


def test_a_process_running_other_threads_writes_its_batches_itself(tmp_path, monkeypatch):
    """A forked copy of a threaded process can deadlock: with another thread running, no fork."""
    monkeypatch.setattr(writer_module, "MIN_FORKED_BATCH", 10)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        build(tmp_path / "threaded", pages(30), procs=2, batch=BATCH_SIZE)
    finally:
        stop.set()
        thread.join()
    build(tmp_path / "one", pages(30), procs=1, batch=BATCH_SIZE)
    assert segments(tmp_path / "threaded") == segments(tmp_path / "one")
    assert index_contents(tmp_path / "threaded") == index_contents(tmp_path / "one")


def test_a_rebuild_forks_for_its_last_batch_once_its_extraction_processes_are_done(tmp_path, monkeypatch):
    """The extraction pool's threads end with its last batch, so the writer may fork for the final write."""
    config = ben_nghe_config(tmp_path)
    archive_pages(config)
    monkeypatch.setattr(writer_module, "MIN_FORKED_BATCH", 2)
    rebuild_index(config, workers=1)                   # one extraction process: one writer
    one_process = index_contents(config.storage.index_dir)
    assert segments(config.storage.index_dir) == 1

    rebuild_index(config, workers=2)

    assert segments(config.storage.index_dir) == 2
    assert index_contents(config.storage.index_dir) == one_process
