"""URL schemes: where a site's listings and articles live, both ways (target → URL, URL → target).

A scheme is a handful of templates such as "/{yyyy}/{mm}/{dd}/{slug}/" or
"/Default.aspx?ItemID={id}&CatID={cat_id}". Parsing compares the query as a set of parameters,
so a crawler that sorts query parameters (as URL canonicalisation does) still reaches the page.
A site that moves swaps its scheme; the old one is kept to answer its URLs with redirects.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from urllib.parse import parse_qsl, urlsplit

from tests.wardsite.model import Article
from tests.wardsite.words import Beat

VIEWS = ("main", "alias", "print")   # the article page; the same bytes elsewhere; a copy naming its canonical
_FIELDS = {"page": r"\d+", "cat": r"[a-z0-9-]+", "cat_id": r"\d+", "id": r"\d+", "slug": r"[a-z0-9-]+",
           "yyyy": r"\d{4}", "mm": r"\d{2}", "dd": r"\d{2}"}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Target:
    """What a URL shows: a page of the main listing, a page of a category, or an article in a view."""

    kind: str                      # "listing" | "category" | "article"
    page: int = 1
    beat: Beat | None = None
    article: Article | None = None
    view: str = "main"


@dataclass(frozen=True)
class Template:
    text: str

    @cached_property
    def _parts(self) -> tuple[re.Pattern[str], dict[str, str]]:
        path, _, query = self.text.partition("?")
        pattern = re.compile(_PLACEHOLDER.sub(lambda m: f"(?P<{m.group(1)}>{_FIELDS[m.group(1)]})",
                                              re.escape(path).replace(r"\{", "{").replace(r"\}", "}")))
        return pattern, dict(parse_qsl(query))

    def format(self, **values: object) -> str:
        """The URL path; values are numbers and ASCII slugs, which need no escaping."""
        return self.text.format(**values)

    def match(self, path: str, query: dict[str, str]) -> dict[str, str] | None:
        pattern, expected = self._parts
        found = pattern.fullmatch(path)
        if found is None or query.keys() != expected.keys():
            return None
        fields = found.groupdict()
        for key, value in expected.items():
            placeholder = _PLACEHOLDER.fullmatch(value)
            if placeholder is None:
                if query[key] != value:
                    return None
            elif re.fullmatch(_FIELDS[placeholder.group(1)], query[key]):
                fields[placeholder.group(1)] = query[key]
            else:
                return None
        return fields


@lru_cache(maxsize=64)
def template(text: str) -> Template:
    return Template(text)


@dataclass(frozen=True)
class Scheme:
    """Where one generation of a site puts its pages (page 1 of the main listing is the home page)."""

    homes: tuple[str, ...]         # paths that serve the home page; links use the last one
    listing: str                   # page >= 2 of the main listing
    category: str
    category_page: str
    article: str
    alias: str                     # the article, byte-identical, under a second URL
    print: str                     # the article in another layout, with rel=canonical to the main URL

    def url(self, target: Target, category_number: Callable[[Beat], int]) -> str:
        if target.kind == "listing":
            return self.homes[-1] if target.page == 1 else template(self.listing).format(page=target.page)
        if target.kind == "category":
            assert target.beat is not None
            text = self.category if target.page == 1 else self.category_page
            return template(text).format(cat=target.beat.slug, cat_id=category_number(target.beat),
                                             page=target.page)
        article = target.article
        assert article is not None
        text = {"main": self.article, "alias": self.alias, "print": self.print}[target.view]
        return template(text).format(
            id=article.id, slug=article.slug, yyyy=f"{article.published:%Y}", mm=f"{article.published:%m}",
            dd=f"{article.published:%d}", cat=article.beat.slug, cat_id=category_number(article.beat))

    def parse(self, raw_path: str) -> tuple[str, dict[str, str]] | None:
        """(which template, its fields) for a requested path and query, or None."""
        parts = urlsplit(raw_path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if parts.path in self.homes and not query:
            return "listing", {"page": "1"}
        for name in ("listing", "category", "category_page", "article", "alias", "print"):
            fields = template(getattr(self, name)).match(parts.path, query)
            if fields is not None:
                return name, fields
        return None


WORDPRESS = Scheme(homes=("/",), listing="/page/{page}/", category="/category/{cat}/",
                   category_page="/category/{cat}/page/{page}/", article="/{yyyy}/{mm}/{dd}/{slug}/",
                   alias="/?p={id}", print="/{yyyy}/{mm}/{dd}/{slug}/amp/")
WORDPRESS_MOVED = Scheme(homes=("/",), listing="/trang/{page}/", category="/chuyen-muc/{cat}/",
                         category_page="/chuyen-muc/{cat}/trang/{page}/", article="/tin-tuc/{slug}/",
                         alias="/?p={id}", print="/tin-tuc/{slug}/amp/")
ASPNET = Scheme(homes=("/", "/Default.aspx"), listing="/Default.aspx?page={page}",
                category="/Default.aspx?CatID={cat_id}",
                category_page="/Default.aspx?CatID={cat_id}&page={page}",
                article="/Default.aspx?ItemID={id}", alias="/Default.aspx?ItemID={id}&CatID={cat_id}",
                print="/Print.aspx?ItemID={id}")
ASPNET_MOVED = Scheme(homes=("/", "/TinTuc/Default.aspx"), listing="/TinTuc/Default.aspx?trang={page}",
                      category="/TinTuc/DanhMuc.aspx?cat={cat_id}",
                      category_page="/TinTuc/DanhMuc.aspx?cat={cat_id}&trang={page}",
                      article="/TinTuc/ChiTiet.aspx?id={id}",
                      alias="/TinTuc/ChiTiet.aspx?id={id}&cat={cat_id}",
                      print="/TinTuc/InBai.aspx?id={id}")
