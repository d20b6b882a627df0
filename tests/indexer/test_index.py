"""Writing the index: upserts by id, deletes, checkpoints, the one-writer rule, generations."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.searching import Searcher

from indexer.document import Capture, Document
from indexer.generations import CURRENT, live_generation
from indexer.writing import pipeline
from indexer.writing.writer import IndexBusy, new_generation, open_writer
from tinphuong.cli import LockBusy

ROOT = Path(__file__).resolve().parents[2]


def doc(n: int, title: str = "Tin phường", **kwargs) -> Document:
    return Document(url=f"https://phuong.example.vn/tin/{n}", site="ben-nghe", title=title,
                    text=kwargs.pop("text", f"Nội dung bài {n}"), **kwargs)


def stored_documents(index_dir: Path) -> list[dict]:
    ix = FileStorage(str(live_generation(index_dir))).open_index()
    with ix.searcher() as searcher:
        return list(searcher.documents())


def test_a_document_round_trips_with_dates_captures_and_flags(tmp_path):
    captures = [Capture("2026-01-02T03:04:05Z", 200, "A.warc.gz", 10, 200),
                Capture("2026-02-02T03:04:05Z", 304, "B.warc.gz", 0, 90, kind="revisit")]
    original = doc(1, title="Hội nghị đảng viên", text="Đoạn một.\n\nĐoạn hai.", date=date(2023, 3, 16),
                   author="Ban Tuyên giáo", category="Tin tức", gone=True, captures=captures,
                   date_source="body")
    with open_writer(tmp_path) as writer:
        writer.upsert(original)
    with open_writer(tmp_path) as writer:
        assert writer.get(original.id) == original
        assert writer.get("no-such-id") is None


def test_upsert_replaces_by_id_within_a_batch_after_a_flush_and_across_sessions(tmp_path):
    with open_writer(tmp_path) as writer:
        writer.upsert(doc(1, "một"))
        writer.upsert(doc(1, "hai"))                 # same batch: the last version wins
        assert writer.get(doc(1).id).title == "hai"
    with open_writer(tmp_path) as writer:
        writer.upsert(doc(1, "ba"))
        writer.commit()
        writer.upsert(doc(1, "bốn"))                 # already written in this session
        writer.upsert(doc(2, "khác"))
    titles = sorted(d["title"] for d in stored_documents(tmp_path))
    assert titles == ["bốn", "khác"]


@pytest.mark.parametrize("make", [open_writer, new_generation])
def test_get_gives_the_version_already_written_to_whoosh_but_not_committed(tmp_path, make):
    with open_writer(tmp_path) as writer:
        writer.upsert(doc(1, "cũ"))
    with make(tmp_path) as writer:
        writer._batch_size = 1                       # each upsert goes to Whoosh's writer at once
        writer.upsert(doc(1, "mới"))
        writer.upsert(doc(2, "khác"))
        assert writer.get(doc(1).id).title == "mới"  # not the committed version, nor none
        writer.delete(doc(2).id)
        assert writer.get(doc(2).id) is None
        writer.upsert(doc(1, "mới hơn"))
    assert [d["title"] for d in stored_documents(tmp_path)] == ["mới hơn"]


def test_a_windows_pages_stay_in_memory_so_reading_one_back_or_rewriting_it_commits_nothing(tmp_path):
    """The pipeline reads back and rewrites pages of the window it applies (a file archived again under
    another address, an attachment given the articles that link it): a commit for each would cost a
    rebuild a second of its tail."""
    with new_generation(tmp_path) as writer:
        commits = writer._ix.latest_generation()
        for n in range(pipeline.WINDOW_RECORDS):
            writer.upsert(doc(n))
        assert writer.get(doc(0).id) == doc(0)
        writer.upsert(doc(1, "mới"))
        assert writer._ix.latest_generation() == commits
    assert len(stored_documents(tmp_path)) == pipeline.WINDOW_RECORDS

@pytest.mark.parametrize(("make", "looked_up"), [(new_generation, [doc(1).id, doc(2).id]),
                                                  (open_writer, [doc(1).id, doc(2).id, doc(9).id])])
def test_a_writer_started_on_an_empty_index_reads_back_only_the_pages_it_wrote(tmp_path, monkeypatch, make,
                                                                               looked_up):
    """A large rebuild asks for every page it meets, and most were never written: it knows they are absent
    without a lookup. A writer on an index it did not write alone (an update) must look."""
    with open_writer(tmp_path / "other") as writer:      # an index with pages (the live one)
        writer.upsert(doc(0))
    lookups: list[str] = []
    document = Searcher.document
    monkeypatch.setattr(Searcher, "document", lambda self, **terms: lookups.append(terms["id"]) or
                        document(self, **terms))
    with make(tmp_path / ("other" if make is open_writer else "new")) as writer:
        for n in (1, 2):
            writer.upsert(doc(n))
        writer.commit()
        lookups.clear()
        assert [writer.get(doc(n).id) for n in (1, 2, 9)] == [doc(1), doc(2), None]
        assert lookups == looked_up


def test_many_upserts_of_the_same_pages_leave_one_version_each(tmp_path):
    with open_writer(tmp_path) as writer:
        writer._batch_size = 3                       # force many flushes in one session
        for round_ in range(4):
            for n in range(5):
                writer.upsert(doc(n, f"v{round_}"))
    stored = stored_documents(tmp_path)
    assert sorted(d["id"] for d in stored) == sorted(doc(n).id for n in range(5))
    assert {d["title"] for d in stored} == {"v3"}


def test_delete_removes_committed_and_pending_documents(tmp_path):
    with open_writer(tmp_path) as writer:
        for n in range(3):
            writer.upsert(doc(n))
    with open_writer(tmp_path) as writer:
        writer.delete(doc(0).id)
        writer.upsert(doc(5))
        writer.delete(doc(5).id)
        writer.delete("never-existed")
        assert writer.get(doc(0).id) is None
    assert sorted(d["id"] for d in stored_documents(tmp_path)) == sorted([doc(1).id, doc(2).id])


def test_checkpoint_is_saved_with_a_commit_and_read_back(tmp_path):
    with open_writer(tmp_path) as writer:
        assert writer.checkpoint == {}
        writer.upsert(doc(1))
        writer.checkpoint = {"A.warc.gz": 1234}
    with open_writer(tmp_path) as writer:
        assert writer.checkpoint == {"A.warc.gz": 1234}
        writer.checkpoint = {"A.warc.gz": 9999}
        writer.cancel()
    with open_writer(tmp_path) as writer:
        assert writer.checkpoint == {"A.warc.gz": 1234}


def test_an_error_inside_the_writer_discards_uncommitted_work(tmp_path):
    with open_writer(tmp_path) as writer:
        writer.upsert(doc(1))
    with pytest.raises(RuntimeError), open_writer(tmp_path) as writer:
        writer.upsert(doc(2))
        raise RuntimeError("extraction crashed")
    assert [d["id"] for d in stored_documents(tmp_path)] == [doc(1).id]


def test_only_one_writer_at_a_time(tmp_path):
    with open_writer(tmp_path) as writer:
        writer.upsert(doc(1))
        with pytest.raises(IndexBusy, match="another process"):
            open_writer(tmp_path)
        assert issubclass(IndexBusy, LockBusy)                   # exit code 75 on the command line
    with open_writer(tmp_path) as writer:                          # released after the first closed
        assert writer.get(doc(1).id) == doc(1)


def test_new_generation_switches_current_on_success_and_removes_the_old_one(tmp_path):
    with open_writer(tmp_path) as writer:
        writer.upsert(doc(1, "cũ"))
    old = live_generation(tmp_path)
    with new_generation(tmp_path, procs=1) as writer:
        writer.upsert(doc(2, "mới"))
        assert live_generation(tmp_path) == old                   # not live until it closes
        assert [d["title"] for d in stored_documents(tmp_path)] == ["cũ"]
    assert live_generation(tmp_path) != old
    assert not old.exists()
    assert [d["title"] for d in stored_documents(tmp_path)] == ["mới"]
    assert (tmp_path / CURRENT).read_text().strip() == live_generation(tmp_path).name


def test_failed_rebuild_leaves_the_live_generation(tmp_path):
    with open_writer(tmp_path) as writer:
        writer.upsert(doc(1, "cũ"))
    old = live_generation(tmp_path)
    with pytest.raises(ValueError), new_generation(tmp_path, procs=1) as writer:
        writer.upsert(doc(2, "mới"))
        raise ValueError("archive unreadable")
    assert live_generation(tmp_path) == old
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == [old.name]


def test_parallel_rebuild_indexes_every_document_once(tmp_path):
    with new_generation(tmp_path, procs=2) as writer:
        for n in range(40):
            writer.upsert(doc(n, text=f"Bài số {n} của phường"))
        writer.upsert(doc(3, "sửa lại"))
        writer.commit()
        writer.upsert(doc(4, "sửa sau commit"))
        writer.delete(doc(5).id)
    stored = stored_documents(tmp_path)
    assert len(stored) == 39
    titles = {d["id"]: d["title"] for d in stored}
    assert (titles[doc(3).id], titles[doc(4).id]) == ("sửa lại", "sửa sau commit")
    assert doc(5).id not in titles


KILLED_REBUILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from indexer.document import Document
    from indexer.writing.writer import new_generation
    writer = new_generation(Path({index!r}), procs=1)
    for n in range(50):
        writer.upsert(Document(url=f"https://x.vn/{{n}}", site="s", title="mới", text="bài mới"))
    writer.commit()                                   # an intermediate commit, then killed
    print("ready", flush=True)
    time.sleep(60)
""")


def test_a_killed_rebuild_leaves_the_live_index_intact_and_is_cleaned_up(tmp_path):
    with open_writer(tmp_path) as writer:
        writer.upsert(doc(1, "cũ"))
    old = live_generation(tmp_path)
    script = KILLED_REBUILD.format(root=str(ROOT), index=str(tmp_path))
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "ready"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    assert live_generation(tmp_path) == old
    assert [d["title"] for d in stored_documents(tmp_path)] == ["cũ"]
    with open_writer(tmp_path) as writer:                       # the dead writer's lock is gone
        writer.upsert(doc(2, "tiếp"))
    with new_generation(tmp_path, procs=1) as writer:
        writer.upsert(doc(3, "mới nhất"))
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == [live_generation(tmp_path).name]
