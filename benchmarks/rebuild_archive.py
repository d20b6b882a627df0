"""The archive `bench_rebuild` rebuilds: generated ward sites crawled on loopback by the real crawler.

Why a crawl and not WARC files written from the corpus: a rebuild's cost is in what the crawler
really leaves in the archive, in its proportions: for every article its listing pages, images,
stylesheets, fonts, attachments (PDF and DOCX with Vietnamese text, DOC and XLS placeholders),
redirect and robots records, identical-payload revisits; rendered by two ward-portal themes
(WordPress and an ASP.NET table portal). The archive is built once per selection and kept in the
work dir; `--articles` sets its size (half per theme).

PDFs take fpdf2 a second or more each (it parses the TrueType font every time), so the
attachments come from a pool of real documents, each copy made unique by a trailing PDF comment
(or, for DOCX, a zip comment): every attachment is a distinct payload the indexer extracts.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from crawler.crawl import CrawlRun
from tests.office_files import FONT, decision_docx, text_pdf
from tests.wardsite import Article, WardSite
from tests.wardsite.assets import placeholder_attachment
from tinphuong.config import Config, parse_config
from tinphuong.lock import refresh_lock

POOL = 12          # distinct PDF and DOCX documents
READY = "archive-ready"


class AttachmentPool:
    """Real PDF and DOCX bytes for the ward sites' attachments, made from articles' text."""

    def __init__(self) -> None:
        self._pdfs: list[bytes] = []
        self._docx: list[bytes] = []

    def __call__(self, article: Article, name: str) -> bytes:
        suffix = name.rsplit(".", 1)[-1].lower()
        if suffix == "pdf" and FONT.is_file():
            if len(self._pdfs) < POOL:
                self._pdfs.append(text_pdf([_first_page(article), list(article.paragraphs)]))
            base = self._pdfs[_slot(name)] if len(self._pdfs) == POOL else self._pdfs[-1]
            return base + f"% {name}\n".encode()
        if suffix == "docx":
            if len(self._docx) < POOL:
                self._docx.append(decision_docx([*_first_page(article), *article.paragraphs]))
            base = self._docx[_slot(name)] if len(self._docx) == POOL else self._docx[-1]
            return _with_zip_comment(base, name)
        return placeholder_attachment(article, name)


def build_archive(work_dir: Path, articles: int, seed: int) -> Config:
    """The configuration of a crawled archive of `articles` articles (built now unless already there),
    written to `config.toml` beside it for `python -m indexer rebuild --config`."""
    root = work_dir / f"rebuild-archive-{articles}-s{seed}"
    if (root / READY).is_file():
        return _written(_config(root, (root / READY).read_text().split()))
    root.mkdir(parents=True, exist_ok=True)
    pool = AttachmentPool()
    sites = [WardSite(style, seed=f"bench-{seed}-{style}", articles=articles // 2) for style in
             ("wordpress", "aspnet")]
    for site in sites:
        site.attachment_bytes = pool
    try:
        for site in sites:
            site.start()
        entries = [site.config_entry(f"phuong-{i}", max_pages=articles * 2) for i, site in enumerate(sites)]
        config = _config(root, [], entries)
        with refresh_lock(config.storage.archive_dir), CrawlRun(config) as run:
            for site in config.sites:
                run.crawl_site(site, None)
    finally:
        for site in sites:
            site.stop()
    names = [entry["name"] for entry in entries]
    (root / READY).write_text(" ".join(names))
    return _written(_config(root, names))


def _written(config: Config) -> Config:
    sites = "".join(f'\n[[sites]]\nname = "{site.name}"\ntitle = "{site.title}"\n'
                    f'start_urls = ["{site.start_urls[0]}"]\n' for site in config.sites)
    storage = '[storage]\nindex_dir = "index"\narchive_dir = "archive"\n'
    config.path.write_text(storage + sites, encoding="utf-8")
    return config


def _config(root: Path, names: list[str], entries: list[dict] | None = None) -> Config:
    sites = entries or [{"name": name, "title": name, "start_urls": [f"http://127.0.0.1:9/{name}/"]}
                        for name in names]     # the archive is crawled: the rebuild needs the names only
    raw = {"storage": {"archive_dir": "archive", "index_dir": "index"},
           "crawl": {"user_agent": "TinPhuongBench/1.0", "delay_seconds": 0,
                     "timeout_seconds": 10, "max_retries": 1},
           "sites": sites or [{"name": "none", "title": "none", "start_urls": ["http://127.0.0.1:9/"]}]}
    return parse_config(raw, root / "config.toml")


def _first_page(article: Article) -> list[str]:
    number = article.id * 3 + 10
    return ["ỦY BAN NHÂN DÂN PHƯỜNG", f"Số: {number}/QĐ-UBND",
            f"ngày {article.date.day} tháng {article.date.month} năm {article.date.year}", "QUYẾT ĐỊNH",
            f"Về việc {article.title}"]


def _slot(name: str) -> int:
    return hashlib.sha1(name.encode()).digest()[0] % POOL


def _with_zip_comment(data: bytes, comment: str) -> bytes:
    source, out = io.BytesIO(data), io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            copy.writestr(item, original.read(item))
        copy.comment = comment.encode()
    return out.getvalue()
