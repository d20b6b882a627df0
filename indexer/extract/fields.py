"""The article's title, publication date and author, each from the most trustworthy source present."""

from __future__ import annotations

import re
from datetime import date

from bs4 import BeautifulSoup, Tag

from indexer.extract.boilerplate import CHROME_TAGS, class_names, is_boilerplate_named
from indexer.extract.dates import parse_date, parse_metadata_date
from indexer.extract.metadata import PageMetadata
from indexer.extract.text import bounded_text, clean_line, text_of

_TITLE_SEPARATOR = re.compile(r"\s+(?:[-|–—»]|::)\s+|\s*\|\s*")
_SITE_LIKE = re.compile(
    r"phường|xã|thị trấn|quận|huyện|ubnd|cổng thông tin|trang thông tin|cổng ttđt|trang tin|portal|website"
    r"|\.gov\.vn|\.vn\b|\.com\b",
    re.IGNORECASE,
)
# og:title left at the portal's own name by a careless template.
_PORTAL_NAME = re.compile(r"^(cổng thông tin|trang thông tin|cổng ttđt|website|portal|trang chủ)",
                          re.IGNORECASE)
_TITLE_NAMED = re.compile(r"title|tieu-?de|headline", re.IGNORECASE)
_NOT_ARTICLE_TITLE = re.compile(r"site|logo|widget|module|box|block|menu|cat|list|sub|page-?title",
                                re.IGNORECASE)
_DATE_NAMED = re.compile(r"date|time|ngay|publish|posted|thoi-?gian|post-meta|entry-meta|meta", re.IGNORECASE)
_DATE_LINE = re.compile(r"^\s*(ngày đăng|đăng ngày|ngày|cập nhật|đăng lúc|thời gian|thứ|chủ nhật|posted)",
                        re.IGNORECASE)
_AUTHOR_LINE = re.compile(
    r"^(?:tin(?:\s*(?:,|và|/|-)\s*ảnh)?|bài(?:\s*(?:,|và|/|-)\s*ảnh)?|tác giả|người viết|ảnh|nguồn tin)"
    r"\s*:\s*(.{2,80})$",
    re.IGNORECASE,
)
_AUTHOR_LABEL = re.compile(r"^(tác giả|người viết|người đăng|đăng bởi|bài viết|by)\s*:?\s*", re.IGNORECASE)
_MAX_ANCESTORS = 60
# CMS account names that sign articles nobody wrote under that name.
ACCOUNT_NAMES = frozenset({"admin", "administrator", "quản trị", "quản trị viên", "webmaster", "root",
                           "editor"})
_MAX_DATE_LINE = 120


def find_title(meta: PageMetadata, content: Tag, soup: BeautifulSoup) -> str:
    """og:title, else the h1 of the content (or of the page), else an element named as the title,
    else `<title>` without the site suffix."""
    og_title = strip_site_suffix(meta.og_title, meta.site_name)
    if og_title and not _is_site_name(og_title, meta) and not _PORTAL_NAME.match(og_title):
        return og_title
    for heading in (content.find("h1"), _first_outside_chrome(soup, "h1"), _named_title(content),
                    _named_title(soup)):
        title = text_of(heading) if heading is not None else ""
        if title:
            return title
    return strip_site_suffix(meta.title_tag, meta.site_name)


def _named_title(root: Tag) -> Tag | None:
    """A title element without `<h1>`: `itemprop=headline`, or a class such as `TitleNews`, `tieu-de`."""
    for tag in root.find_all(_is_named_title, limit=20):
        text = bounded_text(tag, 30)
        if text and 8 <= len(text) <= 300 and not _in_chrome(tag):
            return tag
    return None


def _is_named_title(tag: Tag) -> bool:
    if tag.get("itemprop") == "headline":
        return True
    names = class_names(tag)
    return bool(_TITLE_NAMED.search(names)) and not _NOT_ARTICLE_TITLE.search(names)


def strip_site_suffix(title: str, site_name: str = "") -> str:
    """"Tiêu đề - Phường Bến Nghé" → "Tiêu đề": drops a trailing part that names the site."""
    title = clean_line(title)
    if site_name and title.lower().endswith(site_name.lower()):
        stripped = title[: -len(site_name)].rstrip(" -|–—»:")
        if stripped:
            return stripped
    separators = list(_TITLE_SEPARATOR.finditer(title))
    if separators:
        last = separators[-1]
        head, suffix = title[: last.start()].strip(), title[last.end():]
        if len(head.split()) >= 2 and len(suffix) <= 60 and _SITE_LIKE.search(suffix):
            return head
    return title


def find_date(meta: PageMetadata, soup: BeautifulSoup, today: date | None = None) -> date | None:
    """Metadata first (meta tags, JSON-LD, `<time datetime>`); the page's date line only without them."""
    found = parse_metadata_date(meta.published, today)
    if found:
        return found
    for tag in soup.find_all("time"):
        value = tag.get("datetime")
        if isinstance(value, str) and not _in_chrome(tag):
            found = parse_metadata_date(value, today)
            if found:
                return found
    return _date_line(soup, today)


def find_author(meta: PageMetadata, soup: BeautifulSoup, paragraphs: list[str]) -> str | None:
    """`meta name=author`, else an author element, else a closing "Tin, ảnh: …" line."""
    if meta.author and not _is_site_name(meta.author, meta) and meta.author.lower() not in ACCOUNT_NAMES:
        return meta.author[:120]
    for tag in soup.select('[itemprop="author"], [rel~="author"], .author, .tac-gia, .tacgia, .post-author'):
        text = text_of(tag)
        line = _AUTHOR_LINE.match(text)
        name = (line.group(1) if line else _AUTHOR_LABEL.sub("", text)).strip(" .:-")
        if 1 < len(name) <= 80 and name.lower() not in ACCOUNT_NAMES:
            return name
    for line in reversed(paragraphs[-3:]):
        match = _AUTHOR_LINE.match(line)
        if match:
            return match.group(1).strip(" .")
    return None


def _date_line(soup: BeautifulSoup, today: date | None) -> date | None:
    """The date written in a short line near the title (`Ngày đăng: 16/03/2023`, `Thứ năm, 16/3/2023`)."""
    candidates: list[Tag] = []
    for tag in soup.find_all(("span", "div", "p", "time", "small", "em", "i", "li", "td", "strong")):
        text = bounded_text(tag, 40)
        if not text or len(text) > _MAX_DATE_LINE:
            continue
        if _DATE_NAMED.search(class_names(tag)) or _DATE_LINE.match(text):
            candidates.append(tag)
    for tag in candidates:
        if not _in_chrome(tag):
            found = parse_date(text_of(tag), today)
            if found:
                return found
    return None


def _in_chrome(tag: Tag) -> bool:
    """Inside navigation, a sidebar or the page footer (a few dozen levels up at most)."""
    node: Tag | None = tag
    for _ in range(_MAX_ANCESTORS):
        if node is None or node.name == "[document]":
            return False
        if node.name in CHROME_TAGS or is_boilerplate_named(node):
            return True
        if node.name in ("header", "footer") and node.find_parent(("article", "main")) is None:
            return True
        node = node.parent
    return False


def _first_outside_chrome(soup: BeautifulSoup, name: str) -> Tag | None:
    for tag in soup.find_all(name):
        if not _in_chrome(tag) and text_of(tag):
            return tag
    return None


def _is_site_name(text: str, meta: PageMetadata) -> bool:
    """Careless CMSs put the site's name where the article's title or author belongs."""
    if meta.site_name and text.lower() == meta.site_name.lower():
        return True
    return text == meta.title_tag and len(text) < 40 and bool(_SITE_LIKE.search(text))
