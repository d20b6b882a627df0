"""Which responses are attachments, and in which format: declared type, extension and first bytes."""

from __future__ import annotations

import pytest

from tinphuong.file_types import attachment_format

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize(("content_type", "url", "start", "expected"), [
    ("application/pdf", "https://x.vn/download.aspx?id=7", b"%PDF-1.7", "pdf"),
    ("application/octet-stream", "https://x.vn/files/ke-hoach.docx", b"PK\x03\x04", "docx"),
    (None, "https://x.vn/bang.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),
    (DOCX, "https://x.vn/tai-ve?id=3", b"PK\x03\x04", "docx"),
    ("application/msword", "https://x.vn/a.docx", b"PK\x03\x04", "docx"),   # mislabelled: the bytes win
    ("application/pdf", "https://x.vn/hong", b"garbage", "pdf"),            # a broken PDF is still one
    ("text/html; charset=utf-8", "https://x.vn/qd.pdf", b"<html>", None),   # an error page under .pdf
    ("image/png", "https://x.vn/anh.png", b"\x89PNG", None),
    (None, "https://x.vn/tep.zip", b"PK\x03\x04", None),                    # a zip that is no document
    (None, "https://x.vn/van-ban.rtf", b"{\\rtf1", "rtf"),
])
def test_attachment_format(content_type, url, start, expected):
    assert attachment_format(content_type, url, start) == expected
