"""Fields analysed in the extraction processes give the index the writer would write analysing them itself.

A rebuild with a pool of extraction processes (fields analysed ahead) against the in-process rebuild
(the writer analyses every field): on a real archive and a real index on disk, the same documents
with the same stored fields, the same terms with the same postings (ids, weights, positions) in every
field, and the same search results.
"""

from __future__ import annotations

from collections import Counter
from functools import cache, partial
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.formats import Positions

from indexer.analysis.near_duplicates import shingles
from indexer.document import Document, document_id
from indexer.extract import extract
from indexer.generations import live_generation
from indexer.schema import BAND_KEYS, BODY, BODY_FOLDED, ID_FIELD, TITLE
from indexer.search import Searcher, SearchRequest
from indexer.stored import document_to_fields
from indexer.writing import extraction, pipeline
from indexer.writing import writer as writer_module
from indexer.writing.analysis_ahead import ANALYSED, SHINGLES, analyse_ahead
from indexer.writing.pipeline import rebuild_index
from indexer.writing.writer import BATCH_SIZE, DocumentWriter, new_generation, open_writer
from tests.indexer.test_pipeline import BASE, ben_nghe_config
from tests.office_files import decision_pdf as make_decision_pdf
from tests.warc_builder import CLEANUP_PARAGRAPHS, WarcArchive, page, status, ward_article

decision_pdf = cache(make_decision_pdf)
PDF = f"{BASE}/van-ban/qd-123.pdf"
STORIES = [
    ("Phường ra quân dọn dẹp vệ sinh môi trường", CLEANUP_PARAGRAPHS),
    ("Hội nghị tiếp xúc cử tri quý I", [
        "Chiều ngày 14/3/2023, Thường trực Hội đồng nhân dân phường tổ chức hội nghị tiếp xúc cử tri tại "
        "hội trường khu phố 3 để lắng nghe ý kiến của người dân về trật tự đô thị và an ninh khu vực.",
        "Cử tri đề nghị phường tăng cường kiểm tra việc lấn chiếm vỉa hè, lắp thêm đèn chiếu sáng tại các "
        "hẻm nhỏ và sớm sửa chữa mặt đường bị hư hỏng sau mùa mưa."]),
]
QUERIES = ["dọn dẹp", "don dep", "cử tri", "quyết định 123", '"vệ sinh môi trường"', "hoa", "khu phố 3"]


@pytest.fixture
def config(tmp_path: Path):
    return ben_nghe_config(tmp_path)


def archive_pages(config) -> None:
    """Articles, their republished copies (near-duplicates), a page whose content changes, a linked PDF
    (whose title and searchable text come from the article: not what the extraction process guesses)
    and the same PDF under another URL, and a gone page."""
    archive = WarcArchive(config.storage.archive_dir)
    link = '<a href="/van-ban/qd-123.pdf">Quyết định 123/QĐ-UBND</a>'
    exchanges = [page(PDF, decision_pdf(), headers=(("Content-Type", "application/pdf"),))]
    for number, (title, paragraphs) in enumerate(STORIES * 6):
        extra = [f"Văn bản kèm theo: {link}."] if number == 0 else [f"Bài số {number} của khu phố {number}."]
        exchanges.append(page(f"{BASE}/tin-tuc/bai-{number}.html", ward_article(title, paragraphs + extra)))
    archive.write(exchanges)
    retitled = ward_article("Hội nghị tiếp xúc cử tri quý I năm 2023", STORIES[1][1])
    archive.write([
        page(f"{BASE}/tin-tuc/bai-1.html", retitled),
        page(f"{BASE}/van-ban/ban-sao.pdf", decision_pdf(), headers=(("Content-Type", "application/pdf"),)),
        status(f"{BASE}/tin-tuc/bai-2.html", 410),
    ])


def index_contents(index_dir: Path) -> tuple[dict, dict]:
    """Every document's stored fields by id, and every field's terms with their postings by id."""
    index = whoosh_index.open_dir(str(live_generation(index_dir)))
    with index.searcher() as searcher:
        reader = searcher.reader()
        ids = {docnum: stored[ID_FIELD] for docnum, stored in reader.iter_docs()}
        stored = {ids[docnum]: fields for docnum, fields in reader.iter_docs()}
        postings = {}
        for fieldname, term in reader.all_terms():
            matcher, found = reader.postings(fieldname, term), []
            while matcher.is_active():
                if not reader.is_deleted(matcher.id()):
                    found.append((ids[matcher.id()], matcher.weight(), matcher.value()))
                matcher.next()
            postings[fieldname, term] = sorted(found)
    return stored, postings


def search_results(config) -> list[list[str]]:
    searcher = Searcher(config.storage.index_dir)
    try:
        return [[r.id for r in searcher.search(SearchRequest.from_params({"q": query})).results]
                for query in QUERIES]
    finally:
        searcher.close()


@pytest.mark.parametrize("batch_size", [
    BATCH_SIZE,     # every page written by the forked writers at the end: none analysed ahead
    1,              # pages analysed ahead once 3 are pending; batches written by the rebuild's process too
])
def test_a_rebuild_in_extraction_processes_writes_the_index_one_process_writes(config, monkeypatch,
                                                                               batch_size):
    archive_pages(config)
    rebuild_index(config, workers=1)
    stored, postings = index_contents(config.storage.index_dir)
    results = search_results(config)
    monkeypatch.setattr(pipeline, "BATCH_RECORDS", 2)         # the pool asks the writer every 2 records,
    monkeypatch.setattr(pipeline, "WINDOW_RECORDS", 4)        # which has its pages every 4,
    monkeypatch.setattr(extraction, "IN_FLIGHT", 1)           # a batch or two after it was asked
    monkeypatch.setattr(pipeline, "new_generation", partial(new_generation, batch_size=batch_size))
    monkeypatch.setattr(writer_module, "MIN_FORKED_BATCH", 2)
    sent: list[str] = []               # the fields of the items each window brings (the writer takes them)
    receive = DocumentWriter.analysed_ahead
    monkeypatch.setattr(DocumentWriter, "analysed_ahead",
                        lambda writer, made: sent.extend(name for name, _ in made) or receive(writer, made))

    rebuild_index(config, workers=2)

    assert index_contents(config.storage.index_dir) == (stored, postings)
    assert search_results(config) == results
    assert len(stored) == 14 and stored[document_id(PDF)]["kind"] == "attachment"
    assert sum(1 for hits in results if hits) >= 5 and len(postings) > 500
    fields = Counter(sent)
    assert fields[BAND_KEYS] == fields[SHINGLES] >= 12           # what the clusters need, for every page
    if batch_size == BATCH_SIZE:
        assert fields[TITLE] == fields[BODY] == fields[BODY_FOLDED] == 0
    else:
        assert 0 < fields[BODY] == fields[BODY_FOLDED] < fields[BAND_KEYS] - 1   # not the attachment's


def test_a_new_generation_written_by_forked_processes_wants_fields_analysed_ahead_past_half_a_batch(tmp_path):
    documents = [Document(url=f"{BASE}/a-{n}.html", site="ben-nghe", title=f"Tin {n}", text="Nội dung.")
                 for n in range(21)]
    wanted = []
    with new_generation(tmp_path / "forked", procs=2, batch_size=4) as writer:
        for document in documents:
            wanted.append(writer.wants_fields_ahead())
            writer.upsert(document)       # the 20th fills the batch: a page without its fields is a fifth
        wanted.append(writer.wants_fields_ahead())
    assert wanted == [False] * 10 + [True] * 12      # from half a batch on; then a batch was written here
    for writer in (new_generation(tmp_path / "one", procs=1), open_writer(tmp_path / "update")):
        with writer:
            assert writer.wants_fields_ahead()         # this process writes every page


def test_a_page_pending_with_its_fields_analysed_ahead_counts_as_a_whole_page_of_the_batch(tmp_path):
    documents = [Document(url=f"{BASE}/a-{n}.html", site="ben-nghe", title=f"Tin {n}", text="Nội dung.")
                 for n in range(6)]
    with new_generation(tmp_path, procs=2, batch_size=4) as writer:
        writer.analysed_ahead({(TITLE, "Tin 0"): [(b"tin", 1, 1.0, Positions().encode([0]))]})
        for document in documents[:5]:
            writer.upsert(document)
        assert not writer.wants_fields_ahead()          # 1 + 4 fifths: less than half of 4
        writer.upsert(documents[5])
        assert writer.wants_fields_ahead()


def test_an_article_s_fields_are_all_analysed_ahead_with_the_values_written():
    title, paragraphs = STORIES[0]
    url = f"{BASE}/tin-tuc/bai-0.html"
    content = extract(ward_article(title, paragraphs).encode("utf-8"), url)
    document = Document(url=url, site="ben-nghe", title=content.title, text=content.text, date=content.date)
    fields = document_to_fields(document)

    analysed = analyse_ahead(url, content)

    assert set(analysed) == {(name, fields[name]) for name in ANALYSED} | {(SHINGLES, document.text)}
    assert np.array_equal(analysed[SHINGLES, document.text], shingles(document.text))
    clusters_only = {(BAND_KEYS, document.text), (SHINGLES, document.text)}
    assert set(analyse_ahead(url, content, fields=False)) == clusters_only


def test_the_writer_pools_the_items_made_ahead_for_the_value_it_writes(tmp_path: Path):
    """The items are used, not analysed again: items that are not the value's analysis show in the index."""
    pages = [Document(url=f"{BASE}/a-{n}.html", site="ben-nghe", title=f"Tin số {n}", text="Nội dung.")
             for n in range(2)]
    made_up = [(b"tu-truoc", 1, 1.0, Positions().encode([0]))]
    with new_generation(tmp_path) as writer:
        writer.analysed_ahead({(TITLE, "Tin số 0"): made_up})
        for document in pages:
            writer.upsert(document)
    index = whoosh_index.open_dir(str(live_generation(tmp_path)))
    with index.searcher() as searcher:
        titles = {term.decode() for term in searcher.reader().lexicon(TITLE)}
    assert titles == {"tu-truoc", "tin", "số", "1"}


def test_items_made_ahead_wait_for_their_page_however_many_windows_it_stays_pending(tmp_path: Path):
    page = Document(url=f"{BASE}/a-0.html", site="ben-nghe", title="Tin số 0", text="Nội dung.")
    made_up = [(b"tu-truoc", 1, 1.0, Positions().encode([0]))]
    with new_generation(tmp_path) as writer:
        writer.analysed_ahead({(TITLE, "Tin số 0"): made_up})
        writer.upsert(page)
        for _ in range(3):                      # later windows with nothing new: the page is still pending
            writer.analysed_ahead({})
    index = whoosh_index.open_dir(str(live_generation(tmp_path)))
    with index.searcher() as searcher:
        assert {term.decode() for term in searcher.reader().lexicon(TITLE)} == {"tu-truoc"}
