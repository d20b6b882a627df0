"""Verifying the index against the archive: every capture a document lists is a record the archive holds.

Called by `python -m crawler verify` with the records it read (`ArchiveRecords`).
Besides missing or contradicted captures it reports documents whose text comes
from a capture the archive lacks (what a rebuild would do with them), an index
built by another version (`indexer.index_format`), and the records the index has
not read yet (what `indexer update` would add). Reading takes no lock: a commit
or a rebuild that replaces files under it makes it read the live index again.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.document import Capture, Document
from indexer.generations import CURRENT, live_generation
from indexer.index_format import REBUILD, format_mismatch
from indexer.stored import stored_to_document
from indexer.writing.pipeline import CHECKPOINT_KEY
from indexer.writing.writer import CHECKPOINT
from tinphuong.archive_check import ArchiveRecords, Missing
from tinphuong.findings import CheckResult, Finding, agree, plural, with_examples
from tinphuong.warc import filed_under, merged_from
from tinphuong.warc_scan import StoredRecord

log = logging.getLogger(__name__)

READ_ATTEMPTS = 3
WHERE = "index"


@dataclass(frozen=True)
class LiveIndex:
    generation: Path
    documents: list[Document]
    consumed: dict[str, int]          # the pipeline's checkpoint: WARC file -> bytes read


def check_index(index_dir: Path, records: ArchiveRecords) -> CheckResult:
    """Findings about the index in `index_dir`, checked against `records`."""
    index_dir = Path(index_dir)
    if live_generation(index_dir) is None:
        return CheckResult(_no_index(index_dir, records), "index: none")
    try:
        live = _read_live(index_dir)
    except Exception as error:  # noqa: BLE001 - whatever Whoosh raises, the answer is the same
        return CheckResult([Finding(True, WHERE, f"cannot be read ({type(error).__name__}: {error})",
                                    f"`{REBUILD}` rebuilds it from the archive.")], "index: unreadable")
    findings = []
    mismatch = format_mismatch(live.generation)
    if mismatch:
        findings.append(Finding(True, WHERE, mismatch, f"`{REBUILD}` rebuilds it from the archive; the web "
                                "UI serves the old index until the rebuild replaces it."))
    findings += _capture_findings(live.documents, records)
    pending, files = records.pending(live.consumed)
    if pending:
        findings.append(Finding(False, WHERE, f"lacks {plural(pending, 'archived response')} of "
                                f"{plural(files, 'WARC file')}",
                                "`python -m indexer update` (or the next refresh) adds them."))
    captures = sum(len(doc.captures) for doc in live.documents)
    summary = f"index: {plural(len(live.documents), 'document')}, {plural(captures, 'capture')}"
    return CheckResult(findings, summary)


def _no_index(index_dir: Path, records: ArchiveRecords) -> list[Finding]:
    if (index_dir / CURRENT).exists():
        return [Finding(True, WHERE, f"{index_dir / CURRENT} names no readable index generation",
                        f"`{REBUILD}` rebuilds the index from the archive.")]
    pending, _ = records.pending({})
    if not pending:
        return []
    return [Finding(False, WHERE, f"none yet in {index_dir}",
                    "`python -m indexer update` (or the next refresh) builds it from the archive.")]


def _read_live(index_dir: Path) -> LiveIndex:
    """The live generation's documents and checkpoint, read again if a commit or rebuild moved them."""
    for attempt in range(READ_ATTEMPTS):
        generation = live_generation(index_dir)
        if generation is None:
            raise FileNotFoundError(f"no live index generation in {index_dir}")
        try:
            return LiveIndex(generation, _documents(generation), _consumed(generation))
        except (OSError, whoosh_index.IndexError):
            if attempt == READ_ATTEMPTS - 1:
                raise
            log.info("the index changed while it was read; reading it again")
    raise AssertionError("unreachable")


def _documents(generation: Path) -> list[Document]:
    ix = whoosh_index.open_dir(str(generation))
    try:
        with ix.searcher() as searcher:
            return [stored_to_document(stored) for stored in searcher.all_stored_fields()]
    finally:
        ix.close()


def _consumed(generation: Path) -> dict[str, int]:
    try:
        checkpoint = json.loads((generation / CHECKPOINT).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    offsets = checkpoint.get(CHECKPOINT_KEY) if isinstance(checkpoint, dict) else None
    return {str(k): int(v) for k, v in offsets.items()} if isinstance(offsets, dict) else {}


def _capture_findings(documents: list[Document], records: ArchiveRecords) -> Iterator[Finding]:
    merged = _merged_urls(records)
    missing: dict[str, list[str]] = defaultdict(list)
    different: dict[str, list[str]] = defaultdict(list)
    lost_text: list[tuple[Document, bool]] = []        # (document, an article capture of it remains)
    for doc in documents:
        found = {capture: records.record(capture.warc_file, capture.offset) for capture in doc.captures}
        for capture, record in found.items():
            said = (f"{doc.url}: {capture.kind} {capture.status} at {capture.fetched_at} "
                    f"(offset {capture.offset})")
            if isinstance(record, Missing):
                missing[capture.warc_file].append(f"{said}: {record.reason}")
            elif not _same(doc, capture, record, merged):
                different[capture.warc_file].append(
                    f"{said}: the archive holds {record.rec_type} {record.status} {record.url} at "
                    f"{record.fetched_at}")
        content = doc.content_capture
        if content is not None and isinstance(found[content], Missing):
            remains = any(c.status == 200 and c.kind == "response" and not isinstance(r, Missing)
                          for c, r in found.items())
            lost_text.append((doc, remains))
    for name, details in sorted(missing.items()):
        yield with_examples(True, WHERE, f"{plural(len(details), 'capture')} listed in documents: the "
                            f"record is not in {name}", _restore_or_rebuild(name), details)
    for name, details in sorted(different.items()):
        yield with_examples(True, WHERE, f"{plural(len(details), 'capture')} listed in documents: the "
                            f"record at the offset in {name} is another one",
                            f"the index and the archive come from different backups: `{REBUILD}` rebuilds "
                            "the index from the archive.", details)
    if lost_text:
        yield _lost_text(lost_text)


def _merged_urls(records: ArchiveRecords) -> dict[str, str]:
    """URL -> the URL whose page it was merged into (a move, a copy), by the records that say so, as
    the indexer merges them."""
    merged = {}
    for record in records.captures():
        filed = filed_under(record.url, record.canonical)
        own = merged_from(record.url, filed, record.status, record.profile)
        if own is not None:
            merged[own] = filed
    return merged


def _same(doc: Document, capture: Capture, record: StoredRecord, merged: dict[str, str]) -> bool:
    return (_of_page(filed_under(record.url, record.canonical), doc.url, merged)
            and record.rec_type == capture.kind and record.status == capture.status
            and record.fetched_at == capture.fetched_at)


def _of_page(url: str, page: str, merged: dict[str, str]) -> bool:
    """Whether records filed under `url` belong to `page`: the same URL, or merged into it."""
    seen = set()
    while url != page and url in merged and url not in seen:
        seen.add(url)
        url = merged[url]
    return url == page


def _restore_or_rebuild(name: str) -> str:
    return (f"restore {name} from a backup; nothing else is needed then. Without it, `{REBUILD}` makes "
            "the index agree with the archive: these captures leave the documents' lists.")


def _lost_text(lost: list[tuple[Document, bool]]) -> Finding:
    kept = sum(1 for _, remains in lost if remains)
    dropped = len(lost) - kept
    repair = (f"restore the archive files above from a backup. Without them, `{REBUILD}` gives "
              f"{plural(kept, 'document')} the text of an older capture and drops {dropped} "
              "(no capture with their text is left).")
    details = [f"{doc.url} ({doc.title[:60]}): from {doc.content_capture.warc_file} at offset "
               f"{doc.content_capture.offset}" for doc, _ in lost if doc.content_capture]
    what = (f"{plural(len(lost), 'document')} {agree(len(lost), 'takes its', 'take their')} text from a "
            "capture the archive lacks")
    return with_examples(True, WHERE, what, repair, details)
