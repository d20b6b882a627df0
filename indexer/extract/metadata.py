"""What a page says about itself in machine-readable form: `<meta>`, JSON-LD, `<title>`, breadcrumbs.

Read before any cleaning, because the cleaning removes the scripts that carry
JSON-LD and the navigation that carries the breadcrumb.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from indexer.extract.text import clean_line, text_of
from indexer.extract.tree import Document, Element, classes, document_tag, find_tags

PUBLISHED_KEYS = ("article:published_time", "og:published_time", "pubdate", "publishdate",
                  "publish-date", "publish_date", "article:published", "dc.date.issued", "dc.date",
                  "dcterms.created", "dcterms.issued", "date")
MODIFIED_KEYS = ("article:modified_time", "og:updated_time", "last-modified", "dcterms.modified", "revised")
HOME_CRUMB = re.compile(r"^(trang chủ|trang chu|home|trang nhất)$", re.IGNORECASE)
_MAX_JSONLD = 200_000


@dataclass
class PageMetadata:
    """Machine-readable facts found on the page; any of them may be missing."""

    og_title: str = ""
    site_name: str = ""
    og_type: str = ""
    title_tag: str = ""
    published: str = ""
    published_source: str = ""     # where `published` was read: "meta" or "jsonld"
    modified: str = ""             # when the page says it was last changed
    section: str = ""
    author: str = ""
    breadcrumb: str = ""


def read_metadata(soup: Document) -> PageMetadata:
    """Collect `<meta>`, JSON-LD, `<title>` and breadcrumb facts from the untouched page."""
    meta = _meta_values(soup)
    found = PageMetadata(
        og_title=meta.get("og:title", "") or meta.get("twitter:title", ""),
        site_name=meta.get("og:site_name", ""),
        og_type=meta.get("og:type", "").lower(),
        title_tag=text_of(document_tag(soup, "title")),
        section=meta.get("article:section", ""),
        author=meta.get("author", "") or meta.get("article:author", ""),
        modified=next((meta[key] for key in MODIFIED_KEYS if meta.get(key)), ""),
    )
    found.published = next((meta[key] for key in PUBLISHED_KEYS if meta.get(key)), "")
    found.published_source = "meta" if found.published else ""
    for item in _jsonld_objects(soup):
        if not found.published and _jsonld_text(item.get("datePublished")):
            found.published, found.published_source = _jsonld_text(item.get("datePublished")), "jsonld"
        found.modified = found.modified or _jsonld_text(item.get("dateModified"))
        found.section = found.section or _jsonld_text(item.get("articleSection"))
        found.author = found.author or _jsonld_text(item.get("author"))
    found.breadcrumb = breadcrumb_category(soup)
    if found.author.startswith(("http://", "https://")):
        found.author = ""
    return found


def breadcrumb_category(soup: Document) -> str:
    """The last category named in the breadcrumb trail (not "Trang chủ", not the page itself),
    else a link marked `rel="category"`."""
    tagged = next(iter(find_tags(soup, "a", where=_is_category_link, limit=1)), None)
    trail = next(iter(find_tags(soup, where=_is_breadcrumb, limit=1)), None)
    names = [text_of(a) for a in find_tags(trail, "a")] if trail is not None else []
    names = [name for name in names if name and not HOME_CRUMB.match(name) and len(name) <= 80]
    if names:
        return names[-1]
    return text_of(tagged)[:80] if tagged is not None else ""


def _is_category_link(tag: Element) -> bool:
    return "category" in (tag.get("rel") or "").split()


def _is_breadcrumb(tag: Element) -> bool:
    """`[itemtype*="BreadcrumbList"], [class*="breadcrumb"], [id*="breadcrumb"], nav[aria-label*="readcrumb"],
    [class*="duong-dan"], [class*="duongdan"]`, tested directly (soupsieve took a fifth of a page's
    extraction)."""
    names = " ".join(classes(tag))
    return ("BreadcrumbList" in (tag.get("itemtype") or "") or "breadcrumb" in names
            or "breadcrumb" in (tag.get("id") or "") or "duong-dan" in names or "duongdan" in names
            or (tag.tag == "nav" and "readcrumb" in (tag.get("aria-label") or "")))


def _meta_values(soup: Document) -> dict[str, str]:
    values: dict[str, str] = {}
    for tag in find_tags(soup, "meta"):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop")
        content = tag.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            values.setdefault(key.strip().lower(), clean_line(content))
    return values


def _jsonld_objects(soup: Document) -> Iterator[dict]:
    for script in find_tags(soup, "script", where=lambda tag: tag.get("type") == "application/ld+json"):
        raw = script.text or ""
        if len(raw) > _MAX_JSONLD:
            continue
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        yield from _flatten(data)


def _flatten(data: object, depth: int = 0) -> Iterator[dict]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data[:50]:
            yield from _flatten(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        yield from _flatten(data.get("@graph"), depth + 1)


def _jsonld_text(value: object) -> str:
    """A JSON-LD value as text: strings as they are, `{"name": ...}` objects by name, lists by first item."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name", "")
    return clean_line(value) if isinstance(value, str) else ""


def element_value(tag: Element) -> str:
    """A selected element's value: a machine-readable attribute when it has one, else its text."""
    for attribute in ("datetime", "content"):
        value = tag.get(attribute)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return text_of(tag)
