"""The WARC archive: standard records warcio reads back, revisits, content decoding, recovery after a kill."""

from __future__ import annotations

import errno
import gzip
import os
import subprocess
import sys
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.exchange import Exchange
from crawler.warc_writer import Revisit, WarcWriter, payload_digest, recover_open_files
from tinphuong.warc import IDENTICAL_PROFILE, NOT_MODIFIED_PROFILE, iter_responses, read_response
from tinphuong.warc_scan import Damage, scan

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def exchange(url: str = "http://ward.test/a", body: bytes = b"<html>trang</html>", status: int = 200,
             headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),),
             minutes: int = 0) -> Exchange:
    return Exchange(url=url, request_headers=(("User-Agent", "TinPhuongTest/1.0"),), status=status,
                    reason="OK", headers=headers, body=body, started=T0 + timedelta(minutes=minutes))


def warc_records(path: Path) -> list:
    """Every record of a WARC file as warcio reads it, with digests checked."""
    records = []
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle, check_digests=True):
            payload = record.content_stream().read()
            records.append((record.rec_type, record.rec_headers, payload))
    return records


def test_a_pair_is_written_as_standard_warc_that_warcio_reads_with_valid_digests(tmp_path):
    with WarcWriter(tmp_path) as writer:
        location = writer.write(exchange(body="Ủy ban nhân dân".encode()), "ben-nghe")
    files = list((tmp_path / "warc").iterdir())
    assert [f.name for f in files] == [location.warc_file]
    assert location.warc_file.startswith("TINPHUONG-") and location.warc_file.endswith(".warc.gz")
    records = warc_records(files[0])
    assert [r[0] for r in records] == ["warcinfo", "request", "response"]
    for _, headers, _ in records:
        assert headers.protocol == "WARC/1.1"
    response_headers = records[2][1]
    assert response_headers.get_header("WARC-Target-URI") == "http://ward.test/a"
    assert response_headers.get_header("WARC-Tinphuong-Site") == "ben-nghe"
    assert response_headers.get_header("WARC-Payload-Digest") == payload_digest("Ủy ban nhân dân".encode())
    assert response_headers.get_header("WARC-Block-Digest")
    assert records[1][1].get_header("WARC-Concurrent-To") == response_headers.get_header("WARC-Record-ID")
    assert records[2][2] == "Ủy ban nhân dân".encode()
    # gzip per record: the response record alone is a complete gzip member at its offset.
    raw = files[0].read_bytes()[location.offset:location.offset + location.length]
    assert b"WARC-Type: response" in zlib.decompress(raw, zlib.MAX_WBITS | 16)


def test_the_reader_returns_responses_and_revisits_with_their_locations(tmp_path):
    body = b"<html>ban tin</html>"
    with WarcWriter(tmp_path) as writer:
        first = writer.write(exchange(body=body), "ben-nghe")
        identical = Revisit(IDENTICAL_PROFILE, "http://ward.test/a", first.date, payload_digest(body))
        same = writer.write(exchange(body=body, minutes=1), "ben-nghe", identical)
        not_modified = writer.write(exchange(body=b"", status=304, minutes=2), "ben-nghe",
                                    Revisit(NOT_MODIFIED_PROFILE, "http://ward.test/a", first.date,
                                            payload_digest(body)))
    responses = list(iter_responses(tmp_path))
    assert [(r.kind, r.status) for r in responses] == [("response", 200), ("revisit", 200), ("revisit", 304)]
    assert [(r.offset, r.length) for r in responses] == [
        (first.offset, first.length), (same.offset, same.length), (not_modified.offset, not_modified.length)]
    assert responses[0].body() == body and responses[0].site == "ben-nghe"
    assert responses[0].fetched_at == "2026-03-01T08:00:00Z"
    assert responses[1].profile == IDENTICAL_PROFILE and responses[1].refers_to_date == first.date
    assert responses[2].profile == NOT_MODIFIED_PROFILE
    again = read_response(tmp_path, first.warc_file, same.offset)
    assert again.kind == "revisit" and again.fetched_at == "2026-03-01T08:01:00Z"
    # `start` skips what a reader already consumed.
    rest = list(iter_responses(tmp_path, {first.warc_file: same.offset}))
    assert [r.offset for r in rest] == [same.offset, not_modified.offset]


def test_body_undoes_content_encoding_but_caps_a_decompression_bomb(tmp_path):
    page = "Phường Bến Nghé".encode() * 100
    bomb = gzip.compress(b"\0" * 20_000_000)
    with WarcWriter(tmp_path) as writer:
        writer.write(exchange(url="http://ward.test/gz", body=gzip.compress(page),
                              headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip"))), "s")
        writer.write(exchange(url="http://ward.test/bomb", body=bomb,
                              headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip"))), "s")
        writer.write(exchange(url="http://ward.test/broken", body=b"not gzip at all",
                              headers=(("Content-Encoding", "gzip"),)), "s")
    gz, bombed, broken = iter_responses(tmp_path)
    assert gzip.decompress(gz.payload) == page                  # stored as received, still encoded
    assert gz.body() == page
    assert len(bombed.body(limit=1_000_000)) == 1_000_000
    assert broken.body() == b"not gzip at all"


def test_files_rotate_and_the_open_file_is_invisible_to_readers_until_closed(tmp_path):
    writer = WarcWriter(tmp_path, rotate_bytes=2_000)
    locations = [writer.write(exchange(url=f"http://ward.test/{i}", body=os.urandom(3000)), "s")
                 for i in range(3)]
    assert len({loc.warc_file for loc in locations}) == 3
    open_files = [p.name for p in tmp_path.joinpath("warc").glob("*.open")]
    assert open_files == [locations[2].warc_file + ".open"]
    assert len(list(iter_responses(tmp_path))) == 2
    assert read_response(tmp_path, locations[2].warc_file, locations[2].offset).url == "http://ward.test/2"
    writer.close()
    assert [r.url for r in iter_responses(tmp_path)] == [f"http://ward.test/{i}" for i in range(3)]
    assert sorted(p.name for p in (tmp_path / "warc").iterdir()) == sorted(loc.warc_file for loc in locations)


def _killed_mid_record(tmp_path: Path) -> tuple[list, Path]:
    """Three pairs written, then a fourth cut in the middle of its response record (a kill)."""
    writer = WarcWriter(tmp_path)
    locations = [writer.write(exchange(url=f"http://ward.test/{i}", body=b"x" * 5000 + bytes([i])), "s")
                 for i in range(4)]
    handle = writer._handle
    assert handle is not None
    handle.close()                                   # the process dies: no close(), no rename
    path = tmp_path / "warc" / (locations[0].warc_file + ".open")
    with open(path, "r+b") as raw:
        raw.truncate(locations[3].offset + locations[3].length // 2)
    return locations, path


def test_recovery_cuts_back_to_the_boundary_the_state_knows_and_warcio_reads_the_result(tmp_path):
    locations, path = _killed_mid_record(tmp_path)
    known = {locations[0].warc_file: locations[1].end}    # the state committed two pairs only
    assert recover_open_files(tmp_path, known) == [locations[0].warc_file]
    finished = tmp_path / "warc" / locations[0].warc_file
    assert not path.exists() and finished.stat().st_size == locations[1].end
    records = warc_records(finished)
    assert [r[0] for r in records] == ["warcinfo", "request", "response", "request", "response"]
    assert [r.url for r in iter_responses(tmp_path)] == ["http://ward.test/0", "http://ward.test/1"]


def test_recovery_without_state_keeps_every_complete_gzip_member(tmp_path):
    locations, _ = _killed_mid_record(tmp_path)
    recover_open_files(tmp_path, {})
    finished = tmp_path / "warc" / locations[0].warc_file
    assert finished.stat().st_size == locations[3].offset      # up to the end of the complete request
    # The request record of the fourth pair was complete; its response was not and is gone.
    types = [r[0] for r in warc_records(finished)]
    assert types == ["warcinfo"] + ["request", "response"] * 3 + ["request"]
    assert [r.url for r in iter_responses(tmp_path)] == [f"http://ward.test/{i}" for i in range(3)]


def test_a_file_holding_only_its_warcinfo_is_removed_on_recovery(tmp_path):
    writer = WarcWriter(tmp_path)
    writer._open_new()
    assert writer._handle is not None
    writer._handle.close()
    assert recover_open_files(tmp_path, {}) == []
    assert list((tmp_path / "warc").iterdir()) == []


def test_read_response_refuses_paths_outside_the_archive(tmp_path):
    with pytest.raises(ValueError):
        read_response(tmp_path, "../state.sqlite", 0)


def test_a_write_that_fails_half_way_is_cut_back_and_later_pairs_stay_readable(tmp_path):
    writer = WarcWriter(tmp_path)
    first = writer.write(exchange(url="http://ward.test/1"), "s")
    unencodable = exchange(url="http://ward.test/2", headers=(("X-Tieu-De", "Ủy ban \udcff"),))
    with pytest.raises(UnicodeEncodeError):
        writer.write(unencodable, "s")
    assert (tmp_path / "warc" / (first.warc_file + ".open")).stat().st_size == first.end
    writer.write(exchange(url="http://ward.test/3"), "s")
    writer.close()
    assert [r.url for r in iter_responses(tmp_path)] == ["http://ward.test/1", "http://ward.test/3"]


FILL_THE_DISK_DURING_THE_THIRD_PAIR = """
import random, resource, sys
from datetime import UTC, datetime
from pathlib import Path
from crawler.exchange import Exchange
from crawler.warc_writer import WarcWriter
body = random.Random(0).randbytes(50_000)       # does not compress: a pair takes some 52 kB

def pair(number):
    return Exchange(url=f"http://ward.test/{number}", request_headers=(), status=200, reason="OK",
                    headers=(), body=body, started=datetime.now(UTC))

for short in map(int, sys.argv[2:]):
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    with WarcWriter(Path(sys.argv[1]) / str(short)) as writer:
        first, second = writer.write(pair(1), "s"), writer.write(pair(2), "s")
        room = second.end + (second.end - first.end) - short      # the third pair would not quite fit
        resource.setrlimit(resource.RLIMIT_FSIZE, (room, resource.RLIM_INFINITY))
        try:
            writer.write(pair(3), "s")
            print(short, "written")
        except OSError as error:
            print(short, error.errno)
"""
SHORT_BY = ("30", "100", "1000", "20000")   # bytes short; pairs differ by a few compressed bytes (ids, dates)


def test_a_disk_that_fills_up_mid_record_leaves_only_whole_records(tmp_path):
    # A write on a full disk first writes what fits and says so (a short count); only the next one
    # fails. A child process's file size limit does the same, wherever the record ends.
    written = subprocess.run([sys.executable, "-c", FILL_THE_DISK_DURING_THE_THIRD_PAIR, str(tmp_path),
                              *SHORT_BY], cwd=Path(__file__).resolve().parents[2], capture_output=True,
                             text=True, timeout=60)
    assert written.returncode == 0, written.stderr
    assert written.stdout.split() == [word for short in SHORT_BY for word in (short, str(errno.EFBIG))]
    for short in SHORT_BY:
        [path] = (tmp_path / short / "warc").iterdir()
        assert not [item for item in scan(path) if isinstance(item, Damage)], short
        assert [r[0] for r in warc_records(path)] == ["warcinfo", *["request", "response"] * 2]
