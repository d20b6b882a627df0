"""Re-ranking the best candidates: title matches, and syllables that stand together in order.

Vietnamese words are one to four syllables separated by spaces, so a document
where the query's syllables are adjacent and in order most likely holds the
words the user meant. The best candidates by BM25 (the top `RERANK_DEPTH`) are
re-scored from the positions of the query's units (`indexer.search.postings`). Common
syllables can bury the document holding the whole sequence deeper, so the
searcher also re-scores the matches where the whole sequence stands
(`sequence_docs`): that check runs on all of them at once, on the terms'
positions decoded whole (`TermPostings.position_keys`), which keeps it cheap on
thousands of matches.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from indexer.analysis.units import Unit
from indexer.search.forms import unit_form
from indexer.search.matching import Hit, sequence_holders, sequence_in_document, sequence_in_positions
from indexer.search.postings import PostingsCache, TermPostings

RERANK_DEPTH = 300
TITLE_WEIGHT = 1.0         # × share of the query's units found in the title
PAIR_WEIGHT = 1.0          # × share of adjacent query pairs found together in title or text
PHRASE_WEIGHT = 2.0        # the whole query sequence in the title or text
TITLE_PHRASE_WEIGHT = 0.5  # ... and once more when it is in the title


def proximity_rerank(postings: PostingsCache, hits: Sequence[Hit], units: Sequence[Unit],
                     exact_tier: bool, candidates: Sequence[Hit] = ()) -> list[Hit]:
    """The hits, the best `RERANK_DEPTH` re-scored (title, adjacency of `units`) and re-sorted.

    `exact_tier` says which tier matched them, hence which form of each unit
    (`indexer.search.forms`) is read. The body fields hold the title too.
    `candidates` (hits too, e.g. the documents holding the whole sequence) are
    re-scored whatever their rank in `hits`.
    """
    hits = list(hits)
    if not units or not hits:
        return hits
    head, tail = _head_and_tail(hits, candidates)
    spans = unit_spans(units)
    body = unit_postings(postings, units, exact_tier)
    title = unit_postings(postings, units, exact_tier, title=True)
    pairs = len(units) - 1
    rescored = []
    for docnum, score in head:
        factor = 1.0 + TITLE_WEIGHT * sum(t is not None and docnum in t for t in title) / len(units)
        if pairs:
            positions = [b.positions(docnum) if b else [] for b in body]
            found = sum(_adjacent(positions[i], positions[i + 1], spans[i]) for i in range(pairs))
            factor += PAIR_WEIGHT * found / pairs
            if found == pairs:           # else no sequence, in the body nor (it is in the body) the title
                factor += PHRASE_WEIGHT * sequence_in_positions(positions, spans)
                factor += TITLE_PHRASE_WEIGHT * sequence_in_document(title, spans, docnum)
        rescored.append((docnum, score * factor))
    rescored.sort(key=lambda hit: -hit[1])
    return rescored + tail


def sequence_docs(postings: PostingsCache, units: Sequence[Unit], exact_tier: bool,
                  docnums: np.ndarray, limit: int | None = None) -> list[int]:
    """The documents of `docnums` (unique) where `units` stand together in order, in the tier's forms.

    In the order of `docnums`, and only the first `limit` of them when given.
    """
    docnums = np.asarray(docnums, dtype=np.int32)
    body = unit_postings(postings, units, exact_tier)
    holding = sequence_holders(body, unit_spans(units), np.sort(docnums))
    return docnums[np.isin(docnums, holding, assume_unique=True)][:limit].tolist()


def unit_postings(postings: PostingsCache, units: Sequence[Unit], exact_tier: bool,
                  title: bool = False) -> list[TermPostings | None]:
    """Each unit's postings in the body (or title) field, in the form the tier reads it in."""
    found = []
    for unit in units:
        form = unit_form(unit, exact_tier)
        found.append(postings.get(form.title_field if title else form.body_field, form.term(unit)))
    return found


def unit_spans(units: Sequence[Unit]) -> list[int]:
    """How many positions each unit takes (a compound: one per part)."""
    return [len(u.parts) or 1 for u in units]


def _head_and_tail(hits: list[Hit], candidates: Sequence[Hit]) -> tuple[list[Hit], list[Hit]]:
    """The hits to re-score (the top `RERANK_DEPTH` and the candidates) and the rest, in order."""
    head = hits[:RERANK_DEPTH]
    if not candidates:
        return head, hits[RERANK_DEPTH:]
    extra = dict(candidates)
    head_docs = {docnum for docnum, _ in head}
    head += [(docnum, score) for docnum, score in extra.items() if docnum not in head_docs]
    return head, [hit for hit in hits[RERANK_DEPTH:] if hit[0] not in extra]


def _adjacent(first: list[int], second: list[int], span: int) -> bool:
    return bool(first and second) and not {p + span for p in first}.isdisjoint(second)
