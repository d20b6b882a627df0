"""From what a user typed to a Whoosh query that ranks the way Vietnamese readers expect.

The syntax is deliberately small: words, `"quoted phrases"`, and `-word` /
`-"phrase"` to exclude. Everything else (AND, OR, `field:`, `*`, brackets, stray
quotes, control characters, emoji) is just text, so no input can be a syntax error.

Matching comes in two tiers (`indexer.search.tiers` runs them; `indexer.search.forms`
says which form each reads): units typed with diacritics match their exact forms
first (`đường`), and in folded form (`dương`, `duong`) only below those; units
typed without diacritics match folded forms. Matching uses the body fields, which
hold the title too, one field per word: what keeps queries fast. Abbreviations are
expanded both ways (`UBND` ↔ `Ủy ban nhân dân`). The title's extra weight and the
proximity bonus (syllables standing together in order) are applied by
`indexer.search.proximity` on the best candidates. The request's site, category and
date range become a filter query (`filter_query`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from whoosh import query as wq

from indexer.analysis.abbreviations import Abbreviations
from indexer.analysis.normalize import nfc
from indexer.analysis.units import Unit, split_units
from indexer.schema import CATEGORY, DATE, SITE
from indexer.search.forms import Form, phrase_form, unit_form
from indexer.search.request import SearchRequest

MAX_QUERY_CHARS = 2000     # of raw input looked at; the rest is ignored
MAX_UNITS = 32             # units kept over the whole query

_CHUNKS = re.compile(r'(-)?"([^"]*)"|(-)?([^\s"]+)')
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn"})


@dataclass
class ParsedQuery:
    """The parts of a query string, as units cut the way the index cuts text."""

    words: list[Unit] = field(default_factory=list)              # free words, in order
    phrases: list[list[Unit]] = field(default_factory=list)      # "quoted phrases"
    excluded: list[list[Unit]] = field(default_factory=list)     # -word, -"phrase"

    @property
    def has_positive(self) -> bool:
        return bool(self.words or self.phrases)


def clean_query(text: str) -> str:
    """The query as NFC text without control characters, surrogates or unassigned code points."""
    text = nfc((text or "")[:MAX_QUERY_CHARS])
    return "".join(" " if unicodedata.category(c) in _INVISIBLE_CATEGORIES else c for c in text)


def parse_query(text: str) -> ParsedQuery:
    """Split a user's query into free words, quoted phrases and exclusions."""
    parsed = ParsedQuery()
    budget = MAX_UNITS
    for match in _CHUNKS.finditer(clean_query(text)):
        negated = bool(match.group(1) or match.group(3))
        quoted = match.group(2) is not None
        units = split_units(match.group(2) if quoted else match.group(4))[:budget]
        if not units:
            continue
        budget -= len(units)
        if negated:
            parsed.excluded.append(units)
        elif quoted:
            parsed.phrases.append(units)
        else:
            parsed.words.extend(units)
        if budget <= 0:
            break
    return parsed


def build_query(parsed: ParsedQuery, abbreviations: Abbreviations, exact_tier: bool,
                match_all: bool = True) -> wq.Query:
    """The Whoosh query of the positive parts (exclusions go to `exclusion_query`).

    `exact_tier=True` is the first tier: units typed with diacritics must match their
    exact forms. `exact_tier=False` matches every unit in folded form: everything the
    query finds at all. `match_all=False` asks for any free word instead of all.
    """
    required = [phrase_query(units) for units in parsed.phrases]
    if parsed.words:
        required.append(_free_query(parsed.words, abbreviations, exact_tier, match_all))
    return wq.And(required) if len(required) > 1 else required[0] if required else wq.Every()


def word_variants(parsed: ParsedQuery, abbreviations: Abbreviations) -> list[list[Unit]]:
    """The free words as typed, then once with each abbreviation written in each of its other forms."""
    variants = [parsed.words]
    for expansion in abbreviations.expansions(parsed.words):
        for alternative in expansion.alternatives:
            if units := split_units(alternative):
                variants.append([*parsed.words[:expansion.start], *units, *parsed.words[expansion.end:]])
    return variants


def has_accented_words(parsed: ParsedQuery) -> bool:
    """True when some free word was typed with diacritics: the exact tier then ranks first."""
    return any(u.accented for u in parsed.words)


def exclusion_query(parsed: ParsedQuery) -> wq.Query | None:
    """Documents to leave out (`-word`, `-"phrase"`), or None: the search's mask."""
    return wq.Or([phrase_query(units) for units in parsed.excluded]) if parsed.excluded else None


def phrase_query(units: list[Unit]) -> wq.Query:
    """Exactly this sequence: on exact forms when typed with diacritics, else on folded forms."""
    return sequence_query(units, phrase_form(units))


def alternative_query(text: str) -> wq.Query | None:
    """Another form of the same thing (an abbreviation's long form), as a phrase.

    Long forms are written with their diacritics, so they match exact forms: more
    precise than folded forms, and much faster on common syllables.
    """
    units = split_units(text)
    return phrase_query(units) if units else None


def unit_query(unit: Unit, exact_tier: bool) -> wq.Query:
    """One unit in the document (title included), in the form the tier reads it in."""
    return sequence_query([unit], unit_form(unit, exact_tier))


def filter_query(request: SearchRequest) -> wq.Query | None:
    """The documents of the request's site, category and publication dates (both ends included),
    or None: all."""
    clauses: list[wq.Query] = []
    if request.site:
        clauses.append(wq.Term(SITE, request.site))
    if request.category:
        clauses.append(wq.Term(CATEGORY, request.category))
    if request.date_from or request.date_to:
        start = datetime.combine(request.date_from, datetime.min.time()) if request.date_from else None
        end = datetime.combine(request.date_to, datetime.max.time()) if request.date_to else None
        clauses.append(wq.DateRange(DATE, start, end))
    return wq.And(clauses) if clauses else None


def _free_query(units: list[Unit], abbreviations: Abbreviations, exact_tier: bool,
                match_all: bool) -> wq.Query:
    clauses: list[wq.Query] = []
    index = 0
    for expansion in abbreviations.expansions(units):
        clauses.extend(unit_query(u, exact_tier) for u in units[index: expansion.start])
        span = units[expansion.start: expansion.end]
        typed = unit_query(span[0], exact_tier) if len(span) == 1 else \
            wq.And([unit_query(u, exact_tier) for u in span])
        alternatives = [q for q in map(alternative_query, expansion.alternatives) if q is not None]
        clauses.append(wq.Or([typed, *alternatives]))
        index = expansion.end
    clauses.extend(unit_query(u, exact_tier) for u in units[index:])
    if len(clauses) == 1:
        return clauses[0]
    return wq.And(clauses) if match_all else wq.Or(clauses)


def sequence_query(units: list[Unit], form: Form) -> wq.Query:
    """Units in this order and adjacent; a compound matches whole or as its parts in sequence."""
    if len(units) == 1 and not units[0].parts:
        return wq.Term(form.body_field, form.term(units[0]))
    phrase = wq.Phrase(form.body_field, form.position_terms(units))
    if len(units) == 1:
        return wq.Or([wq.Term(form.body_field, form.term(units[0])), phrase])
    return phrase
