"""Placements of the query's units, computed on position keys, against a plain reading of Whoosh's positions.

`indexer.search.proximity.placements` finds, for every match at once, where the
query's sequence stands best. The reference here reads each document's positions
through Whoosh's own reader and tries every place one document at a time.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.filedb.filestore import FileStorage

from indexer.analysis.units import Unit, split_units
from indexer.document import Document
from indexer.generations import live_generation
from indexer.schema import BODY, BODY_FOLDED
from indexer.search.postings import PostingsCache
from indexer.search.proximity import ANCHORS, placements, unit_offsets
from indexer.writing.writer import open_writer

WORDS = ["đường", "dương", "phố", "phường", "cán", "bộ", "dân", "hòa", "bình", "chợ", "can", "bo", "duong"]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory):
    """Short texts of few syllables (sequences recur by chance), some with clause breaks, in two segments."""
    path: Path = tmp_path_factory.mktemp("proximity")
    rng = random.Random(11)
    for batch in range(2):
        with open_writer(path) as writer:
            for number in range(batch * 60, batch * 60 + 60):
                words = [rng.choice(WORDS) + ("," if rng.random() < 0.1 else "")
                         for _ in range(rng.randint(2, 30))]
                writer.upsert(Document(url=f"https://p.example.vn/{number}", site="p",
                                       title=" ".join(words[:2]), text=" ".join(words)))
    with FileStorage(str(live_generation(path))).open_index().searcher() as whoosh_searcher:
        yield whoosh_searcher


def positions(searcher, field: str, term: str) -> dict[int, set[int]]:
    reader = searcher.reader()
    if (field, term) not in reader:
        return {}
    return {doc: set(found) for doc, found in reader.postings(field, term).items_as("positions")}


def reference(searcher, docs: list[int], units: list[Unit]) -> list[int]:
    """Every document's best place, tried one position at a time (see `placements`)."""
    n = len(units)
    offsets = unit_offsets(units)
    folded = [positions(searcher, BODY_FOLDED, u.folded) for u in units]
    exact = [positions(searcher, BODY, u.exact) for u in units]
    accents = any(u.accented for u in units)
    anchors = sorted(range(n), key=lambda i: sum(len(p) for p in folded[i].values()))
    levels = []
    for doc in docs:
        tried = [a for number, a in enumerate(anchors)       # the rarest, or the first the document holds
                 if number < ANCHORS or not any(doc in folded[b] for b in anchors[:number])]
        best = 0
        for anchor in tried:
            for position in folded[anchor].get(doc, ()):
                place = position - offsets[anchor]
                best = max(best, level_at(place, doc, units, offsets, folded, exact if accents else None))
        levels.append(best)
    return levels


def level_at(place: int, doc: int, units: list[Unit], offsets: list[int], folded, exact) -> int:
    n = len(units)
    at = [place + offsets[i] in folded[i].get(doc, ()) for i in range(n)]
    near = [any(place + offsets[i] + d in folded[i].get(doc, ()) for d in (-1, 0, 1)) for i in range(n)]
    whole = all(at)
    typed = [whole and exact is not None and place + offsets[i] in exact[i].get(doc, ()) for i in range(n)]
    kept = whole and all(typed[i] for i in range(n) if units[i].accented)
    parts = [sum(near) * 60 // n, sum(at) * 60 // n, sum(typed) * 60 // n]
    level = (int(kept) << 6) | int(whole)
    for part in parts:
        level = (level << 6) | part
    return level


queries = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(query=queries)
def test_placements_are_those_found_one_document_at_a_time(searcher, query: str) -> None:
    units = split_units(query)
    docs = sorted({d for u in units for d in positions(searcher, BODY_FOLDED, u.folded)})
    found = placements(PostingsCache(searcher), np.array(docs, dtype=np.int32), units)
    assert found.tolist() == reference(searcher, docs, units)


def test_a_document_holding_none_of_the_units_has_no_place(searcher) -> None:
    units = split_units("phố chợ")
    assert placements(PostingsCache(searcher), np.array([0, 1, 2], dtype=np.int32), split_units("không-có")) \
        .tolist() == [0, 0, 0]
    assert placements(PostingsCache(searcher), np.empty(0, np.int32), units).tolist() == []
