"""From one archived attachment (PDF, Word, Excel, ...) to its searchable fields.

`extract_attachment(body, url, content_type)` is the only entry point; it never
raises. PDF (pypdf) and DOCX (python-docx) give text; the other formats (DOC, XLS,
XLSX, PPT, ODT, RTF, ...) are listed without text: the old binary Office formats
have no small, well-kept pure-Python reader, and ward sites publish their
decisions and plans as PDF or Word, the spreadsheets being lists whose cells
search poorly anyway. The parsing runs in a sandbox process (`sandbox`) with
limits on pages, characters, time and memory (`limits`); the first page gives
the document number, date and title (`first_page`). A PDF without a text layer
(a scan) gives no text and says so: `text_layer` is False.
A process that keeps its parses (`keep_parses_in`, the index's `parsed_store`) parses a
file only once for a version of the parsers.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from datetime import date
from multiprocessing.util import Finalize
from pathlib import Path

from indexer.extract.attachments.first_page import read_first_page
from indexer.extract.attachments.limits import Limits
from indexer.extract.attachments.parsed_store import ParsedStore
from indexer.extract.attachments.sandbox import Parsed, Sandbox
from indexer.extract.text import clean_line
from tinphuong.file_types import attachment_format

log = logging.getLogger(__name__)

TEXT_FORMATS = frozenset({"pdf", "docx"})
NO_TEXT_LAYER = "no text layer (a scanned document?)"     # the reason a file read without error has no text
SHORT_LINE = 0.85                   # a line shorter than this share of the longest ends its paragraph
MIN_LETTERS_PER_PAGE = 10           # fewer letters than this on average: a scan without a text layer
MIN_LETTERS = 30                    # ... or fewer than this in all
_PARAGRAPH_END = re.compile(r"[.!?:;…]$")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class AttachmentText:
    """What an attachment holds: its format and size, its text (or why none), and its first page's facts."""

    file_type: str                    # "pdf", "docx", "xls", ...
    size: int                         # bytes of the archived file
    text: str = ""                    # paragraphs separated by a blank line
    text_layer: bool = False          # text could be read (False for a scan, a locked or broken file)
    title: str | None = None          # the first page's heading and subject
    number: str | None = None         # "123/QĐ-UBND"
    date: date | None = None          # the date the first page states
    pages: int | None = None          # PDF pages
    reason: str | None = None         # why there is no text


_sandbox: Sandbox | None = None
_store: ParsedStore | None = None
_close_store: Finalize | None = None      # closes `_store` once: when replaced, or at exit (of a worker too)


def _forget_parsers() -> None:
    """In a forked process: the parent's sandbox (its pipes) and store (its SQLite connection) stay the
    parent's; this process starts its own when it needs one."""
    global _sandbox, _store, _close_store
    _sandbox = _store = _close_store = None


os.register_at_fork(after_in_child=_forget_parsers)


def keep_parses_in(path: Path | None) -> None:
    """Keep this process's parses in the store at `path` and reuse them (`parsed_store`); None: stop."""
    global _store, _close_store
    if _close_store is not None:
        _close_store()
    _store = ParsedStore(path) if path is not None else None
    _close_store = Finalize(_store, _store.close, exitpriority=0) if _store is not None else None


def extract_attachment(body: bytes, url: str, content_type: str | None,
                       limits: Limits | None = None) -> AttachmentText | None:
    """The attachment in a response, or None when the response is not an attachment."""
    file_type = attachment_format(content_type, url, body[:16])
    if file_type is None:
        return None
    if file_type not in TEXT_FORMATS:
        return AttachmentText(file_type=file_type, size=len(body), reason=f"{file_type}: listed without text")
    parsed = _parse(file_type, body, limits or Limits())
    text = _paragraphs(parsed.text) if file_type == "pdf" else _lines(parsed.text)
    layer = _has_text_layer(text, min(parsed.pages or 1, (limits or Limits()).pages))
    reason = parsed.reason or (None if layer else NO_TEXT_LAYER)
    if reason:
        log.info("attachment %s: %s", url, reason)
    if not layer:
        return AttachmentText(file_type=file_type, size=len(body), pages=parsed.pages, reason=reason)
    first = read_first_page(parsed.text)
    return AttachmentText(file_type=file_type, size=len(body), text=text, text_layer=True, title=first.title,
                          number=first.number, date=first.date, pages=parsed.pages)


def _parse(file_type: str, body: bytes, limits: Limits) -> Parsed:
    global _sandbox
    kept = _store.get(file_type, body, limits) if _store is not None else None
    if kept is not None:
        return kept
    if _sandbox is None:
        _sandbox = Sandbox()
        Finalize(_sandbox, _sandbox.close, exitpriority=0)     # at exit, also of a forked worker process
    parsed = _sandbox.parse(file_type, body, limits)
    if _store is not None:
        _store.put(file_type, body, limits, parsed)
    return parsed


def _paragraphs(raw: str) -> str:
    """Lines as PDF extraction gives them (cut at the page's width) joined back into paragraphs.

    A line break ends a phrase for the tokenizer, so wrapped lines must be joined for a
    phrase search to find a sentence that wraps. A paragraph ends at a blank line, a heading
    in capitals, a line ending a sentence or a clause, or a line clearly shorter than the page.
    """
    lines = [clean_line(line) for line in raw.splitlines()]
    full = max(map(len, lines), default=0) * SHORT_LINE
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if current and line.isupper():            # a heading starts a paragraph of its own
            paragraphs.append(" ".join(current))
            current = []
        if line:
            current.append(line)
        if current and (not line or _PARAGRAPH_END.search(line) or line.isupper() or len(line) < full):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def _lines(raw: str) -> str:
    """Paragraphs as the document has them (Word): each cleaned, empty ones dropped."""
    return "\n\n".join(line for line in map(clean_line, raw.splitlines()) if line)


def _has_text_layer(text: str, pages_read: int) -> bool:
    """Letters enough for the pages read (a scan may carry a stray page number, not sentences)."""
    letters = len(_LETTER.findall(text[:20_000]))
    return letters >= min(MIN_LETTERS_PER_PAGE * max(1, pages_read), MIN_LETTERS)


__all__ = ["AttachmentText", "Limits", "extract_attachment", "keep_parses_in"]
