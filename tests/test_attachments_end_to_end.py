"""Attachments from a real crawl to the JSON API: a ward article links a decision (PDF), a scan, a plan
(DOCX), a spreadsheet, a locked PDF and a broken DOCX; all are archived, indexed and found."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from functools import cache
from pathlib import Path, PurePosixPath

import pytest
from bs4 import BeautifulSoup

from indexer.document import document_id
from indexer.extract.attachments.parsed_store import remove as remove_store
from indexer.extract.attachments.sandbox import Sandbox
from indexer.search import Searcher, SearchRequest
from indexer.writing.pipeline import parsed_store, rebuild_index, update_index
from tests import office_files
from tests.crawler.conftest import make_config, run_crawl
from tests.office_files import DECISION_NUMBER
from tests.sites import TestSite
from tests.warc_builder import CLEANUP_PARAGRAPHS, ward_article
from tests.wardsite.assets import SIGNATURES
from tinphuong.config import parse_config
from webui import create_app

ARTICLE = "/tin-tuc/ra-quan-ve-sinh.html"
PLAN = ["ỦY BAN NHÂN DÂN PHƯỜNG BẾN NGHÉ", "Số: 12/KH-UBND", "Bến Nghé, ngày 2 tháng 3 năm 2023", "KẾ HOẠCH",
        "Về việc tuyên truyền phòng cháy chữa cháy tại khu dân cư",
        "Tổ chức tuyên truyền phòng cháy chữa cháy đến từng hộ gia đình trong các khu phố."]
DECISION = cache(office_files.decision_pdf)
FILES = {   # path: (link text, content type, bytes)
    "/van-ban/qd-123.pdf": ("Quyết định 123/QĐ-UBND", "application/pdf", DECISION),
    "/van-ban/scan-45.pdf": ("Thông báo 45/TB-UBND (bản scan)", "application/pdf", office_files.scanned_pdf),
    "/van-ban/ke-hoach.docx": ("Kế hoạch thực hiện", "application/vnd.openxmlformats-officedocument."
                               "wordprocessingml.document", lambda: office_files.decision_docx(PLAN)),
    "/van-ban/danh-sach.xls": ("Danh sách hộ tham gia", "application/vnd.ms-excel",
                               lambda: SIGNATURES[".xls"] + b"placeholder"),
    "/van-ban/mat.pdf": ("Văn bản có mật khẩu", "application/pdf", office_files.encrypted_pdf),
    "/van-ban/hong.docx": ("Tệp hỏng", "application/vnd.openxmlformats-officedocument.wordprocessingml."
                           "document", office_files.truncated_docx),
    "/tai-lieu/ban-sao.pdf": ("Bản sao quyết định", "application/pdf", DECISION),   # archived as a copy
}


def article_html() -> str:
    links = "".join(f'<li><a href="{path}">{text}</a></li>' for path, (text, _, _) in FILES.items())
    paragraphs = [*CLEANUP_PARAGRAPHS, f"Văn bản kèm theo:</p><ul>{links}</ul><p>Phường kêu gọi người dân "
                  "cùng tham gia giữ gìn vệ sinh chung."]
    return ward_article("Phường ra quân dọn dẹp vệ sinh môi trường", paragraphs)


@pytest.fixture(scope="module")
def ward(tmp_path_factory):
    """The ward site crawled (pages, requisites, attachments) and indexed; the servers are stopped after."""
    tmp_path = tmp_path_factory.mktemp("attachments")
    with TestSite() as site:
        site.route("/", f'<html><body><h1>Phường</h1><a href="{ARTICLE}">Ra quân</a></body></html>')
        site.route(ARTICLE, article_html())
        for path, (_, content_type, make) in FILES.items():
            site.route(path, make(), content_type=content_type)
        config = make_config(tmp_path, site)
        run_crawl(config)
        summary = update_index(config)
        return config, site.url, summary


@pytest.fixture(scope="module")
def client(ward):
    config, _, _ = ward
    return create_app(config, test_config={"TESTING": True}).test_client()


def search(client, query: str) -> list[dict]:
    answer = client.get("/api/search", query_string={"q": query})
    assert answer.status_code == 200
    return answer.get_json()["results"]


def test_every_file_is_archived_and_indexed_as_a_document_of_its_own(ward):
    _, _, summary = ward
    assert (summary.added, summary.errors) == (1 + len(FILES), 0)


def test_the_decision_is_found_by_its_number_and_by_a_phrase_of_its_text(ward, client):
    _, url, _ = ward
    decision = document_id(url("/van-ban/qd-123.pdf"))
    copies = {decision, document_id(url("/tai-lieu/ban-sao.pdf"))}     # the same file under two URLs
    # search lists one copy of the file; the document names the other as its copy
    by_number = search(client, DECISION_NUMBER)[0]["id"]
    by_phrase = [r["id"] for r in search(client, '"khơi thông cống rãnh và phát quang bụi rậm"')]
    assert by_number in copies and len(by_phrase) == 1 and by_phrase[0] in copies
    named = client.get(f"/api/doc/{by_number}").get_json()["copies"]
    assert [c["id"] for c in named] == sorted(copies - {by_number})
    plan = search(client, "tuyen truyen phong chay den tung ho gia dinh")[0]
    assert plan["id"] == document_id(url("/van-ban/ke-hoach.docx")) and plan["date"] == "2023-03-02"

    doc = client.get(f"/api/doc/{decision}").get_json()
    assert doc["kind"] == "attachment" and doc["date"] == "2023-03-16"
    assert doc["title"].startswith("QUYẾT ĐỊNH Về việc ban hành Kế hoạch ra quân")
    assert doc["file"]["file_type"] == "pdf" and doc["file"]["number"] == DECISION_NUMBER
    assert doc["file"]["text_layer"] is True and doc["file"]["pages"] == 2
    assert [(a["id"], a["link_text"], a["title"]) for a in doc["linked_from"]] == [
        (document_id(url(ARTICLE)), "Quyết định 123/QĐ-UBND", "Phường ra quân dọn dẹp vệ sinh môi trường")]


def test_the_article_lists_its_attachments(ward, client):
    _, url, _ = ward
    doc = client.get(f"/api/doc/{document_id(url(ARTICLE))}").get_json()
    listed = {a["url"]: a for a in doc["attachments"]}
    assert doc["kind"] == "article" and list(listed) == [url(path) for path in FILES]
    decision, scan = listed[url("/van-ban/qd-123.pdf")], listed[url("/van-ban/scan-45.pdf")]
    assert (decision["title"], decision["file_type"], decision["text_layer"], decision["archived"]) == (
        "Quyết định 123/QĐ-UBND", "pdf", True, True)
    assert decision["size"] == len(DECISION())
    assert (scan["text_layer"], scan["archived"]) == (False, True)
    assert [listed[url(p)]["text_layer"] for p in ("/van-ban/danh-sach.xls", "/van-ban/mat.pdf",
                                                   "/van-ban/hong.docx")] == [False, False, False]
    assert [listed[url(p)]["no_text"] for p in FILES] == [
        None, "scan", None, "format", "unreadable", "unreadable", None]
    assert listed[url("/van-ban/ke-hoach.docx")]["file_type"] == "docx"


def test_a_file_archived_as_a_copy_of_another_url_is_a_document_with_the_same_content(ward, client):
    _, url, _ = ward
    copy = client.get(f"/api/doc/{document_id(url('/tai-lieu/ban-sao.pdf'))}").get_json()
    original = client.get(f"/api/doc/{document_id(url('/van-ban/qd-123.pdf'))}").get_json()
    assert [c["kind"] for c in copy["captures"]] == ["revisit"]
    same = ("text", "title", "file")
    assert [copy[key] for key in same] == [original[key] for key in same]
    assert copy["linked_from"][0]["link_text"] == "Bản sao quyết định"


def test_a_scan_is_listed_without_text_and_found_by_its_link_text_and_number(ward, client):
    _, url, _ = ward
    scan = document_id(url("/van-ban/scan-45.pdf"))
    doc = client.get(f"/api/doc/{scan}").get_json()
    assert doc["text"] == "" and doc["file"]["text_layer"] is False
    assert "no text layer" in doc["file"]["reason"]
    assert doc["title"] == "Thông báo 45/TB-UBND (bản scan)"
    assert search(client, "45/TB-UBND")[0]["id"] == scan


def test_hostile_files_are_listed_with_their_reason(ward, client):
    _, url, _ = ward
    locked = client.get(f"/api/doc/{document_id(url('/van-ban/mat.pdf'))}").get_json()
    broken = client.get(f"/api/doc/{document_id(url('/van-ban/hong.docx'))}").get_json()
    assert "encrypted" in locked["file"]["reason"] and "BadZipFile" in broken["file"]["reason"]
    assert locked["title"] == "Văn bản có mật khẩu" and broken["text"] == ""


def test_a_rebuild_gives_the_same_documents(ward):
    config, url, _ = ward
    ids = [document_id(url(path)) for path in [ARTICLE, *FILES]]
    before = documents(config, ids)

    summary = rebuild_index(config, workers=2)

    assert summary.added == len(ids) and documents(config, ids) == before


def test_a_rebuild_parses_only_the_files_no_run_parsed_before(ward, monkeypatch):
    """The update kept its parses: a rebuild reuses them, and parses again only the files that failed (the
    locked PDF, the broken DOCX: a failure may be the machine's); without the store, a rebuild (two
    extraction processes) parses every text file and keeps the parses; the documents stay the same."""
    config, url, _ = ward
    ids = [document_id(url(path)) for path in [ARTICLE, *FILES]]
    before = documents(config, ids)
    parsed: list[str] = []
    parse = Sandbox.parse
    monkeypatch.setattr(Sandbox, "parse", lambda self, file_format, *rest: parsed.append(file_format) or
                        parse(self, file_format, *rest))

    rebuild_index(config, workers=1)
    assert sorted(parsed) == ["docx", "pdf"] and documents(config, ids) == before

    remove_store(parsed_store(config))
    rebuild_index(config, workers=2)
    with closing(sqlite3.connect(parsed_store(config))) as db:    # the decision, the scan, the plan
        assert db.execute("SELECT count(*) FROM parsed").fetchone() == (3,)
    assert documents(config, ids) == before

    parsed.clear()
    rebuild_index(config, workers=1)
    assert sorted(parsed) == ["docx", "pdf"] and documents(config, ids) == before


def documents(config, ids: list[str]) -> dict:
    searcher = Searcher(config.storage.index_dir)
    try:
        assert searcher.search(SearchRequest.from_params({"q": "phường"})).total >= 1
        return {doc_id: replace(searcher.document(doc_id)) for doc_id in ids}
    finally:
        searcher.close()


def test_the_archive_alone_links_articles_and_files(ward, tmp_path: Path):
    """The crawl state is not needed: a copy of the WARC files alone indexes to the same links."""
    config, url, _ = ward
    copy = parse_config({"storage": {"archive_dir": "archive", "index_dir": "index"},
                         "sites": [{"name": "site-0", "title": "Phường", "start_urls": [url("/")]}]},
                        tmp_path / "config.toml")
    (copy.storage.archive_dir / "warc").mkdir(parents=True)
    for warc in (config.storage.archive_dir / "warc").glob("*.warc.gz"):
        (copy.storage.archive_dir / "warc" / warc.name).write_bytes(warc.read_bytes())
    update_index(copy)
    article = documents(copy, [document_id(url(ARTICLE))])[document_id(url(ARTICLE))]
    assert [link.url for link in article.attachments] == [url(path) for path in FILES]


def test_the_pages_of_an_attachment_show_it_and_never_render_the_file_as_html(ward, client):
    _, url, _ = ward
    doc_id = document_id(url("/van-ban/qd-123.pdf"))
    page = client.get(f"/doc/{doc_id}").get_data(as_text=True)
    assert "QUYẾT ĐỊNH Về việc ban hành Kế hoạch ra quân" in page and "khơi thông cống rãnh" in page
    raw = client.get(f"/doc/{doc_id}/archive/raw")
    assert raw.mimetype == "text/html" and "application/pdf" in raw.get_data(as_text=True)
    assert b"%PDF" not in raw.data


def test_the_document_pages_link_files_articles_and_copies(ward, client):
    """The article's page lists its files (those not read say why); a file's page names the article that
    links it and the other address it was archived under; similar articles never repeat a copy."""
    _, url, _ = ward
    article = document_id(url(ARTICLE))
    article_page = BeautifulSoup(client.get(f"/doc/{article}").get_data(as_text=True), "lxml")
    files = article_page.select("section.attachments li")
    assert [li.a["href"] if li.a else None for li in files] == [
        f"/doc/{document_id(url(path))}" for path in FILES]
    scan = files[list(FILES).index("/van-ban/scan-45.pdf")]
    assert scan.a.get_text() == "Thông báo 45/TB-UBND (bản scan)" and "bản quét" in scan.get_text()
    assert [li.select_one(".hint").get_text().split(" — ")[0] for li in files] == [
        PurePosixPath(path).suffix[1:].upper() for path in FILES]
    notes = {path: li.get_text(" ", strip=True).rpartition(" — ")[2]
             for path, li in zip(FILES, files, strict=True)}
    assert notes["/van-ban/danh-sach.xls"] == "không trích chữ từ loại tệp này"
    assert notes["/van-ban/mat.pdf"] == notes["/van-ban/hong.docx"] == \
        "không đọc được chữ (tệp bị khóa hoặc hỏng)"
    assert "bản quét" not in " ".join(note for path, note in notes.items() if path != "/van-ban/scan-45.pdf")

    decision, copy = document_id(url("/van-ban/qd-123.pdf")), document_id(url("/tai-lieu/ban-sao.pdf"))
    file_page = BeautifulSoup(client.get(f"/doc/{decision}").get_data(as_text=True), "lxml")
    assert [a["href"] for a in file_page.select("section.linked-from a")] == [f"/doc/{article}"]
    assert [a["href"] for a in file_page.select("section.copies a")] == [f"/doc/{copy}"]
    assert f"/doc/{copy}" not in {a["href"] for a in file_page.select("section.similar a")}
