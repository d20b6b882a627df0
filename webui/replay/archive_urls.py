"""From the URLs an archived page names to our routes, as of the page's capture time."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlencode

from flask import url_for

from tinphuong.urls import canonicalize

TIMESTAMP_FORMAT = "%Y%m%d%H%M%S"


def timestamp(iso: str) -> str:
    """`2026-01-05T08:00:00Z` -> `20260105080000`, the form our routes carry (pywb's, too)."""
    return "".join(char for char in iso[:19] if char.isdigit())


def iso_of(stamp: str) -> str | None:
    """The ISO form of a 14-digit timestamp, None when it is not one."""
    if len(stamp) != 14 or not stamp.isdigit():
        return None
    try:
        return datetime.strptime(stamp, TIMESTAMP_FORMAT).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None


@dataclass(frozen=True)
class ArchiveUrls:
    """Maps URLs as written in one archived document to our routes.

    `base` resolves relative URLs (the page's `<base href>`, else its own URL; a
    stylesheet's URL for what it loads); `at` is the page's capture time, kept for
    everything the page loads so that a page and its images come from the same moment.
    """

    base: str
    at: str                      # 14-digit timestamp
    resource_path: str           # our route serving embedded bytes
    link_path: str               # our route answering a click on a link

    def rebased(self, base: str) -> ArchiveUrls:
        return replace(self, base=base)

    def embed(self, value: str, stylesheet: bool = False) -> str | None:
        """Our URL for an embedded resource (image, stylesheet, font); None to drop it.

        `data:` URLs stay as they are (inline bytes: no request); every other
        http(s) URL goes to the archive, archived or not, so nothing ever reaches the live site.
        """
        if value.strip().lower().startswith("data:"):
            return value.strip()
        url = canonicalize(value, base=self.base)
        if url is None:
            return None
        params = {"at": self.at, "url": url} | ({"as": "css"} if stylesheet else {})
        return f"{self.resource_path}?{urlencode(params)}"

    def link(self, value: str) -> str | None:
        """Our URL for a link the reader may click; None makes it a dead link."""
        url = canonicalize(value, base=self.base)
        if url is None:
            return None
        return f"{self.link_path}?{urlencode({'at': self.at, 'url': url})}"


def routed(base: str, at_iso: str) -> ArchiveUrls:
    """The mapper to this app's replay routes for a document captured at `at_iso` (in a request)."""
    return ArchiveUrls(base=base, at=timestamp(at_iso), resource_path=url_for("replay.resource"),
                       link_path=url_for("replay.link"))
