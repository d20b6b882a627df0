"""Crawl benchmark on generated ward sites served on 127.0.0.1: what a night costs, what it finds.

Run from the project root:  .venv/bin/python -m benchmarks.bench_crawl [--articles 2000] [--city 50]

Two parts, both on `tests.wardsite` sites (no corpus, no network):

- Two large sites of --articles articles, one per style: "wordpress" (a sitemap
  with lastmod, a feed) and "aspnet" (paginated listings only, no sitemap). Day 0
  is the full crawl; day 1 a refresh with nothing changed; day 2 a refresh after
  a day of news (--new articles at the top of the listings, --backdated ones in
  the middle of the main listing, --edits, --deletes). Then further nights,
  nothing changing, until every edit and deletion has been seen (at most
  --nights): without a sitemap that is the rotation's job, within revisit_days.
  The crawl runs without delay (--delay 0): pages per second is then the
  crawler's own cost, fsyncs included; the generated server runs in this process.
- A city of --city small sites (--city-articles each, both styles in turn), each
  its own host, with delay_seconds = --city-delay, crawled --concurrency at once:
  the wall time against the sum of the sites' own crawl times (first to last
  request, from the servers' logs: what crawling them one after the other
  would take), and the shortest gap between two requests to one host.

Requests and bytes are counted by the servers (bytes: response bodies). Times
are wall-clock on this machine; the refresh figures are counts, not times.
Exit status 1 when a target is missed: a no-change refresh above 10% of the
full crawl's requests, a new article not found the next night, an edit or
deletion not seen the next night on the sitemap site or within revisit_days
without one, a gap below the delay.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

if not __package__:                      # run as `python benchmarks/bench_crawl.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.tables import format_table  # noqa: E402
from crawler.crawl import CrawlRun  # noqa: E402
from crawler.parallel import crawl_sites  # noqa: E402
from crawler.state import CrawlState  # noqa: E402
from tests.wardsite import City, WardSite  # noqa: E402
from tinphuong.config import Config, parse_config  # noqa: E402
from tinphuong.urls import canonicalize  # noqa: E402

REFRESH_TARGET = 0.10          # a no-change refresh: at most this share of the full crawl's requests
REVISIT_DAYS = 30
USER_AGENT = "TinPhuongBench/1.0 (+mailto:bench@example.invalid)"


@dataclass
class Night:
    requests: int
    bytes: int
    seconds: float
    pages: int                    # URLs the crawler processed
    kinds: Counter[str] = field(default_factory=Counter)   # requests by what they asked for (`kind_of`)
    listings_changed: int = 0     # listing pages answered 200 (the others: 304)

    @property
    def html(self) -> int:
        """Requests for HTML pages (listings and the others), without requisites and attachments."""
        return self.kinds["listing"] + self.kinds["page"]


@dataclass
class BigSite:
    style: str
    full: Night
    unchanged: Night
    news: Night
    reached: tuple[int, int]             # articles archived by the full crawl, of how many
    new: tuple[int, int]                 # found the next night, of how many
    edited: tuple[int, int]
    deleted: tuple[int, int]
    all_seen_after: int | None           # nights after the day of news until every change was seen
    roles: dict[str, int] = field(default_factory=dict)


def config_for(tmp: Path, entries: list[dict], delay: float, concurrency: int) -> Config:
    raw = {"storage": {"archive_dir": "archive", "index_dir": "index"},
           "crawl": {"user_agent": USER_AGENT, "delay_seconds": delay, "concurrency": concurrency,
                     "timeout_seconds": 10, "max_retries": 1},
           "sites": [entry | {"max_pages": 100_000, "revisit_days": REVISIT_DAYS} for entry in entries]}
    return parse_config(raw, tmp / "config.toml")


def night_clock(site: WardSite, day: int):
    """The crawl's clock on `day`: that evening (UTC), after the day's changes (made from 07:00, +07:00)."""
    moment = datetime.combine(site.days[day].date, datetime.min.time(), UTC) + timedelta(hours=20)
    return lambda: moment


def crawl_night(config: Config, sites: list[WardSite], day: int) -> tuple[float, int]:
    """One crawl of every configured site on `day`; (seconds, URLs processed)."""
    started = time.monotonic()
    with CrawlRun(config, clock=night_clock(sites[0], day)) as run:
        summaries = crawl_sites(run, list(config.sites))
    return time.monotonic() - started, sum(s.fetched for s in summaries)


def measured(config: Config, site: WardSite, day: int) -> Night:
    seconds, pages = crawl_night(config, [site], day)
    traffic = site.traffic(day)
    with CrawlState.open(config.storage.archive_dir) as state:
        kinds = [(kind_of(state, canonicalize(site.url(r.path))), r.status) for r in traffic.requests]
    return Night(traffic.count, traffic.bytes, seconds, pages, Counter(kind for kind, _ in kinds),
                 sum(1 for kind, status in kinds if kind == "listing" and status == 200))


def kind_of(state: CrawlState, url: str | None) -> str:
    """What a request asked for: a listing page, another page, a requisite, an attachment, or other
    (robots.txt, URLs never noted)."""
    known = state.url(url) if url else None
    if known is None or known.kind not in ("page", "requisite", "attachment"):
        return "other"
    return "listing" if known.role == "listing" else known.kind


def reached(config: Config, site: WardSite) -> int:
    """The site's articles archived (their URL in the main listing has a capture)."""
    with CrawlState.open(config.storage.archive_dir) as state:
        return sum(1 for a in site.live() if state.captures(canonicalize(site.article_url(a))))


def big_site(style: str, args: argparse.Namespace) -> BigSite:
    with WardSite(style, seed=args.seed, articles=args.articles) as site, \
            tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
        config = config_for(Path(tmp), [site.config_entry(style)], args.delay, 1)
        full = measured(config, site, 0)
        archived = (reached(config, site), len(site.live()))
        site.advance()
        unchanged = measured(config, site, 1)
        day = site.advance()
        new = day.publish(args.new)
        pages = max(2, len(site.live()) // site.per_page)
        new += [day.backdate(listing_page=2 + n * (pages - 2) // max(1, args.backdated))
                for n in range(args.backdated)]
        edited = [day.edit(part="title" if n % 2 else "body") for n in range(args.edits)]
        deleted = [day.delete() for _ in range(args.deletes)]
        url = {a.id: canonicalize(site.article_url(a)) for a in new + edited + deleted}
        before = content_captures(config, [url[a.id] for a in edited])
        news = measured(config, site, 2)
        found_new = sum(bool(captures_of(config, url[a.id])) for a in new)
        seen_edits, seen_deletes = seen(config, url, edited, deleted, before)
        next_night = (len(seen_edits), len(seen_deletes))
        nights = 0
        while (len(seen_edits) < len(edited) or len(seen_deletes) < len(deleted)) and nights < args.nights:
            nights += 1
            site.advance()
            crawl_night(config, [site], 2 + nights)
            seen_edits, seen_deletes = seen(config, url, edited, deleted, before)
        complete = len(seen_edits) == len(edited) and len(seen_deletes) == len(deleted)
        return BigSite(style, full, unchanged, news, archived, (found_new, len(new)),
                       (next_night[0], len(edited)), (next_night[1], len(deleted)),
                       nights if complete else None, roles(config, style))


def captures_of(config: Config, url: str) -> list[dict]:
    with CrawlState.open(config.storage.archive_dir) as state:
        return state.captures(url)


def content_captures(config: Config, urls: list[str]) -> dict[str, int]:
    """Full 200 responses archived per page, under any of its URLs (an edit is seen when one more is)."""
    with CrawlState.open(config.storage.archive_dir) as state:
        return {u: sum(1 for each in [u, *state.aliases_of(u)] for c in state.captures(each)
                       if c["kind"] == "response" and c["status"] == 200) for u in urls}


def seen(config: Config, url: dict, edited: list, deleted: list, before: dict[str, int]) -> tuple[set, set]:
    now = content_captures(config, [url[a.id] for a in edited])
    with CrawlState.open(config.storage.archive_dir) as state:
        gone = {a.id for a in deleted if (known := state.url(url[a.id])) is not None and known.gone}
    return {a.id for a in edited if now[url[a.id]] > before[url[a.id]]}, gone


def roles(config: Config, site: str) -> dict[str, int]:
    with CrawlState.open(config.storage.archive_dir) as state:
        counts: dict[str, int] = {}
        for known in state.site_urls(site):
            key = known.role or known.kind
            counts[key] = counts.get(key, 0) + 1
        return counts


@dataclass
class CityRun:
    sites: int
    pages: int
    requests: int
    wall: float
    sum_of_sites: float
    min_gap: float
    refresh_wall: float
    refresh_requests: int


def city(args: argparse.Namespace) -> CityRun:
    with City(args.city, seed=args.seed, articles=args.city_articles) as town, \
            tempfile.TemporaryDirectory(prefix="bench-city-") as tmp:
        config = config_for(Path(tmp), town.config_entries(), args.city_delay, args.concurrency)
        wall, pages = crawl_night(config, town.sites, 0)
        traffic = [site.traffic(0) for site in town.sites]
        own = sum(max(r.time for r in t.requests) - min(r.time for r in t.requests) for t in traffic)
        town.advance()
        refresh_wall, _ = crawl_night(config, town.sites, 1)
        return CityRun(len(town.sites), pages, sum(t.count for t in traffic), wall, own,
                       min(t.min_gap() for t in traffic), refresh_wall,
                       sum(site.traffic(1).count for site in town.sites))


def report(big: list[BigSite], town: CityRun | None, args: argparse.Namespace) -> list[str]:
    """Print the tables; return the targets missed."""
    missed = []
    rows = []
    for run in big:
        share = run.unchanged.requests / run.full.requests
        rows.append([run.style, f"{run.reached[0]}/{run.reached[1]}", run.full.requests,
                     f"{run.full.bytes / 1e6:.1f} MB",
                     f"{run.full.pages / run.full.seconds:.0f}", run.unchanged.requests,
                     f"{run.unchanged.bytes / 1e3:.0f} kB", f"{share:.1%}", run.news.requests,
                     f"{run.new[0]}/{run.new[1]}", f"{run.edited[0]}/{run.edited[1]}",
                     f"{run.deleted[0]}/{run.deleted[1]}",
                     "never" if run.all_seen_after is None else f"{run.all_seen_after} more"])
        if share > REFRESH_TARGET:
            missed.append(f"{run.style}: a no-change refresh costs {share:.1%} of the full crawl's requests")
        if run.reached[0] < run.reached[1]:
            missed.append(f"{run.style}: {run.reached[1] - run.reached[0]} article(s) not reached by the "
                          "full crawl")
        if run.new[0] < run.new[1]:
            missed.append(f"{run.style}: {run.new[1] - run.new[0]} new article(s) not found the next night")
        if run.style == "wordpress" and (run.edited[0] < run.edited[1] or run.deleted[0] < run.deleted[1]):
            missed.append("wordpress: an edit or deletion with a sitemap lastmod not seen the next night")
        if run.all_seen_after is None or run.all_seen_after > REVISIT_DAYS:
            missed.append(f"{run.style}: edits and deletions not all seen within {REVISIT_DAYS} nights")
    print(f"Large sites: {args.articles} articles each at day 0, delay {args.delay}s; day 2: "
          f"{args.new} new at the top, {args.backdated} backdated into the main listing, "
          f"{args.edits} edited, {args.deletes} deleted")
    print(format_table(["site", "full: articles reached", "requests", "bytes", "pages/s",
                        "no change: requests", "bytes", "of full", "news night: requests", "new found",
                        "edits seen", "deletions seen", "rest seen after"], rows))
    print("\nWhat each night asked for (requests; listing pages answered 200 rather than 304 in brackets):")
    print(format_table(
        ["site", "night", "listing pages", "other pages", "requisites", "attachments", "other",
         "HTML pages, of full"],
        [[run.style, name, f"{night.kinds['listing']} ({night.listings_changed})", night.kinds["page"],
          night.kinds["requisite"], night.kinds["attachment"], night.kinds["other"],
          f"{night.html / run.full.html:.1%}"]
         for run in big for name, night in (("full", run.full), ("no change", run.unchanged),
                                            ("news", run.news))]))
    for run in big:
        print(f"  {run.style}: URLs known at the end, by role: "
              + ", ".join(f"{k} {v}" for k, v in sorted(run.roles.items())))
    if town is not None:
        print(f"\nCity: {town.sites} sites of {args.city_articles} articles, delay {args.city_delay}s, "
              f"concurrency {args.concurrency}")
        print(format_table(
            ["city", "pages", "requests", "wall", "sum of sites", "gain", "pages/s", "min gap/host",
             "no-change refresh: wall", "requests"],
            [["full crawl", town.pages, town.requests, f"{town.wall:.1f} s", f"{town.sum_of_sites:.1f} s",
              f"{town.sum_of_sites / town.wall:.1f}x", f"{town.pages / town.wall:.1f}",
              f"{town.min_gap:.3f} s", f"{town.refresh_wall:.1f} s", town.refresh_requests]]))
        if town.min_gap < args.city_delay:
            missed.append(f"city: two requests to one host {town.min_gap:.3f}s apart "
                          f"(delay {args.city_delay}s)")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--styles", nargs="*", default=["wordpress", "aspnet"])
    parser.add_argument("--delay", type=float, default=0.0, help="delay_seconds for the large sites")
    parser.add_argument("--new", type=int, default=10, help="articles published at the top on day 2")
    parser.add_argument("--backdated", type=int, default=10, help="articles backdated into the listing")
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--deletes", type=int, default=10)
    parser.add_argument("--nights", type=int, default=REVISIT_DAYS, help="nights to wait for the rest")
    parser.add_argument("--city", type=int, default=50, help="sites in the city (0: no city)")
    parser.add_argument("--city-articles", type=int, default=20)
    parser.add_argument("--city-delay", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seed", default="bench")
    args = parser.parse_args(argv)
    big = [big_site(style, args) for style in args.styles]
    town = city(args) if args.city else None
    missed = report(big, town, args)
    for line in missed:
        print("MISSED:", line)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
