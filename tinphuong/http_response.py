"""What an HTTP response says about the page it carries: HTML or not, in which charset, gone or not.

The crawler and the indexer read the same archived responses, so they ask these
questions here, once: the crawler follows links in exactly the pages the indexer
would extract, and a page is gone for the crawl state when it is gone for the index.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable

GONE_STATUSES = frozenset({404, 410})      # the page no longer exists (a capture still records it)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/xml+html"})
SNIFF_BYTES = 2048

# What an undeclared HTML page starts with, after a BOM and white space.
_HTML_SIGNS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<title", b"<meta", b"<div", b"<p>", b"<p ")
_CHARSET_PARAM = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
# Browsers read pages labelled Latin-1 as windows-1252, and so do ward sites' authors.
_CODEC_ALIASES = {"utf-8-sig": "utf-8", "iso8859-1": "cp1252", "latin-1": "cp1252"}


def header_value(headers: Iterable[tuple[str, str]], name: str) -> str | None:
    """The first header called `name` (case-insensitive), None when absent."""
    lowered = name.lower()
    return next((value for key, value in headers if key.lower() == lowered), None)


def media_type(content_type: str | None) -> str:
    """The media type of a Content-Type value, lowercase, without parameters ('' when absent)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_html(content_type: str | None, body: bytes) -> bool:
    """Whether a response is an HTML page: by its declared media type, else by its first bytes.

    `body` is the payload with its content-encoding undone; only its first
    SNIFF_BYTES are looked at.
    """
    declared = media_type(content_type)
    if declared:
        return declared in HTML_TYPES
    start = body[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith(b"<") and any(sign in start for sign in _HTML_SIGNS)


def charset_of(content_type: str | None) -> str | None:
    """The Python codec named by a Content-Type value's charset parameter, if it names a known one."""
    if not content_type:
        return None
    match = _CHARSET_PARAM.search(content_type)
    return codec_name(match.group(1)) if match else None


def codec_name(label: str | bytes | None) -> str | None:
    """The Python codec for a charset label (as HTTP or `<meta>` spell it), None when unknown."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", errors="replace")
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return _CODEC_ALIASES.get(name, name)
