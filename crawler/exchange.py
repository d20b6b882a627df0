"""One HTTP exchange as the fetcher saw it: what the archive writes and the crawl reasons about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crawler.content_encoding import decode_content

MAX_DECODED_BYTES = 50_000_000


@dataclass(frozen=True)
class Exchange:
    """A request and its complete response; `body` is the payload as received (content-encoding kept)."""

    url: str                                    # canonical URL that was requested
    request_headers: tuple[tuple[str, str], ...]
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]        # response headers, Transfer-Encoding removed
    body: bytes
    started: datetime                           # when the request was sent (aware, UTC)
    method: str = "GET"
    protocol: str = "HTTP/1.1"

    def header(self, name: str) -> str | None:
        """The first response header called `name` (case-insensitive)."""
        lowered = name.lower()
        return next((value for key, value in self.headers if key.lower() == lowered), None)

    @property
    def content_type(self) -> str:
        """The media type without parameters, lowercase ('' when absent)."""
        return (self.header("Content-Type") or "").split(";", 1)[0].strip().lower()

    def body_decoded(self, limit: int = MAX_DECODED_BYTES) -> bytes:
        """The body with its Content-Encoding undone (what parsers read), at most `limit` bytes."""
        return decode_content(self.body, self.header("Content-Encoding"), limit)
