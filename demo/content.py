"""The demo site's sources: the site description and the articles, each with TOML front matter.

Keeping the text in plain files (one article per file) makes the demo content readable and
reviewable on its own; the build only arranges it into pages.
"""

from __future__ import annotations

import hashlib
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

CONTENT_DIR = Path(__file__).resolve().parent / "content"
FRONT_MATTER = "+++"
ILLUSTRATION = "/static/anh-minh-hoa.svg"


class ContentError(Exception):
    """A source file that cannot become a page; the message names the file and the problem."""


@dataclass(frozen=True)
class Category:
    slug: str
    name: str
    path: str = ""                 # where its listing lives; the demo's URL scheme when not given

    def __post_init__(self) -> None:
        if not self.path:
            object.__setattr__(self, "path", f"/chuyen-muc/{self.slug}/")


@dataclass(frozen=True)
class Link:
    title: str
    href: str


@dataclass(frozen=True)
class Site:
    """Who publishes the portal: shown in the header, the footer and the feeds."""

    name: str
    authority: str
    district: str
    city: str
    address: str
    phone: str
    email: str
    hotline: str
    categories: tuple[Category, ...]

    def category(self, slug: str) -> Category:
        for category in self.categories:
            if category.slug == slug:
                return category
        raise KeyError(slug)


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    published: datetime            # timezone-aware (Vietnam, +07:00)
    category: Category
    author: str
    paragraphs: tuple[str, ...]
    views: int
    published_meta: bool           # emit <meta property="article:published_time">
    caption: str | None            # caption of the illustration, when the article has one
    extra_links: tuple[Link, ...]  # hand-written "related" links (one of them is deliberately broken)
    path: str = ""                 # the article's URL path; the demo's URL scheme when not given
    image: str = ILLUSTRATION      # the illustration shown with the caption
    attachments: tuple[Link, ...] = ()   # documents offered for download under the article

    def __post_init__(self) -> None:
        if not self.path:
            object.__setattr__(self, "path", f"/tin-tuc/{self.slug}.html")


def load_site(content_dir: Path = CONTENT_DIR) -> Site:
    """Read `site.toml`: the ward's identity and its menu of categories, in menu order."""
    path = content_dir / "site.toml"
    raw = _toml(path, path.read_text(encoding="utf-8"))
    categories = tuple(Category(c["slug"], c["name"]) for c in raw.pop("categories"))
    return Site(categories=categories, **raw)


def load_articles(site: Site, content_dir: Path = CONTENT_DIR) -> list[Article]:
    """Every article under `articles/`, newest first (ties broken by slug, so builds are stable)."""
    articles = [_article(site, path) for path in sorted((content_dir / "articles").glob("*.md"))]
    slugs = [a.slug for a in articles]
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    if duplicates:
        raise ContentError(f"duplicate article slug {duplicates[0]!r}")
    return sorted(articles, key=lambda a: (a.published, a.slug), reverse=True)


def _article(site: Site, path: Path) -> Article:
    text = path.read_text(encoding="utf-8")
    if unicodedata.normalize("NFC", text) != text:
        raise ContentError(f"{path}: not in Unicode NFC")
    _, sep, rest = text.partition(FRONT_MATTER + "\n")
    header, sep2, body = rest.partition("\n" + FRONT_MATTER + "\n")
    if not (sep and sep2):
        raise ContentError(f"{path}: front matter must be enclosed in {FRONT_MATTER} lines")
    meta = _toml(path, header)
    missing = [key for key in ("title", "date", "category", "author") if key not in meta]
    if missing:
        raise ContentError(f"{path}: front matter lacks {', '.join(missing)}")
    published = meta.get("date")
    if not isinstance(published, datetime) or published.tzinfo is None:
        raise ContentError(f"{path}: date must be an offset date-time, e.g. 2023-03-16T08:00:00+07:00")
    try:
        category = site.category(meta["category"])
    except KeyError:
        raise ContentError(f"{path}: unknown category {meta.get('category')!r}") from None
    paragraphs = tuple(" ".join(p.split()) for p in body.split("\n\n") if p.strip())
    slug = meta.get("slug") or slugify(meta["title"])
    return Article(
        slug=slug,
        title=meta["title"],
        published=published,
        category=category,
        author=meta["author"],
        paragraphs=paragraphs,
        views=meta.get("views", _stable_views(slug)),
        published_meta=meta.get("published_meta", True),
        caption=meta.get("caption"),
        extra_links=tuple(Link(link["title"], link["href"]) for link in meta.get("extra_links", [])),
    )


def slugify(title: str) -> str:
    """The ASCII slug Vietnamese portals derive from a title ("Tiêm vắc xin" -> "tiem-vac-xin").

    After NFD, a Vietnamese title is ASCII letters plus combining marks (the diacritics): such
    text is slugged with byte operations; any other text takes the character-by-character way.
    Both give the same slug (tested); the first is about 3x faster, which matters to the
    test-site generator that names thousands of articles.
    """
    folded = unicodedata.normalize("NFD", title.replace("đ", "d").replace("Đ", "D"))
    if _ASCII_AND_MARKS.issuperset(folded):
        return "-".join(folded.encode("ascii", "ignore").translate(_ASCII_SLUG).decode("ascii").split())
    return slugify_by_character(folded)


def slugify_by_character(folded: str) -> str:
    """The slug of an NFD string: combining marks dropped, anything but ASCII letters and digits a
    separator."""
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return "-".join("".join(c if c.isalnum() and c.isascii() else " " for c in ascii_only).split())


_ASCII_AND_MARKS = frozenset(
    [chr(c) for c in range(128)] + [chr(c) for c in range(0x300, 0x370) if unicodedata.combining(chr(c))])
_ASCII_SLUG = bytes(ord(chr(c).lower()) if chr(c).isalnum() else ord(" ") for c in range(128)) + b" " * 128


def _stable_views(slug: str) -> int:
    """A plausible view count that stays the same from build to build."""
    return 40 + int(hashlib.sha1(slug.encode("utf-8")).hexdigest()[:6], 16) % 1500


def _toml(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path}: invalid TOML front matter: {error}") from None
