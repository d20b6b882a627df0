"""Date listings sorted from the date columns against Whoosh's sorted collector, the path they replace.

On a real index on disk with several segments, deletions, copies of one article on other sites,
undated documents and many documents sharing a date: the same documents in the same order on
every page, the same totals, for any query, filter and date order.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from whoosh import query as wq
from whoosh import sorting

from indexer.analysis.abbreviations import load_abbreviations
from indexer.document import Document
from indexer.schema import DATE, UNDATED
from indexer.search.query import build_query, exclusion_query, has_accented_words, parse_query
from indexer.search.reader import LiveReader, ReaderState
from indexer.search.request import SearchRequest
from indexer.search.tiers import EXACT_ENOUGH, ranked
from indexer.writing.writer import open_writer

SYLLABLES = ["đường", "phố", "phường", "cán", "bộ", "dân", "hòa", "bình", "chợ", "họp", "tổ", "văn", "hóa"]
SITES = ["ben-nghe", "da-kao", "tan-dinh"]
DAYS = [date(2023, 1, 5), date(2023, 1, 20), date(2023, 2, 1), date(2023, 3, 3), date(2024, 1, 1), None]
QUERIES = ["", "phố", "pho", "phường", "phuong dan", "đường phố", "\"cán bộ\"", "-chợ", "hòa -bình",
           "văn hóa", "van hoa to", "chợ họp dân"]


def article(number: int, rng: random.Random, text: str | None = None, site: str | None = None) -> Document:
    words = text or " ".join(rng.choice(SYLLABLES) for _ in range(rng.randint(4, 60)))
    return Document(url=f"https://{site or rng.choice(SITES)}.example.vn/tin/{number}",
                    site=site or rng.choice(SITES), title=" ".join(words.split()[:4]), text=words,
                    date=rng.choice(DAYS), category=rng.choice(["Tin tức", "Thông báo", None]))


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory):
    """Three commits (three segments), documents deleted or replaced, and articles with copies."""
    path = tmp_path_factory.mktemp("date-order")
    rng = random.Random(11)
    shared = [" ".join(rng.choice(SYLLABLES) for _ in range(300)) for _ in range(4)]
    written: list[Document] = []
    for batch in range(3):
        with open_writer(path) as writer:
            for number in range(batch * 60, batch * 60 + 60):
                copy = number % 15 == 0
                site = SITES[number % 3] if copy else None
                written.append(article(number, rng, shared[number % 4] if copy else None, site))
                writer.upsert(written[-1])
            if batch:
                for doc in rng.sample(written[:batch * 60], 12):
                    writer.delete(doc.id)
    live = LiveReader(path)
    yield live
    live.close()


def stock_ranking(state: ReaderState, q: str, request: SearchRequest) -> tuple[set[int], list[int]]:
    """The replaced path: Whoosh's sorted collector on every match, copies and exclusions masked."""
    abbreviations = load_abbreviations({})
    parsed = parse_query(q)
    folded = build_query(parsed, abbreviations, exact_tier=False)
    exact = build_query(parsed, abbreviations, exact_tier=True) if has_accented_words(parsed) else None
    mask = exclusion_query(parsed)
    newest = request.sort != "oldest"
    facet = sorting.MultiFacet([sorting.FieldFacet(UNDATED), sorting.FieldFacet(DATE, reverse=newest)])
    allowed = state.filter_docs(request)
    if allowed is not None and not len(allowed):
        return set(), []

    def search(query: wq.Query):
        evaluator = state.evaluator
        matches = evaluator.docs(query)
        excluded = evaluator.docs(mask) if mask is not None else None
        matches = matches if excluded is None else matches.without(excluded)
        shown = matches if allowed is None else matches.within(allowed)
        copies = set(np.setdiff1d(shown.docs, state.clusters.collapse(shown).docs).tolist())
        masked = copies | (excluded.doc_set() if excluded is not None else set()) if copies else mask
        collector = state.searcher.collector(optimize=False, limit=request.page * request.per_page,
                                             sortedby=facet, mask=masked,
                                             filter=None if allowed is None else allowed.doc_set())
        inner = collector
        while hasattr(inner, "child"):
            inner = inner.child
        inner.replace = 0                  # every match, as the stock path collected them
        state.searcher.search_with_collector(query, collector)
        return collector.results()

    results = search(exact) if exact is not None else None
    if results is None or len(results) < EXACT_ENOUGH:
        results = search(folded)
    return set(results.docs()), [hit.docnum for hit in results]


def requests(rng: random.Random) -> list[tuple[str, SearchRequest]]:
    found = []
    for q in QUERIES:
        for _ in range(6):
            start = rng.choice([None, date(2023, 1, 5), date(2023, 2, 1)])
            end = rng.choice([None, date(2023, 1, 20), date(2024, 1, 1)])
            if start and end and start > end:
                start, end = end, start
            found.append((q, SearchRequest(q=q, page=rng.choice([1, 2, 3]), per_page=rng.choice([5, 10, 100]),
                                           site=rng.choice([None, *SITES]), date_from=start, date_to=end,
                                           sort=rng.choice(["newest", "oldest"]),
                                           category=rng.choice([None, None, "Tin tức"]))))
    return found


def test_the_index_has_what_the_comparison_needs(reader):
    def check(state: ReaderState) -> None:
        assert len(state.searcher.reader().leaf_readers()) > 1 and state.searcher.reader().has_deletions()
        assert state.clusters.any
        undated = sum(1 for stored in state.searcher.documents() if not stored.get(DATE))
        assert 0 < undated < state.searcher.doc_count()

    reader.read(check, None)


def test_date_listings_equal_the_sorted_collector(reader):
    abbreviations = load_abbreviations({})

    def compare(state: ReaderState) -> int:
        compared = 0
        for q, request in requests(random.Random(5)):
            ranking = ranked(state, parse_query(q), request, abbreviations)
            matched, listed = stock_ranking(state, q, request)
            assert set(ranking.matched.tolist()) == matched and ranking.total == len(matched), (q, request)
            assert [docnum for docnum, _ in ranking.hits] == listed, (q, request)
            compared += len(listed)
        return compared

    assert reader.read(compare, 0) > 1000           # the comparison saw many listed documents


def test_an_empty_query_sorted_by_relevance_is_a_date_listing(reader):
    request = SearchRequest(q="", sort="relevance", per_page=100)

    def both(state: ReaderState) -> tuple[list[int], list[int]]:
        hits = ranked(state, parse_query(""), request, load_abbreviations({})).hits
        return [d for d, _ in hits], stock_ranking(state, "", replace(request, sort="newest"))[1]

    ours, stock = reader.read(both, ([], []))
    assert ours == stock and len(ours) == 100
