"""The archive's own checks: warcio reads every WARC file, `crawler verify`, and a rebuild that must
give back the index the nights maintained."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from indexer.search import Searcher, SearchRequest
from tests.soak.findings import Findings
from tests.soak.webui import ROOT
from tinphuong.warc import OPEN_SUFFIX, WARC_SUBDIR

TOP = 10
NEAR_TIE = 0.001          # scores this close (relative) are one rank


def command(*args: str, config: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args, "--config", str(config)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


class ArchiveChecks:
    def __init__(self, archive_dir: Path, config: Path, findings: Findings) -> None:
        self.warc_dir = archive_dir / WARC_SUBDIR
        self.config = config
        self.findings = findings
        self._read: set[tuple[str, int]] = set()       # (file, size) already read to the end

    def check(self, night: int) -> None:
        """After a completed refresh: every WARC file reads cleanly (each finished file once: they
        never change), none is left open, and verify finds the archive sound."""
        for leftover in sorted(self.warc_dir.glob(f"*{OPEN_SUFFIX}")):
            self.findings.add("warc", f"night {night}: {leftover.name} is still open after a completed "
                                      "refresh")
        for path in sorted(self.warc_dir.glob("*.warc.gz")):
            if (path.name, path.stat().st_size) in self._read:
                continue
            try:
                with open(path, "rb") as stream:
                    for record in ArchiveIterator(stream, check_digests=True):
                        record.content_stream().read()
                self._read.add((path.name, path.stat().st_size))
            except Exception as error:  # noqa: BLE001 - whatever warcio raises is the finding
                self.findings.add("warc", f"night {night}: {path.name}: {type(error).__name__}: {error}")
        verify = command("-m", "crawler", "verify", config=self.config)
        if verify.returncode != 0:
            self.findings.add("verify", f"night {night}: exit {verify.returncode}: "
                                        f"{(verify.stdout + verify.stderr).strip()[-2000:]}")


def compare_rebuild(nightly_dir: Path, rebuilt_dir: Path, queries: Iterable[str], findings: Findings) -> int:
    """The rebuilt index against the nightly one: every document field by field, and the first
    results of each query. Returns the number of documents compared."""
    nightly, rebuilt = Searcher(nightly_dir), Searcher(rebuilt_dir)
    try:
        ours, theirs = _all_ids(nightly), _all_ids(rebuilt)
        for doc_id in sorted(ours ^ theirs):
            where = "nightly index" if doc_id in ours else "rebuilt index"
            findings.add("rebuild", f"document {doc_id} is only in the {where}")
        for doc_id in sorted(ours & theirs):
            a, b = asdict(nightly.document(doc_id)), asdict(rebuilt.document(doc_id))
            differ = sorted(k for k in a if a[k] != b[k])
            if differ:
                findings.add("rebuild", f"document {doc_id} ({a['url']}) differs in {', '.join(differ)}")
        for q in queries:
            request = SearchRequest.from_params({"q": q, "per_page": str(TOP)})
            first, second = ([(r.id, round(r.score, 3)) for r in s.search(request).results]
                             for s in (nightly, rebuilt))
            if not same_order(first, second):
                findings.add("rebuild", f"query {q!r}: nightly top {first} != rebuilt top {second}")
        return len(ours)
    finally:
        nightly.close()
        rebuilt.close()


def same_order(first: list[tuple[str, float]], second: list[tuple[str, float]]) -> bool:
    """The same documents in the same order, except near ties (scores within NEAR_TIE), which may come
    in either order: BM25 counts the documents an update deleted until their segment is merged, so an
    index updated night by night scores a few thousandths apart from a rebuilt one."""
    if [d for d, _ in first] == [d for d, _ in second]:
        return True
    scores = [dict(first), dict(second)]
    if scores[0].keys() != scores[1].keys():
        return False
    place = {doc_id: rank for rank, (doc_id, _) in enumerate(second)}
    ids = [d for d, _ in first]
    swapped = ((a, b) for i, a in enumerate(ids) for b in ids[i + 1:] if place[a] > place[b])
    return all(_near(s[a], s[b]) for a, b in swapped for s in scores)


def _near(a: float, b: float) -> bool:
    return abs(a - b) <= NEAR_TIE * max(abs(a), abs(b), 1e-9)


def _all_ids(searcher: Searcher) -> set[str]:
    """Every document: each one a listing shows, and its copies (a listing shows one per article)."""
    ids: set[str] = set()
    page = 1
    while True:
        answer = searcher.search(SearchRequest.from_params({"q": "", "sort": "oldest", "per_page": "100",
                                                             "page": str(page)}))
        ids |= {r.id for r in answer.results}
        if not answer.results or len(ids) >= answer.total:
            break
        page += 1
    return ids | {copy.id for doc_id in ids for copy in searcher.copies(searcher.document(doc_id))}
