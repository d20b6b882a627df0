"""The web UI as staff reach it: `python -m webui` in a subprocess, and a small HTTP client for it."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HttpError(Exception):
    def __init__(self, status: int, url: str) -> None:
        super().__init__(f"HTTP {status} for {url}")
        self.status = status


class Api:
    """GET requests to the web UI at `base`."""

    def __init__(self, base: str) -> None:
        self.base = base

    def get(self, path: str, **params: object) -> bytes:
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            raise HttpError(error.code, url) from None

    def json(self, path: str, **params: object) -> dict:
        return json.loads(self.get(path, **params))

    def search(self, q: str, **params: object) -> dict:
        return self.json("/api/search", q=q, **params)

    def document(self, doc_id: str) -> dict | None:
        try:
            return self.json(f"/api/doc/{doc_id}")
        except HttpError as error:
            if error.status == 404:
                return None
            raise

    def all_documents(self) -> list[dict]:
        """Every document's search result (listed by date, 100 a page)."""
        found: list[dict] = []
        page = 1
        while True:
            answer = self.search("", sort="oldest", per_page=100, page=page)
            found += answer["results"]
            if not answer["results"] or len(found) >= answer["total"]:
                return found
            page += 1


class WebUI:
    """`python -m webui` serving `config` on a free port; a context manager."""

    def __init__(self, config: Path, log: Path) -> None:
        self.config = config
        self.log = log
        self.port = free_port()
        self.api = Api(f"http://127.0.0.1:{self.port}")
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> WebUI:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "webui", "--config", str(self.config), "--port", str(self.port)],
                cwd=ROOT, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the web UI exited with {self.process.returncode}; see {self.log}")
            try:
                self.api.json("/healthz")
                return self
            except (urllib.error.URLError, ConnectionError, HttpError):
                self.process_wait(0.1)
        raise RuntimeError(f"the web UI did not answer within 60 s; see {self.log}")

    def process_wait(self, seconds: float) -> None:
        """Wait for the process to exit, at most `seconds` (the web UI's readiness poll)."""
        assert self.process is not None
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(seconds)

    def __exit__(self, *exc: object) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
