"""A small ward portal on a `TestSite`: a home page, a paginated listing, articles, an optional sitemap,
optional categories.

    portal = Portal(site, articles=60, per_page=10, sitemap=True)
    portal.insert(45, "Bài đăng muộn")        # backdated: lands on listing page 5
    portal.edit(7, on="2026-03-02")           # new text (and a newer <lastmod>)
    portal.delete(9)                          # 404 from now on, and out of the sitemap
    Portal(site, articles=90, categories=3, apart=2)   # article n in category n % 3; the main
                                              # listing leaves category 2 out

Articles are listed newest first, `per_page` to a page (`/tin-tuc`, `/tin-tuc?page=2`, ...; a
category's at `/chuyen-muc/c0`, `/chuyen-muc/c0?page=2`, ...); every change re-publishes the routes,
as a CMS would re-render its pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.sites import TestSite
from tests.warc_builder import CLEANUP_PARAGRAPHS, ward_article, ward_listing

LISTING = "/tin-tuc"
CATEGORY = "/chuyen-muc/c"


@dataclass
class Article:
    path: str
    title: str
    modified: str                 # YYYY-MM-DD, the sitemap's <lastmod>
    version: int = 1
    category: int | None = None


class Portal:
    __test__ = False

    def __init__(self, site: TestSite, articles: int, per_page: int = 10, sitemap: bool = False,
                 modified: str = "2026-01-05", categories: int = 0, apart: int | None = None) -> None:
        self.site = site
        self.per_page = per_page
        self.sitemap = sitemap
        self.categories = categories
        self.apart = apart                    # the category the main listing leaves out
        self.articles = [Article(f"/tin-tuc/bai-{n}.html", f"Tin hoạt động số {n} của phường trong tháng",
                                 modified, category=n % categories if categories else None)
                         for n in range(articles, 0, -1)]
        self.deleted: list[Article] = []
        self.unlisted: set[str] = set()       # paths the sitemap leaves out
        self._published: set[str] = set()
        self.publish()

    # --- what the site shows -----------------------------------------------------------------------

    def lists(self) -> dict[str, list[Article]]:
        """Each list (by the path of its first page) and its articles, newest first."""
        lists = {LISTING: [a for a in self.articles if a.category is None or a.category != self.apart]}
        for number in range(self.categories):
            lists[f"{CATEGORY}{number}"] = [a for a in self.articles if a.category == number]
        return lists

    def pages(self, first: str = LISTING) -> list[str]:
        """The paths of the pages of the list whose first page is `first`."""
        count = max(1, -(-len(self.lists()[first]) // self.per_page))
        return [first] + [f"{first}?page={n}" for n in range(2, count + 1)]

    @property
    def listing_paths(self) -> list[str]:
        return self.pages(LISTING)

    def page_of(self, article: Article, first: str = LISTING) -> str:
        return self.pages(first)[self.lists()[first].index(article) // self.per_page]

    def publish(self) -> None:
        menu = "".join(f' <a href="{first}">Chuyên mục {first[-1]}</a>' for first in list(self.lists())[1:])
        self.site.page("/", f'<a href="{LISTING}">Tin tức</a>{menu} '
                       '<a href="/gioi-thieu.html">Giới thiệu</a>')
        self.site.route("/gioi-thieu.html", ward_article("Giới thiệu về phường", CLEANUP_PARAGRAPHS))
        published = set()
        for first, articles in self.lists().items():
            paths = self.pages(first)
            published |= set(paths)
            for number, path in enumerate(paths):
                items = articles[number * self.per_page:(number + 1) * self.per_page]
                listing = ward_listing([(a.title, a.path, "Tóm tắt.") for a in items], pager=False)
                self.site.route(path, listing.replace("</h1>", "</h1>" + self._pager(paths)))
        for path in self._published - published:               # a listing that got shorter
            self.site.route(path, "Không tìm thấy", status=404)
        self._published |= published
        for article in self.articles:
            self.site.route(article.path, ward_article(
                article.title, [f"Phiên bản {article.version} của bài."] + CLEANUP_PARAGRAPHS))
        for article in self.deleted:
            self.site.route(article.path, "Không tìm thấy", status=404)
        if self.sitemap:
            self.site.route("/robots.txt", f"Sitemap: {self.site.url('/sitemap.xml')}\n",
                            content_type="text/plain")
            entries = "".join(f"<url><loc>{self.site.url(a.path)}</loc><lastmod>{a.modified}</lastmod></url>"
                              for a in self.articles if a.path not in self.unlisted)
            self.site.route("/sitemap.xml", '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                            f"{entries}</urlset>", content_type="application/xml")

    @staticmethod
    def _pager(paths: list[str]) -> str:
        return '<div class="pager">' + " ".join(f'<a href="{p}">{n}</a>' for n, p in enumerate(paths, 1)) \
            + "</div>"

    # --- changes -----------------------------------------------------------------------------------

    def insert(self, position: int, title: str, modified: str = "2026-01-05", category: int | None = None) \
            -> Article:
        """A new article at `position` of all the articles, newest first (of the main listing when every
        article is in it), in `category`."""
        article = Article(f"/tin-tuc/moi-{len(self.articles)}.html", title, modified, category=category)
        self.articles.insert(position, article)
        self.publish()
        return article

    def edit(self, index: int, on: str) -> Article:
        article = self.articles[index]
        article.version += 1
        article.modified = on
        self.publish()
        return article

    def unlist(self, index: int) -> Article:
        """Leave an article out of the sitemap (it stays on the site)."""
        article = self.articles[index]
        self.unlisted.add(article.path)
        self.publish()
        return article

    def delete(self, index: int) -> Article:
        article = self.articles.pop(index)
        self.deleted.append(article)
        self.publish()
        return article
