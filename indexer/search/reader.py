"""The searcher's reader: the live generation's, kept open, followed as the index changes.

One reader per process, shared by threads under one lock (Whoosh's file handles
are not meant for concurrent seeks). Each read first checks, cheaply, whether
the index changed (the `CURRENT` pointer and the generation's table of
contents): a new commit or a new generation is picked up on the next request.
A commit or a rebuild may remove files under the open reader; the read is then
retried on a freshly opened one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.searching import Searcher as WhooshSearcher

from indexer.document import Document
from indexer.generations import live_generation
from indexer.schema import BODY, BODY_FOLDED, TITLE, TITLE_FOLDED
from indexer.search.collapse import Clusters
from indexer.search.date_order import DateOrder
from indexer.search.did_you_mean import DidYouMean
from indexer.search.facets import FacetColumns
from indexer.search.matching import Matches, QueryEvaluator
from indexer.search.postings import PostingsCache
from indexer.search.query import filter_query
from indexer.search.request import SearchRequest
from indexer.search.suggest import Suggester
from indexer.whoosh_internals.errors import VANISHED_FILE_ERRORS
from tinphuong.lru import LruCache

log = logging.getLogger(__name__)
T = TypeVar("T")

WEIGHTING = scoring.BM25F
FILTER_CACHE_SIZE = 64    # site/category/date filters whose documents are remembered per reader
SIMILAR_CACHE_SIZE = 256  # documents whose "more like this" is remembered per reader (a few ids each)
READ_ATTEMPTS = 4         # reads retried when a concurrent commit removed the files under them
WARM_FIELDS = (BODY, BODY_FOLDED, TITLE, TITLE_FOLDED)   # the fields whose frequent terms `warm` reads


class ReaderState:
    """One open Whoosh searcher and what is derived from it (postings, filters, suggester, site counts,
    facet columns, date order, "more like this" answers)."""

    def __init__(self, generation: Path, searcher: WhooshSearcher) -> None:
        self.generation = generation
        self.searcher = searcher
        self.postings = PostingsCache(searcher)
        self.evaluator = QueryEvaluator(searcher, self.postings)
        self._filters: LruCache[Matches | None] = LruCache(FILTER_CACHE_SIZE)
        self.similar: LruCache[list[Document]] = LruCache(SIMILAR_CACHE_SIZE)
        self._did_you_mean: DidYouMean | None = None
        self._site_counts: dict[str, int] | None = None
        self._clusters: Clusters | None = None
        self._facet_columns: FacetColumns | None = None
        self._date_order: DateOrder | None = None
        self._every: Matches | None = None
        self._warm = False

    def warm(self) -> None:
        """Build now, once, what requests would build on first use: the frequent terms' posting lists,
        the suggester, the facet and date columns, the clusters, the site counts.

        Read-only once built, so a process that forks after this shares it copy-on-write.
        """
        if self._warm:
            return
        self.postings.preload(WARM_FIELDS)
        self.clusters                                      # noqa: B018 - built on first use
        self.every()
        self.date_order()
        self.facet_columns()
        self.site_counts()
        self._suggester()
        self._warm = True

    @property
    def clusters(self) -> Clusters:
        """Which documents are copies of one article (read on first use, once per reader)."""
        if self._clusters is None:
            self._clusters = Clusters.of(self.searcher)
        return self._clusters

    def filter_docs(self, request: SearchRequest) -> Matches | None:
        """The documents the request's filters allow (None: all), remembered per reader."""
        def docs() -> Matches | None:
            query = filter_query(request)
            return self.evaluator.docs(query) if query is not None else None

        return self._filters.get(request.filter_key, docs)

    def every(self) -> Matches:
        """Every live document (score 0), read once per reader."""
        if self._every is None:
            self._every = Matches.of(list(self.searcher.reader().all_doc_ids()))
        return self._every

    def date_order(self) -> DateOrder:
        if self._date_order is None:
            self._date_order = DateOrder.from_reader(self.searcher.reader())
        return self._date_order

    def suggest(self, q: str) -> str | None:
        try:
            return self._suggester().suggest(q)
        except Exception:  # noqa: BLE001 - a suggestion is a nicety, never a reason to fail a search
            log.warning("suggestion failed for %r", q, exc_info=True)
            return None

    def _suggester(self) -> DidYouMean:
        if self._did_you_mean is None:
            self._did_you_mean = DidYouMean(Suggester.from_reader(self.searcher.reader()), self.evaluator)
        return self._did_you_mean

    def site_counts(self) -> dict[str, int]:
        """Live documents per site, most first: the facet columns' count of every document (a grouped
        Whoosh search cost ten times as much on a reader opened after a commit)."""
        if self._site_counts is None:
            self._site_counts = self.facet_columns().count(self.every().docs).site
        return self._site_counts

    def facet_columns(self) -> FacetColumns:
        if self._facet_columns is None:
            self._facet_columns = FacetColumns.from_reader(self.searcher.reader(), self.postings)
        return self._facet_columns

    def close(self) -> None:
        self.postings.clear()
        self.searcher.close()


class LiveReader:
    """The `ReaderState` of the live generation, reopened when the index changed."""

    def __init__(self, index_dir: Path) -> None:
        self._index_dir = Path(index_dir)
        self._lock = threading.RLock()
        self._state: ReaderState | None = None

    def read(self, work: Callable[[ReaderState], T], empty: T) -> T:
        """`work` on the live reader under the lock; `empty` when there is no index.

        A commit or a rebuild may remove files of the generation being read (they vanish
        under an open reader): the work is then retried on a freshly opened reader.
        """
        with self._lock:
            for attempt in range(1, READ_ATTEMPTS + 1):
                try:
                    state = self._current()
                    return empty if state is None else work(state)
                except VANISHED_FILE_ERRORS:
                    if attempt == READ_ATTEMPTS:
                        raise
                    log.warning("index changed during a read; retrying", exc_info=True)
                    self.close()
                    time.sleep(0.02 * attempt)     # let the writer finish renaming its files
            return empty

    def warm(self) -> None:
        """Open the live generation now and build its caches (`ReaderState.warm`)."""
        self.read(lambda state: state.warm(), None)

    def close(self) -> None:
        with self._lock:
            if self._state:
                self._state.close()
                self._state = None

    def _current(self) -> ReaderState | None:
        """The reader of the live generation, refreshed when a commit or a switch happened."""
        generation = live_generation(self._index_dir)
        state = self._state
        if generation is None:
            self.close()
            return None
        try:
            if state is not None and state.generation == generation and state.searcher.up_to_date():
                return state
            # A fresh searcher, not Whoosh's refresh(): refresh() keeps the old reader of a
            # segment whose deletions changed, so updated documents would show twice.
            searcher = whoosh_index.open_dir(str(generation)).searcher(weighting=WEIGHTING())
        except Exception:  # noqa: BLE001 - a generation removed under our feet: keep what we had
            log.warning("cannot open index generation %s", generation, exc_info=True)
            return state
        if state is not None:
            state.close()
        self._state = ReaderState(generation, searcher)
        return self._state
