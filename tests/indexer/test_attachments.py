"""Attachments to text: real PDFs and DOCX generated here, and hostile files that must give "no text"."""

from __future__ import annotations

import multiprocessing
from datetime import date

import pytest

from indexer.extract import attachments
from indexer.extract.attachments import Limits, extract_attachment
from indexer.extract.attachments.first_page import read_first_page
from indexer.extract.attachments.sandbox import Sandbox
from tests import office_files
from tests.office_files import DECISION_NUMBER, DECISION_PARAGRAPHS, DECISION_SUBJECT, DECISION_TITLE
from tests.wardsite.assets import SIGNATURES

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def decision_pdf() -> bytes:
    return office_files.decision_pdf()


def test_a_pdf_gives_its_text_number_date_and_title(decision_pdf):
    found = extract_attachment(decision_pdf, "https://phuong.example.vn/van-ban/qd-123.pdf", PDF_TYPE)

    assert (found.file_type, found.text_layer, found.pages, found.reason) == ("pdf", True, 2, None)
    assert (found.number, found.date) == (DECISION_NUMBER, date(2023, 3, 16))
    assert found.title == f"{DECISION_TITLE} {DECISION_SUBJECT}"
    assert found.size == len(decision_pdf)
    for paragraph in DECISION_PARAGRAPHS:         # wrapped lines joined back: every sentence is one line
        assert paragraph in found.text.split("\n\n")


def test_a_docx_gives_its_paragraphs_number_date_and_title():
    data = office_files.decision_docx()
    found = extract_attachment(data, "https://phuong.example.vn/files/ke-hoach", DOCX_TYPE)

    assert (found.file_type, found.text_layer, found.number) == ("docx", True, DECISION_NUMBER)
    assert found.date == date(2023, 3, 16) and found.title.startswith("QUYẾT ĐỊNH Về việc ban hành")
    assert found.text.split("\n\n")[-1] == DECISION_PARAGRAPHS[-1]


def test_a_scanned_pdf_is_listed_without_a_text_layer():
    found = extract_attachment(office_files.scanned_pdf(), "https://phuong.example.vn/scan.pdf", PDF_TYPE)
    assert (found.file_type, found.text_layer, found.text, found.pages) == ("pdf", False, "", 1)
    assert "no text layer" in found.reason


@pytest.mark.parametrize(("make", "url", "reason"), [
    (office_files.encrypted_pdf, "https://x.vn/mat.pdf", "encrypted"),
    (office_files.truncated_docx, "https://x.vn/hong.docx", "BadZipFile"),
    (office_files.bomb_docx, "https://x.vn/bom.docx", "unpacks to"),
])
def test_hostile_files_give_no_text_and_a_reason(make, url, reason):
    found = extract_attachment(make(), url, None)
    assert not found.text_layer and found.text == "" and reason in found.reason


def test_a_decompression_bomb_gives_no_text():
    found = extract_attachment(office_files.bomb_pdf(), "https://x.vn/bom.pdf", PDF_TYPE)
    assert (found.text_layer, found.text) == (False, "") and found.reason


def test_a_parser_over_its_time_limit_is_killed_and_the_next_file_still_parses(decision_pdf):
    found = extract_attachment(office_files.many_pages_pdf(), "https://x.vn/dai.pdf", PDF_TYPE,
                               Limits(seconds=0.5))
    assert not found.text_layer and found.reason.startswith("time limit")

    assert extract_attachment(decision_pdf, "https://x.vn/qd.pdf", PDF_TYPE).number == DECISION_NUMBER


def test_a_parser_over_its_memory_limit_gives_a_reason_and_the_next_file_still_parses(decision_pdf):
    sandbox = Sandbox()          # a fresh parser process: 20 MB is not even enough to load pypdf
    try:
        starved = sandbox.parse("pdf", decision_pdf, Limits(memory_bytes=20_000_000))
        fed = sandbox.parse("pdf", decision_pdf, Limits())
    finally:
        sandbox.close()
    assert starved.text == "" and starved.reason
    assert fed.reason is None and DECISION_NUMBER in fed.text


def test_page_and_character_caps_bound_the_text():
    pages = [[f"Trang {n}: danh sách hộ dân khu phố {n} được hỗ trợ."] for n in range(1, 13)]
    data = office_files.text_pdf(pages)
    few_pages = extract_attachment(data, "https://x.vn/ds.pdf", PDF_TYPE, Limits(pages=3))
    few_chars = extract_attachment(data, "https://x.vn/ds.pdf", PDF_TYPE, Limits(chars=60))

    assert few_pages.pages == 12 and "Trang 3:" in few_pages.text and "Trang 4:" not in few_pages.text
    assert len(few_chars.text) < 70 and "Trang 3" not in few_chars.text   # 60 + paragraph breaks


@pytest.mark.parametrize("suffix", [".doc", ".xls", ".xlsx"])
def test_other_office_formats_are_listed_without_text(suffix):
    body = SIGNATURES[suffix] + b"placeholder"
    found = extract_attachment(body, f"https://x.vn/danh-sach{suffix}", "application/octet-stream")
    assert (found.file_type, found.text_layer, found.size) == (suffix[1:], False, len(body))
    assert "without text" in found.reason


def test_responses_that_are_not_documents_are_not_attachments():
    error_page = "<html><p>Trang lỗi</p></html>".encode()
    assert extract_attachment(error_page, "https://x.vn/qd.pdf", "text/html") is None
    assert extract_attachment(b"\x89PNG\r\n", "https://x.vn/anh.png", "image/png") is None


def test_first_page_facts_and_what_is_not_one():
    page = read_first_page("UBND PHƯỜNG 1\nSố: 45/2023/KH-UBND\nV/v tổ chức tiêm chủng mở rộng\n"
                           "Phường 1, ngày 31 tháng 2 năm 2023\nngày 2 tháng 3 năm 2023\n")
    assert (page.number, page.date, page.title) == ("45/2023/KH-UBND", date(2023, 3, 2),
                                                    "V/v tổ chức tiêm chủng mở rộng")
    assert read_first_page("Một đoạn văn không có số hiệu, không có ngày tháng.") == type(page)()


def _parse_in_forked_worker(data: bytes) -> tuple[int, str | None]:
    found = extract_attachment(data, "https://x.vn/qd.pdf", PDF_TYPE)
    return attachments._sandbox._child.pid, found.number


def test_a_forked_worker_parses_in_a_sandbox_of_its_own_and_leaves_its_parents_alone(decision_pdf):
    """Rebuilds fork their extraction workers: sharing the parent's parser process would mix answers."""
    assert extract_attachment(decision_pdf, "https://x.vn/qd.pdf", PDF_TYPE).number == DECISION_NUMBER
    parents = attachments._sandbox._child.pid

    pool = multiprocessing.get_context("fork").Pool(2)
    answers = pool.map(_parse_in_forked_worker, [decision_pdf] * 4, chunksize=1)
    pool.close()
    pool.join()                                    # the workers end, and their sandboxes with them

    assert {number for _, number in answers} == {DECISION_NUMBER}
    assert parents not in {pid for pid, _ in answers}
    assert extract_attachment(decision_pdf, "https://x.vn/qd.pdf", PDF_TYPE).number == DECISION_NUMBER
    assert attachments._sandbox._child.pid == parents and attachments._sandbox._child.poll() is None
