"""Whoosh's collector-driven search without the shortcuts that lose documents.

Every 10 matches Whoosh's collector "replaces" the matcher by one that skips what
cannot beat the current minimum score, which turns unions (abbreviation
alternatives, compounds) into narrower matchers: documents vanish and the total
shrinks. Block-quality skipping (`optimize`) is off for the same reason, and it
would count the matches a second time anyway.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.searching import Results, Searcher


def search_every_match(searcher: Searcher, query: wq.Query, **options: Any) -> Results:
    """`searcher.search(query, **options)` that collects every match: totals are exact."""
    collector = searcher.collector(optimize=False, **options)
    inner = collector
    while hasattr(inner, "child"):             # the wrapped collectors (filters, masks, sorting)
        inner = inner.child
    inner.replace = 0
    searcher.search_with_collector(query, collector)
    return collector.results()
