"""The article's title and author, each from the most trustworthy source present (dates: `published`)."""

from __future__ import annotations

import re
import string

from indexer.analysis.normalize import fold, vi_lower
from indexer.extract.boilerplate import class_names, in_chrome
from indexer.extract.metadata import PageMetadata
from indexer.extract.text import bounded_text, clean_line, text_of
from indexer.extract.tree import Document, Element, classes, find_tag, find_tags, preceding_tags

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
_NOT_ARTICLE_TITLE = re.compile(r"site|logo|widget|module|box|block|khoi|menu|cat|list|sub|page-?title",
                                re.IGNORECASE)
_AUTHOR_LINE = re.compile(
    r"^(?:tin(?:\s*(?:,|và|/|-)\s*ảnh)?|bài(?:\s*(?:,|và|/|-)\s*ảnh)?|tác giả|người viết|ảnh|nguồn tin)"
    r"\s*:\s*(.{2,80})$",
    re.IGNORECASE,
)
_AUTHOR_LABEL = re.compile(r"^(tác giả|người viết|người đăng|đăng bởi|viết bởi|bởi|bài viết|by)\s*:?\s*",
                           re.IGNORECASE)
_WORD = re.compile(r"\w+")
_CSS_SPACE = re.compile(r"[ \t\r\n\f]+")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
# Where bs4 read `rel` as a list of words split at any whitespace (elsewhere, CSS whitespace only).
_REL_LISTS = frozenset({"a", "link", "area"})
# CMS account names that sign articles nobody wrote under that name.
ACCOUNT_NAMES = frozenset({"admin", "administrator", "quản trị", "quản trị viên", "webmaster", "root",
                           "editor"})


def find_title(meta: PageMetadata, content: Element, soup: Document) -> tuple[str, Element | None]:
    """The title and the element that shows it (None when only metadata states it).

    The page's own headline (the h1 of the content or of the page, else an element named as
    the title) when og:title agrees with it or says nothing useful; og:title when they differ
    (the headline element is then a section's name); `<title>` without the site suffix last.
    "Agree" is loose on purpose: og:title and `<title>` are often cut (`...`) or reworded for
    sharing, while the headline is what readers see and copy.
    """
    heading = _heading(content, soup, meta)
    shown = text_of(heading) if heading is not None else ""
    og_title = strip_site_suffix(meta.og_title, meta.site_name)
    if og_title and not _is_site_name(og_title, meta) and not _PORTAL_NAME.match(og_title) \
            and not (shown and same_headline(shown, og_title)):
        return og_title, None
    if shown:
        return shown, heading
    return strip_site_suffix(meta.title_tag, meta.site_name), None


def same_headline(shown: str, other: str) -> bool:
    """Two wordings of one headline: at least half the words of the shorter are in the longer."""
    words = [set(_WORD.findall(fold(vi_lower(text)))) for text in (shown, other)]
    shorter = min(words, key=len)
    return bool(shorter) and len(words[0] & words[1]) >= 0.5 * len(shorter)


def _heading(content: Element, soup: Document, meta: PageMetadata) -> Element | None:
    """The element showing the headline: an h1, else an element named as the title (see `_named_title`)."""
    for heading in (find_tag(content, "h1"), _first_outside_chrome(soup, "h1")):
        if heading is not None and text_of(heading):
            return heading
    return _named_title(content, soup, meta.title_tag)


def _named_title(content: Element, soup: Document, title_tag: str) -> Element | None:
    """A title element without `<h1>` (`itemprop=headline`, a class such as `TitleNews`, `tieu-de`): in the
    content, else one whose text `<title>` repeats, else the nearest before the content, else the first."""
    inside = _named_titles(find_tags(content, where=_is_named_title, limit=20))
    if inside:
        return inside[0]
    named = _named_titles(preceding_tags(content, _is_named_title, limit=20)) \
        + _named_titles(find_tags(soup, where=_is_named_title, limit=20))
    titled = [tag for tag in named if text_of(tag) in title_tag]
    return (titled or named or [None])[0]


def _named_titles(tags: list[Element]) -> list[Element]:
    """The candidates that read like a headline, outside page chrome."""
    result = []
    for tag in tags:
        text = bounded_text(tag, 30)
        if text and 8 <= len(text) <= 300 and not in_chrome(tag):
            result.append(tag)
    return result


def _is_named_title(tag: Element) -> bool:
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


def find_byline(soup: Document) -> str | None:
    """The name an author element gives (`itemprop=author`, `*author*`, Joomla's `.createdby`), no label.

    Read before the content is cleaned: the line under the title that holds it is removed as metadata.
    """
    for tag in find_tags(soup, where=is_author_element):
        text = text_of(tag)
        line = _AUTHOR_LINE.match(text)
        name = (line.group(1) if line else _AUTHOR_LABEL.sub("", text)).strip(" .:-")
        if 1 < len(name) <= 80 and name.lower() not in ACCOUNT_NAMES:
            return name
    return None


def is_author_element(tag: Element) -> bool:
    """`[itemprop="author"], [rel~="author"], [class*="author"], [class*="tac-gia"], [class*="tacgia"],
    .createdby` as soupsieve matches it (`rel` ASCII-case-insensitively, as HTML says), tested directly:
    soupsieve took a sixth of a page's extraction."""
    names = classes(tag)
    joined = " ".join(names)
    rel = tag.get("rel") or ""
    if tag.tag in _REL_LISTS:
        rel = " ".join(rel.split())
    return (tag.get("itemprop") == "author" or "author" in joined or "tac-gia" in joined or "tacgia" in joined
            or "createdby" in names or "author" in _CSS_SPACE.split(rel.translate(_ASCII_LOWER)))


def find_author(meta: PageMetadata, byline: str | None, paragraphs: list[str]) -> str | None:
    """`meta name=author`, else the byline element (`find_byline`), else a closing "Tin, ảnh: …" line."""
    if meta.author and not _is_site_name(meta.author, meta) and meta.author.lower() not in ACCOUNT_NAMES:
        return meta.author[:120]
    if byline:
        return byline
    for line in reversed(paragraphs[-3:]):
        match = _AUTHOR_LINE.match(line)
        if match:
            return match.group(1).strip(" .")
    return None


def _first_outside_chrome(soup: Document, name: str) -> Element | None:
    for tag in find_tags(soup, name):
        if not in_chrome(tag) and text_of(tag):
            return tag
    return None


def _is_site_name(text: str, meta: PageMetadata) -> bool:
    """Careless CMSs put the site's name where the article's title or author belongs."""
    if meta.site_name and text.lower() == meta.site_name.lower():
        return True
    return text == meta.title_tag and len(text) < 40 and bool(_SITE_LIKE.search(text))
