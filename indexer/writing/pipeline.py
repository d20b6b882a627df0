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

Attachments (PDF, Word, ...) are documents of their own: a 200 response holding
one gives it content (its text, or none for a scan, with its file's facts), and
revisits and 404s act as for pages. An article lists the files its content
links to; an attachment lists the articles whose newest content links it
(`linked_from`, recomputed whenever either side changes, through the writer's
`linking`), and takes their link text as its title when its first page states none.

The result depends only on the set of records, not on their batching or on how
often they are read: captures are merged by (WARC file, offset) and kept in
time order, the content comes from the newest article capture, `gone` from the
newest capture that says whether the page exists. So re-reading records after a
kill between commit and checkpoint changes nothing, and a rebuild gives the
same Documents as the updates did.

Throughput: requisites are recognised by their headers and never read nor decoded;
a rebuild extracts in a pool of processes a few batches ahead of the writer
(`indexer.writing.extraction`), which also analyse the pages' text fields
(`indexer.writing.analysis_ahead`); this process groups the pages and writes them.
Attachments' parses are kept in the index directory (`parsed_store`): a rebuild parses
only the files no update or rebuild parsed before with the same parsing code.
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from itertools import islice
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from indexer.document import ATTACHMENT, AttachmentLink, Capture, Document, FileInfo, document_id
from indexer.extract import Extracted
from indexer.extract.attachments import AttachmentText
from indexer.extract.attachments.links import file_type_of
from indexer.extract.attachments.parsed_store import FILE_NAME as PARSED_STORE_FILE
from indexer.extract.dates import VIETNAM
from indexer.generations import live_generation
from indexer.index_format import require_current_format
from indexer.writing.analysis_ahead import Analysed
from indexer.writing.extraction import Content, Extraction, Job, Unreadable, wants_payload
from indexer.writing.writer import DocumentWriter, new_generation, open_writer
from tinphuong.config import Config, ConfigError, Selectors
from tinphuong.http_response import GONE_STATUSES
from tinphuong.lock import refresh_lock
from tinphuong.urls import canonicalize, host_of
from tinphuong.warc import ArchivedResponse, filed_under, iter_responses, merged_from

log = logging.getLogger(__name__)

BATCH_RECORDS = 200       # records read (payloads in memory) before their pages are extracted
WINDOW_RECORDS = 5000     # records whose observations are grouped by page and applied together
CHECKPOINT_KEY = "warc_offsets"
ALIVE_STATUSES = frozenset({200, 304})

# Extraction processes for rebuilds: one per core, while this process writes. Once they are done,
# the last batch of pages is written by as many processes (`DocumentWriter`).
REBUILD_WORKERS = os.cpu_count() or 1

Progress = Callable[[Iterable, str], Iterable]


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
    article: Content = None            # a 200 response's article or attachment
    copy_of: str | None = None         # an identical-payload revisit of another URL: that URL
    merges: str | None = None          # a URL whose own Document this record says is this page's

    @property
    def order(self) -> tuple[str, str, int]:
        return _order(self.capture)


def update_index(config: Config, progress: Progress | None = None) -> IndexSummary:
    """Index what the archive has that the index lacks; safe to kill and to run again.

    Raises IndexOutdated (nothing written) when the live index was built by another version.
    """
    started = time.monotonic()
    with refresh_lock(config.storage.archive_dir):
        require_current_format(live_generation(config.storage.index_dir))
        with open_writer(config.storage.index_dir) as writer, \
                Extraction(1, parsed_store(config)) as extraction:
            summary = _index(config, writer, progress, extraction)
    return _finished(summary, started)


def rebuild_index(config: Config, progress: Progress | None = None,
                  workers: int = REBUILD_WORKERS) -> IndexSummary:
    """Build a new index generation from every WARC file; the live index serves until it is done.

    `workers` > 1 extracts in that many processes, while this one writes; as many write its last batch.
    """
    started = time.monotonic()
    with refresh_lock(config.storage.archive_dir), Extraction(workers, parsed_store(config)) as extraction, \
            new_generation(config.storage.index_dir, procs=workers) as writer:
        writer.checkpoint = {}
        summary = _index(config, writer, progress, extraction)
    return _finished(summary, started)


def parsed_store(config: Config) -> Path:
    """Where updates and rebuilds keep the attachments' parses: next to the index generations."""
    return Path(config.storage.index_dir) / PARSED_STORE_FILE


def _index(config: Config, writer: DocumentWriter, progress: Progress | None,
           extraction: Extraction) -> IndexSummary:
    summary = IndexSummary()
    offsets: dict[str, int] = dict(writer.checkpoint.get(CHECKPOINT_KEY) or {})
    records = iter_responses(Path(config.storage.archive_dir), start=offsets, payload_wanted=wants_payload)
    if progress is not None:
        records = iter(progress(records, "indexing"))
    windows = _windows(config, records, summary, extraction, writer.wants_fields_ahead)
    for observations, ends, analysed in windows:
        writer.analysed_ahead(analysed)
        groups = _group(observations)
        merges = {document_id(o.merges): o for o in observations if o.merges}
        changed: dict[str, tuple[Document | None, Document | None]] = {}   # id -> before, after this window
        for doc_id, group in groups.items():
            existing = writer.get(doc_id)
            outcome, document = _apply(existing, _with_copied_files(writer, group))
            summary.add(outcome)
            if document is not None:
                writer.upsert(document)
                changed[doc_id] = (existing, document)
        for old_id, observation in merges.items():
            current, old = writer.get(document_id(observation.url)), writer.get(old_id)
            merged = _merged(current, old, observation)
            if merged is not None:
                writer.delete(old_id)
                writer.upsert(merged)
                changed[old_id] = (changed.get(old_id, (old, None))[0], None)     # its links go with it
                changed[merged.id] = (changed.get(merged.id, (current, merged))[0], merged)
        _relink(writer, changed, summary)
        for warc_file, end in ends.items():
            offsets[warc_file] = max(offsets.get(warc_file, 0), end)
        writer.checkpoint = {**writer.checkpoint, CHECKPOINT_KEY: dict(offsets)}
    return summary


def _relink(writer: DocumentWriter, changed: dict[str, tuple[Document | None, Document | None]],
            summary: IndexSummary) -> None:
    """Give the attachments touched by this window the articles that link them now, and their titles.

    Touched: attachments written in this window, and those an article's new content links or no
    longer links (an article merged into the page it moved to links nothing any more). An attachment
    not archived (yet) has no Document: it gets its links when it is.
    """
    relink = {doc_id: doc for doc_id, (_, doc) in changed.items()
              if doc is not None and doc.kind == ATTACHMENT}
    others = {link.id for old, new in changed.values() if _links(old) != _links(new)
              for link in [*_links(old), *_links(new)] if link.id not in relink}
    for doc_id in sorted(others):
        document = writer.get(doc_id)
        if document is not None and document.kind == ATTACHMENT:
            relink[doc_id] = document
    for doc_id, document in relink.items():
        linked = replace(document, linked_from=writer.linking(doc_id))
        linked = replace(linked, title=_attachment_title(linked))
        if linked != document:
            writer.upsert(linked)
            if doc_id not in changed:
                summary.add("updated")


def _copy_of(record: ArchivedResponse, url: str) -> str | None:
    """The URL whose payload an identical-payload revisit repeats, when it is another URL's."""
    if record.kind != "revisit" or record.status != 200 or not record.refers_to_uri:
        return None
    original = canonicalize(record.refers_to_uri) or record.refers_to_uri
    return original if original != url else None


def _with_copied_files(writer: DocumentWriter, group: list[Observation]) -> list[Observation]:
    """A file archived as a copy of another URL's (the same PDF under two addresses) is an attachment
    of its own with the original's content. The original is always archived first, so its document
    is already written (or pending) whether this runs as an update or a rebuild."""
    copied = []
    for observation in group:
        original = writer.get(document_id(observation.copy_of)) if observation.copy_of else None
        if original is not None and original.kind == ATTACHMENT and original.file is not None:
            observation = replace(observation, article=_file_content(original))
        copied.append(observation)
    return copied


def _file_content(document: Document) -> AttachmentText:
    file = document.file
    assert file is not None
    return AttachmentText(file_type=file.file_type, size=file.size, text=document.text,
                          text_layer=file.text_layer, title=file.heading, number=file.number,
                          date=document.date, pages=file.pages, reason=file.reason)


def _links(document: Document | None) -> list[AttachmentLink]:
    return document.attachments if document is not None else []


def _windows(config: Config, records: Iterator[ArchivedResponse], summary: IndexSummary,
             extraction: Extraction, fields_ahead: Callable[[], bool],
             ) -> Iterator[tuple[list[Observation], dict[str, int], Analysed]]:
    """Observations by windows of about WINDOW_RECORDS records, with the WARC offsets each window ends at
    and the fields the extraction processes analysed ahead (`fields_ahead()`: whether the writer wants
    a page's text fields analysed ahead, or only what its clusters need).

    Payloads are extracted batch by batch (ahead, in worker processes, for a rebuild) and dropped,
    so a window holds text, not pages; a page met again in a later window costs an index commit,
    so windows are large.
    """
    window: list[Observation] = []
    ends: dict[str, int] = {}
    analysed: Analysed = {}
    count = 0
    prepared = (_prepare(config, batch, summary) for batch in _batches(records, BATCH_RECORDS))
    for (batch, observations, waiting), results, ahead in extraction.pipelined(prepared, fields_ahead):
        count += len(batch)
        window.extend(_observed(observations, waiting, results, summary))
        analysed.update(ahead)
        for record in batch:
            ends[record.warc_file] = max(ends.get(record.warc_file, 0), record.offset + record.length)
        if count >= WINDOW_RECORDS:
            yield window, ends, analysed
            window, ends, analysed, count = [], {}, {}, 0
    if count:
        yield window, ends, analysed


def _finished(summary: IndexSummary, started: float) -> IndexSummary:
    summary.seconds = time.monotonic() - started
    log.info("index: %s", summary)
    return summary


def _batches(records: Iterator[ArchivedResponse], size: int) -> Iterator[list[ArchivedResponse]]:
    while batch := list(islice(records, size)):
        yield batch


Prepared = tuple[list[ArchivedResponse], list[Observation], list[int]]


def _prepare(config: Config, batch: list[ArchivedResponse],
             summary: IndexSummary) -> tuple[Prepared, list[Job]]:
    """A batch's observations in archive order, which of them wait for extraction, and their jobs."""
    summary.records += len(batch)
    observations: list[Observation] = []
    waiting: list[int] = []
    jobs: list[Job] = []
    for record in batch:
        capture = Capture(fetched_at=record.fetched_at, status=record.status, warc_file=record.warc_file,
                          offset=record.offset, length=record.length, kind=record.kind)
        url = filed_under(record.url, record.canonical)       # a page under two URLs: one id
        observation = Observation(url, record.site or _site_of(config, url), capture,
                                  copy_of=_copy_of(record, url),
                                  merges=merged_from(record.url, url, record.status, record.profile))
        if record.kind == "response" and record.status == 200 and record.payload:
            jobs.append(Job(record.payload, url, record.headers, _selectors(config, observation.site),
                            capture_day(record.fetched_at)))
            waiting.append(len(observations))
        observations.append(observation)        # without content, `_apply` keeps what tells existence
    return (batch, observations, waiting), jobs


def _observed(observations: list[Observation], waiting: list[int], results: list,
              summary: IndexSummary) -> list[Observation]:
    """The batch's observations with their extracted content; unreadable records are dropped."""
    unreadable: set[int] = set()
    for index, result in zip(waiting, results, strict=True):
        if isinstance(result, Unreadable):
            capture = observations[index].capture
            log.warning("cannot read %s at %s:%d: %s", observations[index].url, capture.warc_file,
                        capture.offset, result.reason)
            summary.errors += 1
            unreadable.add(index)
        else:
            observations[index] = replace(observations[index], article=result)
    return [o for index, o in enumerate(observations) if index not in unreadable]


def capture_day(fetched_at: str) -> date:
    """The day of a capture in Vietnam: what "today" meant to the page (a lead's `Sáng 16/3` is read against
    it), so that re-extracting an old capture gives the date it gave then."""
    try:
        return datetime.fromisoformat(fetched_at.replace("Z", "+00:00")).astimezone(VIETNAM).date()
    except ValueError:
        return date.today()


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
    content = observation.article
    site = observation.site or document.site
    if isinstance(content, AttachmentText):
        file = FileInfo(file_type=content.file_type, size=content.size, text_layer=content.text_layer,
                        pages=content.pages, number=content.number, heading=content.title,
                        reason=content.reason)
        attachment = replace(document, site=site, kind=ATTACHMENT, text=content.text, date=content.date,
                             author=None, category=None, attachments=[], file=file)
        return replace(attachment, title=_attachment_title(attachment))
    assert isinstance(content, Extracted)
    links = [AttachmentLink(url=url, title=text, file_type=file_type_of(url)) for url, text in content.links]
    return replace(document, site=site, title=content.title, text=content.text, date=content.date,
                   author=content.author, category=content.category, attachments=links,
                   date_source=content.date_source)


def _attachment_title(document: Document) -> str:
    """The first page's title, else the text most articles link it with, else its file name."""
    if document.file is not None and document.file.heading:
        return document.file.heading
    texts = Counter(link.text for link in sorted(document.linked_from, key=lambda link: link.id) if link.text)
    if texts:
        return texts.most_common(1)[0][0]
    return unquote(PurePosixPath(urlsplit(document.url).path).name) or document.url


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
