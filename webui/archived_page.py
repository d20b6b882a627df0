"""From an archived response to the HTML we hand the sandboxed frame.

Which capture holds the bytes to show (revisits carry none: their content is the last full
response before them), and what to show when there is no HTML. Whether a response is HTML is
decided as the extractor decides it (`tinphuong.http_response.is_html`), and decoding uses the
extractor's charset rules (`indexer.extract.charset`), so the archived view reads like the indexed text;
the page is then rewritten for replay (`webui.replay.html`).
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import escape

from indexer.document import Capture, Document
from indexer.extract.charset import decode_html
from tinphuong.http_response import is_html, media_type
from tinphuong.warc import ArchivedResponse
from webui.replay.archive_urls import routed
from webui.replay.html import rewrite_html


def chosen_capture(doc: Document, number: int | None) -> int | None:
    """Index of the capture to show: `number` if it exists, else the latest one with content."""
    if number is not None:
        return number if 0 <= number < len(doc.captures) else None
    content = doc.content_capture
    if content is not None:
        return doc.captures.index(content)
    return len(doc.captures) - 1 if doc.captures else None


def content_capture_at(captures: Sequence[Capture], index: int) -> Capture | None:
    """The capture whose record holds the bytes shown for capture `index`.

    A revisit (304, or a 200 with an unchanged payload) means "same as before": its content is that
    of the latest full response at or before it.
    """
    for capture in reversed(captures[: index + 1]):
        if capture.kind == "response":
            return capture
    return None


def capture_near(captures: Sequence[Capture], at: str) -> int:
    """Index of the latest capture at or before `at` (ISO), else of the earliest: where a link followed
    from a page captured at `at` leads."""
    earlier = [index for index, capture in enumerate(captures) if capture.fetched_at <= at]
    return earlier[-1] if earlier else 0


def frame_html(archived: ArchivedResponse, body: bytes, page_url: str, at: str) -> str:
    """The archived page (`body`, decoded) rewritten to load what it embeds from the archive as of `at`,
    and to run nothing; or a short Vietnamese note when it holds no HTML."""
    if not body.strip():
        return placeholder(f"Bản lưu trữ này không có nội dung (mã HTTP {archived.status}).")
    content_type = archived.header("Content-Type")
    if not is_html(content_type, body):
        kind = media_type(content_type) or "không rõ"
        return placeholder(f"Bản lưu trữ này không phải trang HTML (loại nội dung: {kind}).")
    replayed = rewrite_html(decode_html(body, content_type), page_url, routed(page_url, at))
    return replayed or placeholder("Không đọc được nội dung HTML của bản lưu trữ này.")


def placeholder(message: str) -> str:
    """A tiny page shown inside the frame when there is no HTML to show."""
    return ("<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\">"
            "<body style=\"font-family:sans-serif;color:#444;padding:2em\">"
            f"<p>{escape(message)}</p></body></html>")
