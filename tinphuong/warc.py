"""The archive's WARC format and its reader: what the crawler writes and every later stage reads.

Like warcio's `ArchiveIterator` and `WARCWriter`, reading and writing are separate
modules that share only the record format: the crawler's writer
(`crawler.warc_writer`) takes the file layout, header and profile names from
here, and the indexer and the web UI read the archive here without importing
the crawler.

The format: finished files are `<archive_dir>/warc/*.warc.gz` (WARC/1.1, gzip
per record); the file being written carries an extra `.open` suffix. Every
request and response record names its site in `WARC-Tinphuong-Site`; a revisit
record says why by its `WARC-Profile`. A response or revisit of a page that is
archived and indexed under another URL (its `<link rel="canonical">`, or a URL
serving the same bytes) names that URL in `WARC-Tinphuong-Canonical`. `iter_responses` and `read_response`
give `ArchivedResponse`s, the contract described in docs/architecture.md.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from tinphuong.content_encoding import MAX_DECODED_BYTES, decode_content
from tinphuong.http_response import header_value
from tinphuong.urls import canonicalize

log = logging.getLogger(__name__)

WARC_SUBDIR = "warc"
OPEN_SUFFIX = ".open"
SITE_HEADER = "WARC-Tinphuong-Site"
CANONICAL_HEADER = "WARC-Tinphuong-Canonical"   # the URL a page is indexed under, when not its own
NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
IDENTICAL_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
MOVED_STATUSES = frozenset({301, 308})          # permanent redirects: the page now lives at the new URL
MAX_STORED_READ = 64_000_000         # never read more than this of one stored payload


def iso_seconds(warc_date_value: str) -> str:
    """A WARC-Date reduced to the project's ISO form, e.g. 2026-11-25T12:00:00Z."""
    return warc_date_value[:19] + "Z" if len(warc_date_value) >= 19 else warc_date_value


def filed_under(url: str, canonical: str | None) -> str:
    """The URL a record is indexed under: its canonical (header) if it names one, else its own."""
    return canonicalize(canonical or url) or url


def merged_from(url: str, filed: str, status: int, profile: str | None) -> str | None:
    """The record's own URL when the record, filed under `filed`, shows that both URLs are one page:
    a permanent redirect (the page moved there) or the same bytes (an identical-payload revisit).
    What was indexed under the own URL before the crawl knew it then belongs to `filed`'s page."""
    own = canonicalize(url) or url
    if own != filed and (status in MOVED_STATUSES or profile == IDENTICAL_PROFILE):
        return own
    return None


@dataclass(frozen=True)
class ArchivedResponse:
    """A response or revisit record as its readers (the indexer, the web UI) need it."""

    url: str
    site: str
    fetched_at: str                       # ISO 8601 UTC, seconds: 2026-11-25T12:00:00Z
    status: int
    kind: str                             # "response" | "revisit"
    headers: list[tuple[str, str]]
    warc_file: str
    offset: int
    length: int
    payload: bytes = field(default=b"", repr=False, compare=False)   # as stored (content-encoded)
    profile: str | None = None            # revisit profile
    refers_to_date: str | None = None     # revisit: WARC-Date of the capture holding the payload
    canonical: str | None = None          # the URL the page is indexed under, when not `url`
    refers_to_uri: str | None = None      # revisit: WARC-Target-URI of that capture (may be another URL)

    def header(self, name: str) -> str | None:
        """The first HTTP header called `name` (case-insensitive)."""
        return header_value(self.headers, name)

    def body(self, limit: int = MAX_DECODED_BYTES) -> bytes:
        """The payload with its Content-Encoding undone, at most `limit` bytes."""
        return decode_content(self.payload, self.header("Content-Encoding"), limit)


PayloadWanted = Callable[[int, list[tuple[str, str]]], bool]


def iter_responses(archive_dir: Path, start: dict[str, int] | None = None,
                   payload_wanted: PayloadWanted | None = None) -> Iterator[ArchivedResponse]:
    """Response and revisit records of the finished WARC files, in file-name order.

    `start` maps a file name to the byte offset already consumed; a damaged file
    is logged and skipped from the damage on, never aborting the iteration.
    `payload_wanted(status, http_headers)` False leaves a record's payload unread
    (b""): readers that skip images and stylesheets need not hold their bytes.
    """
    start = start or {}
    warc_dir = Path(archive_dir) / WARC_SUBDIR
    for path in sorted(warc_dir.glob("*.warc.gz")):
        yield from _read_from(path, start.get(path.name, 0), payload_wanted=payload_wanted)


def read_response(archive_dir: Path, warc_file: str, offset: int) -> ArchivedResponse:
    """The response or revisit record at `offset` of `warc_file` (also while it is still `.open`)."""
    warc_dir = Path(archive_dir) / WARC_SUBDIR
    if Path(warc_file).name != warc_file:
        raise ValueError(f"not a WARC file name: {warc_file!r}")
    path = warc_dir / warc_file
    if not path.exists() and (warc_dir / (warc_file + OPEN_SUFFIX)).exists():
        path = warc_dir / (warc_file + OPEN_SUFFIX)
    for response in _read_from(path, offset, strict=True):
        return response
    raise ValueError(f"no response record at {warc_file}:{offset}")


def _read_from(path: Path, offset: int, strict: bool = False,
               payload_wanted: PayloadWanted | None = None) -> Iterator[ArchivedResponse]:
    name = path.name[: -len(OPEN_SUFFIX)] if path.name.endswith(OPEN_SUFFIX) else path.name
    try:
        with open(path, "rb") as handle:
            handle.seek(offset)
            iterator = ArchiveIterator(handle)
            for record in iterator:
                if record.rec_type not in ("response", "revisit"):
                    if strict:
                        break
                    continue
                payload = b""
                if payload_wanted is None or _wanted(record, payload_wanted):
                    payload = record.raw_stream.read(MAX_STORED_READ)
                iterator.read_to_end()
                yield _archived(record, payload, name, iterator.get_record_offset(),
                                iterator.get_record_length())
                if strict:
                    return
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as error:
        if strict:
            raise ValueError(f"cannot read {name} at {offset}: {error}") from error
        log.warning("skipping the rest of %s: %s", name, error)


def _wanted(record, payload_wanted: PayloadWanted) -> bool:
    http = record.http_headers
    return record.rec_type == "response" and http is not None and \
        payload_wanted(int(http.get_statuscode() or 0), http.headers)


def _archived(record, payload: bytes, name: str, offset: int, length: int) -> ArchivedResponse:
    headers = record.rec_headers
    http = record.http_headers
    status = int(http.get_statuscode() or 0) if http else 0
    return ArchivedResponse(
        url=headers.get_header("WARC-Target-URI") or "",
        site=headers.get_header(SITE_HEADER) or "",
        fetched_at=iso_seconds(headers.get_header("WARC-Date") or ""),
        status=status,
        kind=record.rec_type,
        headers=list(http.headers) if http else [],
        warc_file=name,
        offset=offset,
        length=length,
        payload=payload if record.rec_type == "response" else b"",
        profile=headers.get_header("WARC-Profile"),
        refers_to_date=headers.get_header("WARC-Refers-To-Date"),
        canonical=headers.get_header(CANONICAL_HEADER),
        refers_to_uri=headers.get_header("WARC-Refers-To-Target-URI"),
    )
