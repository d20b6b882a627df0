"""Index builds shared between the benchmark scripts through a cache directory.

A build is keyed by the system, the document selection (corpus file, --docs,
--seed, and the held-out split's part when there is one) and a hash of the code
that shapes the index (a system's `CODE` minus its `CODE_IGNORED`: for ours,
`indexer/` without extraction, the pipeline and the query side), so a full run
builds the 35k index once, and a change to the analysis, the schema or the
writer triggers a rebuild.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import whoosh

from indexer.document import Document

DEFAULT_WORK_DIR = Path("/tmp/tinphuong-bench")
PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUILD_INFO = "build.json"


@dataclass(frozen=True)
class Build:
    """A finished index build and what it cost."""

    path: Path
    docs: int
    seconds: float               # wall clock
    cpu_seconds: float           # this process and its children: what the build costs on an idle machine
    size_bytes: int
    fresh: bool                  # built by this run (False: reused from the cache)

    @property
    def docs_per_second(self) -> float:
        return self.docs / self.seconds if self.seconds else 0.0


def add_work_dir_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR,
                        help=f"where index builds are cached between scripts (default: {DEFAULT_WORK_DIR})")
    parser.add_argument("--procs", type=int, default=os.cpu_count() or 1,
                        help="processes for the index builds that can use several (default: all cores)")


def code_hash(system: ModuleType) -> str:
    """Hash of the files whose change invalidates a build of `system`."""
    digest = hashlib.sha256()
    files = [Path(system.__file__), PROJECT_ROOT / "benchmarks" / "corpus.py"]
    ignored = [PROJECT_ROOT / p for p in getattr(system, "CODE_IGNORED", ())]
    for package in getattr(system, "CODE", ()):
        files.extend(sorted(f for f in (PROJECT_ROOT / package).rglob("*")
                            if f.is_file() and "__pycache__" not in f.parts
                            and not any(f == i or i in f.parents for i in ignored)))
    for path in files:
        digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
        digest.update(path.read_bytes())
    digest.update(f"whoosh {whoosh.versionstring()} sqlite {sqlite3.sqlite_version}".encode())
    return digest.hexdigest()[:12]


def selection_key(args: argparse.Namespace) -> str:
    """The document selection, as part of a directory name (with the held-out split's part, if any)."""
    corpus = Path(args.corpus)
    size = corpus.stat().st_size if corpus.exists() else 0
    name = corpus.name.split(".")[0]
    if part := getattr(args, "split", None):
        name += f"+{part}"      # not "-part": a build's prefix must not match another selection's builds
    return f"{name}-{size}-{args.docs or 'all'}-s{args.seed}"


QUERY_CODE = ("corpus", "holdout", "spelling", "keyboards", "known_items", "typed_queries")  # .py files


def kept_queries(args: argparse.Namespace, label: str, parameters: str, make: Callable[[], object]) -> object:
    """Queries (JSON data) made once per selection, `parameters` and query code, then read from the work
    directory: making typed queries takes minutes, and a tuning loop re-runs the same ones."""
    digest = hashlib.sha256(parameters.encode())
    for name in QUERY_CODE:
        digest.update((PROJECT_ROOT / "benchmarks" / f"{name}.py").read_bytes())
    path = args.work_dir / f"{label}-{selection_key(args)}-{digest.hexdigest()[:12]}.json"
    if path.is_file():
        print(f"queries: read from {path}", file=sys.stderr)
        return json.loads(path.read_text(encoding="utf-8"))
    started = time.perf_counter()
    data = make()
    print(f"queries: made in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_suffix(f".{os.getpid()}.tmp")
    staging.write_text(json.dumps(data), encoding="utf-8")
    staging.replace(path)
    return data


def cached_build(system: ModuleType, documents: Callable[[], Sequence[Document]],
                 args: argparse.Namespace, force: bool = False) -> Build:
    """The build of `system` for this selection and code, made now if absent (or if `force`)."""
    prefix = f"{system.NAME}-{selection_key(args)}-"
    target = args.work_dir / (prefix + code_hash(system))
    if not force and (target / BUILD_INFO).is_file():
        info = json.loads((target / BUILD_INFO).read_text())
        return Build(target, info["docs"], info["seconds"], info.get("cpu_seconds", 0.0), info["size_bytes"],
                     fresh=False)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    docs = documents()
    staging = args.work_dir / f".staging-{system.NAME}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    started, cpu_started = time.perf_counter(), cpu_time()
    system.build(docs, staging, procs=args.procs)
    seconds, cpu_seconds = time.perf_counter() - started, cpu_time() - cpu_started
    size = directory_size(staging)
    (staging / BUILD_INFO).write_text(json.dumps({"docs": len(docs), "seconds": seconds,
                                                  "cpu_seconds": cpu_seconds, "size_bytes": size}))
    for stale in args.work_dir.glob(prefix + "*"):          # older code, same selection
        shutil.rmtree(stale, ignore_errors=True)
    staging.rename(target)
    return Build(target, len(docs), seconds, cpu_seconds, size, fresh=True)


def cpu_time() -> float:
    """CPU seconds of this process and of its finished children (Whoosh's writer processes)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def directory_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
