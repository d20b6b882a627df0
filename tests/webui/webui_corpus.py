"""A small real archive and index for the web UI tests.

Documents are written with the indexer's own writer; their captures point into real WARC files
written with `tests/warc_builder.py`, so the archive views read real records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from indexer.document import Capture, Document
from indexer.writing.writer import new_generation
from tests.warc_builder import Exchange, WarcArchive, status
from tinphuong.config import Config, load_config

BASE = "http://bennghe.example.gov.vn"
OTHER = "http://dakao.example.gov.vn"

# The archived article runs hostile scripts: if any ran, it would retitle our page or leave a marker.
ARTICLE_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>Tập huấn đảng viên mới</title>
<script>window.top.document.title = "PWNED"; document.documentElement.setAttribute("data-ran", "1");</script>
<link rel="stylesheet" href="http://tracker.example.net/style.css">
</head><body>
<h1 id="archived-heading">Phường Bến Nghé tập huấn cho đảng viên mới</h1>
<p>Bản lưu trữ: nội dung gốc của trang phường.</p>
<img src="http://tracker.example.net/pixel.gif" alt="">
<script src="http://tracker.example.net/evil.js"></script>
<script>try { parent.document.body.setAttribute("data-pwned", "1"); } catch (e) {}
document.getElementById("archived-heading").textContent = "SCRIPT RAN";</script>
</body></html>"""

ARTICLE_TEXT = (
    "Sáng 16/3/2023, Đảng ủy phường Bến Nghé tổ chức lớp tập huấn cho đảng viên mới.\n\n"
    "Các đảng viên được quán triệt Chỉ thị số 10-CT/TW và nhiệm vụ của chi bộ khu phố.\n\n"
    "Kết thúc lớp học, Ủy ban nhân dân phường trao giấy chứng nhận cho học viên."
)


@dataclass
class Corpus:
    config: Config
    article: Document
    hostile: Document
    gone: Document
    latin1: Document
    broken: Document
    listing: list[Document] = field(default_factory=list)


def _when(day: int) -> datetime:
    return datetime(2026, 1, 5, 8, 0, tzinfo=UTC) + timedelta(days=day)


def _capture(record: tuple[str, int, int], when: datetime, code: int = 200,
             kind: str = "response") -> Capture:
    name, offset, length = record
    return Capture(when.strftime("%Y-%m-%dT%H:%M:%SZ"), code, name, offset, length, kind)


def write_config(root: Path) -> Path:
    path = root / "config.toml"
    path.write_text(
        '[storage]\nindex_dir = "data/index"\narchive_dir = "data/archive"\n'
        f'[[sites]]\nname = "ben-nghe"\ntitle = "Phường Bến Nghé"\nstart_urls = ["{BASE}/"]\n'
        f'[[sites]]\nname = "da-kao"\ntitle = "Phường Đa Kao"\nstart_urls = ["{OTHER}/"]\n',
        encoding="utf-8")
    return path


def build_corpus(root: Path) -> Corpus:
    """Write the WARC files and the index the tests read."""
    config = load_config(write_config(root))
    warcs = WarcArchive(config.storage.archive_dir)
    article_url, gone_url = f"{BASE}/tin-tuc/tap-huan-dang-vien.html", f"{OTHER}/tin/don-ve-sinh.html"
    latin1_url = f"{BASE}/cu/trang-latin1.html"
    latin1_body = '<html><head><meta charset="iso-8859-1"></head><body><p>Café crème</p></body></html>'
    first = warcs.write([
        Exchange(url=article_url, body=ARTICLE_HTML.encode("utf-8"), fetched_at=_when(0)),
        Exchange(url=gone_url, body=b"<html><body><p>Ra quan don ve sinh</p></body></html>", site="da-kao",
                 fetched_at=_when(1)),
        Exchange(url=latin1_url, body=latin1_body.encode("latin-1"), headers=(("Content-Type", "text/html"),),
                 fetched_at=_when(2)),
    ])
    second = warcs.write([
        Exchange(url=article_url, status=304, headers=(), kind="revisit", fetched_at=_when(30),
                 profile="http://netpreserve.org/warc/1.1/revisit/server-not-modified"),
        status(gone_url, 404, site="da-kao", body="<html><body>Không tìm thấy</body></html>"),
    ])
    article = Document(
        url=article_url, site="ben-nghe", title="Phường Bến Nghé tập huấn cho đảng viên mới",
        text=ARTICLE_TEXT, date=date(2023, 3, 16), author="Nguyễn Văn An", category="Xây dựng Đảng",
        captures=[_capture(first.records[0], _when(0)),
                  _capture(second.records[0], _when(30), 304, "revisit")])
    hostile = Document(
        url=f"{BASE}/tin-tuc/lich-tiep-cong-dan.html", site="ben-nghe",
        title='<script>alert("tiêu đề")</script> Lịch tiếp công dân tháng 4',
        text='Lịch tiếp công dân <img src=x onerror=alert(1)> của Ủy ban nhân dân phường.\n\n'
             '<b>in đậm</b> & "trích dẫn"',
        date=date(2023, 4, 2))
    gone = Document(
        url=gone_url, site="da-kao", title="Phường Đa Kao ra quân dọn vệ sinh môi trường",
        text="Đoàn viên thanh niên phường Đa Kao ra quân dọn vệ sinh kênh rạch.", date=date(2022, 11, 20),
        gone=True,
        captures=[_capture(first.records[1], _when(1)), _capture(second.records[1], warcs.clock, 404)])
    latin1 = Document(url=latin1_url, site="ben-nghe", title="Trang cũ mã hóa Latin-1", text="Café crème",
                      date=date(2020, 1, 1), captures=[_capture(first.records[2], _when(2))])
    # A capture whose WARC file was lost (e.g. deleted by hand): the UI must say so, not fail.
    broken = Document(url=f"{BASE}/tin-tuc/mat-tep.html", site="ben-nghe", title="Bài có tệp lưu trữ bị mất",
                      text="Nội dung còn trong chỉ mục.", date=date(2021, 5, 5),
                      captures=[Capture("2026-01-05T08:00:00Z", 200, "TINPHUONG-missing.warc.gz", 0, 10)])
    listing = [
        Document(url=f"{OTHER}/tin/sinh-hoat-khu-pho-{n}.html", site="da-kao",
                 title=f"Sinh hoạt khu phố số {n}",
                 text=f"Buổi sinh hoạt khu phố số {n} bàn về an ninh trật tự.",
                 date=date(2024, 1, 1) + timedelta(days=n))
        for n in range(1, 24)
    ]
    with new_generation(config.storage.index_dir, procs=1) as writer:
        for doc in [article, hostile, gone, latin1, broken, *listing]:
            writer.upsert(doc)
    return Corpus(config=config, article=article, hostile=hostile, gone=gone, latin1=latin1, broken=broken,
                  listing=listing)
