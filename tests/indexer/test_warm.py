"""Warming a searcher before forking: the warm caches give the answers cold ones give, and a process
forked after warm-up searches beside its parent and follows a new index generation by itself."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index

from indexer.generations import live_generation
from indexer.schema import BODY, BODY_FOLDED, TITLE
from indexer.search import Searcher, SearchRequest
from indexer.search.postings import PostingsCache
from indexer.writing.writer import new_generation
from tests.indexer.test_search import CORPUS, page, write

REQUESTS = [
    {"q": "hoà bình"}, {"q": "hoa"}, {"q": "phuong"}, {"q": "đảng viên"}, {"q": "dang vien moi"},
    {"q": "cán bộ phường"}, {"q": "\"chữa cháy\""}, {"q": "tiep dan -thu"}, {"q": "ubnd"},
    {"q": "phong chay chua chay", "site": "tan-dinh"}, {"q": "hoa binh thuy loi"},
    {"q": "", "sort": "newest"}, {"q": "", "sort": "oldest", "from": "2023-01-01", "to": "2023-12-31"},
    {"q": "tin", "sort": "newest", "per_page": "2", "page": "2"}, {"q": "khuyen hoc"},
]


def answers(searcher: Searcher) -> list[dict]:
    """Every request's whole answer (results, totals, facets, suggestion), without the timing."""
    found = []
    for params in REQUESTS:
        answer = searcher.search(SearchRequest.from_params({"per_page": "10", **params})).to_dict()
        answer.pop("took_ms")
        found.append(answer)
    return found


@pytest.fixture
def index_dir(tmp_path) -> Path:
    write(tmp_path, CORPUS)
    return tmp_path


def test_a_warm_searcher_answers_as_a_cold_one(index_dir):
    warm = Searcher(index_dir)
    warm.warm()
    warm.warm()                                   # again: nothing changes
    cold = Searcher(index_dir)
    assert answers(warm) == answers(cold)
    assert any(a["total"] for a in answers(cold)) and any(a["suggestion"] for a in answers(cold))
    assert warm.site_months() == cold.site_months() and warm.site_counts() == cold.site_counts()


def test_preload_reads_the_most_frequent_terms_lists_as_reading_them_on_demand_does(index_dir):
    searcher = whoosh_index.open_dir(str(live_generation(index_dir))).searcher()
    reader = searcher.reader()
    budget = 40
    preloaded = PostingsCache(searcher)
    read = preloaded.preload([BODY, BODY_FOLDED, TITLE], budget)
    assert 0 < read <= budget
    counts = {(f, t.decode()): reader.doc_frequency(f, t)
              for f in (BODY, BODY_FOLDED, TITLE) for t in reader.lexicon(f)}
    loaded = [key for key in counts if key in preloaded._terms]
    assert sum(counts[key] for key in loaded) == read
    # the lists held are the most frequent: no term left out is held by more documents than one kept
    assert max(n for key, n in counts.items() if key not in loaded) <= min(counts[key] for key in loaded)
    on_demand = PostingsCache(searcher)
    for fieldname, term in loaded:
        mine, theirs = preloaded.get(fieldname, term), on_demand.get(fieldname, term)
        assert np.array_equal(mine.docs, theirs.docs) and np.array_equal(mine.scores, theirs.scores)
        assert np.array_equal(mine.keys, theirs.keys)
    searcher.close()


def index_files_read_through_descriptors(index_dir: Path) -> set[str]:
    """Index files this process holds a descriptor to without having them memory-mapped: those
    are read with seek and read, whose file position a forked process would share."""
    held = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(index_dir)):
            held.add(target)
    mapped = {line.split(None, 5)[-1].strip() for line in Path("/proc/self/maps").read_text().splitlines()
              if str(index_dir) in line}
    return held - mapped


def child_answers(index_dir: Path, searcher: Searcher) -> tuple[int, int, int]:
    """Fork a process that answers `REQUESTS` with `searcher` each time it reads a byte from its
    command pipe, writing the answers as one JSON line; (pid, command fd, answer fd)."""
    commands_r, commands_w = os.pipe()
    answers_r, answers_w = os.pipe()
    pid = os.fork()
    if pid == 0:                                                  # the child: never returns
        code = 1
        try:
            os.close(commands_w)
            os.close(answers_r)
            with os.fdopen(answers_w, "w") as out:
                while os.read(commands_r, 1):
                    out.write(json.dumps(answers(searcher)) + "\n")
                    out.flush()
            code = 0
        finally:
            os._exit(code)
    os.close(commands_r)
    os.close(answers_w)
    return pid, commands_w, answers_r


@pytest.mark.skipif(not sys.platform.startswith("linux") and not os.environ.get("CI"),  # CI: fail, not skip
                    reason="fork and /proc: the server forks on Linux")
def test_a_process_forked_after_warm_up_answers_beside_its_parent_and_follows_a_new_generation(index_dir):
    searcher = Searcher(index_dir)
    searcher.warm()
    assert not index_files_read_through_descriptors(index_dir)   # reads go through memory maps
    expected = answers(Searcher(index_dir))
    pid, commands, replies = child_answers(index_dir, searcher)
    lines = os.fdopen(replies)
    try:
        os.write(commands, b"x" * 3)
        for _ in range(3):                                        # both processes read the same reader
            assert answers(searcher) == expected
            assert json.loads(lines.readline()) == expected

        extra = page("moi", "Khuyến học năm mới", "Quỹ khuyến học phường trao học bổng năm mới.")
        with new_generation(index_dir, procs=1) as writer:        # the writer is not locked out
            for doc in [*CORPUS, extra]:
                writer.upsert(doc)
        refreshed = answers(Searcher(index_dir))
        assert refreshed != expected
        os.write(commands, b"x")
        assert json.loads(lines.readline()) == refreshed          # the child switched by itself
        assert answers(searcher) == refreshed
    finally:
        os.close(commands)
        lines.close()
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
