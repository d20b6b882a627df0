"""Where the query's syllables stand in each match: the first thing relevance ranking compares.

Vietnamese words are one to four syllables separated by spaces, so a document
where the query's syllables stand together, in order, most likely holds the
words the user meant, and one where they nearly do (a syllable left out, two
swapped, one typed too many) comes next, however common the syllables are and
whatever BM25 says of the rest. `placements` gives every match one integer,
compared before any score; from the most to the least significant part:

1. the whole sequence, every word typed with diacritics in exactly that form
   (a single word: the document holds its exact form);
2. the whole sequence, folded (a mark typed wrong or left out costs this much);
3. how many units stand within one position of their place in the sequence;
4. how many stand exactly at their place;
5. how many stand there in exactly the form typed (when any diacritics were typed).

Counts are compared as shares of the query's units; the best place in the
document counts. Places are found on all matches at once from position keys
(`PostingsCache.keys`): the two rarest units give the candidate places, and
each unit is looked up there with array searches — no per-document decoding,
whatever the number of matches. The score (BM25 times a
title bonus) orders matches of equal placement.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate

import numpy as np

from indexer.analysis.units import Unit
from indexer.schema import BODY, BODY_FOLDED, TITLE_FOLDED
from indexer.search.matching import Hit, Matches
from indexer.search.postings import POSITION_SHIFT, PostingsCache, holds_keys

TITLE_WEIGHT = 1.0           # × share of the query's units found in the title
TITLE_PHRASE_WEIGHT = 0.5    # the whole sequence in the title
ANCHORS = 2                  # the rarest units whose positions are tried as the sequence's place
_BITS = 6                    # per part of a placement
_SHARE = 60                  # counts of units are compared as shares of the query: 0 to 60


def rank(postings: PostingsCache, matches: Matches, variants: Sequence[Sequence[Unit]],
         depth: int) -> list[Hit]:
    """The best `depth` matches: by placement of the query's units, then by score times the title bonus.

    `variants` are the query's units as typed and in other forms (an abbreviation's
    long form): each document is placed by the variant that stands best in it. The
    order is the same whatever `depth` (ties broken by document number), so pages
    never repeat or skip a document.
    """
    variants = [v for v in variants if v]
    if not len(matches) or depth <= 0:
        return []
    if not variants:
        return matches.top(depth)
    levels = np.max([placements(postings, matches.docs, v) for v in variants], axis=0)
    factors = np.max([title_factor(postings, matches.docs, v) for v in variants], axis=0)
    scores = matches.scores * factors
    order = np.lexsort((matches.docs, -scores, -levels))[:depth]
    return list(zip(matches.docs[order].tolist(), scores[order].tolist(), strict=True))


def placements(postings: PostingsCache, docs: np.ndarray, units: Sequence[Unit],
               fields: tuple[str, str | None] = (BODY_FOLDED, BODY)) -> np.ndarray:
    """How well `units` stand in each of `docs` (sorted docnums), as comparable integers (see module doc).

    `fields` are the folded and the exact field looked in (no exact field: exact forms are not
    compared). The places tried are where one of the `ANCHORS` rarest units stands, and for a
    document holding neither, where the rarest unit it holds stands.
    """
    levels = np.zeros(len(docs), np.int64)
    if not len(docs) or not units:
        return levels
    folded_field, exact_field = fields
    offsets = unit_offsets(units)
    folded = [postings.keys(folded_field, u.folded, docs) for u in units]
    exact_field = exact_field if any(u.accented for u in units) else None
    placed = np.zeros(len(docs), bool)
    for number, anchor in enumerate(sorted(range(len(units)), key=lambda i: len(folded[i]))):
        keys = _keys_within(folded[anchor], docs if number < ANCHORS else docs[~placed])
        if not len(keys):
            continue
        owners = keys >> POSITION_SHIFT
        level = _levels(keys - offsets[anchor], units, offsets, folded, postings, exact_field)
        first = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
        where = np.searchsorted(docs, owners[first])
        levels[where] = np.maximum(levels[where], np.maximum.reduceat(level, first))
        placed[where] = True
        if placed.all() and number + 1 >= ANCHORS:
            break
    return levels


def title_factor(postings: PostingsCache, docs: np.ndarray, units: Sequence[Unit]) -> np.ndarray:
    """1 + TITLE_WEIGHT × the share of units in the title, + TITLE_PHRASE_WEIGHT when all stand there."""
    shares = np.zeros(len(docs))
    for unit in units:
        found = postings.get(TITLE_FOLDED, unit.folded)
        if found is not None:
            shares += np.isin(docs, found.docs, assume_unique=True)
    factor = 1.0 + TITLE_WEIGHT * shares / len(units)
    if len(units) > 1:
        whole = placements(postings, docs, units, fields=(TITLE_FOLDED, None)) >> (3 * _BITS)
        factor += TITLE_PHRASE_WEIGHT * (whole > 0)
    return factor


def unit_offsets(units: Sequence[Unit]) -> list[int]:
    """Each unit's first position in the query's sequence (a compound takes one per part)."""
    return list(accumulate((len(u.parts) or 1 for u in units), initial=0))[:-1]


def _levels(places: np.ndarray, units: Sequence[Unit], offsets: Sequence[int], folded: list[np.ndarray],
            postings: PostingsCache, exact_field: str | None) -> np.ndarray:
    """The placement of the query sequence starting at each key of `places`."""
    near = np.zeros(len(places), np.int64)
    at_place = np.zeros(len(places), np.int64)
    for i in range(len(units)):
        here, close = _stands(folded[i], places + offsets[i])
        at_place += here
        near += close
    whole = at_place == len(units)
    exactly = np.zeros(len(places), np.int64)
    accents_kept = whole.copy()
    if exact_field is not None and whole.any():          # exact forms only matter where all stand
        starts = places[whole]
        owners = np.unique(starts >> POSITION_SHIFT)
        typed = np.zeros(len(starts), np.int64)
        kept = np.ones(len(starts), bool)
        for i, unit in enumerate(units):
            here = holds_keys(postings.keys(exact_field, unit.exact, owners), starts + offsets[i])
            typed += here
            if unit.accented:
                kept &= here
        exactly[whole] = typed
        accents_kept[whole] = kept
    level = ((accents_kept.astype(np.int64) << _BITS) | whole)
    for count in (near, at_place, exactly):          # shares, so that variants of other lengths compare
        level = (level << _BITS) | (count * _SHARE // len(units))
    return level


def _stands(keys: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which targets are among `keys` (sorted), and which have a key at most one position away."""
    if not len(keys):
        nothing = np.zeros(len(targets), bool)
        return nothing, nothing
    found = np.minimum(np.searchsorted(keys, targets - 1), len(keys) - 1)
    nearest = keys[found]
    following = keys[np.minimum(found + 1, len(keys) - 1)]
    here = (nearest == targets) | ((nearest == targets - 1) & (following == targets))
    close = (nearest >= targets - 1) & (nearest <= targets + 1)
    return here, close


def _keys_within(keys: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """The keys (sorted) of positions in `docs` (sorted docnums)."""
    if not len(keys) or not len(docs):
        return keys[:0]
    owners = keys >> POSITION_SHIFT
    found = np.minimum(np.searchsorted(docs, owners), len(docs) - 1)
    return keys[docs[found] == owners]
