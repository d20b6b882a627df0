"""Strict WARC reading for verify: files the crawler's writer wrote, then damaged the ways disks do."""

from __future__ import annotations

import gzip
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.exchange import Exchange
from crawler.warc_writer import Location, Revisit, WarcWriter, payload_digest
from tinphuong.warc import NOT_MODIFIED_PROFILE
from tinphuong.warc_scan import Damage, StoredRecord, read_at, scan

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def exchange(n: int, status: int = 200, body: bytes | None = None) -> Exchange:
    text = body if body is not None else (f"<html><p>Bài số {n}</p>" + "nội dung " * 300 + "</html>").encode()
    return Exchange(url=f"http://ward.test/bai-{n}", request_headers=(("User-Agent", "T/1"),), status=status,
                    reason="OK", headers=(("Content-Type", "text/html; charset=utf-8"),), body=text,
                    started=T0 + timedelta(minutes=n))


@pytest.fixture
def written(tmp_path: Path) -> tuple[Path, list[Location]]:
    """One finished file: six pairs, the fifth a 304 revisit, as the crawler writes them."""
    with WarcWriter(tmp_path) as writer:
        locations = [writer.write(exchange(n), "s") for n in range(4)]
        locations.append(writer.write(exchange(0, status=304, body=b""), "s", Revisit(
            NOT_MODIFIED_PROFILE, "http://ward.test/bai-0", "2026-03-01T08:00:00.000000Z",
            payload_digest(exchange(0).body))))
        locations.append(writer.write(exchange(5), "s"))
    return tmp_path / "warc" / locations[0].warc_file, locations


def records_of(path: Path) -> list[StoredRecord]:
    return [item for item in scan(path) if isinstance(item, StoredRecord)]


def damage_of(path: Path) -> list[Damage]:
    return [item for item in scan(path) if isinstance(item, Damage)]


def rewrite(path: Path, change) -> None:
    data = bytearray(path.read_bytes())
    path.write_bytes(bytes(change(data)))


def flip(path: Path, at: int) -> None:
    """One byte changed in place, as a failing disk does."""
    data = bytearray(path.read_bytes())
    data[at] ^= 0x55
    path.write_bytes(bytes(data))


def test_a_sound_file_gives_every_record_where_warcio_finds_it(written):
    path, locations = written
    records = records_of(path)
    with open(path, "rb") as handle:
        iterator = ArchiveIterator(handle)
        expected = [(iterator.get_record_offset(), record.rec_type) for record in iterator]
    assert [(r.offset, r.rec_type) for r in records] == expected
    assert damage_of(path) == []
    captures = [r for r in records if r.rec_type in ("response", "revisit")]
    assert [(r.offset, r.length) for r in captures] == [(loc.offset, loc.length) for loc in locations]
    assert [r.url for r in captures] == [f"http://ward.test/bai-{n}" for n in (0, 1, 2, 3, 0, 5)]
    assert [r.status for r in captures] == [200, 200, 200, 200, 304, 200]
    assert captures[4].rec_type == "revisit"
    assert captures[1].fetched_at == "2026-03-01T08:01:00Z"


def test_a_flipped_byte_in_a_member_is_located_and_the_records_after_it_are_still_read(written):
    path, locations = written
    hit = locations[1]
    flip(path, hit.offset + hit.length // 2)
    damage = damage_of(path)
    assert len(damage) == 1
    assert (damage[0].offset, damage[0].length, damage[0].to_end) == (hit.offset, hit.length, False)
    assert "gzip data is corrupt" in damage[0].problem
    offsets = {r.offset for r in records_of(path)}
    assert hit.offset not in offsets
    assert {loc.offset for loc in locations} - offsets == {hit.offset}


def test_a_file_cut_inside_a_record_has_a_damaged_tail_from_that_record(written):
    path, locations = written
    cut = locations[3]
    rewrite(path, lambda data: data[:cut.offset + 100])
    assert damage_of(path) == [Damage(cut.offset, 100, "the record is cut short (the file ends inside it)",
                                      to_end=True)]
    assert max(r.offset for r in records_of(path)) < cut.offset


def test_a_recompressed_record_whose_body_changed_fails_its_digest(written):
    path, locations = written
    hit = locations[2]

    def tamper(data: bytearray) -> bytes:
        member = zlib.decompress(bytes(data[hit.offset:hit.offset + hit.length]), zlib.MAX_WBITS | 16)
        forged = gzip.compress(member.replace("Bài số 2".encode(), "Bài số 9".encode()))
        return bytes(data[:hit.offset]) + forged + bytes(data[hit.offset + hit.length:])

    rewrite(path, tamper)
    damage = damage_of(path)
    assert [(d.offset, d.problem) for d in damage] == [
        (hit.offset, "WARC-Block-Digest does not match the block")]
    assert len(records_of(path)) == 1 + 2 * 6 - 1          # warcinfo, six pairs, less the forged record


def test_a_payload_changed_together_with_its_block_digest_still_fails_the_payload_digest(written):
    path, locations = written
    hit = locations[0]

    def tamper(data: bytearray) -> bytes:
        member = zlib.decompress(bytes(data[hit.offset:hit.offset + hit.length]), zlib.MAX_WBITS | 16)
        head, block = member.split(b"\r\n\r\n", 1)
        block = block[:-4].replace("Bài số 0".encode(), "Bài số 8".encode())
        lines = [line for line in head.split(b"\r\n") if not line.startswith(b"WARC-Block-Digest")]
        forged = gzip.compress(b"\r\n".join(lines) + b"\r\n\r\n" + block + b"\r\n\r\n")
        return bytes(data[:hit.offset]) + forged + bytes(data[hit.offset + hit.length:])

    rewrite(path, tamper)
    assert [d.problem for d in damage_of(path)] == ["WARC-Payload-Digest does not match the payload"]


def test_a_content_length_that_disagrees_with_the_block_is_damage(written):
    path, locations = written
    hit = locations[2]

    def tamper(data: bytearray) -> bytes:
        member = zlib.decompress(bytes(data[hit.offset:hit.offset + hit.length]), zlib.MAX_WBITS | 16)
        forged = gzip.compress(member[:-4] + b"extra\r\n\r\n")
        return bytes(data[:hit.offset]) + forged + bytes(data[hit.offset + hit.length:])

    rewrite(path, tamper)
    [damage] = damage_of(path)
    assert damage.offset == hit.offset and damage.problem.startswith("Content-Length says")


def test_garbage_between_records_is_one_damaged_span_and_reading_resumes_after_it(written):
    path, locations = written
    at = locations[3].offset
    rewrite(path, lambda data: data[:at] + b"\x1f\x8b\x08" + b"\x00" * 97 + data[at:])
    assert [(d.offset, d.length, d.to_end) for d in damage_of(path)] == [(at, 100, False)]
    assert {r.offset for r in records_of(path)} >= {loc.offset + 100 for loc in locations[3:]}


def test_read_at_gives_the_record_at_a_member_start_and_says_why_elsewhere(written):
    path, locations = written
    revisit = next(r for r in records_of(path) if r.offset == locations[4].offset)
    assert read_at(path, locations[4].offset) == revisit
    inside = read_at(path, locations[4].offset + 5)
    assert isinstance(inside, Damage) and "corrupt" in inside.problem
    beyond = read_at(path, path.stat().st_size + 10)
    assert isinstance(beyond, Damage) and "ends at" in beyond.problem


def test_scanning_stops_at_the_given_end(written):
    path, locations = written
    limited = list(scan(path, end=locations[2].end))
    assert all(isinstance(item, StoredRecord) for item in limited)
    assert max(item.offset for item in limited) == locations[2].offset
