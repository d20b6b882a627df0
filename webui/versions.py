"""What the article said at each capture: the captures' timeline, and the versions to compare.

The index keeps the newest text only; older texts live in the archive. Each full capture is
read back from its WARC record and extracted again with the indexer's own `extract` (and the
site's selectors), so a version reads exactly as the article would have been indexed then.
Extractions are cached per process (bounded LRU keyed by the record's place, which never
changes): a document page extracts each of its full captures once, about 10–30 ms each.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from indexer.document import Capture, Document
from indexer.extract import Extracted, extract
from tinphuong.config import Config
from tinphuong.http_response import GONE_STATUSES
from tinphuong.lru import LruCache
from tinphuong.warc import read_response

log = logging.getLogger("tinphuong.webui")

CACHED_EXTRACTIONS = 512     # ~10 KB of text each: a few MB per process at most


class Change(Enum):
    """What a capture tells about the article, compared with the capture before it."""

    FIRST = "Bản đầu tiên"
    CHANGED = "Bài viết đã thay đổi"
    PAGE_ONLY = "Bài viết không đổi (chỉ phần khác của trang thay đổi)"
    UNCHANGED = "Không đổi"
    GONE = "Trang đã bị gỡ"
    UNREADABLE = "Không đọc được nội dung bài viết"
    OTHER = "Không có nội dung bài viết"

    @property
    def label(self) -> str:
        return self.value


@dataclass(frozen=True)
class Version:
    """One capture in the timeline: what it holds, and whether the article changed at it."""

    index: int                    # in doc.captures
    capture: Capture
    change: Change
    article: Extracted | None     # the article as extracted from this capture's record (full captures)
    previous: int | None          # index of the version compared with (the article before this one)

    @property
    def comparable(self) -> bool:
        """A full capture whose article could be read: one side of a comparison."""
        return self.article is not None


class ExtractionCache:
    """Articles extracted from archived records, keyed by their place in the archive (never rewritten)."""

    def __init__(self, size: int = CACHED_EXTRACTIONS) -> None:
        self._cache: LruCache[Extracted | None] = LruCache(size)

    def article(self, config: Config, doc: Document, capture: Capture) -> Extracted | None:
        """The article held by a full capture, or None when unreadable or not an article."""
        key = (str(config.storage.archive_dir), capture.warc_file, capture.offset)
        return self._cache.get(key, lambda: read_article(config, doc, capture))


def read_article(config: Config, doc: Document, capture: Capture) -> Extracted | None:
    """Read the capture's record from the archive and extract its article as the indexer would."""
    try:
        archived = read_response(Path(config.storage.archive_dir), capture.warc_file, capture.offset)
        body = archived.body()
    except (OSError, ValueError) as error:
        log.warning("cannot read %s@%d for %s: %s", capture.warc_file, capture.offset, doc.id, error)
        return None
    site = next((s for s in config.sites if s.name == doc.site), None)
    return extract(body, archived.url or doc.url, archived.headers, site.selectors if site else None)


def timeline(config: Config, doc: Document, cache: ExtractionCache) -> list[Version]:
    """Every capture of `doc`, oldest first, with what changed at it."""
    versions: list[Version] = []
    last: Version | None = None          # the latest full capture whose article was read
    for index, capture in enumerate(doc.captures):
        article = None
        if capture.status in GONE_STATUSES:
            change = Change.GONE
        elif capture.kind == "revisit":
            change = Change.UNCHANGED
        elif capture.status != 200:
            change = Change.OTHER
        else:
            article = cache.article(config, doc, capture)
            change = _change(article, last.article if last else None)
        version = Version(index, capture, change, article, last.index if last and article else None)
        versions.append(version)
        if article is not None:
            last = version
    return versions


def _change(article: Extracted | None, before: Extracted | None) -> Change:
    if article is None:
        return Change.UNREADABLE
    if before is None:
        return Change.FIRST
    same = (article.title, article.text) == (before.title, before.text)
    return Change.PAGE_ONLY if same else Change.CHANGED


def default_pair(versions: list[Version]) -> tuple[int, int] | None:
    """The two captures compared by default: the latest change and the version before it; else the last
    two readable captures; None with fewer than two."""
    changed = [v for v in versions if v.change is Change.CHANGED]
    if changed:
        latest = changed[-1]
        assert latest.previous is not None
        return latest.previous, latest.index
    readable = [v.index for v in versions if v.comparable]
    return (readable[-2], readable[-1]) if len(readable) >= 2 else None
