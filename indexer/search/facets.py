"""Facet counts over every match of a search: documents per site, year, category and month.

Counting must not read each matched document's stored fields (a common word matches most
of the index). So each document's site, category and month are kept per reader as numpy
codes (`FacetColumns`, read once from Whoosh's columns, leaf by leaf), and a search counts
its matches with one `bincount` per facet: proportional to the matches, a few milliseconds
for the whole index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from indexer.schema import CATEGORY, DATE, SITE, UNDATED

FACET_LIMIT = 30          # categories listed per search (the most frequent), by count
NO_VALUE = -1
# Whoosh stores a DATETIME column value as microseconds since datetime.min; numpy counts from 1970.
_MICROSECONDS_TO_1970 = 62_135_596_800 * 1_000_000


@dataclass(frozen=True)
class Facets:
    """Match counts per site, year ("2023") and category, largest first (years newest first), and per
    month ("2023-03", in order): what the facet lists and the histogram show."""

    site: dict[str, int] = field(default_factory=dict)
    year: dict[str, int] = field(default_factory=dict)
    category: dict[str, int] = field(default_factory=dict)
    month: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, dict[str, int]]:
        """The `facets` object of `/api/search` (months feed the histogram only)."""
        return {"site": self.site, "year": self.year, "category": self.category}


@dataclass(frozen=True, eq=False)
class FacetColumns:
    """Per document number: a site code, a category code and a month (year * 12 + month - 1),
    `NO_VALUE` where the document has none; and the live (not deleted) documents. A deleted document
    keeps its codes until its segment is merged: no match holds it, `live` leaves it out."""

    sites: tuple[str, ...]
    site_codes: np.ndarray
    categories: tuple[str, ...]
    category_codes: np.ndarray
    months: np.ndarray
    live: np.ndarray

    @classmethod
    def from_reader(cls, reader) -> FacetColumns:
        """Read from an open Whoosh reader's columns; an index written before a field had a column
        (categories) reads as having no values for it."""
        leaves = [leaf for leaf, _ in reader.leaf_readers()]
        sites, site_codes = _coded(_text_column(leaves, SITE))
        categories, category_codes = _coded(_text_column(leaves, CATEGORY))
        live = np.fromiter(reader.all_doc_ids(), dtype=np.int64)
        return cls(sites, site_codes, categories, category_codes, _month_column(leaves), live)

    def count(self, docs: np.ndarray) -> Facets:
        """The facets of these matched documents."""
        docs = np.asarray(docs, dtype=np.int64)
        months = _counts(self.months[docs])
        years: dict[str, int] = {}
        for month, n in months.items():
            years[str(month // 12)] = years.get(str(month // 12), 0) + n
        return Facets(
            site=_by_count(_named(_counts(self.site_codes[docs]), self.sites)),
            year=dict(sorted(years.items(), key=lambda item: item[0], reverse=True)),
            category=_by_count(_named(_counts(self.category_codes[docs]), self.categories), FACET_LIMIT),
            month={f"{m // 12:04d}-{m % 12 + 1:02d}": n for m, n in sorted(months.items())},
        )

    def site_months(self) -> dict[str, dict[str, int]]:
        """Documents per month for every site (months "YYYY-MM" in order): the status page's chart."""
        return {name: self.count(self.live[self.site_codes[self.live] == code]).month
                for code, name in enumerate(self.sites)}


def _counts(codes: np.ndarray) -> dict[int, int]:
    """How often each code other than `NO_VALUE` occurs."""
    codes = codes[codes != NO_VALUE]
    if not len(codes):
        return {}
    values, counts = np.unique(codes, return_counts=True)
    return dict(zip(values.tolist(), counts.tolist(), strict=True))


def _named(counts: dict[int, int], names: Sequence[str]) -> dict[str, int]:
    return {names[code]: n for code, n in counts.items()}


def _by_count(counts: dict[str, int], limit: int | None = None) -> dict[str, int]:
    """Largest first, ties by name; at most `limit`."""
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit])


def _text_column(leaves: list, fieldname: str) -> list[str]:
    """Every document's value of a sortable text field, in document order ("" where none)."""
    values: list[str] = []
    for leaf in leaves:
        if fieldname in leaf.schema and leaf.has_column(fieldname):
            values.extend(leaf.column_reader(fieldname, translate=True))
        else:
            values.extend([""] * leaf.doc_count_all())
    return values


def _coded(values: list[str]) -> tuple[tuple[str, ...], np.ndarray]:
    """Distinct non-empty values and each document's code (`NO_VALUE` for "")."""
    names = tuple(sorted(set(values) - {""}))
    code = {name: index for index, name in enumerate(names)} | {"": NO_VALUE}
    return names, np.fromiter((code[v] for v in values), dtype=np.int32, count=len(values))


def _month_column(leaves: list) -> np.ndarray:
    """Every document's publication month as year * 12 + month - 1, `NO_VALUE` when undated."""
    parts = []
    for leaf in leaves:
        count = leaf.doc_count_all()
        if not leaf.has_column(DATE):
            parts.append(np.full(count, NO_VALUE, dtype=np.int64))
            continue
        undated = np.fromiter(leaf.column_reader(UNDATED, translate=True), dtype=np.int64, count=count) \
            if leaf.has_column(UNDATED) else np.zeros(count, dtype=np.int64)
        raw = np.fromiter(leaf.column_reader(DATE, translate=False), dtype=np.uint64, count=count)
        microseconds = np.where(undated == 1, 0, raw).astype(np.int64) - _MICROSECONDS_TO_1970
        months = microseconds.astype("datetime64[us]").astype("datetime64[M]").astype(np.int64) + 1970 * 12
        parts.append(np.where(undated == 1, NO_VALUE, months))
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
