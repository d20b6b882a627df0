"""A ward site whose articles need images, stylesheets, a font and an attachment, with hostile extras.

Used by the crawler's requisite tests, the replay tests and the browser test:

    with TestSite() as site, TestSite() as elsewhere:
        ward = WardSite.build(site, elsewhere)
        config = ward.config(tmp_path)          # requisite cap 20 kB: `huge.png` is over it

The home page is a listing: its thumbnail links to the article (a teaser, not a requisite) and its
logo links home (a requisite). The article uses a stylesheet (which @imports a second one, loads
a font and a background image, and names a `javascript:` URL and a sheet on another host), a
logo, a photo with a 2x srcset candidate, a `<picture>`, a lazily loaded image, a `style`
background, a PDF, an image over the cap, an image on a host that is not allowed, and hostile
markup (inline script, `onerror`, `javascript:` link, iframe, meta refresh, `<base>`-free). The
second article shows the same logo under another URL (same bytes) and links the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.crawler.conftest import make_config
from tests.media import font, pdf, png
from tests.sites import TestSite
from tinphuong.config import Config, load_config

ARTICLE = "/tin-tuc/ra-quan-ve-sinh.html"
SECOND = "/tin-tuc/trao-qua.html"
LOGO = png(8, 4, (0, 80, 160))
PHOTO = png(30, 20, (20, 140, 60))
PHOTO_2X = png(60, 40, (20, 140, 61))
PICTURE = png(12, 12, (120, 20, 160))
PICTURE_FALLBACK = png(12, 12, (121, 20, 160))
LAZY = png(10, 10, (200, 200, 0))
BACKGROUND = png(2, 2, (240, 240, 230))
STYLE_BACKGROUND = png(3, 3, (230, 240, 240))
THUMBNAIL = png(5, 5, (90, 90, 90))
HUGE = png(4, 4, padding=40_000)
FONT = font("phuong")
PDF = pdf("Quyet dinh 123/QD-UBND")
REQUISITE_CAP = 20_000
PARAGRAPHS = ("<p>Sáng ngày 12/3/2023, Ủy ban nhân dân phường phối hợp với Ủy ban Mặt trận Tổ quốc phường tổ "
              "chức ra quân dọn dẹp vệ sinh môi trường trên các tuyến đường chính và trong khu dân cư.</p>"
              "<p>Tham gia buổi ra quân có hơn 200 đoàn viên thanh niên, hội viên phụ nữ và bà con khu phố; "
              "lực lượng đã thu gom hơn 3 tấn rác thải và khơi thông cống rãnh.</p>")

SITE_CSS = """@import url("co-ban.css");
@import url("{elsewhere}/ngoai.css");
@font-face {{ font-family: "Phuong"; src: url("../fonts/phuong.woff2") format("woff2"); }}
body {{ background: #fff url(/uploads/nen.png) repeat; font-family: "Phuong", sans-serif; }}
.xau {{ background-image: url(javascript:alert(1)); }}
"""
BASE_CSS = "h1 { color: rgb(0, 80, 160); }\n"
HOSTILE_MARKUP = """<script>document.documentElement.setAttribute("data-ran", "1");</script>
<img id="broken" src="/uploads/khong-co.png" onerror="document.documentElement.setAttribute('data-ran', '2')">
<a id="js-link" href="javascript:document.documentElement.setAttribute('data-ran', '3')">bấm</a>
<iframe src="{elsewhere}/nhung.html"></iframe>
<object data="{elsewhere}/flash.swf"></object>"""


def article_html(elsewhere: str) -> str:
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Ra quân vệ sinh môi trường</title>
<meta http-equiv="refresh" content="30; url={elsewhere}/chuyen-huong">
<link rel="stylesheet" href="/static/site.css">
<link rel="preconnect" href="{elsewhere}">
</head><body>
<a href="/"><img id="logo" src="/static/logo.png" alt="Logo phường"></a>
<h1 id="title">Phường ra quân vệ sinh môi trường</h1>
{PARAGRAPHS}
<p><img id="photo" src="/uploads/anh-1.png" srcset="/uploads/anh-1.png 1x, /uploads/anh-1@2x.png 2x"
  width="300" height="200" alt="Ra quân"></p>
<picture><source srcset="/uploads/anh-2.png"><img id="pictured" src="/uploads/anh-2-nho.png" alt=""></picture>
<img id="lazy" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/uploads/anh-3.png" alt="">
<div id="banner" style="background-image: url('/uploads/nen-2.png'); height: 10px"></div>
<img id="huge" src="/uploads/rat-lon.png" alt="">
<img id="foreign" src="{elsewhere}/anh-ngoai.png" alt="">
<p>Tải văn bản: <a id="pdf" href="/van-ban/quyet-dinh-123.pdf">Quyết định 123/QĐ-UBND</a></p>
<p><a id="second" href="{SECOND}">Bài tiếp theo</a> ·
<a id="outside" href="{elsewhere}/tin-khac.html">Tin khác</a></p>
{HOSTILE_MARKUP.format(elsewhere=elsewhere)}
</body></html>"""


def second_html() -> str:
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Trao quà</title>
<link rel="stylesheet" href="/static/site.css"></head><body>
<img id="logo-copy" src="/images/logo-ban-sao.png" alt="Logo"> <img src="/static/logo.png" alt="Logo">
<h1>Trao quà cho hộ khó khăn</h1>{PARAGRAPHS.replace("ra quân dọn dẹp vệ sinh", "trao quà cho hộ")}
<p><a href="{ARTICLE}">Bài trước</a></p>
</body></html>"""


def home_html() -> str:
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Phường</title>
<link rel="stylesheet" href="/static/site.css"></head><body>
<a href="/"><img src="/static/logo.png" alt="Logo phường"></a>
<div class="tin"><a href="{ARTICLE}"><img src="/uploads/thumb-ra-quan.png" alt=""></a>
<h3><a href="{ARTICLE}">Phường ra quân vệ sinh môi trường</a></h3></div>
<div class="tin"><h3><a href="{SECOND}">Trao quà cho hộ khó khăn</a></h3></div>
</body></html>"""


@dataclass
class WardSite:
    site: TestSite
    elsewhere: TestSite            # another host: not allowed unless listed in requisite_hosts

    @classmethod
    def build(cls, site: TestSite, elsewhere: TestSite) -> WardSite:
        other = elsewhere.base_url.replace("127.0.0.1", "localhost")
        site.route("/", home_html())
        site.route(ARTICLE, article_html(other))
        site.route(SECOND, second_html())
        site.route("/static/site.css", SITE_CSS.format(elsewhere=other), content_type="text/css")
        site.route("/static/co-ban.css", BASE_CSS, content_type="text/css", etag='"css-1"')
        site.route("/fonts/phuong.woff2", FONT, content_type="font/woff2")
        site.route("/van-ban/quyet-dinh-123.pdf", PDF, content_type="application/pdf", etag='"pdf-1"')
        for path, body in [("/static/logo.png", LOGO), ("/images/logo-ban-sao.png", LOGO),
                           ("/uploads/anh-1.png", PHOTO), ("/uploads/anh-1@2x.png", PHOTO_2X),
                           ("/uploads/anh-2.png", PICTURE), ("/uploads/anh-2-nho.png", PICTURE_FALLBACK),
                           ("/uploads/anh-3.png", LAZY), ("/uploads/nen.png", BACKGROUND),
                           ("/uploads/nen-2.png", STYLE_BACKGROUND), ("/uploads/rat-lon.png", HUGE),
                           ("/uploads/thumb-ra-quan.png", THUMBNAIL)]:
            site.route(path, body, content_type="image/png", etag=f'"{path}"')
        elsewhere.route("/anh-ngoai.png", png(), content_type="image/png")
        elsewhere.route("/ngoai.css", "body { color: red }", content_type="text/css")
        return cls(site, elsewhere)

    @property
    def other_host(self) -> str:
        return self.elsewhere.base_url.replace("127.0.0.1", "localhost")

    def url(self, path: str) -> str:
        return self.site.url(path)

    def config(self, tmp_path: Path, crawl: dict | None = None, **site_options) -> Config:
        settings = {"requisite_max_bytes": REQUISITE_CAP} | (crawl or {})
        return make_config(tmp_path, self.site, crawl=settings, **site_options)


@dataclass(frozen=True)
class ArchivedWard:
    """The ward site crawled and indexed, then stopped: what replay must show from the archive alone."""

    config: Config
    live: str                   # the stopped site's base URL
    other: str                  # the stopped other host's base URL

    def url(self, path: str) -> str:
        return self.live + path


def archived_ward(tmp_path: Path) -> ArchivedWard:
    """Crawl the ward site and index it, with a configuration file on disk (for `python -m webui`);
    both servers are stopped when this returns."""
    from indexer.writing.pipeline import update_index
    from tests.crawler.conftest import USER_AGENT, run_crawl

    with TestSite() as site, TestSite() as elsewhere:
        ward = WardSite.build(site, elsewhere)
        path = tmp_path / "config.toml"
        path.write_text(f"""[storage]\narchive_dir = "archive"\nindex_dir = "index"
[crawl]\nuser_agent = "{USER_AGENT}"\ndelay_seconds = 0\ntimeout_seconds = 2\nmax_retries = 1
requisite_max_bytes = {REQUISITE_CAP}
[[sites]]\nname = "site-0"\ntitle = "Phường thử"\nstart_urls = ["{site.url("/")}"]
""", encoding="utf-8")
        config = load_config(path)
        run_crawl(config)
        update_index(config)
        return ArchivedWard(config, site.base_url, ward.other_host)
