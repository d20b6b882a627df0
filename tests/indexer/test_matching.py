"""The array matcher against Whoosh's own searcher, on a real index on disk.

`indexer.search.matching` must find exactly the documents Whoosh finds for the query
trees `indexer.search.query` builds, with Whoosh's BM25F scores — across several
segments, after deletions, and when the postings cache evicts.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage

from indexer.document import Document
from indexer.generations import live_generation
from indexer.schema import BODY, BODY_FOLDED, TITLE
from indexer.search.matching import Matches, QueryEvaluator, sequence_holders, sequence_in_document, union
from indexer.search.postings import PostingsCache
from indexer.writing.writer import open_writer

SYLLABLES = ["đường", "dương", "phố", "phường", "cán", "bộ", "dân", "hòa", "bình", "chợ", "họp", "tổ"]


def article(number: int, rng: random.Random) -> Document:
    words = [rng.choice(SYLLABLES) for _ in range(rng.randint(3, 40))]
    return Document(url=f"https://p.example.vn/tin/{number}", site="p", title=" ".join(words[:3]),
                    text=" ".join(words))


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three commits (three segments) and some documents deleted or replaced in the later ones."""
    path = tmp_path_factory.mktemp("matching")
    rng = random.Random(7)
    for batch in range(3):
        with open_writer(path) as writer:
            for number in range(batch * 40, batch * 40 + 40):
                writer.upsert(article(number, rng))
            if batch:
                for number in rng.sample(range(batch * 40), 10):
                    writer.delete(article(number, rng).id)
                writer.upsert(article(5, rng))
    return path


@pytest.fixture(scope="module")
def searcher(index_dir: Path):
    ix = FileStorage(str(live_generation(index_dir))).open_index()
    assert len(ix.reader().leaf_readers()) > 1 and ix.reader().has_deletions()
    with ix.searcher() as whoosh_searcher:
        yield whoosh_searcher


def whoosh_answer(searcher, query: wq.Query) -> dict[int, float]:
    return {hit.docnum: hit.score for hit in searcher.search(query, limit=None, optimize=False)}


def assert_same(found: Matches, expected: dict[int, float]) -> None:
    assert found.score_map() == pytest.approx(expected)
    assert list(found.docs) == sorted(found.docs)


terms = st.sampled_from(SYLLABLES).map(lambda w: wq.Term(BODY, w))
folded = st.sampled_from(sorted({"duong", "pho", "phuong", "can", "bo", "dan", "hoa", "binh", "cho"}))
phrases = st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=3).map(lambda ws: wq.Phrase(BODY, ws))
leaves = st.one_of(terms, folded.map(lambda w: wq.Term(BODY_FOLDED, w)), phrases)
trees = st.recursive(leaves, lambda children: st.one_of(
    st.lists(children, min_size=2, max_size=4).map(wq.And),
    st.lists(children, min_size=2, max_size=4).map(wq.Or)), max_leaves=6)


@settings(max_examples=150, deadline=None)
@given(query=trees)
def test_every_query_tree_matches_and_scores_as_whoosh(searcher, query: wq.Query) -> None:
    evaluator = QueryEvaluator(searcher, PostingsCache(searcher))
    assert_same(evaluator.matches(query), whoosh_answer(searcher, query))


def test_a_tiny_cache_evicts_and_still_answers_the_same(searcher) -> None:
    cache = PostingsCache(searcher, budget=10)
    evaluator = QueryEvaluator(searcher, cache)
    query = wq.And([wq.Term(BODY, "phố"), wq.Or([wq.Term(BODY, "cán"), wq.Term(BODY, "dân")])])
    for _ in range(3):
        assert_same(evaluator.matches(query), whoosh_answer(searcher, query))
    assert cache._size <= max(len(cache.get(BODY, w)) for w in ("phố", "cán", "dân"))


def test_deleted_documents_are_never_matched(searcher) -> None:
    found = QueryEvaluator(searcher, PostingsCache(searcher)).matches(wq.Term(BODY, "phố")).doc_set()
    assert found and not any(searcher.reader().is_deleted(d) for d in found)


def test_positions_are_those_of_the_document(searcher) -> None:
    cache = PostingsCache(searcher)
    reader = searcher.reader()
    postings = cache.get(BODY, "dân")
    expected = dict(reader.postings(BODY, "dân").items_as("positions"))
    assert set(postings.docs.tolist()) == set(expected)
    for docnum, positions in expected.items():
        assert postings.positions(docnum) == list(positions)
        assert docnum in postings
    assert postings.positions(-1) == [] and -1 not in postings
    postings.decode_positions()                                   # the same, from the positions decoded whole
    assert all(postings.positions(docnum) == list(positions) for docnum, positions in expected.items())


@settings(max_examples=150, deadline=None)
@given(words=st.lists(st.sampled_from(SYLLABLES + ["không-có"]), min_size=1, max_size=4),
       spans=st.lists(st.integers(1, 2), min_size=4, max_size=4), seed=st.integers(0, 1000))
def test_sequences_found_at_once_are_those_found_document_by_document(searcher, words, spans, seed) -> None:
    cache = PostingsCache(searcher)
    lists = [cache.get(BODY, w) for w in words]
    spans = spans[:len(words)]
    every = sorted(searcher.reader().all_doc_ids())
    docs = np.array(sorted(random.Random(seed).sample(every, len(every) // 2)), np.int32)
    expected = [d for d in docs.tolist() if sequence_in_document(lists, spans, d)]
    assert sequence_holders(lists, spans, docs).tolist() == expected
    assert len(expected) or len(words) > 1 or words == ["không-có"]   # one word: every holder of it


def test_unknown_terms_and_fields_match_nothing(searcher) -> None:
    evaluator = QueryEvaluator(searcher, PostingsCache(searcher))
    assert len(evaluator.matches(wq.Term(BODY, "không-có"))) == 0
    assert len(evaluator.matches(wq.Term("no_such_field", "phố"))) == 0
    assert len(evaluator.matches(wq.And([wq.Term(BODY, "phố"), wq.Term(TITLE, "không-có")]))) == 0


def test_other_query_types_are_left_to_whoosh(searcher) -> None:
    evaluator = QueryEvaluator(searcher, PostingsCache(searcher))
    query = wq.Prefix(BODY, "ph")
    assert evaluator.matches(query).doc_set() == set(whoosh_answer(searcher, query))
    assert evaluator.docs(wq.Every()).doc_set() == set(searcher.reader().all_doc_ids())


def test_set_operations_of_matches() -> None:
    a, b = Matches.of([5, 1, 3]), Matches.of([3, 9])
    assert a.without(b).doc_set() == {1, 5}
    assert a.within(b).doc_set() == {3}
    assert union([a, b]).doc_set() == {1, 3, 5, 9}
    ranked = union([Matches.of([2, 1]), Matches.of([2])]).top(5)
    assert [d for d, _ in ranked] == [1, 2] and Matches.none().top(3) == []


@pytest.mark.parametrize("seed", range(5))
def test_top_is_one_order_whatever_how_many_are_asked_for(seed: int) -> None:
    """Score descending, then docnum: the first n of a longer top are the top n (ties at the cut too)."""
    rng = np.random.default_rng(seed)
    scores = np.round(rng.random(1000), 1)                 # many ties
    docs = np.arange(1000, dtype=np.int32) * 3
    matches = Matches(docs, scores)
    expected = sorted(zip(docs.tolist(), scores.tolist(), strict=True), key=lambda hit: (-hit[1], hit[0]))
    for n in (0, 1, 10, 300, 400, 410, 999, 1000, 1200):
        assert matches.top(n) == expected[:n]
