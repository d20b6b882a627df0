"""The two kinds of ward site: a WordPress-style site and an old ASP.NET-style portal.

A style is its URL schemes (before and after a move), its themes (in the order a theme change
goes through them), where it keeps files, and what its robots.txt forbids. Only the
WordPress-style site has a sitemap and a feed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from tests.wardsite import aspnet, urls, wordpress
from tests.wardsite.model import Article
from tests.wardsite.pages import Files, Links, Listing
from tests.wardsite.writer import Ward


class Theme(Protocol):
    folder: str

    def article_page(self, ward: Ward, links: Links, article: Article, latest: Sequence[Article]) -> str: ...

    def listing_page(self, ward: Ward, links: Links, listing: Listing, latest: Sequence[Article]) -> str: ...

    def css(self) -> str: ...


@dataclass(frozen=True)
class Style:
    name: str
    schemes: tuple[urls.Scheme, urls.Scheme]    # before and after the move
    themes: tuple[Theme, ...]
    files: Files
    disallowed: tuple[str, ...]


WORDPRESS = Style(
    name="wordpress",
    schemes=(urls.WORDPRESS, urls.WORDPRESS_MOVED),
    themes=(wordpress.Classic(), wordpress.Flat()),
    files=Files(uploads="/wp-content/uploads/", dated_uploads=True, themes="/wp-content/themes/",
                logo="/wp-content/uploads/logo-phuong.png", feed="/feed/", search="/tim-kiem/",
                admin="/wp-admin/", sitemap="/sitemap.xml"),
    disallowed=("/wp-admin/", "/tim-kiem/"),
)
ASPNET = Style(
    name="aspnet",
    schemes=(urls.ASPNET, urls.ASPNET_MOVED),
    themes=(aspnet.CLASSIC, aspnet.BLUE),
    files=Files(uploads="/Upload/", dated_uploads=False, themes="/App_Themes/", logo="/Upload/banner.png",
                feed=None, search="/Search.aspx", admin="/Admin/Login.aspx", sitemap=None),
    disallowed=("/Admin/", "/Search.aspx"),
)
STYLES = {style.name: style for style in (WORDPRESS, ASPNET)}
