"""Verifying the archive: every WARC file read to its end, and a map of its records for the other checks.

`check_archive` reads each file with `tinphuong.warc_scan` and reports damaged
records and damaged tails, with what restoring or cutting the file would mean.
The `ArchiveRecords` it returns answers, for the crawl-state and index checks,
whether a (WARC file, offset) holds a response or revisit record and which.

It takes no lock and changes nothing, so it can run while a refresh writes:
finished files never change, the file being written is read only as far as the
crawl state accounts for it, and a record asked for beyond what was scanned
(written after the scan began) is read directly before it is called missing.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tinphuong.findings import CheckResult, Finding, plural
from tinphuong.warc import OPEN_SUFFIX, WARC_SUBDIR
from tinphuong.warc_scan import Damage, StoredRecord, read_at, scan

log = logging.getLogger(__name__)

CAPTURE_TYPES = ("response", "revisit")
RESTORE = ("restore it from a backup: a finished WARC file never changes, so any copy made after it was "
           "finished is identical (`cmp` tells)")

Wrap = Callable[[Iterable[Path]], Iterable[Path]]


@dataclass
class ScannedFile:
    name: str                                  # the finished name (without `.open`)
    size: int
    scanned_to: int                            # bytes read: the size, or less for a file being written
    open: bool                                 # still `.open`
    captures: dict[int, StoredRecord] = field(default_factory=dict)   # responses and revisits by offset
    offsets: list[int] = field(default_factory=list)                  # every sound record, in order
    damage: list[Damage] = field(default_factory=list)

    def sound_after(self, offset: int) -> int:
        """Sound records that start after `offset`."""
        return len(self.offsets) - bisect_right(self.offsets, offset)

    def starts_record(self, offset: int) -> bool:
        index = bisect_right(self.offsets, offset)
        return index > 0 and self.offsets[index - 1] == offset

    def damage_at(self, offset: int) -> Damage | None:
        for damage in self.damage:
            if damage.offset <= offset < damage.offset + max(damage.length, 1):
                return damage
        return None


@dataclass(frozen=True)
class Missing:
    """Why a capture's record is not there; `no_file` when the archive lacks the whole file."""

    reason: str
    no_file: bool = False


class ArchiveRecords:
    """The records verification read, by WARC file and offset; lookups fall back to reading the file."""

    def __init__(self, archive_dir: Path) -> None:
        self.warc_dir = Path(archive_dir) / WARC_SUBDIR
        self.files: dict[str, ScannedFile] = {}

    def record(self, warc_file: str, offset: int) -> StoredRecord | Missing:
        """The response or revisit record at `offset` of `warc_file`, or why there is none."""
        scanned = self.files.get(warc_file)
        if scanned is not None and offset < scanned.scanned_to:
            if offset in scanned.captures:
                return scanned.captures[offset]
            damage = scanned.damage_at(offset)
            if damage is not None:
                return Missing(f"the record there is damaged ({damage.problem})")
            if scanned.starts_record(offset):
                return Missing("the record there is not a response or revisit")
            return Missing("no record starts at this offset")
        return self._read_directly(warc_file, offset)

    def captures(self) -> Iterator[StoredRecord]:
        """Every response and revisit record read, file by file."""
        for scanned in self.files.values():
            yield from scanned.captures.values()

    def _read_directly(self, warc_file: str, offset: int) -> StoredRecord | Missing:
        path = self.path_of(warc_file)
        if path is None:
            return Missing("the archive has no such file", no_file=True)
        found = read_at(path, offset)
        if isinstance(found, Damage):
            return Missing(f"no sound record there ({found.problem})")
        if found.rec_type not in CAPTURE_TYPES:
            return Missing(f"the record there is a {found.rec_type} record")
        return found

    def path_of(self, warc_file: str) -> Path | None:
        """The file as it is now: finished, else still `.open`, else None."""
        if Path(warc_file).name != warc_file:
            return None
        for path in (self.warc_dir / warc_file, self.warc_dir / (warc_file + OPEN_SUFFIX)):
            if path.exists():
                return path
        return None

    def pending(self, consumed: Mapping[str, int]) -> tuple[int, int]:
        """(records, files) of finished files at or after the offsets in `consumed` (what an index lacks)."""
        records = files = 0
        for scanned in self.files.values():
            if scanned.open:
                continue
            start = consumed.get(scanned.name, 0)
            count = sum(1 for offset in scanned.captures if offset >= start)
            records += count
            files += 1 if count else 0
        return records, files

    def totals(self) -> tuple[int, int, int]:
        """(files, sound records, bytes) read."""
        return (len(self.files), sum(len(f.offsets) for f in self.files.values()),
                sum(f.scanned_to for f in self.files.values()))


def check_archive(archive_dir: Path, committed_ends: Mapping[str, int], writer_running: bool,
                  wrap: Wrap = iter) -> tuple[ArchiveRecords, CheckResult]:
    """Read every WARC file to its end; `committed_ends` are the crawl state's `warc_files` ends."""
    records = ArchiveRecords(archive_dir)
    findings: list[Finding] = []
    warc_dir = records.warc_dir
    paths = sorted(warc_dir.glob("*.warc.gz")) + sorted(warc_dir.glob("*.warc.gz" + OPEN_SUFFIX))
    for path in wrap(paths):
        name = path.name.removesuffix(OPEN_SUFFIX)
        is_open = path.name.endswith(OPEN_SUFFIX)
        if not path.is_file() and path.exists():        # reading a FIFO or a device would never end
            findings.append(Finding(True, path.name, "is not a regular file", "move it out of the archive."))
            continue
        limit = committed_ends.get(name, 0) if is_open and writer_running else None
        try:
            scanned = _scan_file(path, name, is_open, limit)
        except FileNotFoundError:
            log.info("%s was finished or removed while verify ran; its records are read when asked for",
                     path.name)
            continue
        except OSError as error:
            findings.append(Finding(True, path.name, f"cannot be read ({error})", RESTORE))
            continue
        records.files[name] = scanned
        log.info("verified %s: %s, %s", path.name, plural(len(scanned.offsets), "sound record"),
                 plural(len(scanned.damage), "damaged span"))
        if not is_open:
            findings.extend(_damage_findings(scanned, scanned.damage))
        elif writer_running:
            findings.extend(_being_written(scanned))
        else:
            findings.extend(_left_open(scanned, committed_ends.get(name)))
    files, count, size = records.totals()
    summary = f"archive: {plural(files, 'WARC file')}, {plural(count, 'record')} ({size / 1e6:.1f} MB)"
    return records, CheckResult(findings, summary)


def _scan_file(path: Path, name: str, is_open: bool, limit: int | None) -> ScannedFile:
    size = path.stat().st_size
    scanned = ScannedFile(name, size, size if limit is None else min(limit, size), is_open)
    for item in scan(path, end=scanned.scanned_to):
        if isinstance(item, Damage):
            scanned.damage.append(item)
            continue
        scanned.offsets.append(item.offset)
        if item.rec_type in CAPTURE_TYPES:
            scanned.captures[item.offset] = item
    return scanned


def _damage_findings(scanned: ScannedFile, damage: Iterable[Damage]) -> Iterator[Finding]:
    for span in damage:
        if span.to_end:
            yield Finding(
                True, f"{scanned.name} from offset {span.offset}",
                f"the last {plural(span.length, 'byte')} hold no sound record: {span.problem}",
                f"{RESTORE}. Without a backup this tail is lost: a repair would cut the file at offset "
                f"{span.offset}; the captures the state and the index name there are listed below.")
            continue
        after = scanned.sound_after(span.offset)
        yield Finding(
            True, f"{scanned.name} at offset {span.offset}",
            f"a damaged record ({plural(span.length, 'byte')}): {span.problem}",
            f"{RESTORE}. Without a backup this record is lost, and an index rebuild reads this file only "
            f"up to offset {span.offset}: the {plural(after, 'sound record')} after it would be left out.")


def _being_written(scanned: ScannedFile) -> Iterator[Finding]:
    yield from _damage_findings(scanned, scanned.damage)
    yield Finding(False, scanned.name + OPEN_SUFFIX,
                  f"being written by the running crawl: checked up to offset {scanned.scanned_to}, the "
                  f"part the crawl state accounts for", "")


def _left_open(scanned: ScannedFile, known_end: int | None) -> Iterator[Finding]:
    """A leftover of a killed crawl: what the next crawl's recovery will keep and cut."""
    if known_end is not None:
        keep = min(known_end, scanned.size)
    else:                            # recovery keeps the complete gzip members before the first damage
        keep = scanned.damage[0].offset if scanned.damage else scanned.size
    yield from _damage_findings(scanned, [d for d in scanned.damage if d.offset < keep])
    name = scanned.name + OPEN_SUFFIX
    if known_end is None and len(scanned.offsets) <= 1:
        what = "left by an interrupted crawl; it holds nothing but its warcinfo record"
        action = "the next crawl or refresh removes it"
    else:
        cut = scanned.size - keep
        what = "left by an interrupted crawl"
        action = (f"the next crawl or refresh keeps its first {plural(keep, 'byte')} (what the crawl state "
                  f"accounts for) and cuts {plural(cut, 'byte')} of unfinished writes, then finishes it")
    yield Finding(False, name, what, action)
