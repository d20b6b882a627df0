"""Known-item search-quality evaluation: MRR@10 per kind of query, ours against two baselines.

Run from the project root:  .venv/bin/python -m benchmarks.eval_quality [--docs 5000]
Prints a table kind x system -> MRR@10 (with the number of queries), the
exactness figures, and PASS/FAIL per target; a few of our failures go to the
terminal (they hold corpus text, so never paste them into committed files).
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

if not __package__:                      # run as `python benchmarks/eval_quality.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import Article, add_corpus_options, load_or_exit  # noqa: E402
from benchmarks.known_items import (  # noqa: E402
    BODY_KINDS,
    KINDS,
    TITLE_KINDS,
    ExactMatcher,
    ExactnessQuery,
    KnownItem,
    OccurrenceIndex,
    make_exactness_queries,
    make_known_items,
)
from benchmarks.systems import SearchSystem, fts5, ours, plain_whoosh  # noqa: E402
from benchmarks.tables import format_table  # noqa: E402
from benchmarks.workdir import add_work_dir_options, cached_build  # noqa: E402

SYSTEMS = {"ours": (ours, ours.Ours), "plain_whoosh": (plain_whoosh, plain_whoosh.PlainWhoosh),
           "fts5": (fts5, fts5.Fts5)}
TOP = 10
TITLE_TARGET = 0.95
BODY_TARGET = 0.90
EXACTNESS_TARGET = 0.90
EXACTNESS_KINDS = ("exact_1syl", "exact_2syl")


def reciprocal_rank(results: Sequence[str], expected: str) -> float:
    return next((1.0 / rank for rank, doc_id in enumerate(results[:TOP], 1) if doc_id == expected), 0.0)


def open_systems(articles: list[Article], args: argparse.Namespace,
                 systems: Mapping[str, tuple[ModuleType, Callable[[Path], SearchSystem]]] = SYSTEMS,
                 ) -> dict[str, SearchSystem]:
    """Each system's cached (or fresh) build, opened; a system that cannot run is reported and left out."""
    documents = [a.to_document() for a in articles]
    opened: dict[str, SearchSystem] = {}
    for name, (module, opener) in systems.items():
        try:
            build = cached_build(module, lambda: documents, args)
            opened[name] = opener(build.path)
            state = "built" if build.fresh else "cached"
            print(f"{name:13} {state}: {build.docs} docs in {build.seconds:.0f} s, "
                  f"{build.size_bytes / 2**20:.0f} MiB, {build.path}", file=sys.stderr)
        except Exception as error:  # noqa: BLE001 - report and compare what can run
            print(f"{name:13} unavailable: {type(error).__name__}: {error}", file=sys.stderr)
    return opened


def run_known_items(system: SearchSystem, items: list[KnownItem]) -> tuple[dict[str, list[float]], list]:
    """Reciprocal ranks per kind, and the misses with what came first instead."""
    ranks: dict[str, list[float]] = defaultdict(list)
    misses = []
    for item in items:
        results = system.search(item.query, TOP)
        rr = reciprocal_rank(results, item.doc_id)
        ranks[item.kind].append(rr)
        if rr < 1.0:
            misses.append((item, rr, results[:1]))
    return ranks, misses


def exactness_kind(query: ExactnessQuery) -> str:
    return f"exact_{len(query.form.split())}syl"


def run_exactness(system: SearchSystem, queries: list[ExactnessQuery], matcher: ExactMatcher
                  ) -> tuple[dict[str, list[float]], list[tuple[ExactnessQuery, float]]]:
    """Share of the top 10 that hold the exact accented form (every chosen form occurs in >= 10 docs),
    per kind, and the queries whose share is below 1."""
    shares: dict[str, list[float]] = defaultdict(list)
    short = []
    for query in queries:
        results = system.search(query.query, TOP)
        share = sum(1 for doc_id in results if matcher.contains(doc_id, query.form)) / TOP
        shares[exactness_kind(query)].append(share)
        if share < 1.0:
            short.append((query, share))
    return shares, short


@dataclass
class Run:
    """What the systems answered: per system and kind, each query's figure; our misses apart."""

    values: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    misses: list = field(default_factory=list)                 # ours: known items not ranked first
    short: list[tuple[ExactnessQuery, float]] = field(default_factory=list)   # ours: exactness below 1


def run_systems(systems: Mapping[str, SearchSystem], items: list[KnownItem], exactness: list[ExactnessQuery],
                matcher: ExactMatcher) -> Run:
    """Every query through every system (each closed afterwards); a failing system is reported, left out."""
    run = Run()
    for name, system in systems.items():
        started = time.perf_counter()
        try:
            ranks, misses = run_known_items(system, items)
            shares, short = run_exactness(system, exactness, matcher)
        except Exception as error:  # noqa: BLE001 - e.g. an index built by older code: report, go on
            print(f"{name:13} failed: {type(error).__name__}: {error}", file=sys.stderr)
            continue
        finally:
            system.close()
        run.values[name] = {**ranks, **shares}
        if name == "ours":
            run.misses, run.short = misses, short
        print(f"{name:13} ran {len(items) + len(exactness)} queries in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
    return run


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def target_for(kind: str) -> float:
    if kind in TITLE_KINDS:
        return TITLE_TARGET
    if kind in BODY_KINDS:
        return BODY_TARGET
    return EXACTNESS_TARGET


def verdicts(scores: dict[str, dict[str, float]], kinds: Sequence[str]) -> list[tuple[str, str, bool]]:
    """(target, detail, met) for each kind: the absolute target and 'not below either baseline'."""
    ours_scores = scores.get("ours", {})
    checks = []
    for kind in kinds:
        mine = ours_scores.get(kind)
        if mine is None:
            checks.append((f"{kind} >= {target_for(kind):.2f}", "ours not measured", False))
            continue
        checks.append((f"{kind} >= {target_for(kind):.2f}", f"{mine:.3f}", mine >= target_for(kind)))
        best_name, best = max(((n, s.get(kind, 0.0)) for n, s in scores.items() if n != "ours"),
                              key=lambda pair: pair[1], default=("-", 0.0))
        checks.append((f"{kind} >= baselines", f"{mine:.3f} vs {best_name} {best:.3f}", mine >= best))
    return checks


def print_misses(misses: list, articles: dict[str, Article], limit: int,
                 kinds: Sequence[str] = KINDS) -> None:
    """A few of our failures, per kind, to the terminal only (they show corpus text)."""
    by_kind: dict[str, list] = defaultdict(list)
    for miss in misses:
        by_kind[miss[0].kind].append(miss)
    for kind in kinds:
        for item, rr, top in by_kind[kind][:limit]:
            expected = articles[item.doc_id].title[:70]
            got = articles[top[0]].title[:70] if top and top[0] in articles else "(no result)"
            rank = f"rank {round(1 / rr)}" if rr else "not in top 10"
            print(f"  [{kind}] q={item.query!r} expected ({rank}): {expected!r} | first: {got!r}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_corpus_options(parser)
    add_work_dir_options(parser)
    parser.add_argument("--queries", type=int, default=300, metavar="N",
                        help="articles sampled to make known-item queries (default: 300)")
    parser.add_argument("--exactness", type=int, default=100, metavar="N",
                        help="exactness queries of each length, 1 and 2 syllables (default: 100)")
    parser.add_argument("--show-failures", type=int, default=3, metavar="N",
                        help="our failing queries shown per kind (terminal only; default: 3)")
    args = parser.parse_args(argv)

    articles = load_or_exit(args)
    systems = open_systems(articles, args)
    started = time.perf_counter()
    items = make_known_items(articles, OccurrenceIndex(articles), args.queries, args.seed)
    exactness = make_exactness_queries(articles, args.exactness, args.seed)
    print(f"queries: {len(items)} known-item, {len(exactness)} exactness "
          f"(made in {time.perf_counter() - started:.0f} s)", file=sys.stderr)

    run = run_systems(systems, items, exactness, ExactMatcher(articles))
    scores = {name: {kind: mean(v) for kind, v in by_kind.items()} for name, by_kind in run.values.items()}
    counts = {kind: len(v) for by_kind in run.values.values() for kind, v in by_kind.items()}
    misses = run.misses

    kinds = [*KINDS, *EXACTNESS_KINDS]
    names = list(scores)
    rows = [[kind, counts.get(kind, 0), *(scores[n].get(kind, 0.0) for n in names)] for kind in kinds]
    print(f"\nMRR@10 per kind (exact_*: share of the top 10 holding the exact form); "
          f"{len(articles)} documents, seed {args.seed}")
    print(format_table(["kind", "n", *names], rows))
    checks = verdicts(scores, kinds)
    print()
    print(format_table(["target", "measured", "verdict"],
                       [[t, d, "PASS" if ok else "FAIL"] for t, d, ok in checks]))
    if misses and args.show_failures:
        print(f"\nsome of our misses ({len(misses)} queries not ranked first):")
        print_misses(misses, {a.to_document().id: a for a in articles}, args.show_failures)
    return 0 if all(ok for _, _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
