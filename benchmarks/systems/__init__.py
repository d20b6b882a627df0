"""The search systems the benchmarks compare, behind one small interface.

`ours` is Tin Phường's indexer; `plain_whoosh` (Whoosh's `StandardAnalyzer`) and
`fts5` (SQLite FTS5, `unicode61 remove_diacritics 2`) are the baselines. Each
module offers `build(documents, path, procs)` to write an index into an empty
directory and a class whose `search(query, limit)` returns `Document.id`s, best
first. The baselines import whoosh and sqlite directly:
they are what we compare against, not part of the product.
"""

from __future__ import annotations

from typing import Protocol


class SearchSystem(Protocol):
    name: str

    def search(self, query: str, limit: int = 10) -> list[str]:
        """Ids of the best `limit` documents for a query typed as a user types it."""
        ...

    def close(self) -> None:
        ...
