"""Abbreviations of public administration, matched both ways at query time.

`UBND` in a query also finds `Ủy ban nhân dân`, and the long form also finds
`UBND`. Expansion happens when the query is built, never in the index, so the
administrator's additions (`[search.abbreviations]` in config.toml) apply without
a re-index. The bundled list is `indexer/data/abbreviations.toml`.

Forms are compared unit by unit in folded form (`uy ban nhan dan` matches too). A
short form that is also an ordinary syllable (`CAP` ~ `cấp`) counts only when the
query writes it in capitals.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from indexer.analysis.normalize import folded_form, is_syllable
from indexer.analysis.units import Unit, split_units

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "abbreviations.toml"
NUMBER_SLOT = "{n}"
MAX_SPAN = 8      # no form is longer than this many units


@dataclass(frozen=True)
class Expansion:
    """Units [start, end) of the query mean the same as each of `alternatives`."""

    start: int
    end: int
    alternatives: tuple[str, ...]


@dataclass(frozen=True)
class _Pattern:
    """A numbered form, such as `Q.{n}`: one regular expression per unit."""

    keys: tuple[re.Pattern, ...]
    group: tuple[str, ...]         # every form of the group, with the {n} slot


@dataclass
class Abbreviations:
    """Groups of equivalent forms, indexed by their folded unit keys."""

    _groups: dict[tuple[str, ...], int] = field(default_factory=dict)
    _forms: list[list[str]] = field(default_factory=list)
    _capitals_only: set[tuple[str, ...]] = field(default_factory=set)
    _patterns: list[_Pattern] = field(default_factory=list)

    def add(self, short: str, longs: Sequence[str]) -> None:
        """Make `short` and every one of `longs` equivalent (merging groups they already belong to)."""
        forms = [f for f in (short, *longs) if _key(f)]
        if len(forms) < 2:
            return
        if NUMBER_SLOT in short:
            self._patterns.append(_Pattern(_pattern_keys(short), tuple(forms)))
            for long in longs:
                self._patterns.append(_Pattern(_pattern_keys(long), tuple(forms)))
            return
        groups = sorted({self._groups[_key(f)] for f in forms if _key(f) in self._groups})
        target = groups[0] if groups else len(self._forms)
        if not groups:
            self._forms.append([])
        for other in groups[1:]:                       # merge groups sharing a form
            self._forms[target].extend(self._forms[other])
            self._forms[other] = []
        for form in forms:
            if form not in self._forms[target]:
                self._forms[target].append(form)
        for form in self._forms[target]:
            self._groups[_key(form)] = target
        if len(_key(short)) == 1 and is_syllable(short):
            self._capitals_only.add(_key(short))

    def expansions(self, units: Sequence[Unit]) -> list[Expansion]:
        """Non-overlapping spans of `units` that are a known form, longest first, left to right."""
        found = []
        index = 0
        while index < len(units):
            expansion = self._match_at(units, index)
            if expansion:
                found.append(expansion)
                index = expansion.end
            else:
                index += 1
        return found

    def _match_at(self, units: Sequence[Unit], index: int) -> Expansion | None:
        for size in range(min(MAX_SPAN, len(units) - index), 0, -1):
            span = units[index: index + size]
            key = tuple(u.folded for u in span)
            group = self._groups.get(key)
            if group is None:
                continue
            if key in self._capitals_only and not span[0].raw.isupper():
                continue
            return Expansion(index, index + size, _distinct(self._forms[group], key))
        for pattern in self._patterns:
            expansion = _match_pattern(pattern, units, index)
            if expansion:
                return expansion
        return None


@lru_cache(maxsize=4096)
def _key(form: str) -> tuple[str, ...]:
    return tuple(u.folded for u in split_units(form))


def _pattern_keys(form: str) -> tuple[re.Pattern, ...]:
    words = form.split()
    return tuple(re.compile(re.escape(folded_form(w)).replace(re.escape(NUMBER_SLOT), r"(\d{1,3})"))
                 for w in words)


def _match_pattern(pattern: _Pattern, units: Sequence[Unit], index: int) -> Expansion | None:
    span = units[index: index + len(pattern.keys)]
    if len(span) < len(pattern.keys):
        return None
    numbers = set()
    for regex, unit in zip(pattern.keys, span, strict=True):
        match = regex.fullmatch(unit.folded)
        if not match:
            return None
        numbers.update(match.groups())
    if len(numbers) != 1:
        return None
    number = numbers.pop()
    alternatives = [f.replace(NUMBER_SLOT, number) for f in pattern.group]
    return Expansion(index, index + len(span), _distinct(alternatives, tuple(u.folded for u in span)))


def _distinct(forms: Sequence[str], typed: tuple[str, ...]) -> tuple[str, ...]:
    """One form per unit key, without the one the user typed."""
    by_key: dict[tuple[str, ...], str] = {}
    for form in forms:
        by_key.setdefault(_key(form), form)
    by_key.pop(typed, None)
    return tuple(by_key.values())


@lru_cache(maxsize=1)
def _bundled() -> tuple[tuple[tuple[str, tuple[str, ...]], ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    with open(BUNDLED, "rb") as handle:
        data = tomllib.load(handle)
    return (tuple((k, tuple(v)) for k, v in data.get("abbreviations", {}).items()),
            tuple((k, tuple(v)) for k, v in data.get("patterns", {}).items()))


def load_abbreviations(extra: Mapping[str, Sequence[str]] | None = None) -> Abbreviations:
    """The bundled list extended by the configuration's `search.abbreviations` (short → long forms)."""
    table = Abbreviations()
    entries, patterns = _bundled()
    for short, longs in (*entries, *patterns):
        table.add(short, longs)
    for short, longs in (extra or {}).items():
        table.add(str(short), [longs] if isinstance(longs, str) else [str(x) for x in longs])
    return table
