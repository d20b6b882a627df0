"""Archived records to their content (an article, an attachment, or nothing), ahead of the writer.

Extraction is most of a rebuild's CPU, so a rebuild runs it in a pool of worker
processes, batch by batch, a few batches ahead of the process that groups pages and
writes the index: both cores stay busy, the writer never waits for a whole window, and
at most `IN_FLIGHT` batches of payloads are in memory. Records whose headers say they are
neither HTML nor a document (images, stylesheets, fonts, scripts: the page requisites)
are never decoded nor sent to a worker; the WARC reader does not even keep their payload.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TypeVar

from indexer.extract import Extracted, extract
from indexer.extract.attachments import AttachmentText, extract_attachment, keep_parses_in
from indexer.writing.analysis_ahead import Analysed, analyse_ahead
from indexer.writing.forked import can_fork
from tinphuong.config import Selectors
from tinphuong.content_encoding import decode_content
from tinphuong.file_types import is_attachment_type
from tinphuong.http_response import HTML_TYPES, header_value, is_html, media_type

log = logging.getLogger(__name__)

IN_FLIGHT = 4            # batches submitted to the pool and not yet consumed
# Media types that are never an article nor a document; everything else is decoded and looked at.
_NEVER_CONTENT = ("image/", "text/css", "font/", "application/font", "application/x-font", "audio/", "video/",
                  "text/javascript", "application/javascript", "application/x-javascript", "application/json")

Content = Extracted | AttachmentText | None
T = TypeVar("T")


@dataclass(frozen=True)
class Job:
    """One record to extract: its stored payload (content-encoding kept) and what extraction needs."""

    payload: bytes
    url: str
    headers: list[tuple[str, str]]
    selectors: Selectors
    captured: date | None = None      # the capture's day: what "today" meant to the page (extract's `today`)


@dataclass(frozen=True)
class Unreadable:
    """A record whose payload could not be decoded (counted as an error)."""

    reason: str


def wants_payload(status: int, headers: list[tuple[str, str]]) -> bool:
    """Whether a response may hold an article or a document, judged by its headers alone."""
    if status != 200:
        return False
    declared = media_type(header_value(headers, "Content-Type"))
    return declared in HTML_TYPES or is_attachment_type(declared) or not declared.startswith(_NEVER_CONTENT)


Result = Content | Unreadable


def extract_record(job: Job) -> Result:
    """The article or attachment in one response; None when it is neither. Never raises."""
    try:
        body = decode_content(job.payload, header_value(job.headers, "Content-Encoding"), 50_000_000)
    except Exception as error:  # noqa: BLE001 - a damaged payload must not stop the run
        return Unreadable(f"{type(error).__name__}: {error}")
    content_type = header_value(job.headers, "Content-Type")
    if is_html(content_type, body):
        return extract(body, job.url, job.headers, job.selectors, today=job.captured)
    try:
        return extract_attachment(body, job.url, content_type)
    except Exception:  # noqa: BLE001 - extract_attachment never raises; belt and braces for a rebuild
        log.warning("attachment extraction failed for %s", job.url, exc_info=True)
        return None


def extract_and_analyse(job: Job, fields: bool = True) -> tuple[Result, Analysed]:
    """`extract_record`, and the analysed fields of the page it gives (`indexer.writing.analysis_ahead`;
    `fields` False: only what the writer's clusters need)."""
    result = extract_record(job)
    return result, ({} if isinstance(result, Unreadable) else analyse_ahead(job.url, result, fields))


class Extraction:
    """Runs `extract_record` over batches: in this process, or pipelined in a pool of worker processes
    that also analyse the pages' text fields for the writer. Attachments' parses are kept in and taken
    from `parsed_store` when given (`indexer.extract.attachments.parsed_store`)."""

    def __init__(self, workers: int = 1, parsed_store: Path | None = None) -> None:
        self.workers = workers
        keep_parses_in(parsed_store)       # opened here first: a damaged store is replaced before any worker
        self._pool = None
        if workers > 1:                    # the workers open their own: no connection crosses a fork
            keep_parses_in(None)
            self._pool = multiprocessing.get_context("fork" if can_fork() else "spawn").Pool(
                workers, initializer=_worker_started, initargs=(parsed_store,))

    def __enter__(self) -> Extraction:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
        keep_parses_in(None)

    def pipelined(self, batches: Iterable[tuple[T, list[Job]]],
                  fields_ahead: Callable[[], bool]) -> Iterator[tuple[T, list[Result], Analysed]]:
        """Each batch's tag with its results, in order, and what the pool analysed ahead (nothing in this
        process, where the writer analyses as cheaply); with a pool, later batches extract meanwhile.
        `fields_ahead()`, asked as each batch is handed to the pool: whether its pages' text fields are
        worth analysing ahead (see `analyse_ahead`), else only what the writer's clusters need."""
        if self._pool is None:
            for tag, jobs in batches:
                yield tag, [extract_record(job) for job in jobs], {}
            return
        pending: deque = deque()
        for tag, jobs in batches:
            chunk = max(1, len(jobs) // (4 * self.workers))
            work = partial(extract_and_analyse, fields=fields_ahead())
            pending.append((tag, self._pool.map_async(work, jobs, chunksize=chunk)))
            if len(pending) > IN_FLIGHT:
                yield _unpacked(*pending.popleft())
        self._pool.close()
        while pending:
            yield _unpacked(*pending.popleft())
        self._pool.join()         # its processes and threads end: the writer may fork for the last batch


def _worker_started(parsed_store: Path | None) -> None:
    """An extraction worker's set-up. Forked (everything imported already, ~0.45 s of CPU saved per worker
    against a spawned one) unless the parent runs threads (`can_fork`), it takes the default handlers
    back: SIGTERM (the pool's `terminate`) ends it quietly, an interrupt is the parent's to handle."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    keep_parses_in(parsed_store)


def _unpacked(tag: T, results: multiprocessing.pool.AsyncResult) -> tuple[T, list[Result], Analysed]:
    pairs = results.get()
    analysed: Analysed = {}
    for _, items in pairs:
        analysed.update(items)
    return tag, [result for result, _ in pairs], analysed
