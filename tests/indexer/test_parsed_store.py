"""The attachment parse store: a parse is reused only for the same bytes, limits and parsing code, and a
store that cannot be used never stops extraction."""

from __future__ import annotations

import logging

import pytest

from indexer.extract.attachments import Limits, extract_attachment, keep_parses_in
from indexer.extract.attachments.parsed_store import ParsedStore, parser_version
from indexer.extract.attachments.sandbox import Parsed, Sandbox
from tests import office_files
from tests.office_files import DECISION_NUMBER

PDF_TYPE = "application/pdf"


@pytest.fixture(scope="module")
def decision() -> tuple[bytes, Parsed]:
    data = office_files.decision_pdf()
    sandbox = Sandbox()
    try:
        return data, sandbox.parse("pdf", data, Limits())
    finally:
        sandbox.close()


def test_a_kept_parse_is_found_again_only_for_the_same_bytes_and_limits(tmp_path, decision):
    data, parsed = decision
    store = ParsedStore(tmp_path / "parsed.sqlite")
    store.put("pdf", data, Limits(), parsed)
    store.close()

    again = ParsedStore(tmp_path / "parsed.sqlite")
    assert again.get("pdf", data, Limits()) == parsed and DECISION_NUMBER in parsed.text
    assert again.get("pdf", data + b"\n", Limits()) is None
    assert again.get("pdf", data, Limits(pages=1)) is None
    assert again.get("docx", data, Limits()) is None


def test_a_reason_is_kept_but_a_parse_cut_short_is_not(tmp_path):
    store = ParsedStore(tmp_path / "parsed.sqlite")
    store.put("pdf", b"locked", Limits(), Parsed(reason="encrypted: a password is needed", pages=None))
    store.put("pdf", b"slow", Limits(), Parsed(reason="time limit: no answer in 30 s", retry=True))

    assert store.get("pdf", b"locked", Limits()).reason.startswith("encrypted")
    assert store.get("pdf", b"slow", Limits()) is None


def test_parses_of_another_parser_version_are_dropped(tmp_path):
    old = ParsedStore(tmp_path / "parsed.sqlite", version="old")
    old.put("pdf", b"x", Limits(), Parsed(text="cũ", pages=1))
    old.close()

    assert ParsedStore(tmp_path / "parsed.sqlite", version="new").get("pdf", b"x", Limits()) is None
    assert ParsedStore(tmp_path / "parsed.sqlite", version="old").get("pdf", b"x", Limits()) is None
    assert len(parser_version()) == 16 and parser_version() not in ("old", "new")


def test_a_damaged_store_is_replaced(tmp_path, caplog):
    path = tmp_path / "parsed.sqlite"
    path.write_bytes(b"not a database at all, " * 100)

    with caplog.at_level(logging.WARNING):
        store = ParsedStore(path)
        store.put("pdf", b"x", Limits(), Parsed(text="mới", pages=1))

    assert store.get("pdf", b"x", Limits()).text == "mới"
    assert "unreadable" in caplog.text


def test_extraction_goes_on_without_a_store_it_cannot_open(tmp_path, caplog, decision):
    data, _ = decision
    (tmp_path / "parsed.sqlite").mkdir()            # a directory where the file should be
    with caplog.at_level(logging.WARNING):
        keep_parses_in(tmp_path / "parsed.sqlite")
        try:
            found = extract_attachment(data, "https://phuong.example.vn/qd.pdf", PDF_TYPE)
        finally:
            keep_parses_in(None)

    assert found.number == DECISION_NUMBER
    assert "attachment parse store" in caplog.text and "off" in caplog.text


def test_extraction_takes_a_kept_parse_instead_of_parsing(tmp_path, monkeypatch, decision):
    data, parsed = decision
    keep_parses_in(tmp_path / "parsed.sqlite")
    try:
        first = extract_attachment(data, "https://phuong.example.vn/qd.pdf", PDF_TYPE)
        monkeypatch.setattr(Sandbox, "parse", lambda *args: pytest.fail("parsed again"))
        second = extract_attachment(data, "https://phuong.example.vn/qd.pdf", PDF_TYPE)
    finally:
        keep_parses_in(None)

    assert first == second and first.number == DECISION_NUMBER
