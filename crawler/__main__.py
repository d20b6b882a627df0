"""`python -m crawler`: the nightly refresh and the crawl, as cron and the administrator run them."""

from __future__ import annotations

from collections.abc import Callable

import click

from crawler.clock import run_clock
from crawler.crawl import CrawlRun, total
from crawler.parallel import crawl_sites
from crawler.verify import verify as run_verify
from tinphuong.cli import EXIT_FAILURE, EXIT_OK, HELP_OPTIONS, command, config_option, progress
from tinphuong.config import Config, SiteConfig
from tinphuong.lock import refresh_lock

SITE_HELP = "Only this site (its `name` in the configuration); default: every configured site."
MAX_PAGES_HELP = ("Fetch at most N URLs per site in this run (pages, sitemaps, feeds, requisites and "
                  "attachments alike); the rest wait for the next run. Default: the site's `max_pages`.")


@click.group(context_settings=HELP_OPTIONS,
             help="""Crawl the ward websites of the configuration into the WARC archive.

Summary lines go to stdout; log lines go to stderr, with a progress bar when
stderr is a terminal. See docs/cli.md.

\b
Exit codes: 0 done, 1 something failed (the log says what; the other sites
were still crawled), 2 bad usage or configuration, 75 another crawl, refresh
or index update holds the archive's lock.
""")
def main() -> None:
    pass


def crawl_options(func: Callable[..., int]) -> Callable[..., None]:
    """The options `refresh` and `crawl` share, around the common command wrapper."""
    func = command(func)
    func = click.option("--max-pages", type=click.IntRange(min=1), metavar="N", help=MAX_PAGES_HELP)(func)
    func = click.option("--site", "site_name", metavar="NAME", help=SITE_HELP)(func)
    return config_option(func)


@main.command(short_help="Crawl, archive what changed, update the index (the cron job).",
              help="""Crawl every site incrementally, archive what changed, then update the index.

This is the command for cron. Start pages, listing pages, sitemaps and feeds
are checked every time so new articles are found; a page whose sitemap date
is newer than our copy, or that left the sitemap, is checked at once; every
other page takes its turn, a fixed share each night, so that each is
revalidated every `revisit_days`. Revalidation uses conditional requests
(ETag / Last-Modified). Up to `crawl.concurrency` sites are crawled at once,
one request at a time per host. A refresh killed at any moment leaves archive,
state and index consistent, and the next refresh completes the work. One
summary line per site (fetched, new, changed, unchanged, gone, errors), a
total, and the index update's line are printed.
""")
@crawl_options
def refresh(config: Config, site_name: str | None, max_pages: int | None) -> int:
    sites, clock = _sites(config, site_name), run_clock()
    with refresh_lock(config.storage.archive_dir), CrawlRun(config, "refresh", clock=clock) as run:
        status = _crawl(run, sites, max_pages)
        run.seal_archive()
        try:
            from indexer.writing.pipeline import update_index  # the indexing stage, loaded only when needed

            indexed = update_index(config)
        except Exception:
            run.finish(EXIT_FAILURE)
            raise
        click.echo(f"index: {indexed}")
        run.finish(status, {"index": str(indexed)})
    return status


@main.command(help="""Crawl and archive only (the index is not updated).

Same crawl as `refresh`: incremental, polite, resumable after a kill.
""")
@crawl_options
def crawl(config: Config, site_name: str | None, max_pages: int | None) -> int:
    sites, clock = _sites(config, site_name), run_clock()
    with refresh_lock(config.storage.archive_dir), CrawlRun(config, "crawl", clock=clock) as run:
        status = _crawl(run, sites, max_pages)
        run.finish(status)
    return status


@main.command(help="""Check the archive, the crawl state and the index against each other.

\b
What is read and checked:
- every WARC file, to its end: each gzip member (CRC and length), each
  record's WARC headers and Content-Length, and its WARC-Block-Digest and
  WARC-Payload-Digest where it has them;
- the crawl state (state.sqlite): SQLite's own check, then every capture it
  names must be a record at its file and offset with the same URL, type,
  status and date; files the state accounts for must not have shrunk;
  `.open` files left by an interrupted crawl are reported with what the next
  crawl will keep of them;
- the index: every capture a document lists must be in the archive, the
  index must be of this version's format, and the archived responses it has
  not read yet are counted (what `python -m indexer update` would add).

Each problem is printed with where it is (file, offset, URL) and what a
repair would do (restore a file from a backup, `indexer rebuild`, ...);
verify itself changes nothing. The last line sums up what was read.

Verify takes no lock, so cron's refresh is never turned away because of it,
and it can run while a refresh runs: finished WARC files never change, the
file being written is checked as far as the crawl state accounts for it, and
a capture is called missing only after its record was looked for again.

\b
Exit codes: 0 all sound (notes may be printed), 1 something is damaged,
2 bad usage or configuration. Never 75.
""")
@config_option
@command
def verify(config: Config) -> int:
    from indexer.index_check import check_index  # the indexing stage, loaded only when needed

    report = run_verify(config.storage.archive_dir,
                        index_check=lambda records: check_index(config.storage.index_dir, records),
                        wrap=lambda paths: progress(paths, "verify", length=len(paths)))
    for line in report.lines():
        click.echo(line)
    return EXIT_FAILURE if report.damaged else EXIT_OK


def _sites(config: Config, site_name: str | None) -> list[SiteConfig]:
    """The sites to crawl; an unknown name is a usage error (ConfigError, exit 2)."""
    if site_name is not None:
        return [config.site(site_name)]
    return list(config.sites)


def _crawl(run: CrawlRun, sites: list[SiteConfig], max_pages: int | None) -> int:
    """Crawl `sites` (several at once); the progress bar counts pages and names the site of the last one."""
    label = f"crawl {sites[0].name}" if len(sites) == 1 else f"crawl {len(sites)} sites"
    summaries = crawl_sites(run, sites, max_pages,
                            lambda pages: progress(pages, label, show=lambda site: site))
    for summary in summaries:
        click.echo(summary.line())
    click.echo(total(summaries).line())
    return EXIT_FAILURE if any(s.failed for s in summaries) else EXIT_OK


if __name__ == "__main__":
    main(prog_name="python -m crawler")
