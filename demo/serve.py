"""Serve the demo portal on loopback, the way a plain static web server of a ward would.

`DemoSite` runs a ThreadingHTTPServer in a background thread. It answers GET and HEAD with
Content-Type, Last-Modified and ETag, honours If-None-Match / If-Modified-Since with
304 Not Modified (so the crawler's conditional requests are exercised), answers 404 for
anything outside the site root, and fills the `{{BASE}}` placeholder of robots.txt, the
sitemap and the feed with the origin it is served from.

    with DemoSite() as site:            # serves demo/site/ on an ephemeral port
        print(site.base_url)            # "http://127.0.0.1:PORT"

`python -m demo.serve [--port 8001] [--host 127.0.0.1] [--root DIR]` serves until interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import re
import threading
from collections.abc import Mapping, Sequence
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit

from demo.feeds import BASE

SITE_DIR = Path(__file__).resolve().parent / "site"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
}
FEED_TYPE = "application/rss+xml; charset=utf-8"
TEMPLATED = frozenset({".txt", ".xml"})       # files that may hold the {{BASE}} placeholder
VALID_HOST = re.compile(r"^[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
NOT_FOUND_PAGE = ("<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
                  "<title>Không tìm thấy trang</title></head><body><h1>404 – Không tìm thấy trang</h1>"
                  "<p>Trang bạn yêu cầu không tồn tại hoặc đã bị gỡ bỏ. "
                  "<a href=\"/\">Về trang chủ</a></p></body></html>\n").encode()


class DemoSite:
    """The static demo site served on `host:port` (0 = any free port) until the context exits."""

    def __init__(self, root: Path | str | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.root = Path(root or SITE_DIR).resolve()
        if not self.root.is_dir():
            raise FileNotFoundError(f"demo site root {self.root} is not a directory "
                                    "(build it with: python -m demo.build_site)")
        self.host = host
        self.port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """The origin the site answers on, e.g. "http://127.0.0.1:8001" (no trailing slash)."""
        return f"http://{self.host}:{self.port}"

    def start(self) -> DemoSite:
        handler = type("BoundHandler", (StaticHandler,), {"root": self.root, "fallback_base": ""})
        self._server = ThreadingHTTPServer((self.host, self.port), handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        handler.fallback_base = self.base_url
        self._thread = threading.Thread(target=self._server.serve_forever, name="demo-site", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> DemoSite:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()


class StaticHandler(BaseHTTPRequestHandler):
    """GET/HEAD of the files under `root`; no directory listings, nothing outside the root."""

    root: Path
    fallback_base: str
    protocol_version = "HTTP/1.1"
    server_version = "DemoWard/1.0"
    timeout = 10

    def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silent by design
        pass

    def _answer(self, send_body: bool) -> None:
        url_path = urlsplit(self.path).path
        target = resolve(self.root, url_path)
        if target is not None and target.is_dir():
            if not url_path.endswith("/"):
                self._send(HTTPStatus.MOVED_PERMANENTLY, b"", {"Location": url_path + "/"}, send_body)
                return
            target = target / "index.html"
        if target is None or not target.is_file():
            self._send(HTTPStatus.NOT_FOUND, NOT_FOUND_PAGE, {"Content-Type": CONTENT_TYPES[".html"]},
                       send_body)
            return
        body = target.read_bytes()
        if target.suffix in TEMPLATED:
            body = body.replace(BASE.encode(), self._origin().encode())
        mtime = int(target.stat().st_mtime)
        headers = {
            "Content-Type": FEED_TYPE if target.name == "rss.xml" else content_type(target),
            "Last-Modified": formatdate(mtime, usegmt=True),
            "ETag": '"' + hashlib.sha1(body).hexdigest()[:20] + '"',
        }
        if not_modified(self.headers, headers["ETag"], mtime):
            self._send(HTTPStatus.NOT_MODIFIED, b"", headers, send_body=False)
        else:
            self._send(HTTPStatus.OK, body, headers, send_body)

    def _origin(self) -> str:
        return origin(self.headers.get("Host"), self.fallback_base)

    def _send(self, status: HTTPStatus, body: bytes, headers: dict[str, str], send_body: bool) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)


def not_modified(request_headers: Mapping[str, str], etag: str | None, modified: float | None) -> bool:
    """Whether a conditional GET may be answered 304 (RFC 9110): If-None-Match decides when
    present (weak tags compare equal, `*` matches); If-Modified-Since only otherwise, and only
    when the resource was modified (`modified`, a POSIX time) no later than that date."""
    if_none_match = request_headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or (etag is not None and etag in tags)
    if_modified_since = request_headers.get("If-Modified-Since")
    if if_modified_since and modified is not None:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and int(modified) <= since.timestamp()
    return False


def origin(host_header: str | None, fallback: str) -> str:
    """The origin the client asked for (its Host header) when that is a plain host[:port], else
    `fallback`: absolute URLs in robots.txt, sitemaps and feeds follow the name the site was reached by."""
    host = host_header or ""
    return f"http://{host}" if VALID_HOST.match(host) else fallback


def resolve(root: Path, url_path: str) -> Path | None:
    """The file or directory under `root` that `url_path` names, or None when it names none safely.

    Percent-escapes are decoded once; dot segments, hidden names, backslashes and NUL bytes are
    refused outright, and the resolved path (symlinks followed) must still lie inside `root`.
    """
    try:
        decoded = unquote(url_path, errors="strict")
    except UnicodeDecodeError:
        return None
    if not decoded.startswith("/") or "\\" in decoded or "\x00" in decoded:
        return None
    segments = [s for s in decoded.split("/") if s]
    if any(s.startswith(".") for s in segments):
        return None
    candidate = root.joinpath(*segments).resolve()
    if candidate != root and not candidate.is_relative_to(root):
        return None
    return candidate if candidate.exists() else None


def content_type(path: Path) -> str:
    return CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the demo ward site until interrupted.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8001,
                        help="port to bind, 0 for any free one (default 8001)")
    parser.add_argument("--root", type=Path, default=None, help="site directory (default demo/site)")
    args = parser.parse_args(argv)
    with DemoSite(args.root, args.host, args.port) as site:
        print(site.base_url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
