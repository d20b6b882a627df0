"""Fetching one URL politely and defensively: the only module that talks HTTP.

A `requests.Session` with the configured User-Agent; connect and read timeouts
plus a wall-clock cap per response; bodies streamed and capped at `max_bytes`;
redirects followed by hand so that every hop is canonicalised, checked (allowed
hosts, robots.txt, traps) and returned for archiving; conditional requests for
pages already seen; bounded retries with back-off on connection errors, 429 and
5xx, never on other 4xx.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

import requests
import urllib3

from crawler.exchange import Exchange
from crawler.politeness import Politeness
from tinphuong.config import CrawlConfig
from tinphuong.content_encoding import brotli_available
from tinphuong.urls import canonicalize

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024
_PROTOCOLS = {9: "HTTP/0.9", 10: "HTTP/1.0", 11: "HTTP/1.1", 20: "HTTP/2"}
_RETRYABLE_ERRORS = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
                     urllib3.exceptions.ProtocolError, urllib3.exceptions.ReadTimeoutError)

Scope = Callable[[str], "str | None"]   # url -> why it may not be fetched, None when it may


class FetchFailed(Exception):
    """No complete response could be had; `retryable` says whether trying again may help."""

    def __init__(self, message: str, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass
class FetchResult:
    """Every response received for one URL, redirects first; what went wrong, if anything."""

    url: str
    exchanges: list[Exchange] = field(default_factory=list)
    error: str | None = None        # the last hop gave no complete response (nothing to archive for it)
    refused: str | None = None      # a redirect pointed where the crawl may not go

    @property
    def final(self) -> Exchange | None:
        """The answer that ends the chain (not a redirect), when there is one."""
        if self.error or self.refused or not self.exchanges:
            return None
        return self.exchanges[-1]


def _anywhere(url: str) -> str | None:
    return None


class Fetcher:
    """Fetches URLs one hop at a time through `Politeness`; safe to share between threads.

    Each thread gets its own `requests.Session` (a session's connection pools and
    cookies are not meant to be shared), made on its first request.
    """

    def __init__(self, crawl: CrawlConfig, politeness: Politeness,
                 total_seconds: float | None = None) -> None:
        self.crawl = crawl
        self.politeness = politeness
        self.total_seconds = total_seconds or max(60.0, 3 * crawl.timeout_seconds)
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()

    @property
    def session(self) -> requests.Session:
        """This thread's session."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self._new_session()
            with self._sessions_lock:
                self._sessions.append(session)
        return session

    def _new_session(self) -> requests.Session:
        session = requests.Session()
        session.headers["User-Agent"] = self.crawl.user_agent
        session.headers["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        session.headers["Accept-Language"] = "vi,en;q=0.5"
        # Only encodings the archive reader can undo (tinphuong.content_encoding).
        session.headers["Accept-Encoding"] = "gzip, deflate" + (", br" if brotli_available() else "")
        return session

    def close(self) -> None:
        with self._sessions_lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None,
              scope: Scope = _anywhere, max_bytes: int | None = None) -> FetchResult:
        """Fetch `url` (canonical), following up to 5 redirects that `scope` lets through."""
        result = FetchResult(url)
        current = url
        conditional = _conditional_headers(etag, last_modified)
        visited: set[str] = set()
        for _hop in range(MAX_REDIRECTS + 1):
            refusal = scope(current)
            if refusal:
                result.refused = f"{current}: {refusal}"
                return result
            visited.add(current)
            try:
                exchange = self._with_retries(current, conditional, max_bytes or self.crawl.max_bytes)
            except FetchFailed as failure:
                result.error = f"{current}: {failure}"
                return result
            result.exchanges.append(exchange)
            target = _redirect_target(exchange)
            if target is None:
                return result
            if target in visited:
                result.error = f"{current}: redirect loop back to {target}"
                return result
            current, conditional = target, {}
        result.error = f"{url}: more than {MAX_REDIRECTS} redirects"
        return result

    def _with_retries(self, url: str, headers: dict[str, str], max_bytes: int) -> Exchange:
        host = _netloc(url)
        attempts = self.crawl.max_retries + 1
        for attempt in range(1, attempts + 1):
            given_up = self.politeness.given_up(host)
            if given_up:
                raise FetchFailed(f"not requested: the host is left alone for this run ({given_up})",
                                  retryable=False)
            try:
                with self.politeness.turn(host):
                    exchange = self._attempt(url, headers, max_bytes)
            except FetchFailed as failure:
                if not failure.retryable:
                    raise                       # the answer, not the host, is at fault (too large, invalid)
                pause = self.politeness.failed(host)
                if attempt == attempts or self.politeness.given_up(host):
                    raise
                log.info("retrying %s in %.1fs (attempt %d/%d): %s", url, pause, attempt + 1, attempts,
                         failure)
                continue
            if exchange.status not in RETRY_STATUSES:
                self.politeness.succeeded(host)
                return exchange
            pause = self.politeness.failed(host, _retry_after(exchange.header("Retry-After")))
            if attempt == attempts or self.politeness.given_up(host):
                return exchange
            log.info("%s answered %d; retrying in %.1fs (attempt %d/%d)", url, exchange.status, pause,
                     attempt + 1, attempts)
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(self, url: str, headers: dict[str, str], max_bytes: int) -> Exchange:
        started = datetime.now(UTC)
        timeout = self.crawl.timeout_seconds
        try:
            response = self.session.get(url, headers=headers, timeout=(timeout, timeout), stream=True,
                                        allow_redirects=False)
        except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema,
                requests.exceptions.MissingSchema, requests.exceptions.InvalidHeader) as error:
            raise FetchFailed(f"invalid request: {error}", retryable=False) from error
        except _RETRYABLE_ERRORS as error:
            raise FetchFailed(f"connection failed: {_short(error)}", retryable=True) from error
        except requests.RequestException as error:
            raise FetchFailed(f"request failed: {_short(error)}", retryable=False) from error
        try:
            body = self._read_body(response, max_bytes)
        finally:
            response.close()
        request_headers = [(k, v) for k, v in response.request.headers.items()]
        return Exchange(
            url=url,
            request_headers=tuple(request_headers),
            status=response.status_code,
            reason=response.reason or "",
            headers=_archived_headers(response),
            body=body,
            started=started,
            protocol=_PROTOCOLS.get(getattr(response.raw, "version", 11), "HTTP/1.1"),
        )

    def _read_body(self, response: requests.Response, max_bytes: int) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchFailed(f"response of {declared} bytes exceeds max_bytes ({max_bytes}); not archived",
                              retryable=False)
        deadline = time.monotonic() + self.total_seconds
        body = bytearray()
        try:
            while chunk := response.raw.read1(CHUNK, decode_content=False):   # what arrived, no waiting
                body += chunk
                if len(body) > max_bytes:
                    raise FetchFailed(f"response exceeds max_bytes ({max_bytes}); not archived",
                                      retryable=False)
                if time.monotonic() > deadline:
                    raise FetchFailed(f"response took longer than {self.total_seconds:g}s; not archived",
                                      retryable=True)
        except _RETRYABLE_ERRORS + (urllib3.exceptions.HTTPError, OSError) as error:
            raise FetchFailed(f"download interrupted: {_short(error)}", retryable=True) from error
        return bytes(body)


def _archived_headers(response: requests.Response) -> tuple[tuple[str, str], ...]:
    """Response headers as received, minus Transfer-Encoding: the archived body is de-chunked."""
    return tuple((k, v) for k, v in response.raw.headers.items() if k.lower() != "transfer-encoding")


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _redirect_target(exchange: Exchange) -> str | None:
    if exchange.status not in REDIRECT_STATUSES:
        return None
    location = exchange.header("Location")
    return canonicalize(location, base=exchange.url) if location else None


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _netloc(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _short(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= 300 else text[:297] + "..."
