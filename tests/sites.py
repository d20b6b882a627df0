"""Test web sites on 127.0.0.1: a route table served by a real HTTP server on an ephemeral port.

    with TestSite() as site:
        site.page("/", "<a href='/a'>a</a>")
        site.route("/a", body=b"...", headers={"Content-Type": "text/html"}, etag='"v1"')
        site.redirect("/old", "/a")
        site.handler("/cal/", lambda request: Response(body=...))   # prefix route, computed answers
        ...crawl site.url("/")...
        assert site.count("/a") == 1 and site.requests[0].headers["User-Agent"]

Every request is logged (method, path, headers, monotonic time, and once answered the status
and body bytes) so tests can assert on what a crawler really asked for, when, and how often.
Routes can delay, trickle their body, answer a sequence of statuses (503, 503, 200), and answer
conditional requests with 304 when given an ETag or Last-Modified. Unknown paths answer 404.
A stopped site refuses connections (open keep-alive connections are closed too) and `start()`
serves again on the same port. A client that drops its connection (a crawler killed mid-request)
is counted in `dropped`, not reported; any other error in the server prints its traceback.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from demo.serve import not_modified


@dataclass
class Request:
    method: str
    path: str                     # path and query, as requested
    headers: dict[str, str]
    time: float                   # time.monotonic() when the request arrived
    status: int = 0               # the status answered (0 while the answer is being made)
    bytes: int = 0                # body bytes answered


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0            # seconds before the status line is sent
    trickle: float = 0.0          # seconds between 1-byte writes of the body (slow servers)
    send_length: bool = True      # False: no Content-Length, the body ends when the connection closes


@dataclass
class Route:
    """A fixed answer, or a sequence of answers (the last one repeats)."""

    answers: list[Response]
    etag: str | None = None
    last_modified: str | None = None

    def answer(self, request: Request, seen: int) -> Response:
        response = self.answers[min(seen, len(self.answers) - 1)]
        modified = parsedate_to_datetime(self.last_modified).timestamp() if self.last_modified else None
        if response.status == 200 and not_modified(request.headers, self.etag, modified):
            headers = {k: v for k, v in response.headers.items() if k.lower() in ("etag", "last-modified")}
            return Response(status=304, headers=headers)
        return response


Handler = Callable[[Request], Response]


class TestSite:
    """A web site for one test: routes, a request log, and a server thread on 127.0.0.1."""

    __test__ = False   # not a pytest test class

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.prefixes: list[tuple[str, Handler]] = []
        self.requests: list[Request] = []
        self._seen: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._port = 0                        # 0 until first started; kept so a restart reuses it
        self._connections: set[socket.socket] = set()
        self.dropped = 0                      # connections the client reset or closed mid-request

    # --- building the site -------------------------------------------------------------------------

    def route(self, path: str, body: bytes | str = b"", status: int = 200,
              headers: dict[str, str] | None = None, etag: str | None = None,
              last_modified: str | None = None, delay: float = 0.0, trickle: float = 0.0,
              content_type: str | None = "text/html; charset=utf-8") -> Route:
        """Serve a fixed answer at `path` (path plus query, exactly as requested)."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        all_headers = {"Content-Type": content_type} if content_type else {}
        if etag:
            all_headers["ETag"] = etag
        if last_modified:
            all_headers["Last-Modified"] = last_modified
        all_headers.update(headers or {})
        route = Route([Response(status, data, all_headers, delay, trickle)], etag, last_modified)
        self.routes[path] = route
        return route

    def page(self, path: str, html: str, **options) -> Route:
        """An HTML page (UTF-8) with a minimal document around `html`."""
        document = f"<!doctype html><html><head><title>{path}</title></head><body>{html}</body></html>"
        return self.route(path, document, **options)

    def sequence(self, path: str, answers: list[Response]) -> Route:
        """Answer the n-th request of `path` with answers[n] (the last one repeats)."""
        route = Route(list(answers))
        self.routes[path] = route
        return route

    def redirect(self, path: str, location: str, status: int = 301) -> Route:
        return self.route(path, status=status, headers={"Location": location}, content_type=None)

    def handler(self, prefix: str, func: Handler) -> None:
        """Answer every path starting with `prefix` with `func(request)`."""
        self.prefixes.append((prefix, func))

    # --- what happened -----------------------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._port, "site never started"
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def requested(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def count(self, path: str) -> int:
        return len(self.requested(path))

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    # --- serving -----------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> TestSite:
        """Listen on 127.0.0.1: on a free port the first time, on the same port after a stop."""
        self._server = _Server(("127.0.0.1", self._port), _make_handler(self), self)
        self._port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop listening and close every open connection: clients get "connection refused"."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        with self._lock:
            connections, self._connections = self._connections, set()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> TestSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _drop(self) -> None:
        with self._lock:
            self.dropped += 1

    def _answer(self, request: Request) -> Response:
        with self._lock:
            seen = self._seen[request.path]
            self._seen[request.path] += 1
            self.requests.append(request)
        route = self.routes.get(request.path)
        if route is not None:
            return route.answer(request, seen)
        path_only = urlsplit(request.path).path
        for prefix, func in self.prefixes:
            if path_only.startswith(prefix):
                return func(request)
        return Response(404, b"<html><body>not found</body></html>", {"Content-Type": "text/html"})


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler],
                 site: TestSite) -> None:
        super().__init__(address, handler)
        self.site = site

    def handle_error(self, request: object, client_address: object) -> None:
        """A connection the client dropped is expected (a killed crawler): counted. Anything else is not."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            self.site._drop()
            return
        super().handle_error(request, client_address)


def _make_handler(site: TestSite) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in separate writes: without this, Nagle's algorithm and the
            # client's delayed ACK add 40 ms to every response.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with site._lock:
                site._connections.add(self.connection)

        def finish(self) -> None:
            with site._lock:
                site._connections.discard(self.connection)
            with contextlib.suppress(OSError):
                super().finish()

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            request = Request("GET", self.path, dict(self.headers.items()), time.monotonic())
            response = site._answer(request)
            request.bytes = len(response.body) if response.status != 304 else 0
            request.status = response.status
            if response.delay:
                time.sleep(response.delay)
            try:
                self.send_response(response.status)
                headers = dict(response.headers)
                if response.send_length:
                    headers.setdefault("Content-Length", str(len(response.body)))
                else:
                    headers["Connection"] = "close"
                    self.close_connection = True
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if response.status != 304 and response.body:
                    self._write_body(response)
            except OSError as error:       # the client went away, or the site was stopped meanwhile
                if isinstance(error, ConnectionError):
                    site._drop()
                self.close_connection = True

        def _write_body(self, response: Response) -> None:
            if not response.trickle:
                self.wfile.write(response.body)
                return
            for i in range(len(response.body)):
                self.wfile.write(response.body[i:i + 1])
                self.wfile.flush()
                time.sleep(response.trickle)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
            pass

    return _Handler
