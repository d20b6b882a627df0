"""The one writer of an index generation: Documents upserted by id, commits, the checkpoint.

`open_writer` updates the live generation in place; `new_generation` builds a
fresh one beside it and switches `CURRENT` (see `indexer.generations`) only
after its final commit, so a rebuild killed at any moment leaves the live index
intact; the old generation is removed after the switch.

Whoosh cannot delete a document it has not committed yet, so upserts are
buffered per document id (the last version wins) and written in batches; an id
upserted again, or read (`get`), after its batch was written forces an
intermediate commit, so the index never holds two versions of a page and a
reader never gets an older one, whatever the batching. The segments are written by the
faster writers of `indexer.whoosh_internals`, which write what Whoosh's own do.

Copies of one article share a cluster id (`indexer.writing.clusters`). An update
settles the clusters its written pages touch right after each commit, with a
second commit for the pages whose cluster changed; the ids it wrote are saved in
`clusters-pending.json` before the first commit and removed after the second, so
a writer killed in between settles them the next time the index is opened. A
rebuild settles every cluster once, before its generation goes live: in memory
before the pages' first write when they are all still there (up to BATCH_SIZE
pages), else after its final commit, writing again the pages whose cluster changed.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as whoosh_index

from indexer.document import Document, LinkedFrom
from indexer.generations import create_generation, live_generation, remove_generations, switch_current
from indexer.schema import BAND_KEYS, CLUSTER, ID_FIELD, LINKS, TITLE
from indexer.stored import document_to_fields, stored_to_document
from indexer.whoosh_internals.codec import FastW3Codec
from indexer.whoosh_internals.segment_merging import merge_segments
from indexer.whoosh_internals.segment_writer import ITEMS_PREFIX, FastSegmentWriter
from indexer.writing.analysis_ahead import ANALYSED, SHINGLES, Analysed, Items
from indexer.writing.clusters import all_clusters, changed_clusters, pending_clusters
from indexer.writing.forked import Forked, can_fork, split
from tinphuong.cli import LockBusy

log = logging.getLogger(__name__)

CHECKPOINT = "checkpoint.json"
CLUSTERS_PENDING = "clusters-pending.json"
# Upserts kept in memory before they are handed to Whoosh: more than a window of the pipeline (5,000
# records and a batch), whose pages it reads back and rewrites (copies, links) while applying the window;
# each page handed over already would cost a commit. Not many more: the pending pages keep the fields
# analysed for them ahead (a rebuild of 12,201 pages peaked at 1.25 GB with 10,000, 0.92 GB with 6,000,
# 0.78 GB with 500 and a commit in most windows). A page without them counts as UNANALYSED_SHARE of
# a page: it holds its text and shingles only (the same rebuild with every page pending that way: 0.41 GB).
BATCH_SIZE = 6_000
UNANALYSED_SHARE = 0.2
# Pages per forked writer at least (fewer are written in this process): a fork costs ~10 ms, analysing
# and writing a page ~2 ms.
MIN_FORKED_BATCH = 100
# Postings pooled in memory per writing process before they spill to sorted run files,
# which costs about a third of a build's CPU. A rebuild of the 35k-article corpus in two
# processes pools ~1.2 GB (estimated) each, ~1.5 GB of real memory, and never spills.
POOL_MB = 2048


class IndexBusy(LockBusy):
    """Another process is writing this index."""


def open_writer(index_dir: Path) -> DocumentWriter:
    """A writer on the live generation, created (empty) when there is none yet."""
    generation = live_generation(index_dir)
    if generation is None:
        generation = create_generation(Path(index_dir))
        switch_current(Path(index_dir), generation)
    return DocumentWriter(generation)


def new_generation(index_dir: Path, procs: int = 2, batch_size: int = BATCH_SIZE) -> DocumentWriter:
    """A writer on a fresh, empty generation that becomes live when the writer closes cleanly.

    `procs` > 1 writes the last batch in that many processes (see `DocumentWriter`): for rebuilds.
    """
    index_dir = Path(index_dir)
    remove_generations(index_dir, keep=live_generation(index_dir))   # leftovers of killed rebuilds
    generation = create_generation(index_dir)
    return DocumentWriter(generation, procs=procs, on_success=lambda: switch_current(index_dir, generation),
                          batch_size=batch_size, settle="all")


class DocumentWriter:
    """The one writer of a generation: buffered upserts by id, commits, and the pipeline's checkpoint.

    With `procs` > 1, the last batch of a new generation (pages still pending at its final commit, all
    of them when they fit one batch) is split between up to `procs` forked processes (MIN_FORKED_BATCH
    pages each at least), which share the pages with this one instead of receiving them pickled, and
    write a segment each while this one finalizes its own: the index's final write runs on every core,
    and writing a generation makes at most `procs` + 1 segments. Only when this process runs no other
    thread (a forked copy of a threaded process can deadlock): a rebuild's extraction processes are
    done by then.
    """

    def __init__(self, generation: Path, procs: int = 1, on_success: Any = None,
                 batch_size: int = BATCH_SIZE, settle: str = "changed") -> None:
        """`settle`: "changed" settles the clusters of the pages written, at each commit (updates);
        "all" settles every cluster when the writer closes (a new generation)."""
        self.generation = generation
        self.checkpoint: dict = _read_checkpoint(generation)
        self._ix = whoosh_index.open_dir(str(generation))
        self._procs = procs
        self._on_success = on_success
        self._batch_size = batch_size
        self._settle = settle
        self._pending: dict[str, Document | None] = {}   # id -> latest version, None = delete
        self._pending_ahead: set[str] = set()            # pending ids whose fields were analysed ahead
        self._written: set[str] = set()                  # ids written since the last commit
        # When this writer started on an empty index (a new generation): every id it handed to Whoosh, so
        # that `get` knows any other id is absent without a lookup (most of a large rebuild's reads).
        self._handed: set[str] | None = set() if self._ix.doc_count_all() == 0 else None
        self._recent_links: dict[str, dict[str, str]] = {}   # since the last commit: attachment id ->
                                                             # {id of a document linking it: link text}
        # id -> the cluster it stored before this writer wrote it: what settling the clusters starts from
        self._clusters_before: dict[str, str | None] = _read_json(generation / CLUSTERS_PENDING)
        # fields analysed ahead by extraction processes, (field, value) -> items: this window's, and the
        # earlier windows' not used yet
        self._analysed: Analysed = {}
        self._analysed_before: Analysed = {}
        self._forked: list[Forked] = []       # parts of the last batch, written as segments
        self._writer: FastSegmentWriter | None = self._open()
        self._searcher = None
        self._committed_empty: bool | None = None      # known once asked, until the next commit

    def __enter__(self) -> DocumentWriter:
        return self

    def __exit__(self, exc_type: Any, exc: Any, traceback: Any) -> None:
        if exc_type is None:
            try:
                self.close()
            except BaseException:
                self.cancel()           # a failed final write leaves nothing half-written behind
                raise
        else:
            self.cancel()

    def get(self, doc_id: str) -> Document | None:
        """The current version of a document, including upserts not committed yet.

        Whoosh reads only what is committed: a version already handed to its writer (a batch
        flushed since the last commit) is committed first, so no caller can see an older one.
        """
        if doc_id in self._pending:
            return self._pending[doc_id]
        if self._handed is not None and doc_id not in self._handed:
            return None
        if doc_id in self._written:
            self.commit()
        searcher = self._committed()
        stored = searcher.document(**{ID_FIELD: doc_id}) if searcher is not None else None
        return stored_to_document(stored) if stored else None

    def linking(self, attachment_id: str) -> list[LinkedFrom]:
        """The documents whose current version links the attachment `attachment_id`, by id, with the
        link's text; upserts not committed yet included."""
        found: dict[str, str] = {}
        searcher = self._committed()
        for stored in searcher.documents(**{LINKS: attachment_id}) if searcher is not None else ():
            doc_id = stored[ID_FIELD]
            if doc_id not in self._pending and doc_id not in self._written:     # else: its newer version
                links = stored_to_document(stored).attachments
                found[doc_id] = next((link.title for link in links if link.id == attachment_id), "")
        found.update(self._recent_links.get(attachment_id, {}))
        return [LinkedFrom(id=doc_id, text=found[doc_id]) for doc_id in sorted(found)]

    def analysed_ahead(self, analysed: Analysed) -> None:
        """Items made ahead for the fields of pages about to be upserted (`indexer.writing.analysis_ahead`).

        A page is handed to Whoosh up to a few windows after its upsert, so earlier windows' items are
        kept until the pending pages are; then those left are stale (a later capture's content won)."""
        self._analysed_before.update(self._analysed)
        self._analysed = analysed

    def wants_fields_ahead(self) -> bool:
        """Whether the text fields of the pages upserted next are worth analysing ahead (`analysed_ahead`):
        not when forked processes will write them, analysing them in parallel, as they write a new
        generation's last batch (with `procs` > 1). So not until a batch was written here or half a batch
        is pending (`BATCH_SIZE`: five times as many pages without their fields as with them): an archive
        of more pages than a batch has its earlier batches written by this process."""
        forks = self._procs > 1 and self._handed is not None and hasattr(os, "fork")
        return not forks or bool(self._handed) or self._pending_share() >= self._batch_size / 2

    def upsert(self, doc: Document) -> None:
        """Add or replace the document with `doc.id`."""
        self._queue(doc.id, doc)

    def delete(self, doc_id: str) -> None:
        """Remove the document with `doc_id` (nothing happens when there is none)."""
        self._queue(doc_id, None)

    def commit(self) -> None:
        """Make everything written so far durable, save the checkpoint, and go on writing."""
        if self._writer is None:
            raise RuntimeError("this index writer is closed")
        self._commit()
        self._writer = self._open()

    def close(self) -> None:
        """Final commit; a new generation becomes live now. Nothing to do after `cancel`."""
        if self._writer is None:
            return
        settle_after = self._settle == "all" and not self._cluster_pending()
        self._commit(last=True)
        if settle_after:
            self._rewrite_clusters(lambda searcher: all_clusters(searcher, self._procs))
        if self._on_success:
            self._on_success()

    def cancel(self) -> None:
        """Drop what was not committed; a new generation that never committed is removed."""
        self._pending.clear()
        self._pending_ahead.clear()
        self._recent_links.clear()
        self._analysed, self._analysed_before = {}, {}
        self._close_searcher()
        try:
            for process in self._forked:
                process.kill()
        finally:
            self._forked = []
            if self._writer is not None:
                self._writer.cancel()
                self._writer = None
        if self._on_success and self._ix.doc_count_all() == 0:
            shutil.rmtree(self.generation, ignore_errors=True)

    def _queue(self, doc_id: str, doc: Document | None) -> None:
        if self._writer is None:
            raise RuntimeError("this index writer is closed")
        if doc_id in self._written:
            self.commit()
        previous = self._pending.get(doc_id)
        for link in previous.attachments if previous is not None else ():
            self._recent_links.get(link.id, {}).pop(doc_id, None)
        self._pending[doc_id] = doc
        if doc is not None and self._items_ahead(TITLE, doc.title or "") is not None:
            self._pending_ahead.add(doc_id)
        else:
            self._pending_ahead.discard(doc_id)
        for link in doc.attachments if doc is not None else ():
            self._recent_links.setdefault(link.id, {})[doc_id] = link.title
        if self._pending_share() >= self._batch_size:
            self._flush()

    def _pending_share(self) -> float:
        """How much of a batch the pending pages take (see `BATCH_SIZE`)."""
        ahead = len(self._pending_ahead)
        return ahead + UNANALYSED_SHARE * (len(self._pending) - ahead)

    def _flush(self, last: bool = False) -> None:
        """Hand the pending upserts to Whoosh; `last`: before the final commit."""
        replace = self._ix.doc_count_all() > 0
        if self._settle == "changed":
            self._remember_clusters(self._pending)
        if last and self._procs > 1 and not replace and can_fork():
            self._fork_writers()
        for doc_id, doc in self._pending.items():
            if doc is None:
                if replace:
                    self._writer.delete_by_term(ID_FIELD, doc_id)
            elif replace:
                self._writer.update_document(**self._fields(doc))
            else:
                self._writer.add_document(**self._fields(doc))
        self._handed_over()
        self._analysed_before.clear()       # every page of the earlier windows is written: the rest is stale

    def _fork_writers(self) -> None:
        """Give the last batch to `procs` forked segment writers: the index's final write in parallel."""
        documents = [doc for doc in self._pending.values() if doc is not None]   # nothing committed to delete
        parts = min(self._procs, len(documents) // MIN_FORKED_BATCH)
        if parts < 2:
            return
        for part in split(documents, parts):
            # the fields are made in the child, from its copy of this writer
            self._forked.append(Forked.start("segment-writing", _segment, self._ix,
                                             (self._fields(doc) for doc in part)))
        self._handed_over()

    def _handed_over(self) -> None:
        """The pending pages were handed to Whoosh (written, not committed yet)."""
        self._written.update(self._pending)
        if self._handed is not None:
            self._handed.update(self._pending)
        self._pending.clear()
        self._pending_ahead.clear()

    def _fields(self, doc: Document) -> dict[str, Any]:
        """The document's fields, with the items of those analysed ahead for exactly these values."""
        fields = document_to_fields(doc)
        if self._analysed or self._analysed_before:
            for name in ANALYSED:
                items = self._items_ahead(name, fields.get(name), take=True)
                if items is not None:
                    fields[ITEMS_PREFIX + name] = items
        return fields

    def _items_ahead(self, name: str, value: Any, take: bool = False) -> Items | np.ndarray | None:
        for analysed in (self._analysed, self._analysed_before):
            items = analysed.pop((name, value), None) if take else analysed.get((name, value))
            if items is not None:
                return items
        return None

    def _cluster_pending(self) -> bool:
        """Give a new generation's pages their clusters before their first write when they are all still
        in memory (up to BATCH_SIZE pages) and most of their band keys were made ahead (by a rebuild's
        extraction processes): each is written once, in one commit. False otherwise: every cluster is
        then settled after the final commit, from the band keys the index holds (made here, they would
        be made twice)."""
        if self._written or self._ix.doc_count_all():
            return False
        documents = {doc_id: doc for doc_id, doc in self._pending.items() if doc is not None}
        keys = {doc_id: [term.decode("utf-8") for term, *_ in items] for doc_id, doc in documents.items()
                if (items := self._items_ahead(BAND_KEYS, doc.text)) is not None}
        if 2 * len(keys) < len(documents):
            return False
        made = {doc_id: found for doc_id, doc in documents.items()
                if (found := self._items_ahead(SHINGLES, doc.text)) is not None}
        for doc_id, cluster in pending_clusters(documents, keys, made, self._procs).items():
            self._pending[doc_id] = replace(documents[doc_id], cluster="" if cluster == doc_id else cluster)
        return True

    def _commit(self, last: bool = False) -> None:
        """`last`: the final commit (of `close`), whose batch may be written by forked processes."""
        self._flush(last)
        if self._settle == "changed" and self._clusters_before:
            _write_json_atomically(self.generation / CLUSTERS_PENDING, self._clusters_before)
        self._commit_writer()
        if self._settle == "changed" and self._clusters_before:
            self._rewrite_clusters(lambda searcher: changed_clusters(searcher, self._clusters_before))

    def _commit_writer(self) -> None:
        self._close_searcher()
        started = time.monotonic()
        forked = self._forked         # this writer's own segment is finalized while they finish theirs
        self._writer.late_segments = lambda: [process.wait() for process in forked]
        self._writer.commit(mergetype=merge_segments)
        self._forked = []
        self._writer = None
        self._written.clear()
        self._recent_links.clear()
        _write_json_atomically(self.generation / CHECKPOINT, self.checkpoint)
        log.debug("index commit in %.1fs", time.monotonic() - started)

    def _remember_clusters(self, docs: dict[str, Document | None]) -> None:
        """The clusters the pages about to be written stored until now (committed state)."""
        unknown = [doc_id for doc_id in docs if doc_id not in self._clusters_before]
        if not unknown:
            return
        searcher = self._committed()
        for doc_id in unknown:
            stored = searcher.document(**{ID_FIELD: doc_id}) if searcher is not None else None
            self._clusters_before[doc_id] = (stored.get(CLUSTER) or doc_id) if stored else None

    def _rewrite_clusters(self, settle: Any) -> None:
        """Write again, with the right cluster, the pages `settle(searcher)` finds wrong; then commit."""
        with self._ix.searcher() as searcher:
            changes = settle(searcher)
            docs = [stored_to_document(searcher.document(**{ID_FIELD: doc_id})) for doc_id in sorted(changes)]
        if docs:
            log.info("index: %d pages change cluster (near-duplicates)", len(docs))
            self._writer = self._open()
            for doc in docs:
                cluster = changes[doc.id]
                self._writer.update_document(**document_to_fields(replace(doc, cluster="" if cluster == doc.id
                                                                                  else cluster)))
            self._commit_writer()
        self._clusters_before = {}
        (self.generation / CLUSTERS_PENDING).unlink(missing_ok=True)

    def _open(self) -> FastSegmentWriter:
        try:
            return FastSegmentWriter(self._ix, limitmb=POOL_MB, codec=_codec())
        except whoosh_index.LockError:
            raise IndexBusy(f"index {self.generation} is being written by another process") from None

    def _committed(self):
        """A searcher on what is committed; None while nothing is (a rebuild until its end: a lookup
        per page on an empty index cost a tenth of a rebuild)."""
        if self._searcher is None:
            if self._committed_empty is None:
                self._committed_empty = self._ix.doc_count_all() == 0
            if self._committed_empty:
                return None
            self._searcher = self._ix.searcher()
        return self._searcher

    def _close_searcher(self) -> None:
        self._committed_empty = None
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None


def _segment(ix: Any, documents: Iterable[dict[str, Any]]) -> Any:
    """In a forked child: the documents (`add_document` fields) written as a new segment."""
    writer = FastSegmentWriter(ix, _lk=False, limitmb=POOL_MB, codec=_codec())
    for fields in documents:
        writer.add_document(**fields)
    return writer._finalize_segment()           # noqa: SLF001 - what Whoosh's own sub-writers call


def _codec() -> FastW3Codec:
    """Whoosh's W3 format, written by the faster writer of `indexer.whoosh_internals.codec`, zlib level 1.

    Most blocks hold a few postings, one zlib call each: level 1 instead of Whoosh's 3
    takes a few per cent off the build's CPU for an index ~2 % larger, and the
    shortest blocks are not compressed at all. Readers need no setting: every block
    records how it was compressed.
    """
    return FastW3Codec(compression=1)


def _read_checkpoint(generation: Path) -> dict:
    return _read_json(generation / CHECKPOINT)


def _read_json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _write_json_atomically(path: Path, value: Any) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)
