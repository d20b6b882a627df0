"""Presentation helpers: Vietnamese formats, the one trusted markup (snippets, titles), page windows."""

from __future__ import annotations

from datetime import date

from webui.formatting import marked_html, paragraphs, vn_date, vn_datetime, vn_number, vn_seconds
from webui.pagination import Pagination


def test_dates_numbers_and_durations_read_the_vietnamese_way():
    assert vn_date(date(2023, 3, 16)) == vn_date("2023-03-16") == "16/03/2023"
    assert vn_date(None) == vn_date("not a date") == ""
    assert vn_datetime("2026-01-05T20:30:00Z") == "06/01/2026 03:30:00"       # UTC+7 crosses midnight
    assert vn_datetime("2026-01-05T20:30:00.123456Z") == "06/01/2026 03:30:00"
    assert vn_datetime("garbage") == vn_datetime(None) == ""
    assert vn_number(12) == "12" and vn_number(1234567) == "1.234.567"
    assert vn_seconds(31.7) == "0,03" and vn_seconds(1250) == "1,25" and vn_seconds(None) == "0,00"


def test_snippet_keeps_marks_and_nothing_else():
    assert str(marked_html("Lớp <mark>đảng viên</mark> &amp; &lt;b&gt;")) == (
        "Lớp <mark>đảng viên</mark> &amp; &lt;b&gt;")
    hostile = str(marked_html('<script>alert(1)</script> <mark><img src=x onerror=y></mark>'))
    assert "<script>" not in hostile and "<img" not in hostile
    assert hostile == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>&lt;img src=x onerror=y&gt;</mark>"


def test_paragraphs_split_on_blank_lines():
    assert paragraphs("Một.\n\nHai\ncòn tiếp.\n \n\nBa.") == ["Một.", "Hai\ncòn tiếp.", "Ba."]
    assert paragraphs("") == paragraphs(None) == []


def test_page_windows_show_first_last_and_neighbours():
    assert Pagination(page=1, per_page=10, total=0).window() == [1]
    assert Pagination(page=1, per_page=10, total=24).window() == [1, 2, 3]
    assert Pagination(page=10, per_page=10, total=200).window() == [1, None, 8, 9, 10, 11, 12, None, 20]
    last = Pagination(page=20, per_page=10, total=200)
    assert last.window() == [1, None, 18, 19, 20] and not last.has_next and last.has_previous
