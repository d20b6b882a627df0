"""The commands run as cron and the administrator run them, against generated ward sites on loopback.

    config = write_config(tmp_path, site)                  # relative storage dirs: the tree can be copied
    result = run("crawler", "verify", config=config)
    with refresh_hanging(site, config) as process: ...     # a refresh that waits on a page that never answers
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.wardsite import WardSite

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60


def write_config(directory: Path, *sites: WardSite, timeout: float = 5) -> Path:
    """A configuration with `archive` and `index` beside it, one [[sites]] entry per ward site."""
    text = ('[storage]\narchive_dir = "archive"\nindex_dir = "index"\n'
            f'[crawl]\nuser_agent = "TinPhuongTest/1.0"\ndelay_seconds = 0\ntimeout_seconds = {timeout}\n'
            'max_retries = 0\n')
    for i, site in enumerate(sites):
        entry = site.config_entry(f"phuong-{i}")
        title = json.dumps(entry["title"], ensure_ascii=False)     # a JSON string is a TOML basic string
        text += (f'[[sites]]\nname = "{entry["name"]}"\ntitle = {title}\n'
                 f'start_urls = {json.dumps(entry["start_urls"])}\n')
    path = directory / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run(*command: str, config: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m <command> --config <config>`, as a separate process."""
    return subprocess.run([sys.executable, "-m", *command, "--config", str(config)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def start(*command: str, config: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", *command, "--config", str(config)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(condition, process: subprocess.Popen, what: str) -> None:
    """Poll `condition` until it holds; fail (killing `process`) if the process ends or time runs out."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            out, err = process.communicate()
            pytest.fail(f"never saw {what} (exit {process.returncode}): {out[-500:]} {err[-1500:]}")
        time.sleep(0.02)


@contextlib.contextmanager
def refresh_hanging(site: WardSite, config: Path) -> Iterator[subprocess.Popen]:
    """A refresh that has archived some pages and now waits on one that never answers (until the
    site's next day), holding the refresh lock; yielded once it is waiting there."""
    hung = site.today.hang()
    process = start("crawler", "refresh", config=config)
    try:
        wait_for(lambda: site.server.count(hung) > 0, process, f"the request for {hung}")
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def verdict(result: subprocess.CompletedProcess) -> str:
    """The summary line verify ends with."""
    lines = result.stdout.strip().splitlines()
    return lines[-1] if lines else ""
