"""The Document model: the one contract between extraction and indexing."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date

ARTICLE, ATTACHMENT = "article", "attachment"


def document_id(canonical_url: str) -> str:
    """A stable id derived from the canonical URL: the same page keeps its id across captures."""
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Capture:
    """Where one archived response of a page lies: the WARC file and the record's byte range."""

    fetched_at: str          # ISO 8601 UTC, e.g. "2026-11-25T12:00:00Z"
    status: int              # HTTP status (304 for a revalidation that found no change)
    warc_file: str           # file name relative to <archive_dir>/warc/
    offset: int              # byte offset of the response (or revisit) record
    length: int              # compressed length of the record
    kind: str = "response"   # "response" or "revisit"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class AttachmentLink:
    """A file an article links to, as the article shows it; the file's own Document has id `id`."""

    url: str                 # canonical URL of the file
    title: str               # the link's text in the article
    file_type: str           # "pdf", "docx", ... as the URL names it ("" when it does not)

    @property
    def id(self) -> str:
        return document_id(self.url)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class FileInfo:
    """What an attachment's archived file is: its format and size, and whether text could be read."""

    file_type: str                   # "pdf", "docx", "xls", ...
    size: int                        # bytes
    text_layer: bool                 # False: a scan, a locked or unreadable file, a format read without text
    pages: int | None = None         # PDF pages
    number: str | None = None        # document number its first page states ("123/QĐ-UBND")
    heading: str | None = None       # title its first page states
    reason: str | None = None        # why there is no text

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class LinkedFrom:
    """An article that links an attachment, with the link's text there."""

    id: str                  # the article's Document id
    text: str                # the link's text

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Document:
    """One archived page, extracted: what the index stores and the UI shows."""

    url: str                          # canonical URL
    site: str                         # site name from the configuration
    title: str
    text: str                         # cleaned body text, paragraphs separated by "\n\n"
    date: date | None = None          # publication date
    author: str | None = None
    category: str | None = None
    gone: bool = False                # the source page answered 404/410 at its latest capture
    captures: list[Capture] = field(default_factory=list)   # oldest first
    id: str = ""
    # Where the date came from, and near-duplicates (indexer.writing.clusters keeps `cluster`).
    date_source: str | None = None    # the part of the page that stated `date` (extract.published.SOURCES)
    cluster: str = ""                 # the smallest id among this page's copies; "" when that is its own

    # --- attachments: the files articles link to are documents of their own ---------------------
    kind: str = ARTICLE                                                 # ARTICLE or ATTACHMENT
    attachments: list[AttachmentLink] = field(default_factory=list)     # an article's linked files
    file: FileInfo | None = None                                        # an attachment's file
    linked_from: list[LinkedFrom] = field(default_factory=list)         # an attachment's articles, by id

    def __post_init__(self) -> None:
        if not self.id:
            self.id = document_id(self.url)

    @property
    def content_capture(self) -> Capture | None:
        """The latest capture that holds the page's content (status 200, a full response)."""
        for capture in reversed(self.captures):
            if capture.status == 200 and capture.kind == "response":
                return capture
        return None
