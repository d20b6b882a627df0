"""Index build throughput: ours (all cores) against a plain StandardAnalyzer Whoosh build.

Run from the project root:  .venv/bin/python -m benchmarks.bench_index [--docs N] [--procs 2]
Always builds afresh (that is the measurement) and leaves the builds in the
work dir, where eval_quality and bench_search reuse them. The clock covers the
index writing only: the corpus is read and turned into Documents beforehand.
Exit status 1 when ours is below the target.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

if not __package__:                      # run as `python benchmarks/bench_index.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import add_corpus_options, load_or_exit  # noqa: E402
from benchmarks.systems import fts5, ours, plain_whoosh  # noqa: E402
from benchmarks.tables import format_table  # noqa: E402
from benchmarks.workdir import add_work_dir_options, cached_build  # noqa: E402

SYSTEMS = {"ours": ours, "plain_whoosh": plain_whoosh, "fts5": fts5}
TARGET_DOCS_PER_SECOND = 300.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_corpus_options(parser)
    add_work_dir_options(parser)
    parser.add_argument("--systems", nargs="+", choices=list(SYSTEMS), default=list(SYSTEMS),
                        help="which builds to time (default: all; fts5 is single-threaded)")
    args = parser.parse_args(argv)

    documents = [a.to_document() for a in load_or_exit(args)]
    chars = sum(len(d.title) + len(d.text) for d in documents)
    print(f"{len(documents)} documents, {chars / 2**20:.0f} Mi characters, procs={args.procs}, "
          f"load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    rows = []
    ours_rate = None
    for name in args.systems:
        print(f"building {name} ...", file=sys.stderr)
        build = cached_build(SYSTEMS[name], lambda: documents, args, force=True)
        procs = 1 if name == "fts5" else args.procs
        rows.append([name, build.docs, procs, f"{build.seconds:.1f}", f"{build.cpu_seconds:.1f}",
                     f"{build.docs_per_second:.0f}", f"{build.size_bytes / 2**20:.0f}"])
        if name == "ours":
            ours_rate = build.docs_per_second
    print(format_table(["system", "docs", "procs", "wall s", "cpu s", "docs/s", "index MiB"], rows))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores; other work slows the wall clock)")
    if ours_rate is None:
        return 0
    met = ours_rate >= TARGET_DOCS_PER_SECOND
    print(f"\nours >= {TARGET_DOCS_PER_SECOND:.0f} docs/s: {ours_rate:.0f}  {'PASS' if met else 'FAIL'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
