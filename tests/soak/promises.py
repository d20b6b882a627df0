"""What the crawl promised by a given night: the nights that count, and what is due after them.

A night counts for a site when its refresh completed and crawled the site through (the summary
line names no failure and no back-off): a killed refresh, a full disk, a site that is down or
answers 503 all day do not count. Then:

- an article is searchable after the first night that counts on which it was online (new and
  backdated articles are in the listings and the sitemap the same night);
- on a site whose sitemap dates its changes, an edit or a removal shows after the first night
  that counts from the day it happened; elsewhere only the rotation finds them: after
  `revisit_days` nights that count (each page is revalidated once in any `revisit_days`
  consecutive nights; a night that does not count shifts the queue by at most one).
"""

from __future__ import annotations

from tests.wardsite import Article


class Promises:
    def __init__(self, revisit_days: int, lastmod_sites: set[str]) -> None:
        self.revisit_days = revisit_days
        self.lastmod_sites = lastmod_sites
        self.counting: dict[str, set[int]] = {}       # site -> nights that count

    def night(self, site: str, day: int, counts: bool) -> None:
        if counts:
            self.counting.setdefault(site, set()).add(day)

    def seen(self, site: str, article: Article) -> bool:
        """Whether a night that counts found the article online."""
        return any(article.exists_on(n) for n in self.counting.get(site, ()))

    def change_due(self, site: str, day: int) -> bool:
        """Whether a change made on `day` to an article of `site` (an edit, a removal) must show by now."""
        nights = sum(1 for n in self.counting.get(site, ()) if n >= day)
        return nights >= (1 if site in self.lastmod_sites else self.revisit_days)
