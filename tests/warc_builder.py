"""Write real WARC files, laid out as the crawler writes them, for tests of the stages that read them.

Files follow docs/architecture.md: `<archive_dir>/warc/TINPHUONG-<timestamp>-<pid>-<seq>.warc.gz`,
WARC/1.1, gzip per record, a `request` record before each `response`, the
`WARC-Tinphuong-Site` header, 304 answers as `server-not-modified` revisits and
unchanged 200 answers as `identical-payload-digest` revisits, a `warcinfo` record first. Tests describe
exchanges with `page`, `not_modified`, `identical` and `status`, then call
`WarcArchive.write`; each call finishes one file, named after the previous ones.
"""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
IDENTICAL_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
HTML_UTF8 = (("Content-Type", "text/html; charset=utf-8"),)
REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified", 404: "Not Found",
           410: "Gone", 500: "Internal Server Error", 503: "Service Unavailable"}


@dataclass(frozen=True)
class Exchange:
    """One HTTP exchange to archive; `kind` is "response" or "revisit"."""

    url: str
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = HTML_UTF8
    site: str = "ben-nghe"
    kind: str = "response"
    profile: str | None = None
    refers_to_date: str | None = None
    fetched_at: datetime | None = None


def page(url: str, html: str | bytes, site: str = "ben-nghe",
         headers: tuple[tuple[str, str], ...] = HTML_UTF8, status: int = 200) -> Exchange:
    """A full response (200 by default); `html` as text is encoded to UTF-8."""
    body = html.encode("utf-8") if isinstance(html, str) else html
    return Exchange(url=url, status=status, body=body, headers=headers, site=site)


def not_modified(url: str, site: str = "ben-nghe") -> Exchange:
    """A 304 answer to a conditional request, written as a server-not-modified revisit."""
    return Exchange(url=url, status=304, headers=(), site=site, kind="revisit", profile=NOT_MODIFIED_PROFILE)


def identical(url: str, body: bytes, refers_to_date: str, site: str = "ben-nghe") -> Exchange:
    """A 200 whose payload equals an earlier capture's, written as an identical-payload-digest revisit."""
    return Exchange(url=url, status=200, body=body, site=site, kind="revisit", profile=IDENTICAL_PROFILE,
                    refers_to_date=refers_to_date)


def status(url: str, code: int, site: str = "ben-nghe", body: str = "") -> Exchange:
    """A bodiless (or nearly) answer such as 404, 410, 301 or 500."""
    return Exchange(url=url, status=code, body=body.encode("utf-8"), headers=HTML_UTF8, site=site)


@dataclass
class Written:
    """Where `WarcArchive.write` put each exchange: (file name, offset, length) of its response record."""

    path: Path
    records: list[tuple[str, int, int]] = field(default_factory=list)


class WarcArchive:
    """An archive directory that tests fill file by file, with strictly increasing fetch times."""

    def __init__(self, archive_dir: Path, start: datetime | None = None, pid: int = 4242) -> None:
        self.archive_dir = Path(archive_dir)
        self.warc_dir = self.archive_dir / "warc"
        self.warc_dir.mkdir(parents=True, exist_ok=True)
        self.clock = start or datetime(2026, 1, 5, 8, 0, 0, tzinfo=UTC)
        self.pid = pid
        self.seq = 0

    def tick(self) -> str:
        """The next fetch time (one minute later), as WARC-Date."""
        self.clock += timedelta(minutes=1)
        return _warc_date(self.clock)

    def write(self, exchanges: list[Exchange], suffix: str = ".warc.gz") -> Written:
        """Write one finished WARC file holding `exchanges` in order."""
        self.seq += 1
        stamp = self.clock.strftime("%Y%m%d%H%M%S")
        path = self.warc_dir / f"TINPHUONG-{stamp}-{self.pid}-{self.seq:05d}{suffix}"
        written = Written(path=path)
        with open(path, "wb") as handle:
            writer = WARCWriter(handle, gzip=True, warc_version="1.1")
            writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests/warc_builder"}))
            for exchange in exchanges:
                when = _warc_date(exchange.fetched_at) if exchange.fetched_at else self.tick()
                writer.write_record(_request(writer, exchange, when))
                offset = handle.tell()
                writer.write_record(_response(writer, exchange, when))
                written.records.append((path.name, offset, handle.tell() - offset))
        return written


def _warc_date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _digest(body: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def _warc_headers(exchange: Exchange, when: str) -> dict[str, str]:
    return {"WARC-Date": when, "WARC-Tinphuong-Site": exchange.site}


def _request(writer: WARCWriter, exchange: Exchange, when: str):
    path = exchange.url.split("/", 3)[3] if exchange.url.count("/") >= 3 else ""
    host = exchange.url.split("/")[2]
    headers = StatusAndHeaders(f"GET /{path} HTTP/1.1", [("Host", host), ("User-Agent", "TinPhuongTest/1.0")],
                               is_http_request=True)
    return writer.create_warc_record(exchange.url, "request", http_headers=headers,
                                     warc_headers_dict=_warc_headers(exchange, when))


def _response(writer: WARCWriter, exchange: Exchange, when: str):
    reason = REASONS.get(exchange.status, "Unknown")
    headers = list(exchange.headers)
    if exchange.kind == "response":
        headers.append(("Content-Length", str(len(exchange.body))))
    http_headers = StatusAndHeaders(f"{exchange.status} {reason}", headers, protocol="HTTP/1.1")
    if exchange.kind == "revisit":
        record = writer.create_revisit_record(
            exchange.url, _digest(exchange.body), exchange.url, exchange.refers_to_date or when,
            http_headers=http_headers, warc_headers_dict=_warc_headers(exchange, when))
        record.rec_headers.replace_header("WARC-Profile", exchange.profile or IDENTICAL_PROFILE)
        return record
    return writer.create_warc_record(exchange.url, "response", payload=io.BytesIO(exchange.body),
                                     length=len(exchange.body), http_headers=http_headers,
                                     warc_headers_dict=_warc_headers(exchange, when))


# --- realistic ward-portal pages, for the exchanges above and for extraction tests ---------------------

SITE_TITLE = "Phường Bến Nghé"
CHROME_TOP = """<header class="site-header">
<div class="logo"><a href="/">Cổng thông tin điện tử {site}</a></div>
<nav class="main-menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu/">Giới thiệu</a></li>
<li><a href="/tin-tuc/">Tin tức - Sự kiện</a></li><li><a href="/van-ban/">Văn bản chỉ đạo điều hành</a></li>
<li><a href="/thu-tuc/">Thủ tục hành chính</a></li></ul></nav>
<form class="search-box" action="/tim-kiem"><input name="q" placeholder="Tìm kiếm"><button>Tìm</button></form>
</header>"""
SIDEBAR = """<aside class="sidebar"><div class="box"><h3>Tin mới</h3><ul>
<li><a href="/tin-tuc/lich-tiep-cong-dan.html">Lịch tiếp công dân của lãnh đạo phường tháng tới</a></li>
<li><a href="/tin-tuc/phong-chay.html">Tuyên truyền phòng cháy chữa cháy tại khu dân cư</a></li>
<li><a href="/tin-tuc/tiem-chung.html">Thông báo lịch tiêm chủng mở rộng cho trẻ em</a></li></ul></div>
<div class="box thong-ke">Lượt truy cập: 123456</div></aside>"""
FOOTER = """<footer class="site-footer"><p>Bản quyền thuộc Ủy ban nhân dân {site}. Địa chỉ: 12 đường Số 1,
khu phố 2. Điện thoại: 028 0000 0000.</p>
<p>Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p></footer>"""


def ward_article(title: str, paragraphs: list[str], date_line: str = "Ngày đăng: 16/03/2023",
                 head: str = "", byline: str = "Tin, ảnh: Nguyễn Thị Hoà",
                 category: str = "Tin tức - Sự kiện", site: str = SITE_TITLE) -> str:
    """An article page as ward portals render it: menu, breadcrumb, share bar, sidebar, footer, scripts."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    closing = f'<p style="text-align:right"><strong>{byline}</strong></p>' if byline else ""
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>{title} - {site}</title>{head}
<script>window.dataLayer = [];function track(){{document.write("<p>mã theo dõi</p>")}}</script>
<style>.sidebar {{ float: right }}</style></head><body>
{CHROME_TOP.format(site=site)}
<div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/tin-tuc/">{category}</a></div>
<div class="container"><div class="col-main">
<h1 class="title-detail">{title}</h1>
<div class="post-info"><span class="post-date">{date_line}</span></div>
<div class="share-tools"><a href="#">Chia sẻ</a> <a href="#">Facebook</a> <a href="#">Zalo</a>
<a href="#">In bài</a></div>
<div class="detail-content">{body}{closing}</div>
<div class="view-count">Lượt xem: 2.345</div>
<div class="related-news"><h3>Tin liên quan</h3><ul>
<li><a href="/tin-tuc/hoi-nghi.html">Hội nghị sơ kết công tác sáu tháng đầu năm của phường</a></li>
<li><a href="/tin-tuc/ra-quan.html">Lễ ra quân huấn luyện lực lượng dân quân tự vệ năm nay</a></li></ul></div>
</div>{SIDEBAR}</div>
{FOOTER.format(site=site)}
<script>track();</script></body></html>"""


def ward_listing(items: list[tuple[str, str, str]], site: str = SITE_TITLE,
                 heading: str = "Tin tức - Sự kiện", pager: bool = True) -> str:
    """A category page: linked headlines with a teaser each (title, href, teaser)."""
    entries = "\n".join(
        f'<div class="news-item"><h3><a href="{href}">{title}</a></h3><span class="date">15/03/2023</span>'
        f"<p>{teaser}</p></div>" for title, href, teaser in items)
    pages = '<div class="pagination"><a href="?page=2">2</a> <a href="?page=3">3</a></div>' if pager else ""
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{heading} - {site}</title>
</head><body>{CHROME_TOP.format(site=site)}<div class="container"><div class="col-main">
<h1>{heading}</h1><div class="list-news">{entries}</div>{pages}</div>{SIDEBAR}</div>
{FOOTER.format(site=site)}</body></html>"""


CLEANUP_PARAGRAPHS = [
    "Sáng ngày 12/3/2023, Ủy ban nhân dân phường phối hợp với Ủy ban Mặt trận Tổ quốc Việt Nam phường "
    "tổ chức ra quân dọn dẹp vệ sinh môi trường trên các tuyến đường chính và các hẻm trong khu dân cư.",
    "Tham gia buổi ra quân có hơn 200 đoàn viên thanh niên, hội viên phụ nữ, cựu chiến binh và bà con "
    "khu phố. Lực lượng đã thu gom hơn 3 tấn rác thải, phát quang bụi rậm, khơi thông cống rãnh.",
    "Dịp này, phường cũng phát động phong trào “Ngày Chủ nhật xanh” và kêu gọi người dân không xả rác "
    "ra đường, phân loại rác tại nguồn và giữ gìn cảnh quan đô thị sáng, xanh, sạch, đẹp.",
]
