"""The WARC writer: every exchange written durably, and recovery of what a killed writer left.

One `.warc.gz.open` file at a time (WARC/1.1, gzip per record, a
`warcinfo` record first), a `request` + `response` (or `revisit`) pair per
exchange, flushed and fsynced before the caller adds the capture to the crawl state.
Files rotate at ~100 MB and are renamed to `.warc.gz` when closed. An `.open`
file left by a killed run is cut back to the last boundary the state knows
(else the last complete gzip member) and renamed by `recover_open_files`.

The record format (file layout, header and profile names) is shared with the
reader in `tinphuong.warc`; nothing here reads records back for others.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.exchange import Exchange
from tinphuong.warc import CANONICAL_HEADER, OPEN_SUFFIX, SITE_HEADER, WARC_SUBDIR

log = logging.getLogger(__name__)

ROTATE_BYTES = 100_000_000
SOFTWARE = "Tin Phuong crawler (warcio)"


def payload_digest(body: bytes) -> str:
    """The WARC-Payload-Digest of `body` (sha1, base32), as warcio writes it."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warc_date(when: datetime) -> str:
    """WARC/1.1 date with microseconds, so two captures of a page never share a date."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Revisit:
    """How to write an exchange as a revisit record: profile and the capture it refers to."""

    profile: str
    refers_to_uri: str
    refers_to_date: str
    digest: str


@dataclass(frozen=True)
class Location:
    """Where a response (or revisit) record was written; `end` is the file's size after the pair."""

    warc_file: str
    offset: int
    length: int
    end: int
    date: str            # the record's WARC-Date


class WarcWriter:
    """Appends exchanges to the current `.open` WARC file; one writer per crawl process."""

    def __init__(self, archive_dir: Path, rotate_bytes: int = ROTATE_BYTES) -> None:
        self.warc_dir = Path(archive_dir) / WARC_SUBDIR
        self.warc_dir.mkdir(parents=True, exist_ok=True)
        self.rotate_bytes = rotate_bytes
        self._handle: io.FileIO | None = None
        self._name = ""
        self._seq = 0

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, exchange: Exchange, site: str, revisit: Revisit | None = None,
              canonical: str | None = None) -> Location:
        """Write the request and the response (or revisit) records durably; return where.

        `canonical` names the URL the page is indexed under when it is not the exchange's own.
        """
        handle = self._current()
        writer = WARCWriter(handle, gzip=True, warc_version="1.1")
        date = warc_date(exchange.started)
        extra = {SITE_HEADER: site, "WARC-Date": date}
        named = extra | ({CANONICAL_HEADER: canonical} if canonical else {})
        response = _response_record(writer, exchange, named, revisit)
        request = _request_record(writer, exchange, extra)
        response_id = response.rec_headers.get_header("WARC-Record-ID")
        request.rec_headers.add_header("WARC-Concurrent-To", response_id)
        start = handle.tell()
        try:
            writer.write_record(request)
            offset = handle.tell()
            writer.write_record(response)
            end = handle.tell()
            handle.flush()
            os.fsync(handle.fileno())
        except BaseException:
            self._cut_back(start)
            raise
        return Location(self._name, offset, end - offset, end, date)

    def _cut_back(self, size: int) -> None:
        """Undo a half-written pair so the file never holds a broken record followed by good ones."""
        assert self._handle is not None
        self._handle.seek(size)
        self._handle.truncate(size)

    def close(self) -> None:
        """Finish the current file: rename `.open` to `.warc.gz`."""
        if self._handle is None:
            return
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        self._handle = None
        os.replace(self.warc_dir / (self._name + OPEN_SUFFIX), self.warc_dir / self._name)
        _fsync_dir(self.warc_dir)

    def _current(self) -> io.FileIO:
        if self._handle is not None and self._handle.tell() >= self.rotate_bytes:
            self.close()
        if self._handle is None:
            self._open_new()
        assert self._handle is not None
        return self._handle

    def _open_new(self) -> None:
        while True:
            self._seq += 1
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
            name = f"TINPHUONG-{stamp}-{os.getpid()}-{self._seq:05d}.warc.gz"
            path = self.warc_dir / (name + OPEN_SUFFIX)
            if not path.exists() and not (self.warc_dir / name).exists():
                break
        self._name = name
        # Unbuffered: every byte warcio hands over is in the file, so a failed write can be cut back.
        self._handle = _WholeWrites(path, "xb")
        writer = WARCWriter(self._handle, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(name, {
            "software": SOFTWARE, "format": "WARC File Format 1.1",
            "conformsTo": "https://iso.org/standard/68004.html", "robots": "obey",
        }))
        self._handle.flush()
        os.fsync(self._handle.fileno())


class _WholeWrites(io.FileIO):
    """An unbuffered file whose `write` writes every byte or raises. On a full disk, write(2) first
    writes what fits and returns a short count; warcio ignores the count, so a record would end cut
    short with no error, and the pair be taken as written. Writing the rest raises ENOSPC instead."""

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            done += super().write(view[done:])
        return done


def _request_record(writer: WARCWriter, exchange: Exchange, extra: dict[str, str]):
    parts = urlsplit(exchange.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = list(exchange.request_headers)
    if not any(k.lower() == "host" for k, _ in headers):
        headers.insert(0, ("Host", parts.netloc))
    http_headers = StatusAndHeaders(f"{exchange.method} {target} {exchange.protocol}", headers,
                                    is_http_request=True)
    return writer.create_warc_record(exchange.url, "request", http_headers=http_headers,
                                     warc_headers_dict=dict(extra))


def _response_record(writer: WARCWriter, exchange: Exchange, extra: dict[str, str], revisit: Revisit | None):
    reason = exchange.reason or "Unknown"
    http_headers = StatusAndHeaders(f"{exchange.status} {reason}", list(exchange.headers),
                                    protocol=exchange.protocol)
    if revisit is None:
        return writer.create_warc_record(exchange.url, "response", payload=io.BytesIO(exchange.body),
                                         length=len(exchange.body), http_headers=http_headers,
                                         warc_headers_dict=dict(extra))
    record = writer.create_revisit_record(exchange.url, revisit.digest, revisit.refers_to_uri,
                                          revisit.refers_to_date, http_headers=http_headers,
                                          warc_headers_dict=dict(extra))
    record.rec_headers.replace_header("WARC-Profile", revisit.profile)
    return record


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- recovery after a killed run -----------------------------------------------------------------

def recover_open_files(archive_dir: Path, known_ends: Mapping[str, int]) -> list[str]:
    """Cut every `.open` file back to a record boundary and finish it; return the finished names.

    `known_ends` maps a finished file name to the byte offset the crawl state
    recorded after its last committed pair: bytes after it were never recorded,
    so they go (the page is fetched again). Unknown files keep their complete
    gzip members. A file left with nothing but its warcinfo record is removed.
    """
    warc_dir = Path(archive_dir) / WARC_SUBDIR
    finished = []
    for path in sorted(warc_dir.glob("*.warc.gz" + OPEN_SUFFIX)):
        name = path.name[: -len(OPEN_SUFFIX)]
        size = path.stat().st_size
        end = known_ends.get(name)
        end = min(end, size) if end is not None else _complete_members_end(path)
        if end < size:
            log.warning("recovering %s: cutting %d bytes of an unfinished write", path.name, size - end)
            with open(path, "r+b") as handle:
                handle.truncate(end)
                handle.flush()
                os.fsync(handle.fileno())
        if known_ends.get(name) is None and _only_warcinfo(path):
            path.unlink()
            continue
        os.replace(path, warc_dir / name)
        finished.append(name)
    if finished:
        _fsync_dir(warc_dir)
    return finished


def _complete_members_end(path: Path) -> int:
    """The byte offset just after the last complete gzip member of `path`."""
    end = position = 0
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            pending = chunk
            while pending:
                try:
                    while pending and not decompressor.eof:
                        decompressor.decompress(pending, 1 << 20)
                        consumed = len(pending) - len(decompressor.unconsumed_tail)
                        position += consumed
                        pending = decompressor.unconsumed_tail
                except zlib.error:
                    return end
                if decompressor.eof:
                    position -= len(decompressor.unused_data)
                    pending = decompressor.unused_data
                    end = position
                    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    return end


def _only_warcinfo(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return all(record.rec_type == "warcinfo" for record in ArchiveIterator(handle))
    except (ArchiveLoadFailed, OSError, EOFError, zlib.error):
        return False
