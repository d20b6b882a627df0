"""Where one request's time goes: each step of a page, timed in process over the HTTP benchmark's mix.

Run from the project root:  .venv/bin/python -m benchmarks.bench_request [--docs N]
The app answers `benchmarks.bench_http`'s request mix through Flask's test client (no
network, one thread) on the cached index build. The steps are timed by wrapping the functions
that do them (their callers look them up at call time): ranking (`tiers.ranked`), stored-field
reads, snippets and highlighted titles, "did you mean", "more like this", and template
rendering. The first pass fills every cache (posting lists, suggester, filters); the table is
the second pass: CPU milliseconds per request of the kind (this thread's CPU time, which other
processes on the machine barely change), mean, and the share of the request's CPU time; the
last rows give the whole request's CPU and wall-clock time.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import os
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

if not __package__:                      # run as `python benchmarks/bench_request.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_http import request_mix  # noqa: E402
from benchmarks.corpus import SITE, add_corpus_options, load_or_exit  # noqa: E402
from benchmarks.systems import ours  # noqa: E402
from benchmarks.tables import format_table  # noqa: E402
from benchmarks.workdir import add_work_dir_options, cached_build  # noqa: E402

# (label, module, attribute): the functions timed, where their callers find them
STEPS = [
    ("ranking", "indexer.search.searcher", "ranked"),
    ("stored fields", "whoosh.reading", "SegmentReader.stored_fields"),     # copied by each new searcher
    ("snippets", "indexer.search.response", "make_snippet"),
    ("titles", "indexer.search.response", "highlight_title"),
    ("did you mean", "indexer.search.reader", "ReaderState.suggest"),
    ("more like this", "indexer.search.searcher", "similar_documents"),
    ("rendering", "flask.templating", "_render"),
]


def instrument(spent: dict[str, float]) -> None:
    """Wrap each step so that its time adds to `spent[label]` (a step inside another counts in both)."""
    import importlib

    for label, module_name, attribute in STEPS:
        owner = importlib.import_module(module_name)
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        setattr(owner, name, timed(getattr(owner, name), label, spent))


def timed(func: Callable, label: str, spent: dict[str, float]) -> Callable:
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        started = time.thread_time()
        try:
            return func(*args, **kwargs)
        finally:
            spent[label] += time.thread_time() - started
    return wrapper


def kind(path: str) -> str:
    if path.startswith("/doc/"):
        return "document page"
    return "date listing" if "from=" in path else "search"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_corpus_options(parser)
    add_work_dir_options(parser)
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also profile the second pass (cProfile) and print its N costliest functions")
    args = parser.parse_args(argv)
    spent: dict[str, float] = defaultdict(float)
    instrument(spent)
    articles = load_or_exit(args)
    build = cached_build(ours, lambda: [a.to_document() for a in articles], args)
    paths = request_mix(articles, args.seed)

    from tinphuong.config import parse_config
    from webui import create_app

    with tempfile.TemporaryDirectory(prefix="bench-request-") as work:
        config = parse_config({"storage": {"index_dir": str(build.path), "archive_dir": f"{work}/archive"},
                               "sites": [{"name": SITE, "title": "Báo Mới", "start_urls": ["https://baomoi.com/"]}]},
                              Path(work) / "config.toml")
        client = create_app(config).test_client()
        load = os.getloadavg()[0]
        first = measure(client, paths, spent)
        profiler = cProfile.Profile() if args.profile else None
        second = measure(client, paths, spent, profiler)
    print(f"\n{build.docs} documents, {len(paths)} requests per pass; load average {load:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end (2 cores); CPU ms per request, mean of the second pass")
    kinds = sorted(second)
    header = ["step", *kinds]
    rows = [[label, *(share(second[k], label) for k in kinds)] for label, _, _ in STEPS]
    totals = (("whole request, cpu", second, "cpu"), ("whole request, wall", second, "total"),
              ("(first pass, cpu)", first, "cpu"))
    for label, passed, key in totals:
        rows.append([label, *(f"{passed[k][key] / passed[k]['count'] * 1000:.1f}" for k in kinds)])
    everything = {key: sum(second[k][key] for k in kinds) for key in ("cpu", "total", "count")}
    print(f"all kinds: {everything['cpu'] / everything['count'] * 1000:.1f} CPU ms per request, "
          f"{everything['total'] / everything['count'] * 1000:.1f} ms wall")
    print(format_table(header, rows))
    if profiler is not None:
        print(f"\nsecond pass under cProfile (its overhead included), {args.profile} costliest functions:")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)
    return 0


def measure(client, paths: list[str], spent: dict[str, float],
            profiler: cProfile.Profile | None = None) -> dict[str, dict[str, float]]:
    """One pass over the mix: per kind of request, the time of each step, the total and the count."""
    per_kind: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for path in paths:
        spent.clear()
        started, cpu_started = time.perf_counter(), time.thread_time()
        if profiler is not None:
            profiler.runcall(client.get, path)
        else:
            client.get(path)
        totals = per_kind[kind(path)]
        totals["total"] += time.perf_counter() - started
        totals["cpu"] += time.thread_time() - cpu_started
        totals["count"] += 1
        for label, seconds in spent.items():
            totals[label] += seconds
    return per_kind


def share(totals: dict[str, float], label: str) -> str:
    if not totals.get(label):
        return "-"
    ms = totals[label] / totals["count"] * 1000
    return f"{ms:.1f} ({totals[label] / totals['cpu']:.0%})"


if __name__ == "__main__":
    sys.exit(main())
