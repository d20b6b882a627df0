"""The two themes of the WordPress-style site.

"phuong-classic" is the demo portal's theme (`demo.render`) served under WordPress URLs, with a
canonical link and the modified time in <head>. "phuong-flat" is a stock-WordPress-looking theme
(`entry-title`, `entry-content`, `<time class="entry-date">`, widgets): the same articles in
other markup, for the day a site changes its theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from html import escape

from demo import render
from demo.content import Article as DemoArticle
from demo.content import Category, Link, Site
from tests.wardsite.assets import stylesheet
from tests.wardsite.model import Article
from tests.wardsite.pages import Links, Listing, views_of
from tests.wardsite.writer import Ward

WINDOW = 2   # pagination shows the first, the last and two pages either side of the current one


class Classic:
    folder = "phuong-classic"

    def article_page(self, ward: Ward, links: Links, article: Article, latest: Sequence[Article]) -> str:
        head = [_canonical(links, article),
                f'<meta property="article:modified_time" content="{article.modified.isoformat()}">']
        related = []
        if links.has_duplicates(article):
            related.append(Link("Phiên bản rút gọn (AMP)", links.article(article, "print")))
        return render.article_page(_site(ward, links), demo_article(links, article), _demos(links, latest),
                                   related, _paths(links), head)

    def listing_page(self, ward: Ward, links: Links, listing: Listing, latest: Sequence[Article]) -> str:
        beat = listing.beat
        crumbs = [] if beat is None else [Link(beat.name, links.listing(1, beat))]
        items = [demo_article(links, a, links.teaser(a, beat)) for a in listing.articles]
        return render.listing_page(_site(ward, links), listing.heading(ward), crumbs, items,
                                   _demos(links, latest), listing.page, listing.pages,
                                   lambda n: links.listing(n, beat), _paths(links), window=WINDOW)

    def css(self) -> str:
        return stylesheet(self.folder, ".post-title { font-size: 1.6em; } .sidebar { float: right; }")


class Flat:
    folder = "phuong-flat"

    def article_page(self, ward: Ward, links: Links, article: Article, latest: Sequence[Article]) -> str:
        category = escape(links.listing(1, article.beat))
        main = "\n".join(filter(None, [
            f'<article id="post-{article.id}" class="post-{article.id} post type-post status-publish">',
            '<header class="entry-header">',
            f'<h1 class="entry-title">{escape(article.title)}</h1>',
            f'<div class="entry-meta">{_posted_on(article)}',
            f'<span class="byline">Đăng bởi <span class="author vcard">{escape(article.author)}</span>'
            "</span>",
            f'<span class="cat-links"><a href="{category}" rel="category tag">{escape(article.category)}</a>'
            "</span></div>",
            "</header>",
            '<div class="entry-content">',
            _figures(links, article),
            "\n".join(f"<p>{escape(p)}</p>" for p in article.paragraphs),
            _files(links, article),
            "</div>",
            _amp_link(links, article),
            "</article>",
        ]))
        head = [_canonical(links, article),
                f'<meta property="og:title" content="{escape(article.title)}">',
                f'<meta property="article:published_time" content="{article.published.isoformat()}">',
                f'<meta property="article:modified_time" content="{article.modified.isoformat()}">']
        return self._layout(ward, links, article.title, head, f"single postid-{article.id}", main, latest)

    def listing_page(self, ward: Ward, links: Links, listing: Listing, latest: Sequence[Article]) -> str:
        items = []
        for a in listing.articles:
            href = escape(links.teaser(a, listing.beat))
            items.append("\n".join([
                f'<article id="post-{a.id}" class="post-{a.id} post type-post">',
                f'<header class="entry-header"><h2 class="entry-title"><a href="{href}" rel="bookmark">'
                f"{escape(a.title)}</a></h2>",
                f'<div class="entry-meta">{_posted_on(a)}</div></header>',
                f'<div class="entry-summary"><p>{escape(render.shorten(a.paragraphs[0], 35))}</p></div>',
                "</article>",
            ]))
        heading = listing.heading(ward)
        main = "\n".join([
            f'<header class="page-header"><h1 class="page-title">{escape(heading)}</h1></header>',
            *items,
            _pagination(links, listing),
        ])
        title = heading if listing.page == 1 else f"{heading} – Trang {listing.page}"
        beat = listing.beat
        body_class = "home blog" if beat is None else f"archive category category-{beat.slug}"
        return self._layout(ward, links, title, [], body_class, main, latest)

    def css(self) -> str:
        return stylesheet(self.folder, ".entry-title { font-size: 1.8em; } #secondary { float: left; }")

    def _layout(self, ward: Ward, links: Links, title: str, head: list[str], body_class: str, main: str,
                latest: Sequence[Article]) -> str:
        site, home = ward.site, escape(links.home())
        menu = "\n".join(f'<li class="menu-item"><a href="{escape(links.listing(1, b))}">{escape(b.name)}'
                         "</a></li>" for b in ward.beats)
        recent = "\n".join(f'<li><a href="{escape(links.article(a))}">{escape(a.title)}</a></li>'
                           for a in latest)
        feed = (f'<link rel="alternate" type="application/rss+xml" title="{escape(site.name)} &raquo; Feed" '
                f'href="{escape(links.files.feed)}">' if links.files.feed else "")
        return "\n".join(filter(None, [
            "<!DOCTYPE html>",
            '<html lang="vi">',
            "<head>",
            '<meta charset="UTF-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)} – {escape(site.name)}</title>",
            *head,
            f'<link rel="stylesheet" id="phuong-flat-style-css" href="{escape(links.asset("style.css"))}'
            '?ver=2.3" media="all">',
            feed,
            "</head>",
            f'<body class="{body_class}">',
            '<div id="page" class="site">',
            '<header id="masthead" class="site-header">',
            f'<div class="site-branding"><a href="{home}" rel="home">'
            f'<img src="{escape(links.files.logo)}" class="custom-logo" alt="{escape(site.name)}"></a>',
            f'<p class="site-title"><a href="{home}" rel="home">{escape(site.authority)}</a></p>',
            f'<p class="site-description">{escape(site.district)}, {escape(site.city)}</p></div>',
            '<nav id="site-navigation" class="main-navigation">',
            f'<ul id="primary-menu" class="menu">\n{menu}\n</ul></nav>',
            "</header>",
            '<div id="content" class="site-content">',
            '<div id="primary" class="content-area">',
            f'<main id="main" class="site-main">\n{main}\n</main></div>',
            '<aside id="secondary" class="widget-area">',
            '<section class="widget widget_search"><form role="search" method="get" '
            f'action="{escape(links.files.search)}"><input type="search" name="s"></form></section>',
            '<section class="widget widget_recent_entries"><h2 class="widget-title">Tin mới</h2>',
            f"<ul>\n{recent}\n</ul></section>",
            "</aside>",
            "</div>",
            '<footer id="colophon" class="site-footer">',
            f"<p>{escape(site.authority)} – {escape(site.address)}</p>",
            f"<p>Điện thoại: {escape(site.phone)} – Email: {escape(site.email)}</p>",
            f'<p><a href="{escape(links.files.admin)}">Đăng nhập</a></p></footer>',
            "</div>",
            "</body>",
            "</html>",
            "",
        ]))


def _canonical(links: Links, article: Article) -> str:
    return f'<link rel="canonical" href="{escape(links.absolute(links.article(article)))}">'


def _figures(links: Links, article: Article) -> str:
    return "\n".join(
        f'<figure class="wp-block-image"><img src="{escape(links.image(article, image))}" alt="">'
        f"<figcaption>{escape(image.caption)}</figcaption></figure>" for image in article.images)


def _files(links: Links, article: Article) -> str:
    blocks = []
    for attachment in article.attachments:
        href = escape(links.attachment(article, attachment))
        blocks.append(f'<div class="wp-block-file"><a href="{href}">{escape(attachment.label)}</a>'
                      f'<a href="{href}" class="wp-block-file__button" download>Tải về</a></div>')
    return "\n".join(blocks)


def _amp_link(links: Links, article: Article) -> str:
    if not links.has_duplicates(article):
        return ""
    href = escape(links.article(article, "print"))
    return f'<p class="amp-link"><a href="{href}">Xem phiên bản di động</a></p>'


def _posted_on(article: Article) -> str:
    published = (f'<time class="entry-date published" datetime="{article.published.isoformat()}">'
                 f"{article.published:%d/%m/%Y}</time>")
    if article.modified <= article.published:
        return f'<span class="posted-on">{published}</span>'
    updated = (f'<time class="updated" datetime="{article.modified.isoformat()}">'
               f"{article.modified:%d/%m/%Y}</time>")
    return f'<span class="posted-on">{published}{updated}</span>'


def _pagination(links: Links, listing: Listing) -> str:
    if listing.pages <= 1:
        return ""

    def link(number: int, css: str, text: str) -> str:
        return f'<a class="{css}" href="{escape(links.listing(number, listing.beat))}">{text}</a>'

    parts = [link(listing.page - 1, "prev page-numbers", "« Trước")] if listing.page > 1 else []
    parts += render.pager_parts(
        listing.page, listing.pages, WINDOW, lambda n: link(n, "page-numbers", str(n)),
        lambda n: f'<span aria-current="page" class="page-numbers current">{n}</span>',
        '<span class="page-numbers dots">…</span>')
    if listing.page < listing.pages:
        parts.append(link(listing.page + 1, "next page-numbers", "Sau »"))
    return f'<nav class="navigation pagination"><div class="nav-links">{"".join(parts)}</div></nav>'


def _site(ward: Ward, links: Links) -> Site:
    categories = tuple(Category(b.slug, b.name, links.listing(1, b)) for b in ward.beats)
    return replace(ward.site, categories=categories)


def _paths(links: Links) -> render.Paths:
    files = links.files
    return render.Paths(stylesheet=links.asset("style.css"), logo=files.logo, feed=files.feed or "",
                        search=files.search, admin=files.admin)


def _demos(links: Links, articles: Sequence[Article]) -> list[DemoArticle]:
    return [demo_article(links, a) for a in articles]


def demo_article(links: Links, article: Article, path: str | None = None) -> DemoArticle:
    """The article as the demo theme takes it, with this site's URLs."""
    image = article.images[0] if article.images else None
    extra = {"image": links.image(article, image)} if image else {}
    attachments = tuple(Link(a.label, links.attachment(article, a)) for a in article.attachments)
    return DemoArticle(
        slug=article.slug, title=article.title, published=article.published,
        category=Category(article.beat.slug, article.beat.name, links.listing(1, article.beat)),
        author=article.author, paragraphs=article.paragraphs, views=views_of(article), published_meta=True,
        caption=image.caption if image else None, extra_links=(), path=path or links.article(article),
        attachments=attachments, **extra)
