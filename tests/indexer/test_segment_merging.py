"""Nightly updates of every document keep the index near its live size, with the same documents."""

from __future__ import annotations

from pathlib import Path

from whoosh import index as whoosh_index

from indexer.document import Capture, Document
from indexer.generations import live_generation
from indexer.writing.writer import open_writer

PAGES = 60


def night(n: int, page: int) -> Document:
    """Page `page` as the update of night `n` leaves it: one more capture each night."""
    captures = [Capture(f"2026-03-{d + 1:02d}T01:30:00Z", 200 if d == 0 else 304, f"night-{d}.warc.gz",
                        1000 + page, 500, "response" if d == 0 else "revisit") for d in range(n + 1)]
    return Document(url=f"https://phuong.example.vn/tin/{page}", site="ben-nghe", title=f"Tin số {page}",
                    text=f"Nội dung bài {page} về công tác dân vận của phường", captures=captures)


def write(index_dir: Path, docs: list[Document]) -> None:
    with open_writer(index_dir) as writer:
        for doc in docs:
            writer.upsert(doc)


def shape(index_dir: Path) -> tuple[int, int, int, list[dict]]:
    """(segments, documents stored including deleted ones, live documents, the live stored fields by id)."""
    ix = whoosh_index.open_dir(str(live_generation(index_dir)))
    try:
        with ix.searcher() as searcher:
            stored = sorted(searcher.all_stored_fields(), key=lambda fields: fields["id"])
        return len(ix._segments()), ix.doc_count_all(), ix.doc_count(), stored
    finally:
        ix.close()


def test_updating_every_document_each_night_does_not_pile_up_deleted_versions(tmp_path):
    for n in range(6):
        write(tmp_path / "nightly", [night(n, page) for page in range(PAGES)])
    segments, stored, live, documents = shape(tmp_path / "nightly")
    assert live == PAGES and stored <= 2 * PAGES and segments <= 2
    write(tmp_path / "once", [night(5, page) for page in range(PAGES)])       # the stock way: written once
    assert documents == shape(tmp_path / "once")[3]


def test_a_few_updates_leave_the_large_segment_as_it_is(tmp_path):
    write(tmp_path, [night(0, page) for page in range(PAGES)])
    generation = live_generation(tmp_path)
    before = {p.name for p in generation.iterdir() if p.suffix == ".seg"}
    write(tmp_path, [night(1, page) for page in range(3)])
    after = {p.name for p in generation.iterdir() if p.suffix == ".seg"}
    assert before < after                                   # the first segment kept, one small one added
    segments, stored, live, _ = shape(tmp_path)
    assert (segments, stored, live) == (2, PAGES + 3, PAGES)
