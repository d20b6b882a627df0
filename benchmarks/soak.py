"""The month-long soak: nightly refreshes of three changing ward sites while staff search.

Run from the project root (as root for the full-disk night: the data directory is put on a
small tmpfs; without root that night is skipped, with the reason printed):

    .venv/bin/python -m benchmarks.soak [--days 30] [--articles 60] [--revisit-days 7] [--seed 1]

Each simulated day the sites change (news at the top and backdated into the middle, edits,
removals, and once per site: down, a day of 503s, a hanging page, a move with redirects, a
new theme); one real `python -m crawler refresh` runs while a load generator searches
through `python -m webui`; on five days apart the refresh is killed with SIGKILL (three
times during the crawl, once during the index update) or the disk fills up under it. See
`tests/soak/` for what is checked each morning. Prints the day-by-day table, then each
check with PASS/FAIL; exit status 1 when a check fails. Figures are wall-clock on this
machine: say what else was running when quoting them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

if not __package__:                      # run as `python benchmarks/soak.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.tables import format_table  # noqa: E402
from tests.soak.load import percentile  # noqa: E402
from tests.soak.scenario import Plan, Row, Soak, random_disruptions  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=30, help="simulated days after the first crawl (>= 11)")
    parser.add_argument("--articles", type=int, default=60, help="articles per site on day 0")
    parser.add_argument("--revisit-days", type=int, default=7, help="the sites' revisit_days")
    parser.add_argument("--seed", default="1")
    parser.add_argument("--idle-samples", type=int, default=150,
                        help="requests measured idle before each night")
    parser.add_argument("--work-dir", type=Path,
                        help="keep the data here, copied to data-kept/ when on a small disk "
                             "(default: a temporary directory)")
    args = parser.parse_args(argv)
    if args.days < 11:
        parser.error("--days must be at least 11 (five disrupted nights, each followed by a normal one)")

    plan = Plan(days=args.days, seed=args.seed, articles=args.articles, revisit_days=args.revisit_days,
                disruptions=random_disruptions(args.seed, args.days), idle_samples=args.idle_samples)
    print(f"soak: {args.days} days, 3 sites of {args.articles} articles, revisit_days {args.revisit_days}, "
          f"seed {args.seed}; disruptions {dict(sorted(plan.disruptions.items()))}; "
          f"load average {os.getloadavg()[0]:.1f} at start", flush=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tinphuong-soak-") as temporary:
        root = args.work_dir or Path(temporary)
        root.mkdir(parents=True, exist_ok=True)
        outcome = Soak(root, plan, report=lambda line: print(line, file=sys.stderr, flush=True),
                       keep_data=args.work_dir is not None).run()
    minutes = (time.monotonic() - started) / 60

    print()
    print(format_table(Row.HEADER, [row.cells() for row in outcome.rows]))
    print()
    idle = [s.seconds * 1000 for s in outcome.idle]
    during = [s.seconds * 1000 for s in outcome.during]
    for name, values in (("idle", idle), ("during refreshes", during)):
        if values:
            print(f"latency {name}: n={len(values)}, median {percentile(values, 0.5):.0f} ms, "
                  f"p99 {percentile(values, 0.99):.0f} ms")
    print(f"wall time {minutes:.1f} min; load average {os.getloadavg()[0]:.1f} at the end")
    for note in outcome.notes:
        print(note)
    print()
    print(outcome.findings.report())
    return 1 if outcome.findings.failed() else 0


if __name__ == "__main__":
    sys.exit(main())
