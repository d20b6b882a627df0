"""The two skins of the old ASP.NET-style portal: XHTML 1.0, nested tables, a __VIEWSTATE form.

Nothing on an article page says when it was published except the lead, its first paragraph,
in bold: "Ngày 2/5/2021, ...". No <h1>, no meta tags, no canonical link (except on the print
view), no dates in listings or in the "Tin mới" column. The skins differ in control ids, class
names, widths and the side of the column: the same articles in other markup.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from demo import render
from tests.wardsite.assets import stylesheet
from tests.wardsite.model import Article
from tests.wardsite.pages import Links, Listing, views_of
from tests.wardsite.writer import Ward

DOCTYPE = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
           '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">')
PAGER_WINDOW = 4


@dataclass(frozen=True)
class Skin:
    folder: str                    # App_Themes/<folder>/
    ids: str                       # prefix of the server controls' ids
    title_class: str
    content_class: str
    column_left: bool              # the "Tin mới" column on the left, or on the right
    width: int

    def article_page(self, ward: Ward, links: Links, article: Article, latest: Sequence[Article]) -> str:
        rows = [f'<tr><td class="{self.title_class}"><span id="{self.ids}lblTitle">{escape(article.title)}'
                "</span></td></tr>",
                f'<tr><td class="{self.content_class}"><span id="{self.ids}lblContent">\n'
                f"{_body(links, article)}\n</span></td></tr>",
                f'<tr><td align="right" class="author"><b>{escape(article.author)}</b></td></tr>',
                f'<tr><td class="views">Số lượt xem: {views_of(article)}</td></tr>']
        if article.attachments:
            files = "<br />\n".join(f'<a href="{escape(links.attachment(article, a))}" target="_blank">'
                                    f"{escape(a.label)}</a>" for a in article.attachments)
            rows.append(f'<tr><td class="filedinhkem"><b>Tài liệu đính kèm:</b><br />\n{files}</td></tr>')
        if links.has_duplicates(article):
            rows.append(f'<tr><td class="tools"><a href="{escape(links.article(article, "print"))}" '
                        'target="_blank">Bản in</a></td></tr>')
        return self._layout(ward, links, article.title, links.article(article), _table(rows, 4), latest)

    def listing_page(self, ward: Ward, links: Links, listing: Listing, latest: Sequence[Article]) -> str:
        rows = [f'<tr><td class="{self.title_class}cat">{escape(listing.heading(ward))}</td></tr>']
        for a in listing.articles:
            teaser = escape(render.shorten(_lead_rest(a), 30))
            href = escape(links.teaser(a, listing.beat))
            rows.append(f'<tr><td class="item"><a class="linktitle" href="{href}">'
                        f'{escape(a.title)}</a><br />\n<span class="sapo">{teaser}</span></td></tr>')
        rows.append(f'<tr><td class="pager">{self._pager(links, listing)}</td></tr>')
        main = _table(rows, 3)
        heading = listing.heading(ward)
        title = heading if listing.page == 1 else f"{heading} - Trang {listing.page}"
        return self._layout(ward, links, title, links.listing(listing.page, listing.beat), main, latest)

    def css(self) -> str:
        return stylesheet(self.folder, f".{self.title_class} {{ font-weight: bold; color: #b71c1c; }} "
                                       f".{self.content_class} {{ text-align: justify; }}")

    def _pager(self, links: Links, listing: Listing) -> str:
        if listing.pages <= 1:
            return ""
        parts = render.pager_parts(listing.page, listing.pages, PAGER_WINDOW,
                                   lambda n: f'<a href="{escape(links.listing(n, listing.beat))}">{n}</a>',
                                   lambda n: f"<b>[{n}]</b>", "...")
        return " ".join(["Trang:", *parts])

    def _layout(self, ward: Ward, links: Links, title: str, action: str, main: str,
                latest: Sequence[Article]) -> str:
        site = ward.site
        menu = " | ".join([f'<a href="{escape(links.home())}" class="menulink">Trang chủ</a>']
                          + [f'<a href="{escape(links.listing(1, b))}" class="menulink">{escape(b.name)}</a>'
                             for b in ward.beats]
                          + [f'<a href="{escape(links.files.search)}" class="menulink">Tìm kiếm</a>'])
        news = "<br />\n".join(f'<a href="{escape(links.article(a))}" class="tinmoi">» {escape(a.title)}</a>'
                               for a in latest)
        column = (f'<td width="230" valign="top" class="cot"><table width="100%"><tr><td class="khoi-tin">'
                  f"Tin mới</td></tr>\n<tr><td>{news}</td></tr>\n"
                  f'<tr><td class="khoi-tin">Đường dây nóng</td></tr><tr><td>{escape(site.hotline)}</td></tr>'
                  "</table></td>")
        middle = f'<td valign="top" class="giua">\n{main}\n</td>'
        cells = column + "\n" + middle if self.column_left else middle + "\n" + column
        state = base64.b64encode(hashlib.sha1(f"{self.folder}{action}".encode()).digest() * 3).decode()
        return "\n".join([
            DOCTYPE,
            '<html xmlns="http://www.w3.org/1999/xhtml">',
            '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />',
            f"<title>{escape(site.name)} - {escape(title)}</title>",
            f'<link href="{escape(links.asset("Style.css"))}" type="text/css" rel="stylesheet" /></head>',
            "<body>",
            f'<form name="aspnetForm" method="post" action="{escape(action)}" id="aspnetForm">',
            f'<div><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUK{state}" /></div>',
            f'<table width="{self.width}" border="0" cellspacing="0" cellpadding="0" align="center" '
            'class="khung">',
            f'<tr><td colspan="2" class="banner"><a href="/"><img src="{escape(links.files.logo)}" '
            f'alt="{escape(site.name)}" border="0" /></a>'
            f'<span class="tencoquan">{escape(site.authority.upper())}</span></td></tr>',
            f'<tr><td colspan="2" class="menu">{menu}</td></tr>',
            f"<tr>\n{cells}\n</tr>",
            f'<tr><td colspan="2" class="footer">{escape(site.authority)}'
            f"<br />Địa chỉ: {escape(site.address)}"
            f"<br />Điện thoại: {escape(site.phone)} - Email: {escape(site.email)}"
            f'<br /><a href="{escape(links.files.admin)}">Quản trị</a></td></tr>',
            "</table>",
            "</form>",
            "</body>",
            "</html>",
            "",
        ])


CLASSIC = Skin("Classic", "ctl00_ContentPlaceHolder1_", "TitleNews", "ContentNews", True, 980)
BLUE = Skin("Blue2012", "ctl00_MainContent_ctl02_", "tieude", "noidung", False, 1000)


def _table(rows: list[str], padding: int) -> str:
    return (f'<table width="100%" border="0" cellpadding="{padding}" cellspacing="0">\n' + "\n".join(rows)
            + "\n</table>")


def _body(links: Links, article: Article) -> str:
    """Bold lead, paragraphs, the pictures centred after the second paragraph, as editors place them."""
    blocks = [f"<p><b>{escape(article.paragraphs[0])}</b></p>"]
    blocks += [f'<p style="text-align: justify;">{escape(p)}</p>' for p in article.paragraphs[1:]]
    pictures = [f'<p align="center"><img src="{escape(links.image(article, image))}" border="0" /><br />'
                f"<i>{escape(image.caption)}</i></p>" for image in article.images]
    blocks[2:2] = pictures
    return "\n".join(blocks)


def _lead_rest(article: Article) -> str:
    """A teaser without the date: the lead after its "Ngày 2/5/2021, " opening."""
    lead = article.paragraphs[0]
    return lead.split(", ", 1)[1] if lead.startswith("Ngày ") and ", " in lead else lead
