"""The attachment parse store: a parse is reused only for the same bytes, limits and parsing code, and a
store that cannot be used never stops extraction."""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing

import pytest

from indexer.extract.attachments import Limits, extract_attachment, keep_parses_in, parsed_store
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


def test_only_parses_that_succeeded_are_kept(tmp_path):
    """A failure may come from the machine (time, memory, a missing optional library): tried again."""
    store = ParsedStore(tmp_path / "parsed.sqlite")
    store.put("pdf", b"scan", Limits(), Parsed(text="", pages=3))
    store.put("pdf", b"locked", Limits(), Parsed(reason="DependencyError: cryptography>=3.1 is required"))
    store.put("pdf", b"slow", Limits(), Parsed(reason="time limit: no answer in 30 s"))

    assert store.get("pdf", b"scan", Limits()) == Parsed(text="", pages=3)
    assert store.get("pdf", b"locked", Limits()) is None and store.get("pdf", b"slow", Limits()) is None


def test_parses_of_another_parser_version_are_dropped(tmp_path):
    old = ParsedStore(tmp_path / "parsed.sqlite", version="old")
    old.put("pdf", b"x", Limits(), Parsed(text="cũ", pages=1))
    old.close()

    assert ParsedStore(tmp_path / "parsed.sqlite", version="new").get("pdf", b"x", Limits()) is None
    assert ParsedStore(tmp_path / "parsed.sqlite", version="old").get("pdf", b"x", Limits()) is None


def test_the_version_follows_the_libraries_the_parsers_use(monkeypatch):
    current = parser_version()
    installed = parsed_store.metadata.version
    monkeypatch.setattr(parsed_store.metadata, "version",
                        lambda name: "9.9.9" if name == "pypdf" else installed(name))
    parser_version.cache_clear()
    try:
        assert parser_version() != current
    finally:
        monkeypatch.undo()
        parser_version.cache_clear()
    assert parser_version() == current


def test_a_damaged_store_is_replaced(tmp_path, caplog):
    path = tmp_path / "parsed.sqlite"
    path.write_bytes(b"not a database at all, " * 100)

    with caplog.at_level(logging.WARNING):
        store = ParsedStore(path)
        store.put("pdf", b"x", Limits(), Parsed(text="mới", pages=1))

    assert store.get("pdf", b"x", Limits()).text == "mới"
    assert "unreadable" in caplog.text


def test_a_table_of_an_older_layout_is_replaced(tmp_path):
    with closing(sqlite3.connect(tmp_path / "parsed.sqlite")) as db:
        db.execute("CREATE TABLE parsed (key TEXT PRIMARY KEY, version TEXT, text BLOB, pages INTEGER, "
                   "reason TEXT)")
        db.commit()

    store = ParsedStore(tmp_path / "parsed.sqlite")
    store.put("pdf", b"x", Limits(), Parsed(text="mới", pages=1))

    assert store.get("pdf", b"x", Limits()).text == "mới"


def test_a_damaged_row_turns_the_store_off_and_is_not_served(tmp_path, caplog):
    store = ParsedStore(tmp_path / "parsed.sqlite")
    store.put("pdf", b"x", Limits(), Parsed(text="mới", pages=1))
    with closing(sqlite3.connect(tmp_path / "parsed.sqlite")) as db:
        db.execute("UPDATE parsed SET text = x'00ff00ff'")
        db.commit()

    with caplog.at_level(logging.WARNING):
        assert store.get("pdf", b"x", Limits()) is None
    assert "off" in caplog.text and store.get("pdf", b"x", Limits()) is None


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
