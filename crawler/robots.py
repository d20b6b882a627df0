"""robots.txt: fetched once per host per crawl, cached, obeyed, and its Sitemap lines shared.

Answers follow RFC 9309: a 4xx robots.txt (404, 410, ...) allows everything; a 5xx
or an unreachable server disallows everything on that host for this run. The
rules are matched for the product token of the configured user agent, and a
`Crawl-delay` raises the host's pause in `Politeness` (never lowers it).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from protego import Protego

from crawler.fetcher import Fetcher, FetchResult
from crawler.politeness import Politeness
from tinphuong.urls import canonicalize

log = logging.getLogger(__name__)

MAX_ROBOTS_BYTES = 512 * 1024


def product_token(user_agent: str) -> str:
    """`TinPhuongArchiver/1.0 (+mailto:...)` -> `TinPhuongArchiver`: what robots.txt groups name."""
    token = user_agent.strip().split("/", 1)[0].split()
    return token[0] if token else user_agent


@dataclass
class HostRules:
    """The rules of one origin; `verdict` is 'parsed', 'allow-all' or 'disallow-all'."""

    verdict: str
    reason: str = ""                 # why, for allow-all / disallow-all
    parser: Protego | None = None
    sitemaps: list[str] = field(default_factory=list)
    crawl_delay: float | None = None


class RobotsRules:
    """robots.txt of every origin the crawl touches, fetched lazily through the fetcher."""

    def __init__(self, fetcher: Fetcher, politeness: Politeness, user_agent: str,
                 on_fetched: Callable[[FetchResult], None] | None = None) -> None:
        self.fetcher = fetcher
        self.politeness = politeness
        self.on_fetched = on_fetched          # e.g. to archive the answers
        self.token = product_token(user_agent)
        self._cache: dict[str, HostRules] = {}
        self._loading: dict[str, threading.Lock] = {}     # one fetch per origin, whichever thread asks
        self._guard = threading.Lock()

    def allowed(self, url: str) -> bool:
        return self.refusal(url) is None

    def refusal(self, url: str) -> str | None:
        """Why robots.txt forbids `url` (None when allowed)."""
        rules = self.rules(url)
        if rules.verdict == "allow-all":
            return None
        if rules.verdict == "disallow-all":
            return rules.reason
        assert rules.parser is not None
        return None if rules.parser.can_fetch(url, self.token) else "disallowed by robots.txt"

    def sitemaps(self, url: str) -> list[str]:
        """The Sitemap: URLs that the robots.txt of `url`'s origin lists."""
        return list(self.rules(url).sitemaps)

    def rules(self, url: str) -> HostRules:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc.lower()}"
        with self._guard:
            lock = self._loading.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._cache:
                self._cache[origin] = self._load(origin)
        return self._cache[origin]

    def _load(self, origin: str) -> HostRules:
        robots_url = origin + "/robots.txt"
        host = urlsplit(origin).hostname

        def same_host(url: str) -> str | None:
            return None if urlsplit(url).hostname == host else "robots.txt redirect to another host"

        result = self.fetcher.fetch(robots_url, scope=same_host, max_bytes=MAX_ROBOTS_BYTES)
        if self.on_fetched:
            self.on_fetched(result)
        if result.refused:
            log.info("%s: %s; allowing all", robots_url, result.refused)
            return HostRules("allow-all", "robots.txt redirects elsewhere")
        final = result.final
        if final is None:
            log.warning("%s unavailable (%s): nothing on %s is fetched this run", robots_url, result.error,
                        origin)
            return HostRules("disallow-all", f"robots.txt unavailable ({result.error})")
        if final.status >= 500 or final.status == 429:
            log.warning("%s answered %d: nothing on %s is fetched this run", robots_url, final.status, origin)
            return HostRules("disallow-all", f"robots.txt unavailable (HTTP {final.status})")
        if final.status >= 400 or not 200 <= final.status < 300:
            return HostRules("allow-all")
        text = final.body.decode("utf-8", errors="replace")
        parser = Protego.parse(text)
        delay = parser.crawl_delay(self.token)
        if delay:
            self.politeness.set_delay(urlsplit(origin).netloc.lower(), float(delay))
        sitemaps = [u for u in (canonicalize(s, base=robots_url) for s in parser.sitemaps) if u]
        return HostRules("parsed", parser=parser, sitemaps=sitemaps,
                         crawl_delay=float(delay) if delay else None)
