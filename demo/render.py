"""HTML of the demo ward portal: one function per kind of page, all text escaped with `html.escape`.

The markup imitates what Vietnamese ward portals publish (header, category menu, breadcrumb,
"Tin mới" sidebar, footer, share buttons, an inline view counter) so that the extractor meets
the same chrome it will meet on real sites. Links are root-relative, so pages work on any port.
Where the pages and files live is given by the articles' and categories' `path`, a listing's
`page_url` and `Paths`, so the test-site generator (`tests/wardsite`) serves the same theme under
other URL schemes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from demo.content import Article, Link, Site

PER_PAGE = 10
LATEST_COUNT = 5
VIETNAM_OFFSET = "+07:00"


@dataclass(frozen=True)
class Paths:
    """The fixed addresses every page links: assets, feed, search form and back office."""

    stylesheet: str = "/static/style.css"
    logo: str = "/static/logo.svg"
    feed: str = "/rss.xml"
    search: str = "/tim-kiem"
    admin: str = "/admin/"


DEMO_PATHS = Paths()


def article_page(site: Site, article: Article, latest: Sequence[Article], related: Sequence[Link],
                 paths: Paths = DEMO_PATHS, head: Sequence[str] = ()) -> str:
    """An article: <h1>, date line, category, views, body in div.content, author, attachments, related
    links; `head` adds lines to <head> (a canonical link, say)."""
    head = [*head,
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{escape(article.title)}">',
        f'<meta name="description" content="{escape(_excerpt(article, 30))}">',
    ]
    if article.published_meta:
        head.append(f'<meta property="article:published_time" content="{article.published.isoformat()}">')
        head.append(f'<meta name="author" content="{escape(article.author)}">')
    crumbs = [Link(article.category.name, article.category.path)]
    body = "\n".join(filter(None, [
        '<article class="post">',
        f'<h1 class="post-title">{escape(article.title)}</h1>',
        '<div class="post-meta">',
        f'<span class="date">Ngày đăng: {article.published:%d/%m/%Y %H:%M}</span>',
        f'<span class="category">Chuyên mục: <a href="{escape(article.category.path)}">'
        f'{escape(article.category.name)}</a></span>',
        f'<span class="views">Lượt xem: <b id="view-count">{article.views}</b></span>',
        "</div>",
        '<div class="content">',
        _paragraphs(article),
        _VIEW_COUNTER,
        "</div>",
        f'<p class="author">Tin, ảnh: {escape(article.author)}</p>',
        _attachments(article.attachments),
        _SHARE_BUTTONS,
        "</article>",
        _related(related),
    ]))
    return _layout(site, article.title, body, latest, crumbs, head, paths, current=article.title)


def listing_page(site: Site, heading: str, crumbs: Sequence[Link], articles: Sequence[Article],
                 latest: Sequence[Article], page: int, pages: int, page_url: Callable[[int], str],
                 paths: Paths = DEMO_PATHS, window: int | None = None) -> str:
    """A page of article teasers (home or category) with its pagination bar, which links every page,
    or with `window` only the first, the last and `window` pages either side of this one."""
    items = "\n".join(_teaser(a) for a in articles)
    body = "\n".join([
        f'<h1 class="listing-title">{escape(heading)}</h1>',
        f'<ul class="listing">\n{items}\n</ul>',
        _pagination(page, pages, page_url, window),
    ])
    title = heading if page == 1 else f"{heading} – Trang {page}"
    return _layout(site, title, body, latest, crumbs, ['<meta property="og:type" content="website">'], paths)


def admin_page(site: Site) -> str:
    """The back-office login form: robots.txt forbids it, a polite crawler never fetches it."""
    body = "\n".join([
        '<h1 class="listing-title">Đăng nhập hệ thống quản trị</h1>',
        '<form class="login" action="/admin/" method="post">',
        '<label>Tên đăng nhập <input name="username"></label>',
        '<label>Mật khẩu <input name="password" type="password"></label>',
        '<button type="submit">Đăng nhập</button>',
        "</form>",
        '<p class="notice">Khu vực dành riêng cho cán bộ quản trị cổng thông tin.</p>',
    ])
    head = ['<meta name="robots" content="noindex, nofollow">']
    return _layout(site, "Quản trị", body, [], [Link("Quản trị", "/admin/")], head)


def page_path(base: str, page: int) -> str:
    """Where page `page` of a listing rooted at `base` ("/" or "/chuyen-muc/x/") lives."""
    return base if page == 1 else f"{base}trang-{page}.html"


def page_window(page: int, pages: int, window: int | None = None) -> list[int | None]:
    """The page numbers a pagination bar shows, None for an elided run: all of them, or the first,
    the last and `window` either side of `page` (a listing of 200 pages links 7, not 200)."""
    if window is None:
        return list(range(1, pages + 1))
    shown = sorted({1, pages, *range(max(1, page - window), min(pages, page + window) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def pager_parts(page: int, pages: int, window: int | None, link: Callable[[int], str],
                current: Callable[[int], str], gap: str) -> list[str]:
    """The numbered part of a pagination bar: `link(n)` for other pages, `current(n)` for this one,
    `gap` for an elided run (see `page_window`)."""
    numbers = page_window(page, pages, window)
    return [gap if n is None else current(n) if n == page else link(n) for n in numbers]


def shorten(text: str, words: int) -> str:
    """The first `words` words of `text`, with an ellipsis when some were cut."""
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + "…"


def _layout(site: Site, title: str, body: str, latest: Sequence[Article], crumbs: Sequence[Link],
            head: Sequence[str], paths: Paths = DEMO_PATHS, current: str | None = None) -> str:
    full_title = f"{title} – {site.name}" if title != site.name else title
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="vi">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(full_title)}</title>",
        *head,
        f'<link rel="stylesheet" href="{escape(paths.stylesheet)}">',
        f'<link rel="alternate" type="application/rss+xml" title="{escape(site.name)}" '
        f'href="{escape(paths.feed)}">',
        "</head>",
        "<body>",
        _header(site, paths),
        '<div class="container">',
        '<main class="main">',
        _breadcrumb(crumbs, current),
        body,
        "</main>",
        _sidebar(site, latest),
        "</div>",
        _footer(site, paths),
        "</body>",
        "</html>",
        "",
    ])


def _header(site: Site, paths: Paths) -> str:
    menu = "\n".join(f'<li><a href="{escape(c.path)}">{escape(c.name)}</a></li>' for c in site.categories)
    return "\n".join([
        '<header class="site-header">',
        f'<a class="brand" href="/"><img src="{escape(paths.logo)}" alt="" width="56" height="56">',
        f'<span class="authority">{escape(site.authority.upper())}</span>',
        f'<span class="place">{escape(site.district)} – {escape(site.city)}</span></a>',
        f'<form class="search" action="{escape(paths.search)}" method="get">',
        '<input name="q" placeholder="Nhập từ khóa tìm kiếm..." aria-label="Từ khóa">',
        '<button type="submit">Tìm kiếm</button>',
        "</form>",
        "</header>",
        '<nav class="menu">',
        f'<ul>\n<li><a href="/">Trang chủ</a></li>\n{menu}\n</ul>',
        "</nav>",
    ])


def _breadcrumb(crumbs: Sequence[Link], current: str | None) -> str:
    parts = ['<a href="/">Trang chủ</a>']
    parts += [f'<a href="{escape(c.href)}">{escape(c.title)}</a>' for c in crumbs]
    if current:
        parts.append(f'<span class="current">{escape(shorten(current, 12))}</span>')
    return f'<nav class="breadcrumb">{" › ".join(parts)}</nav>'


def _sidebar(site: Site, latest: Sequence[Article]) -> str:
    items = "\n".join(f'<li><a href="{escape(a.path)}">{escape(a.title)}</a> '
                      f'<span class="date">({a.published:%d/%m/%Y})</span></li>' for a in latest)
    return "\n".join([
        '<aside class="sidebar">',
        '<section class="latest">',
        "<h2>Tin mới</h2>",
        f"<ul>\n{items}\n</ul>",
        "</section>",
        '<section class="hotline">',
        "<h2>Đường dây nóng</h2>",
        f"<p>Tiếp nhận phản ánh, kiến nghị của người dân: <b>{escape(site.hotline)}</b></p>",
        "</section>",
        "</aside>",
    ])


def _footer(site: Site, paths: Paths) -> str:
    return "\n".join([
        '<footer class="site-footer">',
        f"<p><b>{escape(site.authority.upper())}</b></p>",
        f"<p>Địa chỉ: {escape(site.address)}</p>",
        f"<p>Điện thoại: {escape(site.phone)} – Thư điện tử: {escape(site.email)}</p>",
        "<p>Ghi rõ nguồn khi phát hành lại thông tin từ cổng thông tin này.</p>",
        f'<p class="footer-links"><a href="{escape(paths.feed)}">RSS</a> · '
        f'<a href="{escape(paths.admin)}">Quản trị</a></p>',
        "</footer>",
    ])


def _paragraphs(article: Article) -> str:
    blocks = [f"<p>{escape(p)}</p>" for p in article.paragraphs]
    if article.caption:
        figure = (f'<figure class="illustration"><img src="{escape(article.image)}" alt="">'
                  f"<figcaption>{escape(article.caption)}</figcaption></figure>")
        blocks.insert(1, figure)
    return "\n".join(blocks)


def _attachments(links: Sequence[Link]) -> str:
    return _link_box("div", "attachments", "Tài liệu đính kèm", links)


def _related(links: Sequence[Link]) -> str:
    return _link_box("section", "related", "Bài viết liên quan", links)


def _link_box(tag: str, css_class: str, heading: str, links: Sequence[Link]) -> str:
    if not links:
        return ""
    items = "\n".join(f'<li><a href="{escape(link.href)}">{escape(link.title)}</a></li>' for link in links)
    return f'<{tag} class="{css_class}">\n<h2>{heading}</h2>\n<ul>\n{items}\n</ul>\n</{tag}>'


def _teaser(article: Article) -> str:
    return "\n".join([
        '<li class="teaser">',
        f'<h2><a href="{escape(article.path)}">{escape(article.title)}</a></h2>',
        f'<span class="date">{article.published:%d/%m/%Y}</span>',
        f'<span class="category"><a href="{escape(article.category.path)}">'
        f'{escape(article.category.name)}</a></span>',
        f"<p>{escape(_excerpt(article, 40))}</p>",
        "</li>",
    ])


def _pagination(page: int, pages: int, page_url: Callable[[int], str], window: int | None) -> str:
    if pages <= 1:
        return ""
    links = []
    if page > 1:
        links.append(f'<a class="prev" href="{escape(page_url(page - 1))}">« Trước</a>')
    links += pager_parts(page, pages, window, lambda n: f'<a href="{escape(page_url(n))}">{n}</a>',
                         lambda n: f'<span class="current">{n}</span>', '<span class="gap">…</span>')
    if page < pages:
        links.append(f'<a class="next" href="{escape(page_url(page + 1))}">Sau »</a>')
    return f'<nav class="pagination">Trang: {" ".join(links)}</nav>'


def _excerpt(article: Article, words: int) -> str:
    return shorten(article.paragraphs[0], words)


_VIEW_COUNTER = """<script>
  // View counter of the portal: shows one more view on screen, sends nothing anywhere.
  (function () {
    var counter = document.getElementById("view-count");
    if (counter) { counter.textContent = String(parseInt(counter.textContent, 10) + 1); }
    window.tinPhuongViewNote = "Cảm ơn bạn đã quan tâm theo dõi tin bài";
  })();
</script>"""

_SHARE_BUTTONS = """<div class="share">Chia sẻ:
<button type="button" class="share-facebook">Facebook</button>
<button type="button" class="share-zalo">Zalo</button>
<button type="button" class="print" onclick="window.print()">In bài viết</button>
</div>"""
