"""Words typed with the input method off, searched as what their keys spell when the index says so.

`tieengs` is in no document and `tiếng` in thousands: a query word whose Telex or VNI
reading (`indexer.analysis.keystrokes`) the index holds far more often than the word
as typed is searched as that reading, and the reading is what the page suggests.
A word the index knows as typed (`taxi`, `bus`) stays as typed. When the reading's
exact form is unknown but its folded form is common (`ddaang` reads `đâng`, a typo
for `đang` or `đảng`), the folded form is searched.
"""

from __future__ import annotations

import re
from dataclasses import replace

from indexer.analysis.keystrokes import from_keystrokes
from indexer.analysis.normalize import fold
from indexer.analysis.units import Unit, split_units
from indexer.schema import BODY, BODY_FOLDED
from indexer.search.postings import PostingsCache
from indexer.search.query import ParsedQuery

READING_MARGIN = 20      # a reading is searched when this many times more documents hold it than the word


def read_keystrokes(parsed: ParsedQuery, postings: PostingsCache) -> tuple[ParsedQuery, dict[str, str]]:
    """The query with words typed as keystrokes replaced by their readings, and what was replaced."""
    readings: dict[str, str] = {}

    def read_all(units: list[Unit]) -> list[Unit]:
        read = [_reading(u, postings) for u in units]
        readings.update((u.raw, r.raw) for u, r in zip(units, read, strict=True) if r is not u)
        return read

    parsed = replace(parsed, words=read_all(parsed.words), phrases=[read_all(p) for p in parsed.phrases],
                     excluded=[read_all(p) for p in parsed.excluded])
    return parsed, readings


def read_text(text: str, readings: dict[str, str]) -> str:
    """`text` with each word that was read as keystrokes written as its reading."""
    if not readings:
        return text
    typed = "|".join(map(re.escape, sorted(readings, key=len, reverse=True)))
    words = re.compile(rf"(?<!\w)({typed})(?!\w)")
    return words.sub(lambda match: readings[match.group(1)], text)


def _reading(unit: Unit, postings: PostingsCache) -> Unit:
    if unit.parts or unit.accented:
        return unit                                   # typed with marks, or a code such as `10-CT/TW`
    spelled = from_keystrokes(unit.raw)
    if spelled is None:
        return unit
    typed = postings.frequency(BODY_FOLDED, unit.folded)
    exact, folded = split_units(spelled)[0], split_units(fold(spelled))[0]
    for reading, field, term in ((exact, BODY, exact.exact), (folded, BODY_FOLDED, folded.folded)):
        if postings.frequency(field, term) > READING_MARGIN * typed:
            return reading
    return unit

