"""From an archived response to the HTML we hand the sandboxed frame.

Which capture holds the bytes to show (revisits carry none: their content is the last full
response before them), and how to decode those bytes (the page's own charset) so that they can be
served as UTF-8.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence

from markupsafe import escape

from indexer.document import Capture, Document

HTML_TYPES = ("text/html", "application/xhtml+xml")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


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


def header(headers: Sequence[tuple[str, str]], name: str) -> str:
    """The first value of header `name` (case-insensitive), or ''."""
    lowered = name.lower()
    return next((value for key, value in headers if key.lower() == lowered), "")


def media_type(headers: Sequence[tuple[str, str]]) -> str:
    return header(headers, "Content-Type").split(";", 1)[0].strip().lower()


def is_html(headers: Sequence[tuple[str, str]]) -> bool:
    """HTML, or no declared type at all (ward sites sometimes omit it)."""
    kind = media_type(headers)
    return not kind or kind in HTML_TYPES


def charset_of(headers: Sequence[tuple[str, str]], body: bytes) -> str:
    """The page's encoding: BOM, then the Content-Type header, then a <meta> tag, else UTF-8."""
    for bom, name in BOMS:
        if body.startswith(bom):
            return name
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", header(headers, "Content-Type"), re.I)
    candidates = [match.group(1)] if match else []
    meta = META_CHARSET.search(body[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "replace"))
    for candidate in candidates:
        try:
            return codecs.lookup(candidate).name
        except LookupError:
            continue
    return "utf-8"


def decode_html(headers: Sequence[tuple[str, str]], body: bytes) -> str:
    """The archived page as text; undecodable bytes become U+FFFD rather than an error."""
    encoding = charset_of(headers, body)
    text = body.decode(encoding, errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


def placeholder(message: str) -> str:
    """A tiny page shown inside the frame when there is no HTML to show."""
    return ("<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\">"
            "<body style=\"font-family:sans-serif;color:#444;padding:2em\">"
            f"<p>{escape(message)}</p></body></html>")
