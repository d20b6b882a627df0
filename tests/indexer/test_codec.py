"""The faster write path (codec, pool, writers) writes what Whoosh's own does: same bytes, same postings."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from indexer.document import Document
from indexer.schema import build_schema
from indexer.stored import document_to_fields
from indexer.whoosh_internals.codec import FastW3Codec
from indexer.whoosh_internals.segment_writer import FastSegmentWriter

SYLLABLES = ("phường", "đảng", "viên", "kết", "nạp", "ủy", "ban", "nhân", "dân", "người", "hòa",
             "giải", "nắp", "cống", "đang", "thay", "mới", "họp", "chi", "bộ", "tổ", "dân",
             "phố", "khu", "lễ", "tin", "bài", "năm", "ngày", "số", "2023", "10-CT/TW", "TP.HCM")


def documents(count: int) -> list[Document]:
    """Seeded articles: common syllables give terms of more than one 128-posting block."""
    rng = random.Random(7)
    docs = []
    for n in range(count):
        title = " ".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 8)))
        sentences = (" ".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 15)))
                     for _ in range(rng.randint(1, 12)))
        docs.append(Document(url=f"https://phuong.example.vn/tin/{n}", site=f"site-{n % 3}",
                             title=title.capitalize(), text=". ".join(sentences) + "."))
    return docs


def build(path: Path, codec: W3Codec, docs: list[Document], writer_class: type = SegmentWriter,
          **options) -> Path:
    path.mkdir()
    ix = FileStorage(str(path)).create_index(build_schema())
    writer = writer_class(ix, codec=codec, compound=False, **options)
    for doc in docs:
        writer.add_document(**document_to_fields(doc))
    writer.commit()
    return path


def segment_files(path: Path) -> dict[str, bytes]:
    """The segment's files by suffix (segment names are random)."""
    files = (p for p in path.iterdir() if p.name.startswith("MAIN_") and "." in p.name)
    return {p.name.split(".", 1)[1]: p.read_bytes() for p in files}


def postings(path: Path, by_id: bool = False) -> dict:
    """Every term's postings, term statistics and every document's field lengths, read by the stock codec.

    `by_id` names documents by their `id` field and leaves out the statistics that depend
    on which segment holds which document (several writing processes).
    """
    ix = FileStorage(str(path)).open_index()
    seen: dict = {}
    with ix.reader() as reader:
        name = [reader.stored_fields(n)["id"] if by_id else n for n in range(reader.doc_count_all())]
        for fieldname, text in reader.all_terms():
            info = reader.term_info(fieldname, text)
            matcher = reader.postings(fieldname, text)
            items = []
            while matcher.is_active():
                items.append((name[matcher.id()], matcher.weight(), matcher.value()))
                matcher.next()
            statistics = (info.doc_frequency(), info.weight(), info.min_length(), info.max_length(),
                          info.max_weight())
            seen[fieldname, text] = (sorted(items), statistics) if by_id else \
                (items, statistics, info.min_id(), info.max_id())
        for fieldname in reader.schema.scorable_names():
            seen[fieldname] = sorted((name[n], reader.doc_field_length(n, fieldname))
                                     for n in range(reader.doc_count_all()))
    return seen


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    return documents(400)


def test_with_every_block_compressed_the_files_are_the_stock_codecs_byte_for_byte(tmp_path, docs):
    stock = segment_files(build(tmp_path / "stock", W3Codec(compression=1), docs))
    fast = segment_files(build(tmp_path / "fast", FastW3Codec(compression=1, compress_from=0), docs))
    assert set(fast) == set(stock)
    assert {"pst", "trm"} <= set(fast)
    for suffix, content in stock.items():
        assert fast[suffix] == content, suffix


def test_other_formats_too_are_written_byte_for_byte(tmp_path):
    from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
    schema = Schema(freq=TEXT(phrase=False), chars=TEXT(chars=True), tags=KEYWORD(scorable=True),
                    key=ID, number=NUMERIC)
    rng = random.Random(3)
    vocabulary = ["alpha", "beta"] * 20 + [f"w{n}" for n in range(60)]   # terms of one and of many blocks

    def build_plain(path: Path, codec: W3Codec) -> dict[str, bytes]:
        path.mkdir()
        writer = FileStorage(str(path)).create_index(schema).writer(codec=codec, compound=False)
        for n in range(300):
            words = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 9)))
            writer.add_document(freq=words, chars=words, tags=words, key=f"k{n % 7}", number=n % 11)
        writer.commit()
        return segment_files(path)

    state = rng.getstate()
    stock = build_plain(tmp_path / "stock", W3Codec(compression=1))
    rng.setstate(state)
    assert build_plain(tmp_path / "fast", FastW3Codec(compression=1, compress_from=0)) == stock


def test_the_default_codec_gives_the_same_postings_and_lengths_through_the_reader(tmp_path, docs):
    stock = postings(build(tmp_path / "stock", W3Codec(compression=1), docs))
    fast = postings(build(tmp_path / "fast", FastW3Codec(compression=1), docs))
    assert fast == stock
    multi_block = [key for key, value in stock.items() if isinstance(key, tuple) and value[1][0] > 128]
    assert multi_block, "the sample must hold terms of more than one block"


@pytest.mark.parametrize("limitmb", [512, 1], ids=["in-memory", "spilled-to-runs"])
def test_the_term_pool_writer_gives_the_stock_writers_postings_and_columns(tmp_path, docs, limitmb):
    stock_path = build(tmp_path / "stock", W3Codec(compression=1), docs)
    fast_path = build(tmp_path / "fast", FastW3Codec(compression=1, compress_from=0), docs,
                      FastSegmentWriter, limitmb=limitmb)
    assert postings(fast_path) == postings(stock_path)
    stock, fast = segment_files(stock_path), segment_files(fast_path)
    if limitmb == 1:
        assert fast == stock              # postings read back from run files: the very same bytes
    else:
        # In memory, equal one-position values are one bytes object, which a block's pickle
        # stores once: the same data, a few bytes shorter.
        assert {k: v for k, v in fast.items() if k.endswith("col")} == \
            {k: v for k, v in stock.items() if k.endswith("col")}


def test_segments_record_the_stock_codec_so_readers_need_none_of_ours(tmp_path, docs):
    """The table of contents pickles each segment with its codec: it must be Whoosh's own."""
    single = build(tmp_path / "single", FastW3Codec(), docs[:50], FastSegmentWriter)
    for path in (single,):
        segments = FileStorage(str(path)).open_index()._segments()
        assert segments and all(type(segment.codec()) is W3Codec for segment in segments)
        tocs = b"".join(p.read_bytes() for p in path.glob("_MAIN_*.toc"))
        assert b"W3Codec" in tocs and b"indexer.whoosh_internals" not in tocs


def test_a_schema_with_term_vectors_is_refused(tmp_path):
    from whoosh.fields import TEXT, Schema
    ix = FileStorage(str(tmp_path)).create_index(Schema(body=TEXT(vector=True)))
    with pytest.raises(ValueError, match="vectors"):
        FastSegmentWriter(ix)
    ix.writer().cancel()                  # the refused writer released the lock
