"""Which form of a query unit is read: the one rule that query building and ranking share.

The index holds every text twice (`indexer.schema`): exact forms in `title` and
`body`, folded forms (no diacritics) in `title_folded` and `body_folded`. A
search by date runs in up to two tiers: in the exact tier a unit typed with
diacritics is read in its exact form and every other unit folded; in the folded
tier every unit is read folded (by relevance, matches are the folded tier's, and
exact forms weigh in their order). A quoted phrase is read whole: in exact forms
when any of its units was typed with diacritics, else folded."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from indexer.analysis.normalize import fold
from indexer.analysis.units import Unit
from indexer.schema import BODY, BODY_FOLDED, TITLE, TITLE_FOLDED


class Form(Enum):
    """The exact or the folded form of units: which fields and which terms hold them."""

    EXACT = "exact"
    FOLDED = "folded"

    @property
    def body_field(self) -> str:
        """The field to match in (it holds the title too)."""
        return BODY if self is Form.EXACT else BODY_FOLDED

    @property
    def title_field(self) -> str:
        """The title alone, for the title bonus of re-ranking."""
        return TITLE if self is Form.EXACT else TITLE_FOLDED

    def term(self, unit: Unit) -> str:
        """The term at the unit's first position: its whole, in this form."""
        return unit.exact if self is Form.EXACT else unit.folded

    def position_terms(self, units: Sequence[Unit]) -> list[str]:
        """The terms of the units one per index position (a compound: its parts), in this form."""
        if self is Form.EXACT:
            return [p for u in units for p in u.positions]
        return [fold(p) for u in units for p in u.positions]


def unit_form(unit: Unit, exact_tier: bool) -> Form:
    """The form a tier reads a free word in: exact only in the exact tier, and only when typed so."""
    return Form.EXACT if exact_tier and unit.accented else Form.FOLDED


def phrase_form(units: Sequence[Unit]) -> Form:
    """The form a quoted phrase is read in, whatever the tier."""
    return Form.EXACT if any(u.accented for u in units) else Form.FOLDED
