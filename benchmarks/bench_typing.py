"""Latency of typed phrases: ours as `/api/search` answers them, beside FTS5, in one run on the full corpus.

Run from the project root:  .venv/bin/python -m benchmarks.bench_typing [--http] [--queries 300]
The queries are the typed-query evaluation's phrases (`typed_queries.py`: title
and body spans of 3-8 syllables, every kind mixed), made from the whole corpus
and answered by the index of the whole corpus: latency is a property of the
collection's size, and nothing is tuned on its per-query results (none are
printed). Ours is warmed first as `python -m webui` warms before it serves (the
most frequent terms' lists read). Systems answer each query in turn, so load from
other processes falls on all of them alike. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

if not __package__:                      # run as `python benchmarks/bench_typing.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_search import P50_TARGET_MS, P95_TARGET_MS, percentile  # noqa: E402
from benchmarks.corpus import add_corpus_options, load_or_exit  # noqa: E402
from benchmarks.known_items import OccurrenceIndex  # noqa: E402
from benchmarks.systems import fts5, ours, ours_http  # noqa: E402
from benchmarks.tables import format_table  # noqa: E402
from benchmarks.typed_queries import KINDS, make_typed_items  # noqa: E402
from benchmarks.workdir import add_work_dir_options, cached_build, kept_queries  # noqa: E402

BASELINE = "fts5_or"
RATIO_TARGET = 2.0               # our p95 within this factor of the baseline's p95, measured in the same run
WARM_UP = 30                     # distinct queries, answered before the measured ones
REPEATS = 2                      # further passes over the measured queries (the posting lists now cached)

Respond = Callable[[dict[str, str]], dict]


def timed_passes(responders: dict[str, Respond], queries: list[str], passes: int
                 ) -> list[dict[str, list[float]]]:
    """Milliseconds per query and system, for each pass; the systems answer each query in turn."""
    results = []
    for _ in range(passes):
        timings: dict[str, list[float]] = {name: [] for name in responders}
        for query in queries:
            for name, respond in responders.items():
                started = time.perf_counter()
                respond({"q": query})
                timings[name].append((time.perf_counter() - started) * 1000)
        results.append(timings)
    return results


def summary(timings: list[float]) -> tuple[float, float, float]:
    ordered = sorted(timings)
    return percentile(ordered, 0.50), percentile(ordered, 0.95), ordered[-1]


def checks(name: str, p50: float, p95: float, baseline_p95: float) -> list[tuple[str, str, bool]]:
    ratio = p95 / baseline_p95 if baseline_p95 else float("inf")
    return [(f"{name} p50 <= {P50_TARGET_MS:.0f} ms", f"{p50:.1f}", p50 <= P50_TARGET_MS),
            (f"{name} p95 <= {P95_TARGET_MS:.0f} ms", f"{p95:.1f}", p95 <= P95_TARGET_MS),
            (f"{name} p95 <= {RATIO_TARGET:.0f}x {BASELINE} p95", f"{ratio:.2f}x ({baseline_p95:.1f} ms)",
             ratio <= RATIO_TARGET)]


def typed_queries(articles: list, count: int, seed: int) -> list[str]:
    """`count` queries of every kind mixed, in a seeded order."""
    per_article = len(KINDS) * 0.8            # most articles give a query of most kinds
    items = make_typed_items(articles, OccurrenceIndex(articles), int(count / per_article) + 20, seed)
    random.Random(seed).shuffle(items)
    return [item.query for item in items[:count]]


def kept_typed_queries(articles: list, args: argparse.Namespace) -> list[str]:
    """`typed_queries`, made once per selection and kept in the work directory."""
    made = kept_queries(args, "phrases", f"{WARM_UP + args.queries}",
                        lambda: typed_queries(articles, WARM_UP + args.queries, args.seed))
    assert isinstance(made, list)
    return made


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_corpus_options(parser)
    add_work_dir_options(parser)
    parser.add_argument("--queries", type=int, default=300, metavar="N",
                        help="measured queries (default: 300)")
    parser.add_argument("--http", action="store_true",
                        help="also ask a real `python -m webui` on loopback (HTTP and JSON included)")
    args = parser.parse_args(argv)

    articles = load_or_exit(args)
    documents = functools.cache(lambda: [a.to_document() for a in articles])
    builds = {module.NAME: cached_build(module, documents, args) for module in (ours, fts5)}
    for name, build in builds.items():
        state = "built" if build.fresh else "cached"
        print(f"{name:9} {state}: {build.docs} docs, {build.path}", file=sys.stderr)
    queries = kept_typed_queries(articles, args)
    warm_up, measured = queries[:WARM_UP], queries[WARM_UP:]
    print(f"{len(measured)} measured + {len(warm_up)} warm-up queries", file=sys.stderr)

    started = time.perf_counter()
    served = ours.Ours(builds["ours"].path, warm=True)      # as `python -m webui` warms before serving
    print(f"ours warmed in {time.perf_counter() - started:.1f} s, as the server does before serving",
          file=sys.stderr)
    systems = {"ours": served,
               BASELINE: fts5.Fts5(builds["fts5"].path, any_term=True)}
    if args.http:
        systems["ours_http"] = ours_http.OursOverHttp(builds["ours"].path)
    try:
        responders = {name: system.respond for name, system in systems.items()}
        load_before = os.getloadavg()[0]
        timed_passes(responders, warm_up, 1)
        first, *repeats = timed_passes(responders, measured, 1 + REPEATS)
        load_after = os.getloadavg()[0]
    finally:
        for system in systems.values():
            system.close()

    rows, figures = [], {}
    for name in systems:
        figures[name] = summary(first[name])
        again = [summary(r[name]) for r in repeats]
        rows.append([name, len(measured), *(f"{v:.1f}" for v in figures[name]),
                     *(f"{statistics.median(a[i] for a in again):.1f}" for i in (0, 1))])
    print(f"\nlatency in ms of typed phrases, first pass over unseen queries after {WARM_UP} warm-up "
          f"queries; {builds['ours'].docs} documents; load average {load_before:.1f} before, "
          f"{load_after:.1f} after (2 cores)")
    print(format_table(["system", "requests", "p50", "p95", "max", "again p50", "again p95"], rows))
    print(f"(again: median over {REPEATS} more passes over the same queries, posting lists already read)")
    verdicts = [check for name in systems if name.startswith("ours")
                for check in checks(name, figures[name][0], figures[name][1], figures[BASELINE][1])]
    print()
    print(format_table(["target", "measured", "verdict"],
                       [[t, m, "PASS" if ok else "FAIL"] for t, m, ok in verdicts]))
    return 0 if all(ok for _, _, ok in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
