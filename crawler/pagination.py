"""Pagination and the depth limit: the next pages of a list cost no click while they show something new.

`crawl.max_depth` bounds how many clicks from the start pages the crawl goes, a
guard against link chains without end. Counted click by click, a list's pages
would spend it: behind a pager that links four pages either side, the middle of a
200-page list is 25 clicks deep before its articles. So a link from a page of a
list to another page of the same list (`tinphuong.listing.listing_key`: the URL
without its page number) keeps the page's depth, as long as the page showed links
that no page of that list read before it in this run showed. A page past the end
of a list (empty, or the last page repeated) shows none, so a pager without end
still costs a click per page and stops at `max_depth`; and the chain is counted
again each night from where it stopped, so it never grows past `max_depth`.
"""

from __future__ import annotations

from collections.abc import Iterable

from tinphuong.listing import listing_key, numbered_page


def own_list_pages(url: str, links: Iterable[str]) -> list[str]:
    """The links of the page at `url` to other numbered pages of its own list (its pager)."""
    own = listing_key(url)
    return [link for link in links
            if link != url and (page := numbered_page(link)) is not None and page.key == own]


class Pagination:
    """What the pages of each list showed during one site's crawl: which pager links keep their depth."""

    def __init__(self) -> None:
        self._shown: dict[str, set[str]] = {}

    def free_pages(self, url: str, links: list[str]) -> list[str]:
        """The pager links of the page at `url` that keep its depth (none when it showed nothing new)."""
        pager = own_list_pages(url, links)
        if not pager:
            return []
        items = set(links).difference(pager, [url])
        shown = self._shown.setdefault(listing_key(url), set())
        new = not items <= shown
        shown |= items
        return pager if new else []
