"""Crawler-trap guards: no infinite URL spaces.

`TrapGuard` refuses URLs that only a machine would generate without end (calendars,
ever-deeper paths, endless query variants), so a crawl stays bounded. Session ids,
the other classic trap, are removed by `tinphuong.urls.canonicalize` before a URL
gets here. A portal that addresses all its content on one path by number
(`/Default.aspx?ItemID=2999`, `?CatID=3&page=5`) is not a trap: such queries do
not count towards the limit of query variants (what the site holds, and
`max_pages`, bound them).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

from tinphuong.listing import CATEGORY_PARAMS, ITEM_PARAMS, PAGINATION_PARAMS

MAX_URL_LENGTH = 2000
MAX_PATH_DEPTH = 15            # path segments
MAX_SEGMENT_REPEATS = 2        # the same segment more often than this: /a/b/a/b/a/b
MIN_YEAR = 1995                # no Vietnamese ward site published before this
MAX_DATE_VARIANTS = 60         # URLs of one date-listing shape (five years of monthly pages)
MAX_QUERY_VARIANTS = 1000      # distinct queries on one path, besides numbered content (?ItemID=123)

# Query keys of calendars and date archives, English and Vietnamese (tháng, năm, ngày, tuần).
CALENDAR_KEYS = frozenset({
    "date", "day", "month", "year", "week", "cal", "calendar", "thang", "nam", "ngay", "tuan",
})
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")
_DATE_SEGMENT = re.compile(r"^\d{4}(?:[-_.]\d{1,2}){0,2}$|^\d{1,2}$")
_DIGITS = re.compile(r"\d+")
ADDRESSING_PARAMS = ITEM_PARAMS | CATEGORY_PARAMS | PAGINATION_PARAMS


def static_trap_reason(url: str, max_year: int | None = None) -> str | None:
    """Why `url` looks like a trap judging by the URL alone (None when it looks like a page)."""
    if len(url) > MAX_URL_LENGTH:
        return f"URL longer than {MAX_URL_LENGTH} characters"
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) > MAX_PATH_DEPTH:
        return f"path deeper than {MAX_PATH_DEPTH} segments"
    repeated = next((s for s in set(segments) if segments.count(s) > MAX_SEGMENT_REPEATS), None)
    if repeated is not None:
        return f"path segment {repeated!r} repeated"
    latest = max_year or datetime.now(UTC).year + 1
    for year in _dates_mentioned(parts.path, parts.query):
        if year < MIN_YEAR or year > latest:
            return f"date out of range ({year})"
    return None


def _dates_mentioned(path: str, query: str) -> list[int]:
    """Years in date-like path segments and in calendar query values (not in article ids)."""
    texts = [s for s in path.split("/") if _DATE_SEGMENT.match(s) and len(s) >= 4]
    texts += [v for k, v in parse_qsl(query, keep_blank_values=True) if k.lower() in CALENDAR_KEYS]
    return [int(m.group(1)) for text in texts for m in _YEAR.finditer(text)]


def _date_listing_shape(url: str) -> str | None:
    """The shape of a calendar-like URL (digits blanked), or None when it is not one."""
    parts = urlsplit(url)
    keys = sorted({k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    segments = [s for s in parts.path.split("/") if s]
    date_tail = bool(segments) and _DATE_SEGMENT.match(segments[-1]) and any(
        _YEAR.fullmatch(s[:4]) for s in segments[-3:])
    if not (CALENDAR_KEYS.intersection(keys) or date_tail):
        return None
    return _DIGITS.sub("#", parts.path) + "?" + "&".join(keys)


class TrapGuard:
    """Remembers the URLs it has let through in one crawl and refuses the ones that explode.

    Static checks (length, depth, repeated segments, impossible dates) need the URL alone;
    the two counters bound calendar-like listings and endless query variants of one path.
    """

    def __init__(self, max_date_variants: int = MAX_DATE_VARIANTS,
                 max_query_variants: int = MAX_QUERY_VARIANTS) -> None:
        self.max_date_variants = max_date_variants
        self.max_query_variants = max_query_variants
        self._seen: set[str] = set()
        self._shapes: defaultdict[str, int] = defaultdict(int)
        self._queries: defaultdict[str, int] = defaultdict(int)

    def reason(self, url: str) -> str | None:
        """Why `url` must not be crawled (None to crawl it); counts it when it passes."""
        if url in self._seen:
            return None
        why = static_trap_reason(url)
        if why:
            return why
        parts = urlsplit(url)
        shape = _date_listing_shape(url)
        if shape is not None and self._shapes[shape] >= self.max_date_variants:
            return f"more than {self.max_date_variants} calendar-like URLs of one shape"
        path_key = f"{parts.netloc}{parts.path}"
        counted = _is_variant(parts.query)
        if counted and self._queries[path_key] >= self.max_query_variants:
            return f"more than {self.max_query_variants} query variants of {parts.path}"
        self._seen.add(url)
        if shape is not None:
            self._shapes[shape] += 1
        if counted:
            self._queries[path_key] += 1
        return None


def _is_variant(query: str) -> bool:
    """Whether a query counts towards a path's variants: not when it only numbers content (item,
    category and page numbers, as portals address everything on one path)."""
    pairs = parse_qsl(query, keep_blank_values=True)
    return bool(pairs) and not all(k.lower() in ADDRESSING_PARAMS and v.isdigit() for k, v in pairs)
