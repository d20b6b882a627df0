"""One HTTP exchange as the fetcher saw it: what the archive writes and the crawl reasons about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tinphuong.content_encoding import MAX_DECODED_BYTES, decode_content
from tinphuong.http_response import header_value


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
        return header_value(self.headers, name)

    def body_decoded(self, limit: int = MAX_DECODED_BYTES) -> bytes:
        """The body with its Content-Encoding undone (what parsers read), at most `limit` bytes."""
        return decode_content(self.body, self.header("Content-Encoding"), limit)
