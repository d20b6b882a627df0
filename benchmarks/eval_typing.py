"""Typed-query evaluation on one part of the held-out split: MRR@10 per way of typing, with 95% CIs.

Run from the project root:
  .venv/bin/python -m benchmarks.eval_typing --split tuning [--show-failures 5]
  .venv/bin/python -m benchmarks.eval_typing --split heldout
The part's articles are indexed as their own collection by each system (ours,
plain Whoosh, FTS5 with OR of terms); queries are made from the same part
(`typed_queries.py`). Prints n, the mean and a bootstrap 95% interval per kind
and system, and the targets; exit status 1 when a target is missed. Failing
queries are printed for the tuning part only (terminal only: they hold corpus
text); the held-out part prints aggregates and refuses to print anything else.
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import astuple
from pathlib import Path

if not __package__:                      # run as `python benchmarks/eval_typing.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.confidence import bootstrap_interval  # noqa: E402
from benchmarks.corpus import Article, add_corpus_options, load_or_exit  # noqa: E402
from benchmarks.eval_quality import (  # noqa: E402
    exactness_kind,
    mean,
    open_systems,
    print_misses,
    run_systems,
)
from benchmarks.holdout import (  # noqa: E402
    HELDOUT,
    TUNING,
    HeldOutRefusal,
    add_split_option,
    check_per_query_output,
    record_look,
    select,
)
from benchmarks.known_items import ExactMatcher, ExactnessQuery, KnownItem, OccurrenceIndex  # noqa: E402
from benchmarks.systems import fts5, ours, plain_whoosh  # noqa: E402
from benchmarks.tables import format_table  # noqa: E402
from benchmarks.typed_queries import (  # noqa: E402
    EXACT_LENGTHS,
    KINDS,
    make_phrase_exactness,
    make_typed_items,
)
from benchmarks.workdir import PROJECT_ROOT, add_work_dir_options, kept_queries  # noqa: E402

SYSTEMS = {"ours": (ours, ours.Ours), "plain_whoosh": (plain_whoosh, plain_whoosh.PlainWhoosh),
           "fts5_or": (fts5, functools.partial(fts5.Fts5, any_term=True))}
EXACT_KINDS = tuple(f"exact_{n}syl" for n in EXACT_LENGTHS)
TARGET = 0.95
TARGETS = {kind: TARGET for kind in ("body_nodiac", "body_partial", "body_punct", "title_wrong_tone",
                                     "title_no_tone", *EXACT_KINDS)}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_corpus_options(parser)
    add_work_dir_options(parser)
    add_split_option(parser)
    parser.add_argument("--queries", type=int, default=400, metavar="N",
                        help="articles sampled to make known-item queries, one of each kind (default: 400)")
    parser.add_argument("--exactness", type=int, default=100, metavar="N",
                        help="exactness phrases of each length, 2 to 4 syllables (default: 100)")
    parser.add_argument("--systems", default=",".join(SYSTEMS), type=lambda v: v.split(","),
                        help=f"comma-separated systems to run (default: {','.join(SYSTEMS)})")
    parser.add_argument("--show-failures", type=int, default=0, metavar="N",
                        help="our failing queries shown per kind; tuning split only (default: 0)")
    args = parser.parse_args(argv)
    if unknown := [name for name in args.systems if name not in SYSTEMS]:
        parser.error(f"unknown system {unknown[0]!r} (known: {', '.join(SYSTEMS)})")
    try:
        check_per_query_output(args.split, args.show_failures)
    except HeldOutRefusal as refusal:
        parser.error(str(refusal))
    return args


def make_queries(articles: list[Article], args: argparse.Namespace
                 ) -> tuple[list[KnownItem], list[ExactnessQuery]]:
    """The part's queries; the tuning part's are kept in the work directory (`kept_queries`), the
    held-out part's never written to disk."""
    def make() -> dict:
        items = make_typed_items(articles, OccurrenceIndex(articles), args.queries, args.seed)
        exactness = make_phrase_exactness(articles, args.exactness, args.seed)
        return {"items": [astuple(i) for i in items], "exactness": [astuple(q) for q in exactness]}

    made = kept_queries(args, "queries", f"{args.queries} {args.exactness}", make) \
        if args.split == TUNING else make()
    assert isinstance(made, dict)
    return [KnownItem(*item) for item in made["items"]], [ExactnessQuery(*q) for q in made["exactness"]]


def cell(values: list[float], seed: int) -> str:
    if not values:
        return "-"
    low, high = bootstrap_interval(values, seed)
    return f"{mean(values):.3f} [{low:.3f}, {high:.3f}]"


def verdict(kind: str, ours_values: list[float] | None) -> tuple[str, bool]:
    """The target column of a kind, and whether it is met (kinds without a target always are)."""
    if kind not in TARGETS:
        return "", True
    met = bool(ours_values) and mean(ours_values) >= TARGETS[kind]
    return f">= {TARGETS[kind]:.2f} {'PASS' if met else 'FAIL'}", met


def current_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                              text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=PROJECT_ROOT, capture_output=True,
                               text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("+changes" if dirty else "")


def show_failures(split: str, limit: int, misses: list, short: list[tuple[ExactnessQuery, float]],
                  articles: list[Article]) -> None:
    """Our misses and least exact top 10s, per kind (terminal only); refused for the held-out part."""
    check_per_query_output(split, limit)
    print(f"\nsome of our misses ({len(misses)} known-item queries not ranked first):")
    print_misses(misses, {a.to_document().id: a for a in articles}, limit, KINDS)
    by_kind: dict[str, list] = defaultdict(list)
    for query, share in sorted(short, key=lambda pair: pair[1]):
        by_kind[exactness_kind(query)].append((query, share))
    for kind in EXACT_KINDS:
        for query, share in by_kind[kind][:limit]:
            print(f"  [{kind}] q={query.query!r}: {share:.1f} of the top 10 hold it exactly")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    commit = current_commit()            # the code this process runs, whatever happens to the tree meanwhile
    articles = select(load_or_exit(args), args.split)
    print(f"{args.split} part: {len(articles)} articles; load average {os.getloadavg()[0]:.1f}",
          file=sys.stderr)
    systems = open_systems(articles, args, {name: SYSTEMS[name] for name in args.systems})
    items, exactness = make_queries(articles, args)
    run = run_systems(systems, items, exactness, ExactMatcher(articles))

    kinds = [*KINDS, *EXACT_KINDS]
    syllables: dict[str, list[int]] = defaultdict(list)
    for item in items:
        syllables[item.kind].append(len(item.query.split()))
    for query in exactness:
        syllables[exactness_kind(query)].append(len(query.form.split()))
    names = list(run.values)
    rows, met = [], []
    for kind in kinds:
        n = len(syllables[kind])
        target, ok = verdict(kind, run.values.get("ours", {}).get(kind))
        met.append(ok)
        rows.append([kind, n, f"{mean(syllables[kind]):.1f}",
                     *(cell(run.values[name].get(kind, []), args.seed) for name in names), target])
    print(f"\nMRR@10 per kind [95% bootstrap interval] (exact_*: share of the top 10 holding the typed "
          f"phrase exactly); {args.split} part, {len(articles)} documents, seed {args.seed}, "
          f"commit {commit}, load average {os.getloadavg()[0]:.1f}")
    print(format_table(["kind", "n", "syl", *names, "target"], rows))

    if args.split == HELDOUT:
        summary = {kind: round(mean(run.values.get("ours", {}).get(kind, [])), 4) for kind in kinds}
        looks = record_look(args.work_dir, commit, summary)
        print(f"\nheld-out evaluations recorded in {args.work_dir}: {looks} "
              "(per-query results are never shown)")
    elif args.show_failures and "ours" in run.values:
        show_failures(args.split, args.show_failures, run.misses, run.short, articles)
    return 0 if all(met) else 1


if __name__ == "__main__":
    sys.exit(main())
