"""Query units: what the user typed, cut the way the index cuts text.

A unit is one syllable or one compound (`10-CT/TW`, `TP.HCM`) with its exact and
folded forms; a compound also knows its parts, which the index holds at
consecutive positions. Query building and abbreviation matching both work on units.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.analysis.normalize import exact_form, fold, has_diacritics
from indexer.analysis.tokenizer import MAX_TOKEN_CHARS, PART_RE, TOKEN


@dataclass(frozen=True)
class Unit:
    raw: str                       # as typed
    exact: str                     # the indexed exact form of the whole
    folded: str                    # the indexed folded form of the whole
    parts: tuple[str, ...] = ()    # exact forms of a compound's parts; empty for a plain token

    @property
    def accented(self) -> bool:
        """The user typed diacritics (or `đ`) in this unit."""
        return has_diacritics(self.exact)

    @property
    def positions(self) -> tuple[str, ...]:
        """Exact forms one per index position: a compound's parts, else the unit itself."""
        return self.parts or (self.exact,)


def split_units(text: str) -> list[Unit]:
    """The units of a query string, in order; punctuation and symbols are dropped."""
    units = []
    for match in TOKEN.finditer(text):
        raw = match.group()
        exact = exact_form(raw) if len(raw) <= MAX_TOKEN_CHARS else ""
        if not exact:
            continue
        parts = tuple(exact_form(p.group()) for p in PART_RE.finditer(raw))
        units.append(Unit(raw, exact, fold(exact), parts if len(parts) > 1 else ()))
    return units
