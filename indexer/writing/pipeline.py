"""Archive to index: every archived response of a page becomes (part of) one Document.

`update_index` reads the WARC records the index has not seen (the checkpoint
maps each WARC file to the byte offset consumed); `rebuild_index` reads them all
into a new index generation. Records are taken in archive order, extracted in
batches and grouped by page in larger windows; what a group does to the page's
Document:

- a 200 response that extracts to an article: a capture, and the content when
  it is the newest article capture of the page;
- a 304 or an identical-payload revisit: a capture (the page is still there);
- a 404 or 410: a capture; the Document is marked `gone` and stays searchable;
- a 200 that is not an article (a listing, an error page served with 200,
  a layout the extractor cannot read): ignored. An existing Document is kept
  unchanged: the archive keeps the response, and a rebuild with a better
  extractor will see it;
- redirects, server errors and other statuses: ignored;
- captures older than a page's first article capture: not recorded (the page's
  history starts with its content);
- a permanent redirect or an identical-payload revisit filed under another URL
  (the page moved there; the same bytes): the Document indexed under the
  record's own URL, if any, is merged into that URL's (`_merged`).

The result depends only on the set of records, not on their batching or on how
often they are read: captures are merged by (WARC file, offset) and kept in
time order, the content comes from the newest article capture, `gone` from the
newest capture that says whether the page exists. So re-reading records after a
kill between commit and checkpoint changes nothing, and a rebuild gives the
same Documents as the updates did.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields, replace
from itertools import islice
from pathlib import Path

from indexer.document import Capture, Document, document_id
from indexer.extract import Extracted, extract
from indexer.writing.writer import DocumentWriter, new_generation, open_writer
from tinphuong.config import Config, ConfigError, Selectors
from tinphuong.http_response import GONE_STATUSES
from tinphuong.lock import refresh_lock
from tinphuong.urls import canonicalize, host_of
from tinphuong.warc import IDENTICAL_PROFILE, ArchivedResponse, iter_responses

log = logging.getLogger(__name__)

BATCH_RECORDS = 200       # records read (payloads in memory) before their pages are extracted
WINDOW_RECORDS = 5000     # records whose observations are grouped by page and applied together
CHECKPOINT_KEY = "warc_offsets"
ALIVE_STATUSES = frozenset({200, 304})
MOVED_STATUSES = frozenset({301, 308})    # a page's permanent redirect to the URL it is filed under

# Extraction processes for rebuilds. Measured on the 2-core target with 1000 archived pages: one
# process 14.1 s, a pool of two 15.9 s: Whoosh's writer already analyses in two processes, and
# extraction (~6 ms a page) overlaps with it anyway. More cores may change that: `--workers`.
REBUILD_WORKERS = 1

Progress = Callable[[Iterable, str], Iterable]
Job = tuple[bytes, str, list[tuple[str, str]], Selectors]


@dataclass
class IndexSummary:
    """What one update or rebuild did, counted in pages (URLs)."""

    added: int = 0        # new Documents
    updated: int = 0      # Documents whose content or captures changed
    gone: int = 0         # Documents newly marked gone (404/410)
    unchanged: int = 0    # pages whose records were already indexed
    skipped: int = 0      # pages that are not articles (listings, redirects, errors)
    errors: int = 0       # records that could not be read or extracted
    records: int = 0      # archived records read
    seconds: float = 0.0

    def __str__(self) -> str:
        return (f"added {self.added}, updated {self.updated}, gone {self.gone}, unchanged {self.unchanged}, "
                f"skipped {self.skipped}, errors {self.errors} ({self.records} records, {self.seconds:.1f}s)")

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def to_dict(self) -> dict[str, int | float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Observation:
    """One archived record, reduced to what it tells about its page."""

    url: str
    site: str
    capture: Capture
    article: Extracted | None = None   # set for a 200 response that extracted to an article
    merges: str | None = None          # a URL whose own Document this record says is this page's

    @property
    def order(self) -> tuple[str, str, int]:
        return _order(self.capture)


def update_index(config: Config, progress: Progress | None = None) -> IndexSummary:
    """Index what the archive has that the index lacks; safe to kill and to run again."""
    started = time.monotonic()
    with refresh_lock(config.storage.archive_dir), open_writer(config.storage.index_dir) as writer:
        summary = _index(config, writer, progress, Extraction(workers=1))
    return _finished(summary, started)


def rebuild_index(config: Config, progress: Progress | None = None,
                  workers: int = REBUILD_WORKERS) -> IndexSummary:
    """Build a new index generation from every WARC file; the live index serves until it is done.

    `workers` > 1 extracts in that many processes: worth it on machines with cores to spare
    beyond the two Whoosh already analyses in.
    """
    started = time.monotonic()
    with refresh_lock(config.storage.archive_dir), Extraction(workers) as extraction, \
            new_generation(config.storage.index_dir) as writer:
        writer.checkpoint = {}
        summary = _index(config, writer, progress, extraction)
    return _finished(summary, started)


class Extraction:
    """Runs `extract` over a batch of pages: in this process, or in a pool of worker processes."""

    def __init__(self, workers: int = 1) -> None:
        self._pool = multiprocessing.get_context("spawn").Pool(workers) if workers > 1 else None

    def __enter__(self) -> Extraction:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()

    def map(self, jobs: list[Job]) -> list[Extracted | None]:
        if self._pool is None or len(jobs) < 2:
            return [_extract_job(job) for job in jobs]
        return self._pool.map(_extract_job, jobs, chunksize=8)


def _extract_job(job: Job) -> Extracted | None:
    body, url, headers, selectors = job
    return extract(body, url, headers, selectors)


def _index(config: Config, writer: DocumentWriter, progress: Progress | None,
           extraction: Extraction) -> IndexSummary:
    summary = IndexSummary()
    offsets: dict[str, int] = dict(writer.checkpoint.get(CHECKPOINT_KEY) or {})
    records = iter_responses(Path(config.storage.archive_dir), start=offsets)
    if progress is not None:
        records = iter(progress(records, "indexing"))
    touched: set[str] = set()       # ids upserted since the last commit
    for observations, ends in _windows(config, records, summary, extraction):
        groups = _group(observations)
        merges = {document_id(o.merges): o for o in observations if o.merges}
        if touched & (groups.keys() | merges.keys()):
            writer.commit()         # `get` must see this run's earlier versions of these pages
            touched.clear()
        for doc_id, group in groups.items():
            outcome, document = _apply(writer.get(doc_id), group)
            summary.add(outcome)
            if document is not None:
                writer.upsert(document)
                touched.add(doc_id)
        for old_id, observation in merges.items():
            merged = _merged(writer.get(document_id(observation.url)), writer.get(old_id), observation)
            if merged is not None:
                writer.delete(old_id)
                writer.upsert(merged)
                touched |= {old_id, merged.id}
        for warc_file, end in ends.items():
            offsets[warc_file] = max(offsets.get(warc_file, 0), end)
        writer.checkpoint = {**writer.checkpoint, CHECKPOINT_KEY: dict(offsets)}
    return summary


def _windows(config: Config, records: Iterator[ArchivedResponse], summary: IndexSummary,
             extraction: Extraction) -> Iterator[tuple[list[Observation], dict[str, int]]]:
    """Observations by windows of about WINDOW_RECORDS records, with the WARC offsets each window ends at.

    Payloads are extracted batch by batch and dropped, so a window holds text, not pages; a page met
    again in a later window costs an index commit, so windows are large.
    """
    window: list[Observation] = []
    ends: dict[str, int] = {}
    count = 0
    for batch in _batches(records, BATCH_RECORDS):
        summary.records += len(batch)
        count += len(batch)
        window.extend(_observe(config, batch, summary, extraction))
        for record in batch:
            ends[record.warc_file] = max(ends.get(record.warc_file, 0), record.offset + record.length)
        if count >= WINDOW_RECORDS:
            yield window, ends
            window, ends, count = [], {}, 0
    if count:
        yield window, ends


def _finished(summary: IndexSummary, started: float) -> IndexSummary:
    summary.seconds = time.monotonic() - started
    log.info("index: %s", summary)
    return summary


def _batches(records: Iterator[ArchivedResponse], size: int) -> Iterator[list[ArchivedResponse]]:
    while batch := list(islice(records, size)):
        yield batch


def _observe(config: Config, batch: list[ArchivedResponse], summary: IndexSummary,
             extraction: Extraction) -> list[Observation]:
    """What each record of `batch` says about its page; unreadable records are counted as errors."""
    observations: list[Observation] = []
    jobs: list[Job] = []
    waiting: list[tuple[str, str, Capture]] = []
    for record in batch:
        capture = Capture(fetched_at=record.fetched_at, status=record.status, warc_file=record.warc_file,
                          offset=record.offset, length=record.length, kind=record.kind)
        url = canonicalize(record.canonical or record.url) or record.url   # a page under two URLs: one id
        site = record.site or _site_of(config, url)
        if record.kind != "response" or record.status != 200:
            observations.append(Observation(url, site, capture, merges=_merges(record, url)))
            continue                # `_apply` keeps what tells existence
        try:
            body = record.body()
        except Exception:  # noqa: BLE001 - a damaged record must not stop the run
            log.warning("cannot read %s at %s:%d", url, record.warc_file, record.offset, exc_info=True)
            summary.errors += 1
            continue
        jobs.append((body, url, record.headers, _selectors(config, site)))
        waiting.append((url, site, capture))
    for (url, site, capture), article in zip(waiting, extraction.map(jobs), strict=True):
        observations.append(Observation(url, site, capture, article))
    return observations


def _merges(record: ArchivedResponse, url: str) -> str | None:
    """The record's own URL when the record, filed under `url`, shows that both URLs are one page: a
    permanent redirect (the page moved there) or the same bytes (an identical-payload revisit). What was
    indexed under the own URL before the crawl knew then belongs to `url`'s Document."""
    own = canonicalize(record.url) or record.url
    if own != url and (record.status in MOVED_STATUSES or record.profile == IDENTICAL_PROFILE):
        return own
    return None


def _site_of(config: Config, url: str) -> str:
    """The configured site serving `url`, for records written without the site header."""
    host = host_of(url)
    return next((site.name for site in config.sites if host in site.allowed_hosts), "")


def _selectors(config: Config, site: str) -> Selectors:
    try:
        return config.site(site).selectors
    except ConfigError:     # a site since removed from the configuration: generic extraction
        return Selectors()


def _group(observations: list[Observation]) -> dict[str, list[Observation]]:
    """Observations by Document id, in archive order."""
    groups: dict[str, list[Observation]] = {}
    for observation in observations:
        groups.setdefault(document_id(observation.url), []).append(observation)
    return groups


def _apply(existing: Document | None, group: list[Observation]) -> tuple[str, Document | None]:
    """The page's Document after `group`, and the summary outcome; None when nothing is to be written."""
    articles = [o for o in group if o.article is not None]
    statuses = [o for o in group if o.article is None and _tells_existence(o.capture)]
    if existing is None:
        if not articles:
            return "skipped", None
        first = min(o.order for o in articles)
        statuses = [o for o in statuses if o.order >= first]   # a page's history starts with its content
    document = existing or _document(max(articles, key=lambda o: o.order))
    newest = max(articles, key=lambda o: o.order, default=None)
    current = document.content_capture
    if newest is not None and (current is None or newest.order > _order(current)):
        document = _with_content(document, newest)
    captures = _merge(document.captures, [o.capture for o in articles + statuses])
    document = replace(document, captures=captures, gone=_is_gone(captures))
    if existing is None:
        return "added", document
    if document == existing:
        return "unchanged", None
    return ("gone" if document.gone and not existing.gone else "updated"), document


def _merged(current: Document | None, old: Document | None, observation: Observation) -> Document | None:
    """The page's Document once the Document of another of its URLs (`old`) is merged into it: every
    capture of both, the newest content; None when there is nothing to merge. As if every record of
    both URLs had been filed under the page's URL from the start. Captures of the other URL after the
    merging record are left out: from then on what it answers on its own (a 410 once the site drops
    the redirect) says nothing about the page, and an update that reads them later finds no Document
    to add them to, so a rebuild, reading them in the same window, must not either."""
    if old is None or old.id == document_id(observation.url):
        return None
    before = [c for c in old.captures if _order(c) <= observation.order]
    if not before:
        return None
    old = replace(old, captures=before)
    newest = old if current is None or _content_order(old) > _content_order(current) else current
    captures = _merge(old.captures, current.captures if current else [])
    return replace(newest, url=observation.url, id=document_id(observation.url),
                   site=observation.site or newest.site, captures=captures, gone=_is_gone(captures))


def _content_order(document: Document) -> tuple[str, str, int]:
    capture = document.content_capture
    return _order(capture) if capture else ("", "", -1)


def _document(observation: Observation) -> Document:
    return _with_content(Document(url=observation.url, site=observation.site, title="", text=""), observation)


def _with_content(document: Document, observation: Observation) -> Document:
    article = observation.article
    assert article is not None
    return replace(document, site=observation.site or document.site, title=article.title, text=article.text,
                   date=article.date, author=article.author, category=article.category)


def _merge(old: list[Capture], new: list[Capture]) -> list[Capture]:
    """Captures deduplicated by where they lie in the archive, oldest first."""
    unique = {(c.warc_file, c.offset): c for c in [*old, *new]}
    return sorted(unique.values(), key=_order)


def _tells_existence(capture: Capture) -> bool:
    """A capture worth listing besides content: a revalidation (304, identical revisit) or a 404/410."""
    if capture.kind == "revisit":
        return capture.status in ALIVE_STATUSES
    return capture.status in GONE_STATUSES


def _is_gone(captures: list[Capture]) -> bool:
    """Gone when the newest capture that tells whether the page exists says it does not."""
    for capture in reversed(captures):
        if capture.status in GONE_STATUSES:
            return True
        if capture.status in ALIVE_STATUSES:
            return False
    return False


def _order(capture: Capture) -> tuple[str, str, int]:
    return capture.fetched_at, capture.warc_file, capture.offset
