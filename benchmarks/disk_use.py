"""Disk use per thousand articles: a generated ward site crawled and indexed by real refreshes.

Run from the project root:  .venv/bin/python -m benchmarks.disk_use [--articles 1000] [--nights 2]
A `tests.wardsite` site of --articles articles (each style: WordPress-like, with sitemap and feed,
and ASP.NET-like, without) is served on 127.0.0.1 and refreshed (delay 0) once, then once per
further night after the site published 3 articles, edited one and deleted one. A refresh is what
`python -m crawler refresh` does (the crawl, then the index update), run in this process so that
the revisit policy's clock is the evening of the site's simulated day. After each refresh it prints
the bytes of the WARC files, of the crawl state and of the index, and the counts behind them; then
the figures per 1,000 articles, and how long `python -m crawler verify` and `python -m indexer
rebuild` took on the last night's archive.
Nothing is compared with a target: the figures are for planning (README, "Disk use").
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

if not __package__:                      # run as `python benchmarks/disk_use.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_crawl import night_clock  # noqa: E402
from benchmarks.tables import format_table  # noqa: E402
from benchmarks.workdir import PROJECT_ROOT, directory_size  # noqa: E402
from crawler.crawl import CrawlRun  # noqa: E402
from crawler.parallel import crawl_sites  # noqa: E402
from indexer.generations import live_generation  # noqa: E402
from indexer.search import Searcher  # noqa: E402
from indexer.writing.pipeline import update_index  # noqa: E402
from tests.wardsite import WardSite  # noqa: E402
from tinphuong.config import load_config  # noqa: E402
from tinphuong.crawl_state import STATE_FILE, CrawlStateReader  # noqa: E402
from tinphuong.warc import WARC_SUBDIR  # noqa: E402

MB = 1e6


@dataclass(frozen=True)
class Night:
    style: str
    night: int
    articles: int            # articles the site has published so far (live or deleted)
    documents: int
    captures: int
    warc_bytes: int
    state_bytes: int
    index_bytes: int
    seconds: float


def timed(root: Path, *command: str) -> float:
    """Seconds `python -m <command> --config <root>/config.toml` took; exits if it failed."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", *command, "--config", str(root / "config.toml")],
                            cwd=PROJECT_ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({result.returncode}): {result.stdout[-1000:]}"
                 f"{result.stderr[-2000:]}")
    return time.perf_counter() - started


def refresh(root: Path, site: WardSite, style: str, night: int) -> Night:
    """A nightly refresh (crawl, then index update) on the evening of the site's day `night`."""
    started = time.perf_counter()
    config = load_config(root / "config.toml")
    with CrawlRun(config, "refresh", clock=night_clock(site, night)) as run:
        crawl_sites(run, list(config.sites))
        run.seal_archive()
        update_index(config)
    seconds = time.perf_counter() - started
    searcher = Searcher(root / "index")
    documents = searcher.count()
    searcher.close()
    with CrawlStateReader.open_readonly(root / "archive") as state:
        captures = sum(counts["captures"] for counts in state.site_counts().values())
    archive, index = root / "archive", live_generation(root / "index")
    return Night(style, night, len(site.ever()), documents, captures, directory_size(archive / WARC_SUBDIR),
                 (archive / STATE_FILE).stat().st_size, directory_size(index), seconds)


def measure(style: str, articles: int, nights: int, seed: int) -> tuple[list[Night], list[object]]:
    with tempfile.TemporaryDirectory(prefix="tinphuong-disk-") as tmp, \
            WardSite(style, seed=seed, articles=articles) as site:
        root = Path(tmp)
        entry = site.config_entry("phuong")
        (root / "config.toml").write_text(
            '[storage]\narchive_dir = "archive"\nindex_dir = "index"\n'
            '[crawl]\nuser_agent = "TinPhuongBench/1.0"\ndelay_seconds = 0\n'
            f'[[sites]]\nname = "phuong"\ntitle = {json.dumps(entry["title"], ensure_ascii=False)}\n'
            f'start_urls = {json.dumps(entry["start_urls"])}\nmax_pages = {articles * 4}\n', encoding="utf-8")
        results = [refresh(root, site, style, 0)]
        for night in range(1, nights):
            day = site.advance()
            day.publish(3)
            day.edit(part="body")
            day.delete()
            results.append(refresh(root, site, style, night))
        last = results[-1]
        verify, rebuild = timed(root, "crawler", "verify"), timed(root, "indexer", "rebuild")
        return results, [style, f"{(last.warc_bytes + last.state_bytes) / MB:.1f}", f"{verify:.1f}",
                         last.documents, f"{rebuild:.1f}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="articles on each generated site")
    parser.add_argument("--nights", type=int, default=2, help="refreshes: the first crawl, then nights")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--styles", default="wordpress,aspnet", help="site styles, comma-separated")
    args = parser.parse_args(argv)
    measured = [measure(style, args.articles, args.nights, args.seed) for style in args.styles.split(",")]
    nights = [n for results, _ in measured for n in results]
    print(format_table(
        ["style", "night", "articles", "documents", "captures", "WARC MB", "state MB", "index MB",
         "refresh s"],
        [[n.style, n.night, n.articles, n.documents, n.captures, f"{n.warc_bytes / MB:.1f}",
          f"{n.state_bytes / MB:.2f}", f"{n.index_bytes / MB:.1f}", f"{n.seconds:.0f}"] for n in nights]))
    print()
    rows = []
    for first in (n for n in nights if n.night == 0):
        per = 1000 / first.articles
        rows.append([first.style, f"{(first.warc_bytes + first.state_bytes) / MB * per:.1f}",
                     f"{first.index_bytes / MB * per:.1f}"])
        for later, before in zip([n for n in nights if n.style == first.style][1:],
                                 [n for n in nights if n.style == first.style], strict=False):
            grown = (later.warc_bytes + later.state_bytes) - (before.warc_bytes + before.state_bytes)
            rows.append([f"{first.style}, night {later.night}", f"+{grown / MB * per:.1f}",
                         f"{later.index_bytes / MB * per:.1f}"])
    print(format_table(["per 1,000 articles", "archive MB (WARC + state)", "index MB"], rows))
    print()
    print(format_table(["last night", "archive MB", "verify s", "documents", "rebuild s"],
                       [timing for _, timing in measured]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
