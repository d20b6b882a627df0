"""From a requested URL to the answer: a page of the current theme and URL scheme, a file, a
redirect from the scheme before a move, or 404/410.

The router holds what the site looks like (its theme, whether it has moved, when that last
changed); the newsroom holds what it says. Last-Modified is the last change of what a page
shows: an article page changes with its text, with the site's look and, when it shows the
"Tin mới" list, with that list; listings, sitemaps and the feed change with any news.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlsplit

from tests.sites import Response
from tests.wardsite import assets, feeds
from tests.wardsite.model import Article, Attachment, Image
from tests.wardsite.newsroom import Newsroom
from tests.wardsite.pages import Links, Listing, print_page
from tests.wardsite.responses import HTML, XML, not_found, ok, redirect, status_page
from tests.wardsite.styles import Style, Theme
from tests.wardsite.urls import Scheme, Target
from tests.wardsite.words import Beat

_POSTS = re.compile(re.escape(feeds.POSTS).replace(r"\{n\}", r"(\d+)"))


class Router:
    def __init__(self, newsroom: Newsroom, style: Style, per_page: int, crawl_delay: float | None,
                 duplicate_every: int, sidebar_on_articles: bool, sitemap_size: int) -> None:
        self.newsroom = newsroom
        self.ward = newsroom.ward
        self.style = style
        self.per_page = per_page
        self.crawl_delay = crawl_delay
        self.duplicate_every = duplicate_every
        self.sidebar_on_articles = sidebar_on_articles
        self.sitemap_size = sitemap_size
        self.attachment_bytes: Callable[[Article, str], bytes] = assets.placeholder_attachment
        self.theme_index = 0
        self.moved = False
        self.birth = newsroom.content_stamp         # robots.txt, theme files
        self.look_stamp = self.birth                # the last change of theme or URLs
        self._slugs: dict[str, Article] = {}
        self._files: dict[str, tuple[Article, Image | Attachment]] = {}
        self._files_for = -1

    @property
    def theme(self) -> Theme:
        return self.style.themes[self.theme_index]

    def change_theme(self, moment: datetime) -> None:
        self.theme_index = (self.theme_index + 1) % len(self.style.themes)
        self.look_stamp = moment

    def move(self, moment: datetime) -> None:
        if self.moved:
            raise ValueError("the site has moved already")
        self.moved = True
        self.look_stamp = moment

    def links(self, origin: str) -> Links:
        return Links(self.ward, self.style.schemes[int(self.moved)], self.style.files, self.theme.folder,
                     origin, self.duplicate_every)

    def beat(self, category: str | None) -> Beat | None:
        """The category named by its slug or its name (None for None)."""
        if category is None:
            return None
        for beat in self.ward.beats:
            if category in (beat.slug, beat.name):
                return beat
        raise ValueError(f"no category {category!r} on this site: {[b.slug for b in self.ward.beats]}")

    # --- answering -------------------------------------------------------------------------------

    def resolve(self, raw_path: str, origin: str) -> Response:
        links = self.links(origin)
        fixed = self._fixed_file(raw_path, links)
        if fixed is not None:
            return fixed
        current = self._target(links.scheme, raw_path)
        if current is not None:
            return self._page(current, links)
        if self.moved:
            old = self._target(self.style.schemes[0], raw_path)
            if old is not None:
                if old.article is not None and not old.article.exists_on(self.newsroom.day):
                    return self._gone(old.article)
                return redirect(links.absolute(links.url(old)))
        return not_found()

    def _page(self, target: Target, links: Links) -> Response:
        latest = self.newsroom.latest()
        article = target.article
        if article is None:
            listing = self._listing(target)
            if listing is None:
                return not_found()
            page = self.theme.listing_page(self.ward, links, listing, latest)
            return ok(page, HTML, max(self.newsroom.content_stamp, self.look_stamp))
        if not article.exists_on(self.newsroom.day):
            return self._gone(article)
        stamp = max(article.modified, self.look_stamp)
        if self.sidebar_on_articles:
            stamp = max(stamp, self.newsroom.latest_stamp)
        if target.view == "print":
            return ok(print_page(self.ward, links, article), HTML, stamp)
        shown = latest if self.sidebar_on_articles else []
        return ok(self.theme.article_page(self.ward, links, article, shown), HTML, stamp)

    def _listing(self, target: Target) -> Listing | None:
        members = self.newsroom.live_in(target.beat)
        pages = max(1, -(-len(members) // self.per_page))
        if target.page > pages:
            return None
        start = (target.page - 1) * self.per_page
        return Listing(target.beat, members[start:start + self.per_page], target.page, pages)

    def _gone(self, article: Article) -> Response:
        """404 on the day of the deletion, 410 afterwards."""
        return not_found() if article.deleted_on == self.newsroom.day else status_page(410)

    # --- what a URL names ------------------------------------------------------------------------

    def _target(self, scheme: Scheme, raw_path: str) -> Target | None:
        parsed = scheme.parse(raw_path)
        if parsed is None:
            return None
        name, fields = parsed
        page = int(fields.get("page", "1"))
        if name in ("listing", "category_page") and page < 2 and raw_path not in scheme.homes:
            return None                             # page 1 lives at the listing's own address
        if name == "listing":
            return Target("listing", page=page)
        if name in ("category", "category_page"):
            beat = self._beat_of(fields)
            return Target("category", page=page, beat=beat) if beat is not None else None
        article = self._article_of(fields)
        if article is None:
            return None
        return Target("article", article=article, view="main" if name == "article" else name)

    def _beat_of(self, fields: dict[str, str]) -> Beat | None:
        for number, beat in enumerate(self.ward.beats, start=1):
            if fields.get("cat") == beat.slug or fields.get("cat_id") == str(number):
                return beat
        return None

    def _article_of(self, fields: dict[str, str]) -> Article | None:
        """The article a URL's fields name, if every field agrees with it (date, category)."""
        if "id" in fields:
            article = self.newsroom.articles.get(int(fields["id"]))
        else:
            article = self._by_slug().get(fields.get("slug", ""))
        if article is None:
            return None
        published = article.published
        expected = {"yyyy": f"{published:%Y}", "mm": f"{published:%m}", "dd": f"{published:%d}",
                    "cat": article.beat.slug, "cat_id": str(self.ward.beats.index(article.beat) + 1)}
        return None if any(fields[k] != v for k, v in expected.items() if k in fields) else article

    def _by_slug(self) -> dict[str, Article]:
        articles = self.newsroom.articles
        if len(self._slugs) != len(articles):
            self._slugs = {a.slug: a for a in articles.values()}
        return self._slugs

    # --- files -----------------------------------------------------------------------------------

    def _fixed_file(self, raw_path: str, links: Links) -> Response | None:
        """robots.txt, sitemaps, the feed, theme files, the logo, images and attachments."""
        files, live = self.style.files, self.newsroom.live()
        changed = max(self.newsroom.content_stamp, self.look_stamp)
        path = urlsplit(raw_path).path
        if raw_path == "/robots.txt":
            robots = feeds.robots_txt(links, self.style.disallowed, self.crawl_delay)
            return ok(robots, "text/plain; charset=utf-8", self.birth)
        if files.sitemap:
            if raw_path == files.sitemap:
                return ok(feeds.sitemap_index(links, live, self.sitemap_size), XML, changed)
            if raw_path == feeds.PAGES:
                return ok(feeds.sitemap_pages(links, self.ward, live), XML, changed)
            number = _POSTS.fullmatch(raw_path)
            if number:
                xml = feeds.sitemap_posts(links, live, self.sitemap_size, int(number.group(1)))
                return ok(xml, XML, changed) if xml is not None else not_found()
        if files.feed and raw_path == files.feed:
            return ok(feeds.rss(links, self.ward, live), "application/rss+xml; charset=UTF-8", changed)
        if path == files.logo:
            return ok(assets.png(path, 180, 60), "image/png", self.birth)
        if path.startswith(files.themes):
            return self._theme_file(path[len(files.themes):])
        if path.startswith(files.uploads) and raw_path == path:
            return self._upload(path, links)
        return None

    def _theme_file(self, rest: str) -> Response | None:
        folder, _, name = rest.partition("/")
        theme = next((t for t in self.style.themes if t.folder == folder), None)
        if theme is None:
            return None
        if name.lower() == "style.css":
            return ok(theme.css(), assets.content_type(name), self.birth)
        if name == assets.FONT_FILE:
            return ok(assets.font(), assets.content_type(name), self.birth)
        if name == assets.BACKGROUND_FILE:
            return ok(assets.png(folder + name, 8, 40), assets.content_type(name), self.birth)
        return None

    def _upload(self, path: str, links: Links) -> Response | None:
        found = self._uploads().get(path.rsplit("/", 1)[-1])
        if found is None:
            return None
        article, item = found
        where = links.image(article, item) if isinstance(item, Image) else links.attachment(article, item)
        if where != path:
            return None
        if not article.exists_on(self.newsroom.day):
            return not_found()
        body = assets.png(item.name) if isinstance(item, Image) else self.attachment_bytes(article, item.name)
        return ok(body, assets.content_type(item.name), article.versions[0].modified)

    def _uploads(self) -> dict[str, tuple[Article, Image | Attachment]]:
        """Image and attachment file names (unique: they carry the article's id) to their article."""
        articles = self.newsroom.articles
        if self._files_for != len(articles):
            self._files = {item.name: (a, item) for a in articles.values()
                           for item in (*a.images, *a.attachments)}
            self._files_for = len(articles)
        return self._files
