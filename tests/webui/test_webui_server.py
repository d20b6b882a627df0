"""`python -m webui` as the administrator runs it. Under gunicorn: several worker processes answer, forked
with the live generation open and warm, each follows a new index generation, a worker forked after the
refresh starts on it, and SIGTERM stops it all with exit 0. Under waitress: the caches are built
before the first request."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from indexer.document import Document
from indexer.writing.writer import new_generation
from tests.webui.browser import server_process
from tests.webui.webui_corpus import build_corpus

# gunicorn serves on Linux only; in CI (CI set) these tests run anyway, so that a CI machine where
# they cannot fails instead of passing with the server untested.
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") and not os.environ.get("CI"),
                                reason="gunicorn serves on Linux")
WORKERS = 3


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (the gunicorn master's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def booted_workers(master: int, replacing: list[int] = ()) -> list[int]:
    """The workers, once the master has forked them all (it listens, and logs, just before), none of
    them one of `replacing`."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        workers = children(master)
        if len(workers) == WORKERS and not set(workers) & set(replacing):
            return workers
        time.sleep(0.1)
    raise AssertionError(children(master))


def open_generations(pid: int, index_dir: Path) -> set[str]:
    """The index generations whose files the process holds open."""
    held = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = Path(os.readlink(fd))
        except OSError:
            continue
        if target.parent.parent == index_dir:
            held.add(target.parent.name)
    return held


def documents(base: str) -> int:
    with urllib.request.urlopen(base + "/healthz", timeout=10) as response:
        return json.loads(response.read())["documents"]


def until_every_worker_holds(base: str, workers: list[int], index_dir: Path, generation: str) -> list[int]:
    """Ask /healthz from several clients at once until every worker has answered on `generation`;
    the document counts seen meanwhile."""
    seen: list[int] = []
    deadline = time.monotonic() + 60
    with ThreadPoolExecutor(max_workers=2 * len(workers)) as pool:
        while time.monotonic() < deadline:
            seen += pool.map(lambda _: documents(base), range(4 * len(workers)))
            if all(open_generations(pid, index_dir) == {generation} for pid in workers):
                return seen
    raise AssertionError({pid: open_generations(pid, index_dir) for pid in workers})


def live_generation(index_dir: Path) -> str:
    return (index_dir / "CURRENT").read_text().strip()


def test_workers_answer_follow_a_new_generation_and_stop_on_sigterm(tmp_path):
    corpus = build_corpus(tmp_path)
    index_dir = corpus.config.storage.index_dir
    before = len(corpus.listing) + 5
    with server_process(corpus.config.path, "--server", "gunicorn", "--workers", str(WORKERS),
                        "--threads", "2") as (process, base):
        workers = booted_workers(process.pid)
        first = live_generation(index_dir)
        # forked with the generation the master opened and warmed, before any request
        assert all(open_generations(pid, index_dir) == {first} for pid in [process.pid, *workers])
        assert set(until_every_worker_holds(base, workers, index_dir, first)) == {before}

        extra = Document(url="http://bennghe.example.gov.vn/tin-tuc/moi.html", site="ben-nghe",
                         title="Tin mới sau lần cập nhật", text="Bài viết mới được lập chỉ mục.")
        with new_generation(index_dir, procs=1) as writer:           # what `python -m indexer rebuild` does
            for doc in [corpus.article, corpus.hostile, corpus.gone, corpus.latin1, corpus.broken,
                        *corpus.listing, extra]:
                writer.upsert(doc)
        second = live_generation(index_dir)
        assert second != first
        assert set(until_every_worker_holds(base, workers, index_dir, second)) == {before + 1}
        assert children(process.pid) == workers                      # the same processes, not restarted
        assert open_generations(process.pid, index_dir) == {first}    # the master forked nothing since

        os.kill(workers[0], signal.SIGKILL)                          # a worker dies: the master forks another
        replaced = booted_workers(process.pid, replacing=workers[:1])
        newcomer = (set(replaced) - set(workers)).pop()
        # the master warmed the new generation before forking: the newcomer starts on it, answers from it
        assert open_generations(process.pid, index_dir) == {second}
        assert open_generations(newcomer, index_dir) == {second}
        assert set(until_every_worker_holds(base, replaced, index_dir, second)) == {before + 1}

        os.killpg(process.pid, signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        log = process.stderr.read()
        assert log.strip().splitlines()[-1].endswith("tinphuong.webui: stopped")
        assert "Traceback" not in log and not children(process.pid)


def test_waitress_warms_the_live_generation_before_any_request(tmp_path):
    corpus = build_corpus(tmp_path)
    index_dir = corpus.config.storage.index_dir
    with server_process(corpus.config.path, "--server", "waitress", "--threads", "2") as (process, base):
        live = live_generation(index_dir)
        deadline = time.monotonic() + 30
        while open_generations(process.pid, index_dir) != {live}:      # no request asked for it
            assert time.monotonic() < deadline, open_generations(process.pid, index_dir)
            time.sleep(0.1)
        assert documents(base) == len(corpus.listing) + 5
    assert "Traceback" not in process.stderr.read()
