"""What every theme is given: the site's links in its current URL scheme, and a listing page.

Themes only arrange HTML; which URL an article, a category page, an image or an attachment has
is decided here (from the style's scheme and file locations), so a move or a new theme changes
one thing each. The print view, the same for every theme, lives here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from tests.wardsite.model import Article, Attachment, Image
from tests.wardsite.urls import Scheme, Target
from tests.wardsite.words import Beat
from tests.wardsite.writer import Ward


@dataclass(frozen=True)
class Files:
    """Where a style keeps what is not a page (the same before and after a move)."""

    uploads: str                   # images and attachments: uploads + "{yyyy}/{mm}/" or a flat folder
    dated_uploads: bool
    themes: str                    # theme folders live under this path
    logo: str
    feed: str | None
    search: str
    admin: str
    sitemap: str | None


@dataclass(frozen=True)
class Links:
    """The URLs of one site as served now (scheme, theme, host asked for)."""

    ward: Ward
    scheme: Scheme
    files: Files
    theme: str                     # the theme's folder name
    origin: str                    # "http://127.0.0.1:PORT", or whatever host the request named
    duplicate_every: int           # every n-th article (by id) is also served under two more URLs

    def category_number(self, beat: Beat) -> int:
        return self.ward.beats.index(beat) + 1

    def url(self, target: Target) -> str:
        return self.scheme.url(target, self.category_number)

    def home(self) -> str:
        return self.scheme.homes[-1]

    def listing(self, page: int, beat: Beat | None = None) -> str:
        kind = "listing" if beat is None else "category"
        return self.url(Target(kind, page=page, beat=beat))

    def article(self, article: Article, view: str = "main") -> str:
        return self.url(Target("article", article=article, view=view))

    def has_duplicates(self, article: Article) -> bool:
        return self.duplicate_every > 0 and article.id % self.duplicate_every == 0

    def teaser(self, article: Article, beat: Beat | None) -> str:
        """The link a listing gives an article: category listings use the alias of those served twice,
        as old portals link an item with the category it was listed under."""
        view = "alias" if beat is not None and self.has_duplicates(article) else "main"
        return self.article(article, view)

    def image(self, article: Article, image: Image) -> str:
        return self._upload(article, image.name)

    def attachment(self, article: Article, attachment: Attachment) -> str:
        return self._upload(article, attachment.name)

    def asset(self, name: str) -> str:
        return f"{self.files.themes}{self.theme}/{name}"

    def absolute(self, path: str) -> str:
        return self.origin + path

    def _upload(self, article: Article, name: str) -> str:
        folder = f"{article.published:%Y/%m}/" if self.files.dated_uploads else ""
        return f"{self.files.uploads}{folder}{name}"


@dataclass(frozen=True)
class Listing:
    """One page of the main listing (beat None: the home page and its pagination) or of a category."""

    beat: Beat | None
    articles: Sequence[Article]
    page: int
    pages: int

    def heading(self, ward: Ward) -> str:
        return "Tin tức - Sự kiện" if self.beat is None else self.beat.name


def views_of(article: Article) -> int:
    """A view count that stays the same from request to request (a changing one would defeat ETags)."""
    return 50 + (article.id * 7919) % 2400


def print_page(ward: Ward, links: Links, article: Article) -> str:
    """The article alone, for printing (or AMP): another URL that names the article page as canonical."""
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="vi">',
        '<head><meta charset="utf-8">',
        f"<title>{escape(article.title)}</title>",
        f'<link rel="canonical" href="{escape(links.absolute(links.article(article)))}">',
        '<meta name="viewport" content="width=device-width">',
        "</head>",
        '<body class="print-view">',
        f"<p class=\"site\">{escape(ward.site.authority)}</p>",
        f"<h1>{escape(article.title)}</h1>",
        f'<div class="print-content">\n{paragraphs}\n</div>',
        f"<p class=\"source\">Nguồn: {escape(ward.site.name)}</p>",
        "</body>",
        "</html>",
        "",
    ])
