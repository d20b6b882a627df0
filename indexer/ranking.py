"""Re-ranking the best candidates: title matches, and syllables that stand together in order.

Vietnamese words are one to four syllables separated by spaces, so a document
where the query's syllables are adjacent and in order most likely holds the
words the user meant. Whoosh's phrase matchers would check positions in every
candidate document, which is slow on common syllables; instead the best
candidates by BM25 (the top `RERANK_DEPTH`) are re-scored here from the
position postings of the query's units. Common syllables can bury the document
holding the whole sequence deeper, so the searcher adds up to `RERANK_DEPTH`
such documents found by a phrase search: the one place that pays Whoosh's
position checks, only when there are more matches than candidates.
"""

from __future__ import annotations

from collections.abc import Sequence

from whoosh.reading import IndexReader, TermNotFound

from indexer.analysis.units import Unit
from indexer.schema import BODY, BODY_FOLDED, TITLE, TITLE_FOLDED

RERANK_DEPTH = 300
TITLE_WEIGHT = 1.0         # × share of the query's units found in the title
PAIR_WEIGHT = 1.0          # × share of adjacent query pairs found together in title or text
PHRASE_WEIGHT = 2.0        # the whole query sequence in the title or text
TITLE_PHRASE_WEIGHT = 0.5  # ... and once more when it is in the title

Hit = tuple[int, float]    # (document number, score)


def proximity_rerank(reader: IndexReader, hits: Sequence[Hit], units: Sequence[Unit],
                     exact: bool, candidates: Sequence[Hit] = ()) -> list[Hit]:
    """The hits, the best `RERANK_DEPTH` re-scored (title, adjacency of `units`) and re-sorted.

    `exact` says which forms the tier matched: exact forms of units typed with
    diacritics, else folded forms. The body fields hold the title too.
    `candidates` (hits too, e.g. the documents holding the whole sequence) are
    re-scored whatever their rank in `hits`.
    """
    hits = list(hits)
    if not units or not hits:
        return hits
    head, tail = _head_and_tail(hits, candidates)
    docnums = sorted(docnum for docnum, _ in head)
    spans = [len(u.parts) or 1 for u in units]
    body = [_positions(reader, BODY if exact and u.marked else BODY_FOLDED, _term(u, exact), docnums)
            for u in units]
    title = [_positions(reader, TITLE if exact and u.marked else TITLE_FOLDED, _term(u, exact), docnums)
             for u in units]
    pairs = len(units) - 1
    rescored = []
    for docnum, score in head:
        factor = 1.0 + TITLE_WEIGHT * sum(docnum in t for t in title) / len(units)
        if pairs:
            found = sum(_adjacent(body[i].get(docnum), body[i + 1].get(docnum), spans[i])
                        for i in range(pairs))
            factor += PAIR_WEIGHT * found / pairs
            factor += PHRASE_WEIGHT * _sequence(body, spans, docnum)
            factor += TITLE_PHRASE_WEIGHT * _sequence(title, spans, docnum)
        rescored.append((docnum, score * factor))
    rescored.sort(key=lambda hit: -hit[1])
    return rescored + tail


def _head_and_tail(hits: list[Hit], candidates: Sequence[Hit]) -> tuple[list[Hit], list[Hit]]:
    """The hits to re-score (the top `RERANK_DEPTH` and the candidates) and the rest, in order."""
    head = hits[:RERANK_DEPTH]
    if not candidates:
        return head, hits[RERANK_DEPTH:]
    extra = dict(candidates)
    head_docs = {docnum for docnum, _ in head}
    head += [(docnum, score) for docnum, score in extra.items() if docnum not in head_docs]
    return head, [hit for hit in hits[RERANK_DEPTH:] if hit[0] not in extra]


def _term(unit: Unit, exact: bool) -> str:
    """The term at a unit's first position: its exact or folded whole."""
    return unit.exact if exact and unit.marked else unit.folded


def _positions(reader: IndexReader, fieldname: str, term: str, docnums: list[int]) -> dict[int, set[int]]:
    """Positions of `term` in each of `docnums` (sorted) that holds it."""
    try:
        matcher = reader.postings(fieldname, term)
    except TermNotFound:
        return {}
    found: dict[int, set[int]] = {}
    for docnum in docnums:
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
            if not matcher.is_active():
                break
        if matcher.id() == docnum:
            found[docnum] = set(matcher.value_as("positions"))
    return found


def _adjacent(first: set[int] | None, second: set[int] | None, span: int) -> bool:
    return bool(first and second) and any(p + span in second for p in first)


def _sequence(positions: list[dict[int, set[int]]], spans: list[int], docnum: int) -> bool:
    """True when every unit follows the previous one directly, somewhere in the document."""
    current = positions[0].get(docnum)
    for index in range(1, len(positions)):
        following = positions[index].get(docnum)
        if not current or not following:
            return False
        current = {p + spans[index - 1] for p in current} & following
    return bool(current)
