"""The files an article links to, read from the article's HTML (never from the crawl state).

Only links inside the article's content count: a sidebar of "latest documents" on every page
is not what an article attaches. A link counts when its path ends like a document (`.pdf`,
`.docx`, ...) or looks like a download handler (`download.aspx?id=7`, `/tai-ve/...`), which
ward portals use for their attached files.
"""

from __future__ import annotations

import re

from indexer.extract.text import text_of
from indexer.extract.tree import Element, find_tags, has_href
from tinphuong.file_types import extension, is_attachment_url
from tinphuong.urls import canonicalize

MAX_LINKS = 50
DOWNLOAD = re.compile(r"download|tai-?ve|taive|getfile|dinh-?kem|attachment|file\.ashx", re.IGNORECASE)


def attachment_links(content: Element, page_url: str) -> tuple[tuple[str, str], ...]:
    """(canonical URL, link text) of each document linked from `content`, in order, without repeats."""
    found: dict[str, str] = {}
    for anchor in find_tags(content, "a", where=has_href):
        url = canonicalize(str(anchor.get("href")), base=page_url)
        if not url or url == page_url or not (is_attachment_url(url) or DOWNLOAD.search(url)):
            continue
        if not found.get(url):
            found[url] = text_of(anchor) or str(anchor.get("title") or "")
        if len(found) >= MAX_LINKS:
            break
    return tuple(found.items())


def file_type_of(url: str) -> str:
    """The format a link's URL names ("pdf"), or "" when it names none."""
    return extension(url)[1:] if is_attachment_url(url) else ""
