"""A small ward portal on a `TestSite`: a home page, one paginated listing, articles, an optional sitemap.

    portal = Portal(site, articles=60, per_page=10, sitemap=True)
    portal.insert(45, "Bài đăng muộn")        # backdated: lands on listing page 5
    portal.edit(7, on="2026-03-02")           # new text (and a newer <lastmod>)
    portal.delete(9)                          # 404 from now on, and out of the sitemap

Articles are listed newest first, `per_page` to a page (`/tin-tuc`, `/tin-tuc?page=2`, ...); every
change re-publishes the routes, as a CMS would re-render its pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.sites import TestSite
from tests.warc_builder import CLEANUP_PARAGRAPHS, ward_article, ward_listing

LISTING = "/tin-tuc"


@dataclass
class Article:
    path: str
    title: str
    modified: str                 # YYYY-MM-DD, the sitemap's <lastmod>
    version: int = 1


class Portal:
    __test__ = False

    def __init__(self, site: TestSite, articles: int, per_page: int = 10, sitemap: bool = False,
                 modified: str = "2026-01-05") -> None:
        self.site = site
        self.per_page = per_page
        self.sitemap = sitemap
        self.articles = [Article(f"/tin-tuc/bai-{n}.html", f"Tin hoạt động số {n} của phường trong tháng",
                                 modified) for n in range(articles, 0, -1)]
        self.deleted: list[Article] = []
        self.unlisted: set[str] = set()       # paths the sitemap leaves out
        self._published: set[str] = set()
        self.publish()

    # --- what the site shows -----------------------------------------------------------------------

    @property
    def listing_paths(self) -> list[str]:
        pages = max(1, -(-len(self.articles) // self.per_page))
        return [LISTING] + [f"{LISTING}?page={n}" for n in range(2, pages + 1)]

    def page_of(self, article: Article) -> str:
        return self.listing_paths[self.articles.index(article) // self.per_page]

    def publish(self) -> None:
        self.site.page("/", f'<a href="{LISTING}">Tin tức</a> <a href="/gioi-thieu.html">Giới thiệu</a>')
        self.site.route("/gioi-thieu.html", ward_article("Giới thiệu về phường", CLEANUP_PARAGRAPHS))
        paths = self.listing_paths
        for path in self._published - set(paths):              # a listing that got shorter
            self.site.route(path, "Không tìm thấy", status=404)
        self._published |= set(paths)
        for number, path in enumerate(paths):
            items = self.articles[number * self.per_page:(number + 1) * self.per_page]
            self.site.route(path, ward_listing([(a.title, a.path, "Tóm tắt.") for a in items], pager=False)
                            .replace("</h1>", "</h1>" + self._pager(paths)))
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

    def insert(self, position: int, title: str, modified: str = "2026-01-05") -> Article:
        article = Article(f"/tin-tuc/moi-{len(self.articles)}.html", title, modified)
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
