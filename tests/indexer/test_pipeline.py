"""The indexing pipeline on real WARC files and a real Whoosh index: what each kind of capture does."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import pytest

from indexer.document import LinkedFrom, document_id
from indexer.search import Searcher, SearchRequest
from indexer.writing import pipeline
from indexer.writing.pipeline import CHECKPOINT_KEY, IndexSummary, rebuild_index, update_index
from indexer.writing.writer import open_writer
from tests.indexer.writers import write_through
from tests.office_files import decision_pdf as make_decision_pdf
from tests.warc_builder import (
    CLEANUP_PARAGRAPHS,
    WarcArchive,
    identical,
    not_modified,
    page,
    status,
    ward_article,
    ward_listing,
)
from tinphuong.config import load_config

decision_pdf = cache(make_decision_pdf)

BASE = "https://bennghe.example.gov.vn"
CLEANUP = f"{BASE}/tin-tuc/ra-quan-don-dep.html"
MEETING = f"{BASE}/tin-tuc/hoi-nghi-cu-tri.html"
MEETING_TEXT = [
    "Chiều ngày 14/3/2023, Thường trực Hội đồng nhân dân phường tổ chức hội nghị tiếp xúc cử tri tại "
    "hội trường khu phố 3 để lắng nghe ý kiến, kiến nghị của người dân về trật tự đô thị và an ninh khu vực.",
    "Cử tri đề nghị phường tăng cường kiểm tra việc lấn chiếm vỉa hè, lắp thêm đèn chiếu sáng tại các "
    "hẻm nhỏ và sớm sửa chữa mặt đường bị hư hỏng sau mùa mưa.",
]


@pytest.fixture
def config(tmp_path: Path):
    return ben_nghe_config(tmp_path)


def ben_nghe_config(tmp_path: Path):
    """A configuration of one ward site, its archive and index under `tmp_path`."""
    path = tmp_path / "config.toml"
    path.write_text(f"""
[storage]
index_dir = "index"
archive_dir = "archive"

[[sites]]
name = "ben-nghe"
title = "Phường Bến Nghé"
start_urls = ["{BASE}/"]
""", encoding="utf-8")
    return load_config(path)


@pytest.fixture
def archive(config) -> WarcArchive:
    return WarcArchive(config.storage.archive_dir)


def cleanup_page(extra: str = "") -> str:
    paragraphs = CLEANUP_PARAGRAPHS + ([extra] if extra else [])
    return ward_article("Phường ra quân dọn dẹp vệ sinh môi trường", paragraphs)


def meeting_page() -> str:
    return ward_article("Hội nghị tiếp xúc cử tri quý I", MEETING_TEXT, date_line="Thứ ba, 14/03/2023")


def stored(config, url: str):
    with open_writer(config.storage.index_dir) as writer:
        return writer.get(document_id(url))


def found_ids(config, query: str) -> list[str]:
    searcher = Searcher(config.storage.index_dir)
    try:
        return [r.id for r in searcher.search(SearchRequest.from_params({"q": query})).results]
    finally:
        searcher.close()


def all_documents(config) -> dict[str, object]:
    searcher = Searcher(config.storage.index_dir)
    try:
        request = SearchRequest.from_params({"q": "", "per_page": "100", "site": "ben-nghe"})
        response = searcher.search(request)
        return {r.id: searcher.document(r.id) for r in response.results}
    finally:
        searcher.close()


def test_update_indexes_articles_and_skips_listings(config, archive):
    listing = ward_listing([(f"Tin số {i} về hoạt động của phường trong tháng", f"/tin/{i}.html",
                             "Tóm tắt ngắn của bản tin.") for i in range(8)])
    archive.write([page(f"{BASE}/", listing), page(CLEANUP, cleanup_page()), page(MEETING, meeting_page()),
                   status(f"{BASE}/cu.html", 301)])

    summary = update_index(config)

    assert (summary.added, summary.skipped, summary.errors) == (2, 2, 0)
    document = stored(config, CLEANUP)
    assert document.title == "Phường ra quân dọn dẹp vệ sinh môi trường"
    assert document.site == "ben-nghe" and document.url == CLEANUP
    assert document.date.isoformat() == "2023-03-16"
    assert "3 tấn rác thải" in document.text and "Tin liên quan" not in document.text
    assert [c.status for c in document.captures] == [200]
    assert found_ids(config, "tiếp xúc cử tri") == [document_id(MEETING)]
    assert stored(config, f"{BASE}/") is None


def test_second_update_reads_only_new_records(config, archive):
    archive.write([page(CLEANUP, cleanup_page())])
    update_index(config)

    again = update_index(config)

    assert (again.records, again.added, again.updated) == (0, 0, 0)
    archive.write([page(MEETING, meeting_page())])
    third = update_index(config)
    assert (third.records, third.added) == (1, 1)
    assert len(stored(config, CLEANUP).captures) == 1


def test_changed_page_updates_the_document_and_keeps_both_captures(config, archive):
    first = archive.write([page(CLEANUP, cleanup_page())])
    update_index(config)
    archive.write([page(CLEANUP, cleanup_page("Cập nhật: phường sẽ duy trì hoạt động này vào mỗi tháng."))])

    summary = update_index(config)

    assert summary.updated == 1
    document = stored(config, CLEANUP)
    assert "duy trì hoạt động này vào mỗi tháng" in document.text
    assert [c.warc_file for c in document.captures] == [first.path.name, document.captures[1].warc_file]
    assert document.captures[0].fetched_at < document.captures[1].fetched_at
    assert document.content_capture == document.captures[1]
    assert found_ids(config, "duy trì hoạt động") == [document_id(CLEANUP)]


def test_not_modified_and_identical_revisits_append_captures(config, archive):
    archive.write([page(CLEANUP, cleanup_page())])
    update_index(config)
    body = cleanup_page().encode()
    archive.write([not_modified(CLEANUP), identical(CLEANUP, body, "2026-01-05T08:01:00Z")])

    summary = update_index(config)

    document = stored(config, CLEANUP)
    assert summary.updated == 1
    assert [(c.status, c.kind) for c in document.captures] == [(200, "response"), (304, "revisit"),
                                                               (200, "revisit")]
    assert document.content_capture == document.captures[0]
    assert "3 tấn rác thải" in document.text and not document.gone


def test_gone_page_stays_searchable_and_comes_back(config, archive):
    archive.write([page(CLEANUP, cleanup_page()), page(MEETING, meeting_page())])
    update_index(config)
    archive.write([status(CLEANUP, 404)])

    summary = update_index(config)

    assert summary.gone == 1
    document = stored(config, CLEANUP)
    assert document.gone and [c.status for c in document.captures] == [200, 404]
    assert document_id(CLEANUP) in found_ids(config, "ra quân dọn dẹp")
    archive.write([not_modified(CLEANUP)])
    update_index(config)
    assert not stored(config, CLEANUP).gone


def test_non_article_answer_keeps_the_existing_document(config, archive):
    archive.write([page(CLEANUP, cleanup_page())])
    update_index(config)
    soft_error = "<html><head><title>Lỗi</title></head><body><p>Không tìm thấy trang.</p></body></html>"
    archive.write([page(CLEANUP, soft_error), page(f"{BASE}/anh.jpg", b"\xff\xd8\xff\xe0binary",
                                                     headers=(("Content-Type", "image/jpeg"),))])

    summary = update_index(config)

    assert summary.skipped == 1 and summary.unchanged == 1
    document = stored(config, CLEANUP)
    assert "3 tấn rác thải" in document.text and len(document.captures) == 1


def test_gone_before_first_article_capture_is_not_recorded(config, archive):
    archive.write([status(MEETING, 404)])
    assert update_index(config).skipped == 1
    archive.write([page(MEETING, meeting_page())])
    update_index(config)
    assert [c.status for c in stored(config, MEETING).captures] == [200]


def test_rebuild_gives_the_same_documents_as_updates(config, archive):
    archive.write([page(CLEANUP, cleanup_page()), page(MEETING, meeting_page())])
    update_index(config)
    archive.write([not_modified(CLEANUP), page(MEETING, meeting_page().replace("quý I", "quý I năm 2023"))])
    update_index(config)
    archive.write([status(CLEANUP, 410), status(f"{BASE}/khong-co.html", 404)])
    update_index(config)
    incremental = all_documents(config)

    summary = rebuild_index(config)

    assert summary.added == 2
    assert all_documents(config) == incremental
    assert incremental[document_id(MEETING)].title == "Hội nghị tiếp xúc cử tri quý I năm 2023"
    assert incremental[document_id(CLEANUP)].gone


def test_rerun_without_checkpoint_creates_no_duplicates(config, archive):
    """A kill between the commit and the checkpoint: the next run reads the same records again."""
    archive.write([page(CLEANUP, cleanup_page()), not_modified(CLEANUP), page(MEETING, meeting_page())])
    update_index(config)
    before = all_documents(config)
    with open_writer(config.storage.index_dir) as writer:
        assert writer.checkpoint[CHECKPOINT_KEY]
        writer.checkpoint = {}

    summary = update_index(config)

    assert (summary.records, summary.added, summary.updated, summary.unchanged) == (3, 0, 0, 2)
    assert all_documents(config) == before
    assert len(found_ids(config, "ra quân dọn dẹp")) == 1


def test_summary_reads_as_one_line():
    text = str(IndexSummary(added=2, gone=1, records=7))
    assert text.startswith("added 2, updated 0, gone 1") and "7 records" in text


def test_rebuild_with_a_pool_of_extractors_matches(config, archive):
    archive.write([page(CLEANUP, cleanup_page()), page(MEETING, meeting_page()), status(CLEANUP, 404)])
    rebuild_index(config, workers=1)
    single = all_documents(config)

    rebuild_index(config, workers=2)

    assert all_documents(config) == single and len(single) == 2


def test_records_without_site_header_take_the_site_serving_their_host(config, archive):
    archive.write([page(CLEANUP, cleanup_page(), site="")])
    update_index(config)
    assert stored(config, CLEANUP).site == "ben-nghe"


def test_pages_met_again_in_later_windows_keep_every_capture(config, archive, monkeypatch):
    """Small windows, and pages already handed to Whoosh (not committed) when a later window reads them."""
    monkeypatch.setattr(pipeline, "BATCH_RECORDS", 2)
    monkeypatch.setattr(pipeline, "WINDOW_RECORDS", 3)
    write_through(monkeypatch)
    urls = [f"{BASE}/tin-tuc/bai-{i}.html" for i in range(4)]
    archive.write([page(url, ward_article(f"Bài số {i} về môi trường", CLEANUP_PARAGRAPHS))
                   for i, url in enumerate(urls)])
    archive.write([not_modified(url) for url in urls] + [status(urls[0], 404)])

    for build in (update_index, rebuild_index):
        summary = build(config)
        assert summary.records == 9 and summary.added == 4
        with open_writer(config.storage.index_dir) as writer:
            documents = [writer.get(document_id(url)) for url in urls]
        assert [len(d.captures) for d in documents] == [3, 2, 2, 2]
        assert [d.gone for d in documents] == [True, False, False, False]


def test_an_attachment_archived_before_its_article_is_linked_and_unlinked(config, archive):
    """Links come from the article's HTML, whichever record was archived first; a rebuild agrees."""
    pdf_url = f"{BASE}/van-ban/qd-123.pdf"
    link = '<a href="/van-ban/qd-123.pdf">Quyết định 123/QĐ-UBND</a>'
    archive.write([page(pdf_url, decision_pdf(), headers=(("Content-Type", "application/pdf"),))])
    update_index(config)
    assert stored(config, pdf_url).linked_from == []
    archive.write([page(CLEANUP, cleanup_page(f"Văn bản kèm theo: {link}."))])

    update_index(config)

    attachment, article = stored(config, pdf_url), stored(config, CLEANUP)
    assert [(a.url, a.title, a.file_type) for a in article.attachments] == [
        (pdf_url, "Quyết định 123/QĐ-UBND", "pdf")]
    assert attachment.linked_from == [LinkedFrom(id=document_id(CLEANUP), text="Quyết định 123/QĐ-UBND")]
    assert attachment.kind == "attachment" and attachment.file.number == "123/QĐ-UBND"
    archive.write([page(CLEANUP, cleanup_page("Văn bản đã được thay thế."))])
    update_index(config)
    assert stored(config, pdf_url).linked_from == [] and stored(config, CLEANUP).attachments == []
    incremental = all_documents(config)

    rebuild_index(config)

    assert all_documents(config) == incremental and len(incremental) == 2


def test_a_lead_without_its_year_is_dated_by_the_capture_not_by_the_rebuild(config):
    """"Sáng 16/3, ..." captured in March 2024 is 16 March 2024, whenever the archive is indexed again."""
    archive = WarcArchive(config.storage.archive_dir, start=datetime(2024, 3, 20, 1, 0, tzinfo=UTC))
    lead = [f"Sáng 16/3, {CLEANUP_PARAGRAPHS[1]}", *CLEANUP_PARAGRAPHS[1:]]
    archive.write([page(CLEANUP, ward_article("Phường ra quân dọn dẹp vệ sinh", lead, date_line=""))])
    for index in (update_index, rebuild_index):
        index(config)
        with open_writer(config.storage.index_dir) as writer:
            stored = writer.get(document_id(CLEANUP))
        assert (stored.date, stored.date_source) == (date(2024, 3, 16), "body")
