"""Lists that other lists show in full: reading only their first page each night loses no article.

A portal lists each article more than once: in the main list (the home page and its
numbered pages) and in its category's list. An article, backdated or not, appears in
every list it belongs to, so when the lists read in full every night show every article
a category's list showed, they find whatever that list would: the category's first page
is still read each night, and its other pages take turns with the articles. On a portal
with a main list and categories of the same articles, that halves the nightly listing
pages.

Decided each night from the links each listing page showed when last read: the lists
showing the most articles first, a list is covered when the lists already read in full
show every live article it shows. A list showing an article no list read in full shows (a
category left out of the home page; a list whose pages, read long ago, still show an
article deleted since) is read in full, which brings its pages up to date. A link the
crawl knows nothing of counts as an article of its own, so a list of links never fetched
is never covered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

from tinphuong.listing import listing_key

Identity = Callable[[str], str | None]     # a link → the document it shows (None: not an article)


def covered_lists(shown: Mapping[str, set[str]], identity: Identity) -> set[str]:
    """The lists (`tinphuong.listing.listing_key`) whose articles are all shown by lists read in full
    (`shown`: each listing page's links as last read)."""
    lists: defaultdict[str, set[str]] = defaultdict(set)
    for page, links in shown.items():
        lists[listing_key(page)] |= {document for link in links if (document := identity(link))}
    read_in_full: set[str] = set()
    covered = set()
    for key, documents in sorted(lists.items(), key=lambda item: (-len(item[1]), item[0])):
        if documents <= read_in_full:
            covered.add(key)
        else:
            read_in_full |= documents
    return covered
