"""`indexer.whoosh_internals.compound_files`: a segment's files opened as views of the compound file's map
read exactly what Whoosh's own copies read."""

from __future__ import annotations

import io
import pickle
from pathlib import Path

from whoosh.filedb import compound
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile

from indexer.schema import build_schema
from indexer.stored import document_to_fields
from indexer.whoosh_internals.codec import FastW3Codec
from indexer.whoosh_internals.compound_files import PICKLE_WINDOW, ViewFile
from indexer.whoosh_internals.segment_writer import FastSegmentWriter
from tests.indexer.test_codec import documents, postings


def compound_index(path: Path) -> Path:
    ix = FileStorage(str(path)).create_index(build_schema())
    for docs in (documents(300)[:200], documents(300)[200:]):         # two segments, deletions in the first
        writer = FastSegmentWriter(ix, codec=FastW3Codec())
        for doc in docs:
            writer.add_document(**document_to_fields(doc))
        writer.commit(merge=False)
    writer = ix.writer()
    writer.delete_by_term("id", documents(300)[5].id)
    writer.commit(merge=False)
    return path


def everything(path: Path) -> tuple[dict, list]:
    ix = FileStorage(str(path)).open_index()
    with ix.reader() as reader:
        stored = list(reader.all_stored_fields())
    return postings(path), stored


def test_an_index_reads_the_same_through_views_as_through_whoosh_copies(tmp_path, monkeypatch):
    path = compound_index(tmp_path)
    ix = FileStorage(str(path)).open_index()
    [segment, *_] = ix._segments()                                    # noqa: SLF001 - the segment files
    storage = segment.open_compound_file(ix.storage)
    assert type(storage.open_file(storage.list()[0])) is ViewFile    # installed on import
    ours = everything(path)
    monkeypatch.setattr(compound, "BufferFile", BufferFile)          # Whoosh's own: a BytesIO copy
    assert everything(path) == ours and ours[0] and len(ours[1]) == 299


def test_a_view_file_reads_seeks_and_unpickles_as_a_buffer_file():
    large = {"ids": list(range(400)), "text": "đảng viên " * 80}       # larger than the first window
    assert len(pickle.dumps(large)) > PICKLE_WINDOW
    data = b"head" + pickle.dumps(large) + pickle.dumps((7, b"x", 1.5), protocol=2) + b"tail"

    def walk(file) -> list:
        seen = [file.read(4), file.read_pickle(), file.tell(), file.read_pickle()]
        seen += [file.read(100), file.tell()]
        file.seek(-3, io.SEEK_END)
        seen += [file.read(), file.read(5), file.get(0, 4), file.get_byte(len(data) - 1)]
        file.seek(2)
        file.seek(2, io.SEEK_CUR)
        return [*seen, file.tell(), file.read(1)]

    assert walk(ViewFile(memoryview(data))) == walk(BufferFile(memoryview(data)))
