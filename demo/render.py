"""HTML of the demo ward portal: one function per kind of page, all text escaped with `html.escape`.

The markup imitates what Vietnamese ward portals publish (header, category menu, breadcrumb,
"Tin mới" sidebar, footer, share buttons, an inline view counter) so that the extractor meets
the same chrome it will meet on real sites. Links are root-relative, so pages work on any port.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from demo.content import Article, Link, Site

PER_PAGE = 10
LATEST_COUNT = 5
VIETNAM_OFFSET = "+07:00"


def article_page(site: Site, article: Article, latest: Sequence[Article], related: Sequence[Link]) -> str:
    """An article: <h1>, date line, category, views, body in div.content, author, related links."""
    head = [
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{escape(article.title)}">',
        f'<meta name="description" content="{escape(_excerpt(article, 30))}">',
    ]
    if article.published_meta:
        head.append(f'<meta property="article:published_time" content="{article.published.isoformat()}">')
        head.append(f'<meta name="author" content="{escape(article.author)}">')
    crumbs = [Link(article.category.name, article.category.path)]
    body = "\n".join([
        '<article class="post">',
        f'<h1 class="post-title">{escape(article.title)}</h1>',
        '<div class="post-meta">',
        f'<span class="date">Ngày đăng: {article.published:%d/%m/%Y %H:%M}</span>',
        f'<span class="category">Chuyên mục: <a href="{article.category.path}">'
        f'{escape(article.category.name)}</a></span>',
        f'<span class="views">Lượt xem: <b id="view-count">{article.views}</b></span>',
        "</div>",
        '<div class="content">',
        _paragraphs(article),
        _VIEW_COUNTER,
        "</div>",
        f'<p class="author">Tin, ảnh: {escape(article.author)}</p>',
        _SHARE_BUTTONS,
        "</article>",
        _related(related),
    ])
    return _layout(site, article.title, body, latest, crumbs, head, current=article.title)


def listing_page(site: Site, heading: str, crumbs: Sequence[Link], articles: Sequence[Article],
                 latest: Sequence[Article], page: int, pages: int, page_path: str) -> str:
    """A page of article teasers (home or category) with its pagination bar."""
    items = "\n".join(_teaser(a) for a in articles)
    body = "\n".join([
        f'<h1 class="listing-title">{escape(heading)}</h1>',
        f'<ul class="listing">\n{items}\n</ul>',
        _pagination(page, pages, page_path),
    ])
    title = heading if page == 1 else f"{heading} – Trang {page}"
    return _layout(site, title, body, latest, crumbs, ['<meta property="og:type" content="website">'])


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


def _layout(site: Site, title: str, body: str, latest: Sequence[Article], crumbs: Sequence[Link],
            head: Sequence[str], current: str | None = None) -> str:
    full_title = f"{title} – {site.name}" if title != site.name else title
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="vi">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(full_title)}</title>",
        *head,
        '<link rel="stylesheet" href="/static/style.css">',
        f'<link rel="alternate" type="application/rss+xml" title="{escape(site.name)}" href="/rss.xml">',
        "</head>",
        "<body>",
        _header(site),
        '<div class="container">',
        '<main class="main">',
        _breadcrumb(crumbs, current),
        body,
        "</main>",
        _sidebar(site, latest),
        "</div>",
        _footer(site),
        "</body>",
        "</html>",
        "",
    ])


def _header(site: Site) -> str:
    menu = "\n".join(f'<li><a href="{c.path}">{escape(c.name)}</a></li>' for c in site.categories)
    return "\n".join([
        '<header class="site-header">',
        '<a class="brand" href="/"><img src="/static/logo.svg" alt="" width="56" height="56">',
        f'<span class="authority">{escape(site.authority.upper())}</span>',
        f'<span class="place">{escape(site.district)} – {escape(site.city)}</span></a>',
        '<form class="search" action="/tim-kiem" method="get">',
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
    parts += [f'<a href="{c.href}">{escape(c.title)}</a>' for c in crumbs]
    if current:
        parts.append(f'<span class="current">{escape(_shorten(current, 12))}</span>')
    return f'<nav class="breadcrumb">{" › ".join(parts)}</nav>'


def _sidebar(site: Site, latest: Sequence[Article]) -> str:
    items = "\n".join(f'<li><a href="{a.path}">{escape(a.title)}</a> '
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


def _footer(site: Site) -> str:
    return "\n".join([
        '<footer class="site-footer">',
        f"<p><b>{escape(site.authority.upper())}</b></p>",
        f"<p>Địa chỉ: {escape(site.address)}</p>",
        f"<p>Điện thoại: {escape(site.phone)} – Thư điện tử: {escape(site.email)}</p>",
        "<p>Ghi rõ nguồn khi phát hành lại thông tin từ cổng thông tin này.</p>",
        '<p class="footer-links"><a href="/rss.xml">RSS</a> · <a href="/admin/">Quản trị</a></p>',
        "</footer>",
    ])


def _paragraphs(article: Article) -> str:
    blocks = [f"<p>{escape(p)}</p>" for p in article.paragraphs]
    if article.caption:
        figure = ('<figure class="illustration"><img src="/static/anh-minh-hoa.svg" alt="">'
                  f"<figcaption>{escape(article.caption)}</figcaption></figure>")
        blocks.insert(1, figure)
    return "\n".join(blocks)


def _related(links: Sequence[Link]) -> str:
    if not links:
        return ""
    items = "\n".join(f'<li><a href="{escape(link.href)}">{escape(link.title)}</a></li>' for link in links)
    return f'<section class="related">\n<h2>Bài viết liên quan</h2>\n<ul>\n{items}\n</ul>\n</section>'


def _teaser(article: Article) -> str:
    return "\n".join([
        '<li class="teaser">',
        f'<h2><a href="{article.path}">{escape(article.title)}</a></h2>',
        f'<span class="date">{article.published:%d/%m/%Y}</span>',
        f'<span class="category"><a href="{article.category.path}">'
        f'{escape(article.category.name)}</a></span>',
        f"<p>{escape(_excerpt(article, 40))}</p>",
        "</li>",
    ])


def _pagination(page: int, pages: int, base_path: str) -> str:
    if pages <= 1:
        return ""
    links = []
    if page > 1:
        links.append(f'<a class="prev" href="{page_path(base_path, page - 1)}">« Trước</a>')
    for number in range(1, pages + 1):
        if number == page:
            links.append(f'<span class="current">{number}</span>')
        else:
            links.append(f'<a href="{page_path(base_path, number)}">{number}</a>')
    if page < pages:
        links.append(f'<a class="next" href="{page_path(base_path, page + 1)}">Sau »</a>')
    return f'<nav class="pagination">Trang: {" ".join(links)}</nav>'


def _excerpt(article: Article, words: int) -> str:
    return _shorten(article.paragraphs[0], words)


def _shorten(text: str, words: int) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + "…"


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
