"""URL canonicalisation: one spelling per page, so that it is fetched, archived and indexed once.

The crawler writes canonical URLs into the archive and the crawl state; the
indexer canonicalises the URLs it reads again (so that records written by an
older crawler name the same page) and derives Document ids from the result.
Both must spell a page alike, so the rule lives here, in the foundation.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

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
