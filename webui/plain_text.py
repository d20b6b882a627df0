"""Crawled text made inert for the formats that are not HTML pages: Atom (XML), CSV and SVG.

Escaping is each writer's job (ElementTree, the csv module, Jinja); this removes what escaping
leaves harmful. XML 1.0 has no way to write most control characters, so one of them in a
crawled title would make the whole feed unreadable. Bidirectional embedding, override and
isolate characters reorder the text that follows them, in a feed reader or a spreadsheet cell:
a title could show other words than it holds. Vietnamese text never needs them.
"""

from __future__ import annotations

import html
import re

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MARK_TAGS = re.compile(r"</?mark>")
_WHITESPACE = re.compile(r"\s+")


def inert_text(text: str | None) -> str:
    """The text without control characters XML cannot hold and without bidirectional controls."""
    return _BIDI_CONTROLS.sub("", _XML_INVALID.sub("", text or ""))


def snippet_text(snippet_html: str | None) -> str:
    """A search snippet (HTML-escaped, matches in `<mark>`) as one line of plain text."""
    text = html.unescape(_MARK_TAGS.sub("", snippet_html or ""))
    return _WHITESPACE.sub(" ", inert_text(text)).strip()


def is_web_address(url: str | None) -> bool:
    """Only http(s) addresses become links outside our pages (never `javascript:` or `data:`)."""
    return bool(url) and url.lower().startswith(("http://", "https://"))
