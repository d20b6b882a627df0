"""The write-only codec writes what Whoosh's own W3 codec writes: same bytes, same postings."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage

from indexer.codec import FastW3Codec
from indexer.document import Document
from indexer.index import document_to_fields
from indexer.schema import build_schema

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


def build(path: Path, codec: W3Codec, docs: list[Document]) -> Path:
    path.mkdir()
    ix = FileStorage(str(path)).create_index(build_schema())
    writer = ix.writer(codec=codec, compound=False)
    for doc in docs:
        writer.add_document(**document_to_fields(doc))
    writer.commit()
    return path


def segment_files(path: Path) -> dict[str, bytes]:
    """The segment's files by suffix (segment names are random)."""
    files = (p for p in path.iterdir() if p.name.startswith("MAIN_") and "." in p.name)
    return {p.name.split(".", 1)[1]: p.read_bytes() for p in files}


def postings(path: Path) -> dict:
    """Every term's postings, term statistics and every document's field lengths, read by the stock codec."""
    ix = FileStorage(str(path)).open_index()
    seen: dict = {}
    with ix.reader() as reader:
        for fieldname, text in reader.all_terms():
            info = reader.term_info(fieldname, text)
            matcher = reader.postings(fieldname, text)
            items = []
            while matcher.is_active():
                items.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            seen[fieldname, text] = (items, info.doc_frequency(), info.weight(), info.min_length(),
                                     info.max_length(), info.max_weight(), info.min_id(), info.max_id())
        for fieldname in reader.schema.scorable_names():
            seen[fieldname] = [reader.doc_field_length(n, fieldname) for n in range(reader.doc_count_all())]
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


def test_the_default_codec_gives_the_same_postings_and_lengths_through_the_reader(tmp_path, docs):
    stock = postings(build(tmp_path / "stock", W3Codec(compression=1), docs))
    fast = postings(build(tmp_path / "fast", FastW3Codec(compression=1), docs))
    assert fast == stock
    multi_block = [key for key, value in stock.items() if isinstance(key, tuple) and value[1] > 128]
    assert multi_block, "the sample must hold terms of more than one block"
