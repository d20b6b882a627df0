"""URL canonicalisation and crawler-trap guards: one spelling per page, and no infinite URL spaces.

`canonicalize` gives every page one spelling, so that it is fetched and indexed once;
`TrapGuard` refuses URLs that only a machine would generate without end (calendars,
ever-deeper paths, session ids, endless query variants), so a crawl stays bounded.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

# Query parameters that never change the page a ward portal serves.
TRACKING_PARAMS = frozenset({
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "fbclid", "gclid",
    "zarsrc", "_ga", "ref",
})
# Session identifiers: the same page under a new name for every visitor (a classic crawler trap).
SESSION_PARAMS = frozenset({
    "jsessionid", "phpsessid", "sid", "sessionid", "session_id", "sessid", "aspsessionid", "cfid", "cftoken",
    "oscsid", "zenid",
})
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sessionid|sid)=[^/?]*", re.IGNORECASE)
_ASPNET_COOKIELESS = re.compile(r"/\([A-Za-z]\([A-Za-z0-9]{16,}\)\)(?=/)")
DEFAULT_PORTS = {"http": 80, "https": 443}


def canonicalize(url: str, base: str | None = None) -> str | None:
    """Return the canonical absolute http(s) URL, or None when `url` is not a web page link.

    Lowercases scheme and host, drops default ports, fragments and tracking
    parameters, resolves dot segments, sorts the query and normalises percent-escapes.
    """
    from urllib.parse import urljoin

    url = (url or "").strip()
    if not url:
        return None
    try:
        if base:
            url = urljoin(base, url)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if scheme not in DEFAULT_PORTS or not host:
        return None
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _normalize_path(parts.path)
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _ignored_param(k)), doseq=True)
    return urlunsplit((scheme, netloc, path, query, ""))


def _ignored_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered in SESSION_PARAMS or lowered.startswith("aspsessionid")


def host_of(url: str) -> str:
    """The lowercase host name of `url` (empty when it has none)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _normalize_path(path: str) -> str:
    if not path:
        return "/"
    path = _ASPNET_COOKIELESS.sub("", _PATH_SESSION.sub("", path))
    trailing = path.endswith("/")
    resolved = posixpath.normpath(unquote(path))
    if resolved.startswith("//"):
        resolved = "/" + resolved.lstrip("/")
    if trailing and resolved != "/":
        resolved += "/"
    return quote(resolved, safe="/:@!$&'()*+,;=-._~%")


# --- crawler-trap guards -------------------------------------------------------------------------

MAX_URL_LENGTH = 2000
MAX_PATH_DEPTH = 15            # path segments
MAX_SEGMENT_REPEATS = 2        # the same segment more often than this: /a/b/a/b/a/b
MIN_YEAR = 1995                # no Vietnamese ward site published before this
MAX_DATE_VARIANTS = 60         # URLs of one date-listing shape (five years of monthly pages)
MAX_QUERY_VARIANTS = 1000      # distinct queries on one path (article ids like ?ItemID=123 need many)

# Query keys of calendars and date archives, English and Vietnamese (tháng, năm, ngày, tuần).
CALENDAR_KEYS = frozenset({
    "date", "day", "month", "year", "week", "cal", "calendar", "thang", "nam", "ngay", "tuan",
})
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")
_DATE_SEGMENT = re.compile(r"^\d{4}(?:[-_.]\d{1,2}){0,2}$|^\d{1,2}$")
_DIGITS = re.compile(r"\d+")


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
        if parts.query and self._queries[path_key] >= self.max_query_variants:
            return f"more than {self.max_query_variants} query variants of {parts.path}"
        self._seen.add(url)
        if shape is not None:
            self._shapes[shape] += 1
        if parts.query:
            self._queries[path_key] += 1
        return None
