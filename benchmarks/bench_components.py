"""Component timings on worst-case inputs: the suggester, snippets and extraction, each against a target.

Run from the project root:  .venv/bin/python -m benchmarks.bench_components [--runs 5]
The inputs are synthetic and built here (no corpus needed): a 40,000-form
lexicon, a 5 KB article, a 25,000-word query, a 1 MB text, 5 MB of nested
tags. Each figure is the median over --runs runs, after one untimed run; a run
repeats the operation as often as the table says and reports the time per
operation. Exit status 1 when a figure misses its target.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

if not __package__:                      # run as `python benchmarks/bench_components.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.tables import format_table  # noqa: E402
from indexer.extract import extract  # noqa: E402
from indexer.search.snippets import QueryTerms, make_snippet  # noqa: E402
from indexer.search.suggest import Suggester  # noqa: E402

PARAGRAPH = ("Sáng nay, Ủy ban nhân dân phường lấy ý kiến người dân về kế hoạch chỉnh trang đô thị, "
             "lắp đèn chiếu sáng và trồng cây xanh trên các tuyến hẻm của khu phố. ")
MATCH = "Chị Nguyễn Thị Thúy phổ biến công tác kết nạp đảng viên trong tình hình mới. "
LEXICON_FORMS = 40_000            # about as many alphabetic terms as the 35k-article corpus holds


@dataclass(frozen=True)
class Component:
    """One timed operation: `prepare` builds the input (untimed) and returns the operation."""

    name: str
    unit: str                         # "ms" or "s"
    target: float                     # in `unit`, per operation
    repeat: int                       # operations per run
    prepare: Callable[[], Callable[[], object]]


def words(text: str) -> list[str]:
    return text.split()


def lexicon() -> dict[str, int]:
    """Real syllable shapes, counted by length, topped up with rare non-words to LEXICON_FORMS forms."""
    initials = ["", *words("b c ch d đ g gi h kh l m n ng nh ph qu s t th tr v x")]
    rhymes = words("a à á ả ã ạ an àn án ang ảng anh ành ăn ắn ân ần o ò ó ong ông ống ơn ớn u ú ung ưng "
                   "ương ường iên iện iêng oa òa oan oàn uy ủy uyên uyền e è ê ế i ì")
    forms = {i + r: 1 + (len(i) * 977 + len(r) * 131) % 5000 for i in initials for r in rhymes}
    letters = "abcdefghijklmnopqrstuvwxyz"
    for n in range(LEXICON_FORMS - len(forms)):
        forms["zz" + "".join(letters[n // 26 ** k % 26] for k in range(4))] = 1
    return forms


def suggester_build() -> Callable[[], object]:
    forms = lexicon()
    return lambda: Suggester.from_counts(forms, {"đảng viên": 500})


def suggestion() -> Callable[[], object]:
    suggester = Suggester.from_counts(lexicon(), {"đảng viên": 500})
    queries = itertools.cycle(["ket nap dang vien moi o phuong ben nghe", "dnag vien uy ban nhan dna"])
    return lambda: suggester.suggest(next(queries))


def snippet_of_five_kilobytes() -> Callable[[], object]:
    text = (PARAGRAPH * 40)[:5000] + " kết nạp đảng viên"
    terms = QueryTerms.from_strings(["dang", "vien", "nguoi"], ["ket nap"])
    return lambda: make_snippet(text, terms)


def snippet_for_a_huge_query() -> Callable[[], object]:
    """Parsing the query is part of the cost: 5,000 hyphenated syllables and 20,000 words."""
    hyphenated, words = "-".join(["đảng"] * 5000), " ".join(["viên"] * 20000)
    article = PARAGRAPH * 3 + MATCH + PARAGRAPH * 3
    return lambda: make_snippet(article, QueryTerms.from_strings([hyphenated, words]))


def snippet_of_a_megabyte() -> Callable[[], object]:
    text = PARAGRAPH * (1_000_000 // len(PARAGRAPH)) + " thúy"
    return lambda: make_snippet(text, ["thuy"])


def nested_divs_refused() -> Callable[[], object]:
    body = b"<html><body>" + b"<div>" * 1_100_000 + "chữ".encode() + b"</div>" * 10
    headers = [("Content-Type", "text/html; charset=utf-8")]
    return lambda: extract(body, "https://bennghe.example.gov.vn/tin/1.html", headers)


COMPONENTS = [
    Component("suggester build, 40,000 forms", "s", 1.5, 1, suggester_build),
    Component("suggestion, 40,000 forms", "ms", 20.0, 40, suggestion),
    Component("snippet, 5 KB article", "ms", 15.0, 50, snippet_of_five_kilobytes),
    Component("snippet, 25,000-word query", "s", 1.0, 1, snippet_for_a_huge_query),
    Component("snippet, 1 MB text", "s", 1.0, 1, snippet_of_a_megabyte),
    Component("extraction, 5 MB nested divs", "s", 10.0, 1, nested_divs_refused),
]


def per_operation(operation: Callable[[], object], repeat: int, runs: int) -> list[float]:
    """Seconds per operation in each of `runs` runs, after one untimed call."""
    operation()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        for _ in range(repeat):
            operation()
        timings.append((time.perf_counter() - started) / repeat)
    return timings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, metavar="N",
                        help="timed runs per component; the figure is their median (default: 5)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    print(f"load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
    rows, met = [], []
    for component in COMPONENTS:
        print(f"timing {component.name} ...", file=sys.stderr)
        timings = per_operation(component.prepare(), component.repeat, args.runs)
        scale = 1000.0 if component.unit == "ms" else 1.0
        median, worst = statistics.median(timings) * scale, max(timings) * scale
        ok = median <= component.target
        met.append(ok)
        rows.append([component.name, component.unit, args.runs, component.repeat, f"{median:.3f}",
                     f"{worst:.3f}", f"<= {component.target:g}", "PASS" if ok else "FAIL"])
    print(f"\nper operation; median and slowest of {args.runs} runs; "
          f"load average {os.getloadavg()[0]:.1f} (2 cores)")
    print(format_table(["component", "unit", "runs", "ops/run", "median", "slowest", "target", "verdict"],
                       rows))
    return 0 if all(met) else 1


if __name__ == "__main__":
    sys.exit(main())
