"""The held-out split: half of the corpus the ranking is never tuned on, and the rule that keeps it so.

Each article belongs to one part, TUNING or HELD-OUT, by a salted SHA-256 of its
id: stable across runs, machines and corpus order, and independent of the
synthetic dates (a CRC of the id). Each part is indexed as its own collection.
Per-query results may be shown for the tuning part only; of the held-out part
only aggregates are printed, and every held-out evaluation is counted in the
work directory, so that how often it was looked at can be reported.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.corpus import Article

TUNING = "tuning"
HELDOUT = "heldout"
PARTS = (TUNING, HELDOUT)
HELDOUT_PERCENT = 50     # equal parts: same collection size, so the two parts differ by overfitting only
_SALT = b"tinphuong-holdout-1:"
LOOKS_FILE = "heldout-looks.jsonl"


class HeldOutRefusal(Exception):
    """Per-query results of the held-out part were asked for: they are never shown."""


def part_of(article_id: str) -> str:
    """The part an article belongs to, from its id alone."""
    digest = hashlib.sha256(_SALT + article_id.encode("utf-8")).digest()
    return HELDOUT if int.from_bytes(digest[:8], "big") % 100 < HELDOUT_PERCENT else TUNING


def select(articles: Sequence[Article], part: str) -> list[Article]:
    """The articles of one part, in their given order."""
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r} (expected one of {', '.join(PARTS)})")
    return [a for a in articles if part_of(a.id) == part]


def add_split_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--split", choices=PARTS, required=True,
                        help="which part of the corpus to index and evaluate: 'tuning' (look at anything) or "
                             "'heldout' (aggregates only; never tune on it)")


def check_per_query_output(part: str, count: int) -> None:
    """Raise when per-query results (queries, ranks, failures) would be shown for the held-out part."""
    if part == HELDOUT and count:
        raise HeldOutRefusal("per-query results of the held-out split are never shown "
                             "(use --split tuning to look at failures)")


def record_look(work_dir: Path, commit: str, summary: dict[str, float]) -> int:
    """Append this held-out evaluation to the work directory's log; return how many there have been."""
    work_dir.mkdir(parents=True, exist_ok=True)
    log = work_dir / LOOKS_FILE
    entry = {"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "commit": commit, "summary": summary}
    with log.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")
    return sum(1 for line in log.read_text(encoding="utf-8").splitlines() if line.strip())
