"""Ours through HTTP: a real `python -m webui` serving an index on loopback, asked `/api/search`.

The server is started as an administrator starts it (a configuration file whose
`index_dir` is the build), on an ephemeral port read from its "serving" log
line, and stopped with SIGTERM. Requests go over one kept-alive connection, as
a browser's would, and the JSON answer is decoded: what a latency figure then
includes beyond `Searcher.search` is Flask, waitress, HTTP and JSON.
"""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.workdir import PROJECT_ROOT

NAME = "ours_http"
STARTUP_SECONDS = 120
_SERVING = re.compile(r"serving http://([\d.]+):(\d+)/")


class ServerFailed(Exception):
    """The web UI did not start (its log is in the message)."""


class OursOverHttp:
    name = NAME

    def __init__(self, index_dir: Path) -> None:
        self._scratch = tempfile.TemporaryDirectory(prefix="tinphuong-bench-http-")
        scratch = Path(self._scratch.name)
        config = scratch / "config.toml"
        config.write_text(f"[storage]\nindex_dir = {json.dumps(str(Path(index_dir).resolve()))}\n"
                          f"archive_dir = {json.dumps(str(scratch / 'archive'))}\n", encoding="utf-8")
        self._log_path = scratch / "webui.log"
        self._log = self._log_path.open("wb")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "webui", "--config", str(config), "--host", "127.0.0.1", "--port", "0"],
            cwd=PROJECT_ROOT, stdout=self._log, stderr=subprocess.STDOUT)
        try:
            host, port = self._wait_until_serving()
        except ServerFailed:
            self.close()
            raise
        self._connection = http.client.HTTPConnection(host, port, timeout=60)

    def _wait_until_serving(self) -> tuple[str, int]:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            log = self._log_path.read_text(encoding="utf-8", errors="replace")
            if found := _SERVING.search(log):
                return found.group(1), int(found.group(2))
            if self._process.poll() is not None:
                raise ServerFailed(f"python -m webui exited with {self._process.returncode}: {log.strip()}")
            time.sleep(0.1)
        raise ServerFailed(f"python -m webui did not start within {STARTUP_SECONDS} s")

    def respond(self, params: Mapping[str, str]) -> dict:
        """GET /api/search with these parameters; the decoded JSON answer."""
        self._connection.request("GET", "/api/search?" + urlencode(params))
        response = self._connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise ServerFailed(f"/api/search answered {response.status}: {body[:200]!r}")
        return json.loads(body)

    def search(self, query: str, limit: int = 10) -> list[str]:
        return [hit["id"] for hit in self.respond({"q": query, "per_page": str(limit)})["results"]]

    def close(self) -> None:
        if getattr(self, "_connection", None):
            self._connection.close()
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._log.close()
        self._scratch.cleanup()
