"""Publication dates: our extraction against htmldate, on the portal fixtures and the generated ward sites.

Run from the project root:  .venv/bin/python -m benchmarks.bench_dates [--articles 30]

Pages: the 37 articles of `tests/indexer/fixtures/portals` (seven layouts, ground truth
in their `truth.toml`) and `--articles` articles of each generated ward site
(`tests/wardsite`: the WordPress-style and the ASP.NET-style portals, each in both of
its themes, fetched over loopback). For each page: our date (`indexer.extract.extract`,
the whole extraction timed) and htmldate's (`htmldate.find_date` with the page's URL,
`original_date=True` and the capture day as `max_date`, timed), compared with the truth.
htmldate is not a dependency: without it only our figures are printed
(`pip install htmldate` in a scratch venv and run with it on `PYTHONPATH`).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

if not __package__:                      # run as `python benchmarks/bench_dates.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402

from benchmarks.tables import format_table  # noqa: E402
from indexer.extract import extract  # noqa: E402
from indexer.extract.charset import decode_html  # noqa: E402
from tests.indexer.portal_pages import load_pages  # noqa: E402
from tests.wardsite import WardSite  # noqa: E402


@dataclass(frozen=True)
class DatedPage:
    group: str
    url: str
    body: bytes
    headers: list[tuple[str, str]]
    captured: date
    truth: date | None


def fixture_pages() -> list[DatedPage]:
    return [DatedPage(p.layout, p.url, p.html(), p.headers(), p.captured.date(), p.date)
            for p in load_pages() if p.is_article]


def ward_pages(per_site: int) -> list[DatedPage]:
    pages = []
    for style in ("wordpress", "aspnet"):
        for theme in (0, 1):
            with WardSite(style, seed=21, articles=per_site + 5, duplicate_every=0) as site:
                if theme:
                    site.advance().change_theme()
                for article in site.live()[:per_site]:
                    url = site.article_url(article)
                    response = requests.get(url, timeout=10)
                    pages.append(DatedPage(f"wardsite {style} {theme}", url, response.content,
                                           list(response.headers.items()), site.today.date, article.date))
    return pages


def ours(page: DatedPage) -> date | None:
    found = extract(page.body, page.url, page.headers, today=page.captured)
    return found.date if found else None


def htmldate_finder() -> Callable[[DatedPage], date | None] | None:
    try:
        from htmldate import find_date
    except ImportError:
        return None

    def theirs(page: DatedPage) -> date | None:
        html = decode_html(page.body, dict(page.headers).get("Content-Type"))
        found = find_date(html, url=page.url, original_date=True, max_date=page.captured.isoformat())
        return date.fromisoformat(found) if found else None

    return theirs


def measure(pages: list[DatedPage],
            finder: Callable[[DatedPage], date | None]) -> dict[str, tuple[int, int, list]]:
    """Per group: (right, pages, milliseconds per page)."""
    results: dict[str, tuple[int, int, list]] = {}
    for page in pages:
        started = time.perf_counter()
        found = finder(page)
        elapsed = (time.perf_counter() - started) * 1000
        right, count, times = results.get(page.group, (0, 0, []))
        results[page.group] = (right + (found == page.truth), count + 1, [*times, elapsed])
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=30, help="articles per generated ward site and theme")
    args = parser.parse_args()
    pages = fixture_pages() + ward_pages(args.articles)
    systems = {"ours (whole extraction)": ours}
    theirs = htmldate_finder()
    if theirs is None:
        print("htmldate not installed: our figures only (pip install htmldate in a scratch venv)")
    else:
        systems["htmldate.find_date"] = theirs
    rows = []
    for name, finder in systems.items():
        results = measure(pages, finder)
        for group, (right, count, times) in sorted(results.items()):
            rows.append([name, group, f"{right}/{count}", statistics.median(times)])
        right = sum(r for r, _, _ in results.values())
        every = [t for _, _, times in results.values() for t in times]
        rows.append([name, "all", f"{right}/{len(pages)}", statistics.median(every)])
    print(format_table(["system", "pages", "dates right", "median ms/page"], rows))


if __name__ == "__main__":
    main()
