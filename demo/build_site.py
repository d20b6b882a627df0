"""Build the static demo portal (`demo/site/`) from the sources in `demo/content/`.

Run `python -m demo.build_site` after editing the content and commit both. The output depends
only on the sources (no clock, stable ordering), so rebuilding gives byte-identical files.
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Sequence
from pathlib import Path

from demo import feeds, render
from demo.content import CONTENT_DIR, Article, Link, Site, load_articles, load_site

SITE_DIR = Path(__file__).resolve().parent / "site"
RELATED_COUNT = 4


def build(out_dir: Path = SITE_DIR, content_dir: Path = CONTENT_DIR) -> dict[str, str]:
    """Render every file of the site into `out_dir` (emptied first); returns {relative path: text}."""
    site = load_site(content_dir)
    articles = load_articles(site, content_dir)
    files = render_files(site, articles)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    for relative, text in files.items():
        target = out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    shutil.copytree(content_dir / "static", out_dir / "static")
    return files


def render_files(site: Site, articles: Sequence[Article]) -> dict[str, str]:
    """All generated text files of the site, keyed by path relative to the site root."""
    latest = articles[:render.LATEST_COUNT]
    files = {}
    for article in articles:
        html = render.article_page(site, article, latest, related_links(article, articles))
        files[article.path.lstrip("/")] = html
    files.update(_listing(site, "/", site.name, [], articles, latest))
    for category in site.categories:
        members = [a for a in articles if a.category == category]
        files.update(_listing(site, category.path, category.name, [Link(category.name, category.path)],
                              members, latest))
    files["admin/index.html"] = render.admin_page(site)
    files["robots.txt"] = feeds.robots_txt()
    files["sitemap.xml"] = feeds.sitemap_xml(articles)
    files["rss.xml"] = feeds.rss_xml(site, articles)
    return files


def related_links(article: Article, articles: Sequence[Article]) -> list[Link]:
    """The articles of the same category closest in time, then the article's hand-written links."""
    others = [a for a in articles if a.category == article.category and a is not article]
    others.sort(key=lambda a: (abs((a.published - article.published).total_seconds()), a.slug))
    return [Link(a.title, a.path) for a in others[:RELATED_COUNT]] + list(article.extra_links)


def _listing(site: Site, base: str, heading: str, crumbs: list[Link], articles: Sequence[Article],
             latest: Sequence[Article]) -> dict[str, str]:
    pages = max(1, -(-len(articles) // render.PER_PAGE))
    files = {}
    for page in range(1, pages + 1):
        chunk = articles[(page - 1) * render.PER_PAGE: page * render.PER_PAGE]
        path = render.page_path(base, page)
        relative = (path + "index.html" if path.endswith("/") else path).lstrip("/")
        files[relative] = render.listing_page(site, heading, crumbs, chunk, latest, page, pages,
                                              lambda number: render.page_path(base, number))
    return files


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build the static demo ward site from demo/content/.")
    parser.add_argument("--out", type=Path, default=SITE_DIR, help="output directory (emptied first)")
    args = parser.parse_args(argv)
    files = build(args.out)
    print(f"wrote {len(files)} pages to {args.out}")


if __name__ == "__main__":
    main()
