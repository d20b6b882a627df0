"""The array matcher against Whoosh's own searcher, on a real index on disk.

`indexer.search.matching` must find exactly the documents Whoosh finds for the query
trees `indexer.search.query` builds, with Whoosh's BM25F scores — across several
segments, after deletions, and when the postings cache evicts.
"""

from __future__ import annotations

import random
from itertools import accumulate
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import Positions

from indexer.document import Document
from indexer.generations import live_generation
from indexer.schema import BODY, BODY_FOLDED, TITLE
from indexer.search import postings as postings_module
from indexer.search.matching import Matches, QueryEvaluator, union
from indexer.search.postings import POSITION_SHIFT, PostingsCache
from indexer.whoosh_internals.posting_blocks import many_positions_decoder
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


@pytest.mark.parametrize("skim_block", [1, 128])
@settings(max_examples=150, deadline=None)
@given(query=trees)
def test_every_query_tree_matches_and_scores_as_whoosh(searcher, skim_block: int, query: wq.Query) -> None:
    """Whole lists, or (block size 1: whenever a conjunction leaves fewer candidates than a list holds)
    only the candidates' blocks of the later parts of a conjunction: the same answer."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(postings_module, "SKIP_READ_BLOCK", skim_block)
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


@pytest.mark.parametrize("word", SYLLABLES)
def test_position_keys_are_the_positions_whoosh_reads(searcher, word: str) -> None:
    expected = sorted((docnum << POSITION_SHIFT) | position
                      for docnum, positions in searcher.reader().postings(BODY, word).items_as("positions")
                      for position in positions)
    postings = PostingsCache(searcher).get(BODY, word)
    assert postings.keys.tolist() == expected
    assert set(postings.docs.tolist()) == {key >> POSITION_SHIFT for key in expected}


@settings(max_examples=100, deadline=None)
@given(word=st.sampled_from(SYLLABLES), share=st.floats(0.0, 1.0), seed=st.integers(0, 10_000),
       decoded_first=st.booleans())
def test_position_keys_of_some_documents_are_those_of_the_whole_list(
        searcher, word: str, share: float, seed: int, decoded_first: bool) -> None:
    """Few documents: their postings alone are decoded; many: the whole list, kept. Same keys either way,
    and documents outside the list (or the index) add nothing."""
    whole = PostingsCache(searcher).get(BODY, word).keys
    rng = np.random.default_rng(seed)
    universe = np.arange(searcher.doc_count_all() + 3, dtype=np.int32)
    docs = np.sort(rng.choice(universe, size=int(share * len(universe)), replace=False))
    postings = PostingsCache(searcher).get(BODY, word)
    if decoded_first:
        postings.keys                                                # noqa: B018 (decode it whole)
    expected = whole[np.isin(whole >> POSITION_SHIFT, docs)]
    assert postings.keys_in(docs).tolist() == expected.tolist()
    assert postings.keys_in(docs).tolist() == expected.tolist()      # unchanged once decoded or not


@pytest.mark.parametrize("skim_block", [1, 128])
@pytest.mark.parametrize("wanted", [1, 3, 40])
def test_position_keys_read_for_a_few_documents_are_those_of_the_whole_list(
        searcher, monkeypatch: pytest.MonkeyPatch, skim_block: int, wanted: int) -> None:
    """Few documents wanted of a long list: only their blocks are read (block size 1 here: always) and
    the list is not kept; the keys are the same as the whole list's."""
    monkeypatch.setattr(postings_module, "SKIP_READ_BLOCK", skim_block)
    rng = np.random.default_rng(wanted)
    for word in SYLLABLES:
        whole = PostingsCache(searcher).get(BODY, word).keys
        docs = np.sort(rng.choice(searcher.doc_count_all() + 2, size=wanted, replace=False)).astype(np.int32)
        cache = PostingsCache(searcher)
        assert cache.keys(BODY, word, docs).tolist() == whole[np.isin(whole >> POSITION_SHIFT, docs)].tolist()
        skimmed = wanted * skim_block < cache.frequency(BODY, word)
        assert ((BODY, word) in cache._terms) is not skimmed
    assert PostingsCache(searcher).keys(BODY, "không-có", np.array([0, 1], np.int32)).tolist() == []


def test_decoded_positions_count_towards_the_cache_budget(searcher) -> None:
    cache = PostingsCache(searcher)
    postings = cache.get(BODY, "phố")
    assert cache._size == len(postings)
    keys = cache.keys(BODY, "phố")
    assert cache._size == len(postings) + len(keys) // 4 == postings.cost
    small = PostingsCache(searcher, budget=postings.cost - 1)
    small.keys(BODY, "phố")
    small.keys(BODY, "dân")                                  # evicts "phố", keys and all
    assert list(small._terms) == [(BODY, "dân")] and small._size == small._terms[(BODY, "dân")].cost


@settings(max_examples=200, deadline=None)
@given(lists=st.lists(st.lists(st.integers(0, 70_000), min_size=1, max_size=30, unique=True).map(sorted),
                      min_size=1, max_size=40),
       stops=st.lists(st.booleans(), min_size=40, max_size=40))
def test_many_positions_are_decoded_as_whoosh_decodes_each(lists: list[list[int]], stops: list[bool]) -> None:
    """The one-pickle decoder against `Positions.decode_positions`, values with and without a STOP byte."""
    values = [Positions().encode(p) for p in lists]
    values = [v if keep or not v.endswith(b".") else v[:-1] for v, keep in zip(values, stops, strict=False)]
    offsets = list(accumulate(map(len, values), initial=0))
    counts, positions = many_positions_decoder(Positions())(b"".join(values), offsets)
    assert counts.tolist() == [len(p) for p in lists]
    assert positions.tolist() == [q for v in values for q in Positions().decode_positions(v)]


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
