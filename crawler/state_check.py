"""Verifying the crawl state against the archive: every capture it names is there, as it says.

The state is read first, in one go (`read_state`), and the archive after it: a
crawl running meanwhile only adds captures the snapshot does not hold, and
everything the snapshot names was fsynced into the archive before it was
committed. So a capture that is not where the state says is damage, never a race.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from crawler.state import CrawlState
from tinphuong.archive_check import ArchiveRecords, Missing
from tinphuong.crawl_state import STATE_FILE, StoredCapture
from tinphuong.findings import CheckResult, Finding, agree, plural, with_examples

FORGET = ("Without it, a repair would drop these captures from the state and forget their URLs' "
          "validators, so that the next `crawler refresh` fetches those pages again in full.")


@dataclass
class StateSnapshot:
    exists: bool
    captures: list[StoredCapture] = field(default_factory=list)
    ends: dict[str, int] = field(default_factory=dict)      # warc_files: bytes accounted for per file
    problem: str | None = None                               # what is wrong with the database
    unreadable: str | None = None                            # why this user could not read it


def read_state(archive_dir: Path) -> StateSnapshot:
    """The state's captures and WARC ends, after SQLite's own check of the file."""
    if not (Path(archive_dir) / STATE_FILE).exists():
        return StateSnapshot(exists=False)
    try:
        with CrawlState.open_readonly(archive_dir) as state:
            problems = state.integrity_problems()
            if problems:
                return StateSnapshot(True, problem="; ".join(problems[:3]))
            return StateSnapshot(True, state.all_captures(), state.warc_ends())
    except sqlite3.OperationalError as error:
        if "readonly" in str(error) or "unable to open" in str(error):
            return StateSnapshot(True, unreadable=str(error))
        return StateSnapshot(True, problem=str(error))
    except sqlite3.Error as error:
        return StateSnapshot(True, problem=str(error))


def check_state(snapshot: StateSnapshot, records: ArchiveRecords, writer_running: bool) -> CheckResult:
    """Captures missing from or contradicted by the archive, files cut short, records the state lacks."""
    if snapshot.unreadable is not None:
        return CheckResult([Finding(
            True, STATE_FILE, f"cannot be read by this user ({snapshot.unreadable})",
            "SQLite must be able to create state.sqlite-shm beside it: run verify as the user that owns the "
            "archive (e.g. `sudo -u tinphuong`).")], "state: not read")
    if snapshot.problem is not None:
        return CheckResult([Finding(
            True, STATE_FILE, f"the database is damaged: {snapshot.problem}",
            "restore state.sqlite from a backup (see the README: backups). Without one, move it aside: the "
            "next refresh starts a new state and fetches every page again in full; the archive keeps every "
            "old capture and `indexer rebuild` still reads them.")], "state: damaged")
    if not snapshot.exists:
        files, _, _ = records.totals()
        findings = [] if not files else [Finding(
            True, STATE_FILE, "missing, though the archive holds WARC files",
            "restore state.sqlite from the backup the WARC files came from. Without it, the next refresh "
            "starts a new state and fetches every page again in full.")]
        return CheckResult(findings, "state: none")
    findings = list(_capture_findings(snapshot, records))
    findings += _short_files(snapshot, records)
    if not writer_running:
        findings += _unrecorded(snapshot, records)
    return CheckResult(findings, f"state: {plural(len(snapshot.captures), 'capture')}")


def _capture_findings(snapshot: StateSnapshot, records: ArchiveRecords) -> Iterator[Finding]:
    missing_files: dict[str, list[str]] = defaultdict(list)
    missing: dict[str, list[str]] = defaultdict(list)
    different: dict[str, list[str]] = defaultdict(list)
    for capture in snapshot.captures:
        name, offset = capture.warc_file, capture.offset
        said = f"{capture.kind} {capture.status} {capture.url} at {capture.fetched_at}"
        found = records.record(name, offset)
        if isinstance(found, Missing):
            target = missing_files if found.no_file else missing
            target[name].append(said if found.no_file else f"offset {offset}: {said}: {found.reason}")
            continue
        held = f"{found.rec_type} {found.status} {found.url} at {found.fetched_at}"
        if held != said:
            different[name].append(f"offset {offset}: the state says {said}, the archive holds {held}")
    restore = "restore {name} from a backup. " + FORGET
    for name, details in missing_files.items():
        what = f"{plural(len(details), 'capture')} {agree(len(details), 'names', 'name')} {name}, " \
               "which the archive lacks"
        yield with_examples(True, STATE_FILE, what, restore.format(name=name), details)
    for name, details in missing.items():
        what = f"{plural(len(details), 'capture')} in {name}: the record is not there"
        yield with_examples(True, STATE_FILE, what, restore.format(name=name), details)
    for name, details in different.items():
        what = f"{plural(len(details), 'capture')} in {name}: the record at the offset is another one"
        yield with_examples(True, STATE_FILE, what, "the state and the archive come from different backups: "
                            f"restore both from the same one. {FORGET}", details)


def _short_files(snapshot: StateSnapshot, records: ArchiveRecords) -> Iterator[Finding]:
    for name, end in sorted(snapshot.ends.items()):
        scanned = records.files.get(name)
        if scanned is not None and not scanned.open and end > scanned.size:
            yield Finding(True, name, f"the crawl state accounts for {plural(end, 'byte')}, the file has "
                          f"only {scanned.size}: its tail was lost",
                          f"restore {name} from a backup; the captures lost with the tail are listed above.")


def _unrecorded(snapshot: StateSnapshot, records: ArchiveRecords) -> Iterator[Finding]:
    """Records after the end the state accounts for: the state is older than the archive."""
    details = []
    for name, scanned in sorted(records.files.items()):
        if scanned.open:
            continue
        count = sum(1 for offset in scanned.captures if offset >= snapshot.ends.get(name, 0))
        if count:
            details.append(f"{name}: {plural(count, 'record')}")
    if details:
        yield with_examples(False, STATE_FILE, "the archive holds responses the crawl state does not know "
                            "(a state restored from an older backup than the archive?)",
                            "nothing is lost: the indexer reads them; the crawler fetches those pages again "
                            "without conditional requests.", details)
