"""`python -m indexer`: bring the index up to date with the archive, rebuild it, search it from the shell."""

from __future__ import annotations

import html
import json
import re
import sys

import click

from indexer.search import BadRequest, Searcher, SearchRequest, SearchResponse, SearchResult
from indexer.writing.pipeline import REBUILD_WORKERS, rebuild_index, update_index
from tinphuong.cli import EXIT_OK, EXIT_USAGE, HELP_OPTIONS, command, config_option, progress
from tinphuong.config import Config

MARK = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)
# Crawled text must not drive the terminal: C0 (except newline and tab), DEL and C1 controls go.
TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@click.group(context_settings=HELP_OPTIONS, help="""Index the WARC archive and search the index.

Results and summary lines go to stdout; log lines go to stderr, with a
progress bar when stderr is a terminal. See docs/cli.md.

\b
Exit codes: 0 done, 1 failure (the log says what), 2 bad usage or
configuration (for search: an invalid --from/--to), 75 another crawl,
refresh or index update holds the archive's lock.
""")
def main() -> None:
    pass


@main.command(help="""Index what the archive holds that the index lacks.

Reads only the WARC records added since the last update (the index keeps a
checkpoint per WARC file), extracts the articles and merges each page's new
captures into its document: a changed page gets its new text, a 304 answer adds
a capture, a 404/410 marks the page gone (it stays searchable). Safe to kill
and to run again: records read twice change nothing. `python -m crawler
refresh` runs this after every crawl. An index built by another version of the
analysis or the index format is left as it is (exit 1): rebuild it.
""")
@config_option
@command
def update(config: Config) -> int:
    summary = update_index(config, progress=_progress)
    click.echo(f"index: {summary}")
    return EXIT_OK


@main.command(help="""Rebuild the whole index from the WARC archive.

Use it after upgrading the extractor or the Vietnamese analysis: every archived
capture is extracted again, without re-crawling. The new index is built beside
the live one, which keeps serving searches; it replaces it only when complete,
so a killed rebuild changes nothing.
""")
@click.option("--workers", type=click.IntRange(1, 32), default=REBUILD_WORKERS, show_default=True,
              metavar="N", help="Extract in N processes while this one writes (default: one per core).")
@config_option
@command
def rebuild(config: Config, workers: int) -> int:
    summary = rebuild_index(config, progress=_progress, workers=workers)
    click.echo(f"index rebuilt: {summary}")
    return EXIT_OK


@main.command(help="""Search the index, as the web UI does.

QUERY is typed as in the search box: with or without diacritics, "quoted
phrases", -word to exclude, abbreviations such as UBND. An empty QUERY lists
documents by date (newest first unless --sort oldest), within --site, --from
and --to. --json prints exactly the JSON of /api/search; otherwise a readable
list, where the matched words are bold on a terminal and [bracketed] when not.
""")
@click.argument("query", default="")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True, metavar="N",
              help="Results per page (1-100).")
@click.option("--page", type=click.IntRange(1, 1000), default=1, show_default=True, metavar="N",
              help="Page of results (1-based).")
@click.option("--site", metavar="NAME", help="Only this site (its `name` in the configuration).")
@click.option("--from", "date_from", metavar="YYYY-MM-DD", help="Published on or after this day.")
@click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Published on or before this day.")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="relevance",
              show_default=True, help="Order of the results.")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON instead of a readable list.")
@config_option
@command
def search(config: Config, query: str, limit: int, page: int, site: str | None, date_from: str | None,
           date_to: str | None, sort: str, as_json: bool) -> int:
    params = {"q": query, "per_page": str(limit), "page": str(page), "sort": sort, "site": site or "",
              "from": date_from or "", "to": date_to or ""}
    try:
        request = SearchRequest.from_params(params)
    except BadRequest as error:
        click.echo(f"error: {error}", err=True)
        return EXIT_USAGE
    searcher = Searcher(config.storage.index_dir, config.search.abbreviations)
    try:
        response = searcher.search(request)
    finally:
        searcher.close()
    if as_json:
        click.echo(json.dumps(response.to_dict(), ensure_ascii=False))
    else:
        click.echo(render(response, bold=sys.stdout.isatty()))
    return EXIT_OK


def render(response: SearchResponse, bold: bool) -> str:
    """A readable result list: title, date, site, URL, snippet with the matched words emphasised."""
    first = (response.page - 1) * response.per_page
    lines = [f"{response.total} result{'s' if response.total != 1 else ''} ({response.took_ms} ms)"]
    if response.suggestion:
        lines.append(f"Did you mean: {_plain(response.suggestion)}")
    for number, result in enumerate(response.results, start=first + 1):
        lines.extend(["", *_result_lines(number, result, bold)])
    return "\n".join(lines)


def _result_lines(number: int, result: SearchResult, bold: bool) -> list[str]:
    heading = f"{number}. {_plain(result.title) or '(no title)'}"
    details = " · ".join(x for x in (result.date or "undated", result.site) if x)
    return [click.style(heading, bold=True) if bold else heading, f"   {details}", f"   {_plain(result.url)}",
            f"   {_snippet(result.snippet, bold)}"]


def _snippet(snippet: str, bold: bool) -> str:
    """The API's HTML snippet as terminal text: <mark> becomes bold (or [brackets] when not a terminal)."""
    pieces = []
    for index, part in enumerate(MARK.split(snippet)):   # odd indexes are the marked words
        text = _plain(html.unescape(part))
        if index % 2:
            text = click.style(text, bold=True) if bold else f"[{text}]"
        pieces.append(text)
    return "".join(pieces)


def _plain(text: str) -> str:
    return TERMINAL_CONTROLS.sub("", text or "")


def _progress(items, label: str):
    return progress(items, label)


if __name__ == "__main__":
    main(prog_name="python -m indexer")
