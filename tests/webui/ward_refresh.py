"""A ward site on loopback refreshed by the real `crawler refresh` command, for the pages that show
what a refresh brought: the Atom feed and the status page."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from crawler.__main__ import main as crawler_main
from tests.sites import TestSite
from tests.warc_builder import ward_article

PARAGRAPHS = [
    "Sáng {day}, Ủy ban nhân dân phường kiểm tra các điểm ngập nước trên đường {street} sau cơn mưa "
    "lớn kéo dài, yêu cầu đơn vị thoát nước khẩn trương khơi thông cống rãnh.",
    "Lực lượng dân quân và tổ dân phố hỗ trợ người dân di chuyển tài sản, cắm biển cảnh báo tại các "
    "vị trí ngập sâu, đồng thời ghi nhận ý kiến của bà con để kiến nghị cải tạo hệ thống cống.",
]


def ward_page(title: str, day: str, street: str, *details: str) -> str:
    """An article page published on `day` (dd/mm/yyyy) about flooding in `street`; `details` are
    paragraphs of its own (without them, pages of two streets are near-duplicates: one article)."""
    return ward_article(title, [*(p.format(day=day, street=street) for p in PARAGRAPHS), *details],
                        date_line=f"Ngày đăng: {day}")


def write_config(tmp_path: Path, *sites: tuple[str, str, TestSite]) -> Path:
    """A configuration for (name, title, site) triples, archive and index under `tmp_path`; every page
    is revalidated at every refresh (`revisit_days = 0`), so a removed page is seen gone at once."""
    text = ('[storage]\narchive_dir = "archive"\nindex_dir = "index"\n'
            '[crawl]\nuser_agent = "TinPhuongTest/1.0"\ndelay_seconds = 0\nmax_retries = 0\n')
    for name, title, site in sites:
        text += (f'[[sites]]\nname = "{name}"\ntitle = "{title}"\nstart_urls = ["{site.url("/")}"]\n'
                 "revisit_days = 0\n")
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refresh(config: Path, *options: str) -> str:
    """`python -m crawler refresh` in this process; its output (it must succeed)."""
    result = CliRunner().invoke(crawler_main, ["refresh", "--config", str(config), *options])
    assert result.exit_code == 0, result.output
    return result.output
