"""Running `python -m webui` and Debian's Chromium (through Playwright) for the browser tests.

Whether they run at all is `browser_requirement`'s rule (skip on a developer's machine without
Chromium, fail in CI); a browser test module asks for the `browser_present` fixture (conftest) first.
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.webui.browser_requirement import CHROMIUM

ROOT = Path(__file__).resolve().parents[2]
# Runs before any page script, in every page of ours: records CSP violations reported to the page.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def wait_for_listening(process: subprocess.Popen, timeout: float = 20) -> str:
    """Read the server's log until its start line names the port; return the base URL."""
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stderr], [], [], 0.2)
        if ready:
            line = process.stderr.readline()
            seen.append(line)
            match = re.search(r"serving (http://127\.0\.0\.1:\d+)/", line)
            if match:
                return match.group(1)
        if process.poll() is not None:
            break
    raise AssertionError("python -m webui did not start:\n" + "".join(seen))


@contextmanager
def server_process(config_path: Path, *args: str) -> Iterator[tuple[subprocess.Popen, str]]:
    """`python -m webui` (with extra `args`) on an ephemeral port for the configuration; yields the process
    and its base URL, then stops it with SIGTERM and checks that it exits cleanly."""
    command = [sys.executable, "-m", "webui", "--config", str(config_path), "--host", "127.0.0.1",
               "--port", "0", *args]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    try:
        yield process, wait_for_listening(process)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        assert process.wait(timeout=20) == 0, "SIGTERM stops the server cleanly"


@contextmanager
def serving(config_path: Path) -> Iterator[str]:
    """`python -m webui` as the browser tests use it; yields its base URL."""
    with server_process(config_path, "--workers", "2", "--threads", "2") as (_, base):
        yield base


@contextmanager
def chromium_page(init_script: str | None = None, **context_options) -> Iterator:
    """A fresh Chromium page (Playwright), with `init_script` run before any script of every page;
    `context_options` go to the browser context (locale, viewport...)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(**context_options)
            if init_script:
                context.add_init_script(init_script)
            yield context.new_page()
        finally:
            browser.close()
