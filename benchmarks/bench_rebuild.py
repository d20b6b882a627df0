"""Rebuild throughput: `python -m indexer rebuild` on a crawled ward archive against a plain Whoosh build.

Run from the project root:  .venv/bin/python -m benchmarks.bench_rebuild [--articles 2000] [--rounds 3]
The archive is two generated ward sites (WordPress and ASP.NET themes) crawled on loopback by the
real crawler, with real PDF and DOCX attachments (`benchmarks/rebuild_archive.py` says why), made
once and kept in the work dir. Each round runs, alternating to spread the noise of a shared machine:
the rebuild as a user runs it (a subprocess, end to end: WARC read, decode, parse, extract, analyse,
write, generation switch) twice, first without the attachments' parses kept in the index directory
(as after a change of the attachment parsers), then with them (as after an improvement of page
extraction, the nightly updates having parsed every file: the targets are judged on this one), then
a plain Whoosh build (`StandardAnalyzer` on title and body, Whoosh's
own multiprocessing writer with as many processes) of the same clean texts: the titles and texts of
the documents the rebuild indexed, already in memory. Prints wall and CPU seconds, documents per
second, their ratio (medians over the rounds), and the top five stages of a profiled rebuild (one
extraction process, so that one profile sees every stage). Exit 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

if not __package__:                      # run as `python benchmarks/bench_rebuild.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from whoosh import index as whoosh_index  # noqa: E402

from benchmarks.rebuild_archive import build_archive  # noqa: E402
from benchmarks.systems import plain_whoosh  # noqa: E402
from benchmarks.tables import format_table  # noqa: E402
from benchmarks.workdir import DEFAULT_WORK_DIR, PROJECT_ROOT, cpu_time  # noqa: E402
from indexer.document import Document  # noqa: E402
from indexer.extract.attachments import parsed_store  # noqa: E402
from indexer.generations import live_generation  # noqa: E402
from indexer.stored import stored_to_document  # noqa: E402
from indexer.writing import pipeline  # noqa: E402
from tinphuong.config import Config  # noqa: E402

TARGET_RATIO = 1.5                  # rebuild time / plain Whoosh time
TARGET_DOCS_PER_SECOND = 100.0
# Stages of the profile: (name, functions whose cumulative time it is, functions to subtract).
STAGES = [
    ("WARC read (warcio, gzip)", ["tinphuong/warc.py:_read_from"], []),
    ("decode (content-encoding, charset)", ["tinphuong/content_encoding.py:decode_content",
                                            "indexer/extract/charset.py:decode_html"], []),
    ("parse (lxml)", ["indexer/extract/parse.py:parse_html"], []),
    ("extract (metadata, boilerplate, text)", ["indexer/extract/__init__.py:extract"],
     ["indexer/extract/parse.py:parse_html", "indexer/extract/charset.py:decode_html"]),
    ("attachments (sandboxed pypdf, python-docx)",
     ["indexer/extract/attachments/__init__.py:extract_attachment"], []),
    ("analyse + write (Whoosh segments)", ["indexer/writing/writer.py:_flush",
                                           "whoosh/writing.py:commit"], []),
    ("group, merge, link (pipeline)", ["indexer/writing/pipeline.py:_apply",
                                       "indexer/writing/pipeline.py:_relink",
                                       "indexer/writing/writer.py:get"], []),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000, help="articles in the archive (default 2000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3, help="rebuild/plain pairs, alternating (default 3)")
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR)
    parser.add_argument("--procs", type=int, default=os.cpu_count() or 1,
                        help="extraction processes of the rebuild, writer processes of plain Whoosh")
    parser.add_argument("--no-profile", action="store_true", help="skip the profiled rebuild")
    args = parser.parse_args(argv)

    print(f"archive of {args.articles} articles (built once, then reused) ...", file=sys.stderr)
    config = build_archive(args.work_dir, args.articles, args.seed)
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", file=sys.stderr)
    rebuilds, colds, plains = [], [], []
    documents: list[Document] = []
    for number in range(args.rounds):
        colds.append(timed_rebuild(config, args.procs, keep_parses=False))
        rebuilds.append(timed_rebuild(config, args.procs))
        documents = documents or indexed_documents(config)
        plains.append(timed_plain(documents, args.work_dir / "plain-whoosh-rebuild", args.procs))
        print(f"round {number + 1}: rebuild {rebuilds[-1][0]:.1f} s (no parse kept: {colds[-1][0]:.1f} s), "
              f"plain {plains[-1][0]:.1f} s, load {os.getloadavg()[0]:.1f}", file=sys.stderr)
    count = len(documents)
    builds = [("python -m indexer rebuild", rebuilds), ("... no attachment parse kept", colds),
              ("plain Whoosh StandardAnalyzer", plains)]
    walls = [statistics.median(r[0] for r in runs) for _, runs in builds]
    cpus = [statistics.median(r[1] for r in runs) for _, runs in builds]
    print(f"\n{count} documents ({sum(d.file is not None for d in documents)} attachments), "
          f"{args.rounds} rounds, medians; procs={args.procs}")
    rows = [[name, f"{wall:.1f}", f"{cpu:.1f}", f"{count / wall:.0f}", f"{count / cpu:.0f}"]
            for (name, _), wall, cpu in zip(builds, walls, cpus, strict=True)]
    print(format_table(["build", "wall s", "cpu s", "docs/s (wall)", "docs/s (cpu)"], rows))
    for (name, runs), cpu in zip(builds[:2], cpus, strict=False):
        ratios = [r[0] / p[0] for r, p in zip(runs, plains, strict=True)]
        print(f"{name} / plain: wall {statistics.median(ratios):.2f} "
              f"(per round: {', '.join(f'{r:.2f}' for r in ratios)}), cpu {cpu / cpus[-1]:.2f}")
    ratio = statistics.median(r[0] / p[0] for r, p in zip(rebuilds, plains, strict=True))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores, shared machine)")
    if not args.no_profile:
        print_profile(config)
    met = ratio <= TARGET_RATIO and count / walls[0] >= TARGET_DOCS_PER_SECOND
    print(f"\ntargets: ratio <= {TARGET_RATIO}, >= {TARGET_DOCS_PER_SECOND:.0f} docs/s: "
          f"{'PASS' if met else 'FAIL'}")
    return 0 if met else 1


def timed_rebuild(config: Config, procs: int, keep_parses: bool = True) -> tuple[float, float]:
    """Wall and CPU seconds (the command and its children) of one `python -m indexer rebuild`; with the
    attachments' parses the updates kept (what a rebuild after an extractor improvement finds) or none."""
    if not keep_parses:
        parsed_store.remove(pipeline.parsed_store(config))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "indexer", "rebuild", "--config", str(config.path),
                    "--workers", str(procs)], check=True, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def timed_plain(documents: list[Document], path: Path, procs: int) -> tuple[float, float]:
    shutil.rmtree(path, ignore_errors=True)
    started, cpu_started = time.perf_counter(), cpu_time()
    plain_whoosh.build(documents, path, procs=procs)
    return time.perf_counter() - started, cpu_time() - cpu_started


def indexed_documents(config: Config) -> list[Document]:
    """Every document of the rebuilt index, read from its stored fields (not through search, which
    shows each group of near-duplicates once): the clean texts the plain build indexes."""
    index = whoosh_index.open_dir(str(live_generation(config.storage.index_dir)))
    with index.searcher() as searcher:
        found = [stored_to_document(stored) for stored in searcher.all_stored_fields()]
    return [doc for doc in found if doc.text or doc.title]


def print_profile(config: Config) -> None:
    """A rebuild in this process under cProfile, its time split into the stages above."""
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.runcall(pipeline.rebuild_index, config, None, 1)      # one worker: no forked writer either
    total = time.perf_counter() - started
    stats = pstats.Stats(profile).stats
    rows = []
    for name, adds, subtracts in STAGES:
        seconds = sum(_cumulative(stats, key) for key in adds)
        seconds -= sum(_cumulative(stats, key) for key in subtracts)
        rows.append([name, seconds, 100 * seconds / total])
    rows.sort(key=lambda row: -row[1])
    print(f"\nprofile of one rebuild in one process, with the kept attachment parses "
          f"(cProfile: {total:.1f} s with its overhead), top five:")
    top = [[name, f"{seconds:.1f}", f"{share:.0f}"] for name, seconds, share in rows[:5]]
    print(format_table(["stage", "seconds", "% of rebuild"], top))


def _cumulative(stats: dict, key: str) -> float:
    """Cumulative seconds of the function `path:name` (every function of that name in that file)."""
    path, name = key.split(":")
    return sum(value[3] for (filename, _, function), value in stats.items()
               if function == name and filename.endswith(path))


if __name__ == "__main__":
    sys.exit(main())
