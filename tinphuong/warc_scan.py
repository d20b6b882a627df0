"""Reading a WARC file strictly, gzip member by gzip member: every record checked, damage located.

The archive's reader (`tinphuong.warc`) is lenient: it gives the indexer what it
can and skips the rest of a file from the first damage on. Verification needs the
opposite: every byte accounted for. Each gzip member (one record, as the writer
writes them) must inflate with a correct CRC and length, hold one WARC record
whose `Content-Length` matches its block and ends with the blank line, and match
its `WARC-Block-Digest` and (for requests and responses) `WARC-Payload-Digest`.
After a damaged member, reading resumes at the next gzip member that holds a
sound record, so damage in the middle of a file is located and the intact
records after it are still counted.
"""

from __future__ import annotations

import base64
import hashlib
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tinphuong.warc import CANONICAL_HEADER, iso_seconds

CHUNK = 1 << 20
SPOOL_BYTES = 16 << 20            # a decompressed record larger than this is spooled to a temporary file
MAX_HEADER_BYTES = 1 << 20        # WARC headers longer than this are not a record of ours
GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_VERSIONS = ("WARC/1.0", "WARC/1.1")
HTTP_RECORD_TYPES = ("request", "response")   # records whose payload digest is computed from the block


@dataclass(frozen=True)
class StoredRecord:
    """A sound record: where it lies (its gzip member) and what it says about itself."""

    offset: int
    length: int
    rec_type: str             # warcinfo | request | response | revisit | ...
    url: str                  # WARC-Target-URI ("" for warcinfo)
    fetched_at: str           # WARC-Date reduced to seconds, as captures record it
    status: int               # HTTP status of a response or revisit, else 0
    canonical: str | None = None    # WARC-Tinphuong-Canonical: the URL the page is indexed under
    profile: str | None = None      # WARC-Profile of a revisit


@dataclass(frozen=True)
class Damage:
    """Bytes that hold no sound record: from `offset`, `length` bytes (to the next sound record or EOF)."""

    offset: int
    length: int
    problem: str
    to_end: bool              # no sound record follows: the file's tail is damaged (or cut short)


class _Unsound(Exception):
    """A member that holds no sound record; `member_end` is known when the member itself inflated."""

    def __init__(self, problem: str, member_end: int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.member_end = member_end


def scan(path: Path, end: int | None = None) -> Iterator[StoredRecord | Damage]:
    """Every record of `path` (up to byte `end`), and every damaged span, in file order."""
    with open(path, "rb") as handle:
        size = handle.seek(0, 2)
        window = _Window(handle, size if end is None else min(end, size))
        offset = 0
        while offset < window.end:
            try:
                record, member_end = _read(window, offset)
            except _Unsound as unsound:
                resume = unsound.member_end or _next_sound(window, offset + 1)
                stop = resume if resume is not None else window.end
                yield Damage(offset, stop - offset, unsound.problem, to_end=stop >= window.end)
                offset = stop
                continue
            yield record
            offset = member_end


def read_at(path: Path, offset: int) -> StoredRecord | Damage:
    """The record whose gzip member starts at `offset`, or why there is none."""
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, 2)
            if offset >= size:
                return Damage(offset, 0, f"the file ends at {size} bytes", to_end=True)
            record, _ = _read(_Window(handle, size), offset)
            return record
    except _Unsound as unsound:
        return Damage(offset, 0, unsound.problem, to_end=False)


class _Window:
    """A file read forward in blocks; the last block is kept, so the next member (which usually
    starts in it) costs no read. Pieces are zero-copy views of at most FEED bytes: zlib copies
    what follows a member's end, and a small feed keeps that copy small."""

    FEED = 16 << 10

    def __init__(self, handle: BinaryIO, end: int) -> None:
        self.handle = handle
        self.end = end
        self._start = 0
        self._block = memoryview(b"")

    def pieces(self, offset: int) -> Iterator[memoryview]:
        position = offset
        while position < self.end:
            if not self._start <= position < self._start + len(self._block):
                self.handle.seek(position)
                self._start = position
                self._block = memoryview(self.handle.read(min(CHUNK, self.end - position)))
                if not self._block:
                    return
            piece = self._block[position - self._start:position - self._start + self.FEED]
            yield piece
            position += len(piece)


# --- one member ------------------------------------------------------------------------------------

def _read(window: _Window, offset: int) -> tuple[StoredRecord, int]:
    """Inflate the member at `offset` and check the record in it; return it and the member's end."""
    with tempfile.SpooledTemporaryFile(SPOOL_BYTES) as spool:
        member_end = _inflate(window, offset, spool)
        spool.seek(0)
        try:
            return _record(spool, offset, member_end - offset), member_end
        except _Unsound as unsound:
            raise _Unsound(unsound.problem, member_end) from None


def _inflate(window: _Window, offset: int, out: BinaryIO) -> int:
    """Write the gzip member at `offset` to `out`; its end offset. CRC and size are checked by zlib."""
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    position = offset
    for piece in window.pieces(offset):
        position += len(piece)
        try:
            data = decompressor.decompress(piece, CHUNK)
            while True:
                out.write(data)
                if not decompressor.unconsumed_tail or decompressor.eof:
                    break
                data = decompressor.decompress(decompressor.unconsumed_tail, CHUNK)
        except zlib.error as error:
            raise _Unsound(f"the gzip data is corrupt ({error})") from None
        if decompressor.eof:
            return position - len(decompressor.unused_data)
    raise _Unsound("the record is cut short (the file ends inside it)")


def _next_sound(window: _Window, start: int) -> int | None:
    """The offset of the next gzip member after `start` that holds a sound record (resynchronisation)."""
    handle, position = window.handle, start
    while position < window.end:
        handle.seek(position)
        block = handle.read(min(CHUNK + len(GZIP_MAGIC), window.end - position))
        found = block.find(GZIP_MAGIC)
        while found != -1:
            try:
                _read(_Window(handle, window.end), position + found)
                return position + found
            except _Unsound:
                found = block.find(GZIP_MAGIC, found + 1)
        position += max(1, len(block) - len(GZIP_MAGIC) + 1)
    return None


# --- one record ------------------------------------------------------------------------------------

def _record(stream: BinaryIO, offset: int, length: int) -> StoredRecord:
    head = stream.read(MAX_HEADER_BYTES)
    split = head.find(b"\r\n\r\n")
    if split < 0:
        raise _Unsound("no WARC header block")
    headers = _warc_headers(head[:split])
    rec_type = headers.get("warc-type", "")
    for required in ("warc-type", "warc-record-id", "warc-date", "content-length"):
        if required not in headers:
            raise _Unsound(f"the WARC header {required} is missing")
    try:
        declared = int(headers["content-length"])
    except ValueError:
        raise _Unsound("Content-Length is not a number") from None
    block_start = split + 4
    stream.seek(0, 2)
    stored = stream.tell() - block_start
    if stored != declared + 4:
        raise _Unsound(f"Content-Length says {declared} bytes, the record holds {max(stored - 4, 0)}")
    stream.seek(block_start + declared)
    if stream.read(4) != b"\r\n\r\n":
        raise _Unsound("the record does not end with a blank line")
    http_head = _check_digests(stream, block_start, declared, headers)
    return StoredRecord(offset=offset, length=length, rec_type=rec_type,
                        url=headers.get("warc-target-uri", ""),
                        fetched_at=iso_seconds(headers.get("warc-date", "")),
                        status=_status(http_head) if rec_type in ("response", "revisit") else 0,
                        canonical=headers.get(CANONICAL_HEADER.lower()), profile=headers.get("warc-profile"))


def _warc_headers(raw: bytes) -> dict[str, str]:
    lines = raw.decode("utf-8", errors="replace").split("\r\n")
    if lines[0].strip() not in WARC_VERSIONS:
        raise _Unsound(f"not a WARC record (first line {lines[0][:40]!r})")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon:
            raise _Unsound(f"a WARC header line without a name: {line[:60]!r}")
        headers.setdefault(name.strip().lower(), value.strip())
    return headers


def _check_digests(stream: BinaryIO, start: int, length: int, headers: dict[str, str]) -> bytes:
    """Compare the block and payload with their declared digests; return the block's HTTP head."""
    block_digest = _Digest.parse(headers.get("warc-block-digest"))
    payload_digest = None
    if headers["warc-type"] in HTTP_RECORD_TYPES and headers.get("content-type", "").startswith(
            "application/http"):
        payload_digest = _Digest.parse(headers.get("warc-payload-digest"))
    stream.seek(start)
    head = b""                      # the HTTP head, until its blank line is found
    in_payload = False
    remaining = length
    while remaining:
        chunk = stream.read(min(CHUNK, remaining))
        remaining -= len(chunk)
        if block_digest:
            block_digest.update(chunk)
        if in_payload:
            if payload_digest:
                payload_digest.update(chunk)
            continue
        head += chunk
        split = head.find(b"\r\n\r\n")
        if split >= 0:
            in_payload = True
            if payload_digest:
                payload_digest.update(head[split + 4:])
            head = head[:split]
        elif len(head) > MAX_HEADER_BYTES:
            in_payload, head = True, b""
    if block_digest and not block_digest.matches():
        raise _Unsound("WARC-Block-Digest does not match the block")
    if payload_digest and in_payload and not payload_digest.matches():
        raise _Unsound("WARC-Payload-Digest does not match the payload")
    return head


def _status(http_head: bytes) -> int:
    parts = http_head.split(b"\r\n", 1)[0].split()
    return int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else 0


class _Digest:
    """A declared `algorithm:value` digest (base32 or hex) and the running hash to compare with it."""

    ALGORITHMS = {"sha1": "sha1", "sha256": "sha256", "sha-256": "sha256", "md5": "md5"}

    def __init__(self, algorithm: str, expected: bytes) -> None:
        self._hash = hashlib.new(algorithm)
        self._expected = expected

    @classmethod
    def parse(cls, declared: str | None) -> _Digest | None:
        """None when absent or in a form this check does not know (then it is not checked)."""
        if not declared or ":" not in declared:
            return None
        name, value = declared.split(":", 1)
        algorithm = cls.ALGORITHMS.get(name.strip().lower())
        if algorithm is None:
            return None
        size = hashlib.new(algorithm).digest_size
        value = value.strip()
        for decode in (lambda v: base64.b32decode(v.upper()), bytes.fromhex):
            try:
                expected = decode(value)
            except ValueError:
                continue
            if len(expected) == size:
                return cls(algorithm, expected)
        return None

    def update(self, data: bytes) -> None:
        self._hash.update(data)

    def matches(self) -> bool:
        return self._hash.digest() == self._expected
