"""Did you mean, confirmed by the index: a reading is suggested only when documents hold it.

The suggester's model (`indexer.search.suggest`) knows how often each form occurs and which
pairs occur together in titles and leads; it can still join forms that no document holds
together (`bùi thị thủy hiện` for an archive whose only match says `Bùi Thị Thúy Hiền`). So
each reading it would suggest for a run of syllables is checked as a sequence against the
documents that hold the run's syllables without diacritics: among those that hold the whole
run in sequence (in any form), at least `MIN_SHARE` must hold it in the reading's exact forms,
and at least one must. Otherwise the next most likely reading is tried, and a run none of whose
readings is confirmed stays as typed: "did you mean" must never narrow a query to forms the
archive does not hold, nor to a minority of what the query finds.

Cost: a sequence is found from the syllables' sorted position keys (`matching.sequence_docs`),
for all documents at once; what costs is decoding a syllable's positions the first time
(tens of milliseconds for a common one; the search reads the same keys when the suggestion is
followed). The share is judged on at most `SAMPLE_DOCS` of the candidate documents, evenly
spread over the index, the first `ENOUGH_SEQUENCES` of them holding the run: exact when the
run's syllables occur together in at most `SAMPLE_DOCS` documents (names, rare words).
Suggestions, and the documents holding a run in sequence, are cached for the reader's life
(an index generation until its next commit): a repeated query costs a dictionary look-up.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
from whoosh import query as wq

from indexer.analysis.units import Unit, split_units
from indexer.search.forms import Form
from indexer.search.matching import QueryEvaluator, sequence_docs
from indexer.search.query import sequence_query
from indexer.search.suggest import Suggester

MIN_SHARE = 0.5          # of the documents holding the run in sequence, those in the reading's forms
SAMPLE_DOCS = 400        # candidate documents read at most per reading
ENOUGH_SEQUENCES = 40    # documents holding the run in sequence after which the sample is enough
CACHE_SIZE = 4096        # suggestions, and documents holding a run in sequence, remembered per reader


class DidYouMean:
    """The suggester's readings checked against one reader's documents; suggestions cached per reader."""

    def __init__(self, suggester: Suggester, evaluator: QueryEvaluator) -> None:
        self._suggester = suggester
        self._evaluator = evaluator
        self._suggestions: OrderedDict[str, str | None] = OrderedDict()
        self._sequences: OrderedDict[str, list[int]] = OrderedDict()

    def suggest(self, query: str) -> str | None:
        """The better query, confirmed by the index, or None."""
        if query in self._suggestions:
            self._suggestions.move_to_end(query)
            return self._suggestions[query]
        suggestion = self._suggester.suggest(query, accept=self.confirmed)
        _remember(self._suggestions, query, suggestion)
        return suggestion

    def confirmed(self, reading: list[str]) -> bool:
        """True when documents hold the reading, and hold it for at least `MIN_SHARE` of those that
        hold its syllables in sequence in any form."""
        exact, any_form = self.sequence_counts(reading)
        return exact > 0 and exact >= MIN_SHARE * any_form

    def sequence_counts(self, reading: list[str]) -> tuple[int, int]:
        """Among the documents checked: how many hold the reading's exact forms in sequence, and how many
        hold the same syllables in sequence in any form (without diacritics)."""
        units = split_units(" ".join(reading))
        if not units:
            return 0, 0
        if len(units) == 1:                        # one syllable: its documents, no positions to read
            return (len(self._evaluator.docs(sequence_query(units, Form.EXACT))),
                    len(self._evaluator.docs(sequence_query(units, Form.FOLDED))))
        occurrences = self._folded_sequences(units)
        exact = self._sequence_docs(units, Form.EXACT, np.array(occurrences, np.int32))
        return int(np.isin(occurrences, exact).sum()), len(occurrences)

    def _folded_sequences(self, units: list[Unit]) -> list[int]:
        """Documents that hold the units in sequence without diacritics, among at most `SAMPLE_DOCS` of
        those holding them all, evenly spread, up to `ENOUGH_SEQUENCES`; shared by every reading that
        folds to the same text (remembered per reader)."""
        key = " ".join(u.folded for u in units)
        if key not in self._sequences:
            together = self._evaluator.docs(wq.And([sequence_query([u], Form.FOLDED) for u in units])).docs
            sample = _evenly(together, SAMPLE_DOCS)
            in_sequence = self._sequence_docs(units, Form.FOLDED, sample)
            found = sample[np.isin(sample, in_sequence)][:ENOUGH_SEQUENCES]
            _remember(self._sequences, key, found.tolist())
        return self._sequences[key]

    def _sequence_docs(self, units: list[Unit], form: Form, within: np.ndarray) -> np.ndarray:
        return sequence_docs(self._evaluator.postings, form.body_field, form.position_terms(units), within)


def _evenly(docs: np.ndarray, count: int) -> np.ndarray:
    """At most `count` of the documents, evenly spread over them (all of them when fewer)."""
    if len(docs) <= count:
        return docs
    return docs[np.unique(np.linspace(0, len(docs) - 1, count).astype(np.int64))]


def _remember(cache: OrderedDict, key: str, value: object) -> None:
    cache[key] = value
    if len(cache) > CACHE_SIZE:
        cache.popitem(last=False)
