"""Undo HTTP Content-Encoding (gzip, deflate, br when available) without letting a bomb explode.

Archived payloads keep the encoding they were sent with; the crawler (links, sitemaps)
and every reader of the archive decode them here, never producing more than `limit`
bytes however small the compressed input is.
"""

from __future__ import annotations

import zlib

try:  # brotli is optional: without it "br" payloads are returned as stored
    import brotli  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None

CHUNK = 64 * 1024
MAX_DECODED_BYTES = 50_000_000     # the decoded-payload cap of every reader (decompression bombs)


def brotli_available() -> bool:
    """Whether "br" payloads can be decoded here (so whether the fetcher may ask for them)."""
    return brotli is not None


def decode_content(payload: bytes, content_encoding: str | None, limit: int) -> bytes:
    """The payload with every listed encoding undone, truncated to `limit` bytes.

    Unknown or corrupt encodings leave the bytes as they are: a reader gets the
    raw payload rather than nothing.
    """
    data = payload
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    for coding in reversed(codings):
        try:
            data = _decode_one(data, coding, limit)
        except (zlib.error, ValueError, OSError):
            return data[:limit]
    return data[:limit]


def _decode_one(data: bytes, coding: str, limit: int) -> bytes:
    if coding in ("identity", ""):
        return data
    if coding in ("gzip", "x-gzip"):
        return _inflate(data, zlib.MAX_WBITS | 16, limit)
    if coding == "deflate":
        try:
            return _inflate(data, zlib.MAX_WBITS, limit)
        except zlib.error:     # servers often send raw deflate without the zlib header
            return _inflate(data, -zlib.MAX_WBITS, limit)
    if coding == "br" and brotli is not None:
        return _unbrotli(data, limit)
    return data


def _inflate(data: bytes, wbits: int, limit: int) -> bytes:
    decompressor = zlib.decompressobj(wbits)
    out = bytearray()
    pending = data
    while pending and len(out) < limit:
        out += decompressor.decompress(pending, min(CHUNK, limit - len(out)))
        pending = decompressor.unconsumed_tail
        if decompressor.eof:
            break
    return bytes(out[:limit])


def _unbrotli(data: bytes, limit: int) -> bytes:  # pragma: no cover - brotli not installed here
    decompressor = brotli.Decompressor()
    out = bytearray()
    for start in range(0, len(data), CHUNK):
        try:
            out += decompressor.process(data[start:start + CHUNK])
        except brotli.error as error:
            raise ValueError(str(error)) from error
        if len(out) >= limit:
            break
    return bytes(out[:limit])
