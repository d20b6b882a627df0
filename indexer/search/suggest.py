"""Did you mean: the most likely accented and corrected form of a query, learnt from the index.

People type `dang vien` for `đảng viên`, half the marks (`kết nap đảng`), or a slip
of the finger (`dnag`). Each syllable of the query gets candidate exact forms:
the indexed forms with the same folded spelling and, when that spelling is unknown
or very rare, forms whose folded spelling is one or two edits away. A Viterbi pass
then picks the sequence that is most probable under a bigram model of the indexed
text — syllable document frequencies from the exact `title`/`body` lexicons,
adjacent pairs from the `pairs` field — so context decides between `đảng` and
`đang`. Both statistics live in the index itself, so nothing on the side can drift:
they follow updates and deletes exactly as Whoosh's own scoring statistics do (a
deleted document's terms count until its segment is merged).

Tokens that are not plain syllables (numbers, `10-CT/TW`, `UBND`, `site:x`) and the
query syntax (quotes, `-`, `+`, parentheses, AND/OR/NOT) are kept as typed.
"""

from __future__ import annotations

import heapq
import math
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter

from indexer.analysis.normalize import exact_form, fold, like_typed, nfc
from indexer.schema import BODY, PAIRS, TITLE
from tinphuong.lru import LruCache

# Costs in nats (natural-log probability units) added to a candidate's score.
EDIT_COSTS = (0.0, 4.0, 8.0)   # by edit distance on the folded spelling
UNKNOWN_COST = 12.0        # keeping a syllable the index has never seen
BIGRAM_WEIGHT = 0.8        # interpolation: P(b|a) = w * pairs(a,b)/df(a) + (1 - w) * P(b)
MAX_FORMS = 8              # same-spelling candidates kept per syllable (most frequent first)
MAX_CORRECTIONS = 10       # edit-distance candidates kept per syllable
MAX_SLOTS = 32             # longer queries are not sentences people mistype: left alone
MAX_SYLLABLE_CHARS = 10
MIN_CORRECTED_CHARS = 3    # shorter words have too many neighbours to guess from
MIN_TWO_EDIT_CHARS = 5     # two edits on a shorter word make just another word
# Segments whose syllable counts are remembered: a segment never changes once written, and reading its
# lexicon is most of what a reader opened after a commit spends on its first search (0.7 s of ~0.9 on
# 35k articles); a nightly update adds a segment or two beside the large one.
SEGMENT_COUNTS_CACHED = 8
_segment_counts: LruCache[dict[str, int]] = LruCache(SEGMENT_COUNTS_CACHED)
PAIR_CACHE_SIZE = 50_000
MAX_READINGS = 12          # readings of a run offered to a judge (`suggest`'s `accept`), best first

# A folded Vietnamese syllable: optional initial, one to three vowels, optional final.
SYLLABLE_SHAPE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?"
)
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
_CHUNK = re.compile(r"^([-+\"'(]*)(.*?)([\"')!?,;:.]*)$", re.DOTALL)


def is_syllable_shape(folded: str) -> bool:
    """True when a folded lowercase word is spelt like a Vietnamese syllable."""
    return SYLLABLE_SHAPE.fullmatch(folded) is not None


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal-string-alignment distance (adjacent swaps count one), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, previous2[j - 2] + 1)
            current[j] = best
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def _deletions(word: str, depth: int) -> set[str]:
    """`word` with up to `depth` letters removed (the symmetric-delete spelling index)."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


@dataclass
class _Slot:
    """One syllable of the query: where it sits and what the user typed."""

    index: int            # position in the chunk list
    prefix: str
    core: str
    suffix: str
    typed: str            # exact form of the core (NFC, tone placement, lowercase)


class Suggester:
    """Suggests a better spelling of a query from syllable and pair statistics.

    `syllables` maps exact forms to document frequencies; `pair_count(a, b)` gives
    the document frequency of the pair `"a b"`. Use `from_reader` for an index and
    `from_counts` for in-memory statistics.
    """

    def __init__(self, syllables: Mapping[str, int], pair_count: Callable[[str, str], int]) -> None:
        self._df: dict[str, int] = {w: n for w, n in syllables.items() if n > 0}
        self._pair_count = pair_count
        self._pair_cache: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()
        total = sum(self._df.values())
        self._log_total = math.log(total + 1.0)
        self._forms = self._group_by_fold(self._df)
        self._fold_df = {key: sum(self._df[w] for w in forms) for key, forms in self._forms.items()}
        # A spelling seen in about one document in 5000 or fewer may itself be a typo.
        self._rare = max(0, total // 2_000_000)
        self._spelling_index = self._build_spelling_index()

    @classmethod
    def from_counts(cls, syllables: Mapping[str, int], pairs: Mapping[str, int]) -> Suggester:
        """In-memory statistics: `pairs` is keyed like the index terms, `"đảng viên"`."""
        counts = {_pair_key(*k) if isinstance(k, tuple) else k: n for k, n in pairs.items()}
        return cls(syllables, lambda a, b: counts.get(f"{a} {b}", 0))

    @classmethod
    def from_reader(cls, reader, fields: Sequence[str] = (TITLE, BODY),
                    pair_field: str | None = PAIRS) -> Suggester:
        """Statistics from an open Whoosh reader, which must stay open while this is used.

        Syllables are read once from the exact fields' lexicons (fast: no postings are
        touched); pairs are looked up lazily, only for the candidates a query needs.
        """
        syllables: dict[str, int] = {}
        fields = tuple(f for f in fields if f in reader.schema)
        for segment, _ in reader.leaf_readers():      # a multi-segment lexicon merges slowly: one at a time
            counts = _syllable_counts(segment, fields)
            if not syllables:
                syllables = dict(counts)
                continue
            for word, count in counts.items():
                syllables[word] = syllables.get(word, 0) + count

        def pair_count(a: str, b: str) -> int:
            return reader.doc_frequency(pair_field, _pair_key(a, b))

        has_pairs = pair_field is not None and pair_field in reader.schema
        return cls(syllables, pair_count if has_pairs else (lambda a, b: 0))

    # -- public API -----------------------------------------------------------------

    def suggest(self, query: str, accept: Callable[[list[str]], bool] | None = None) -> str | None:
        """The better query, or None when the query is already its most likely form.

        `accept`, when given, judges each reading of a run of syllables (its exact forms):
        the most likely accepted reading among the `MAX_READINGS` best is used, and a run
        whose typed form is more likely than every accepted reading stays as typed.
        """
        if not query or not query.strip() or not self._df:
            return None
        chunks = re.split(r"(\s+)", nfc(query))
        runs = self._slot_runs(chunks)
        if sum(len(run) for run in runs) > MAX_SLOTS:
            return None
        changed = False
        for run in runs:
            reading = self._reading(run, accept)
            for slot, best in zip(run, reading, strict=True):
                if best != slot.typed:
                    chunks[slot.index] = slot.prefix + like_typed(slot.core, best) + slot.suffix
                    changed = True
        return "".join(chunks).strip() if changed else None

    def _reading(self, run: list[_Slot], accept: Callable[[list[str]], bool] | None) -> list[str]:
        """The run's forms to suggest: the best reading `accept` takes, else the run as typed."""
        typed = [slot.typed for slot in run]
        for reading in self._best_sequences(run, 1 if accept is None else MAX_READINGS):
            if reading == typed:
                break                          # as typed is more likely than every reading left
            if accept is None or accept(reading):
                return reading
        return typed

    # -- query segmentation -----------------------------------------------------------

    def _slot_runs(self, chunks: list[str]) -> list[list[_Slot]]:
        """Runs of adjacent syllables; anything else (numbers, codes, syntax) ends a run."""
        runs: list[list[_Slot]] = [[]]
        for index, chunk in enumerate(chunks):
            if not chunk or chunk.isspace():
                continue
            slot = self._slot(index, chunk)
            if slot is None:
                runs.append([])
            else:
                runs[-1].append(slot)
        return [run for run in runs if run]

    def _slot(self, index: int, chunk: str) -> _Slot | None:
        match = _CHUNK.match(chunk)
        prefix, core, suffix = match.groups() if match else ("", chunk, "")
        if not core or not core.isalpha() or len(core) > MAX_SYLLABLE_CHARS or core in OPERATORS:
            return None
        typed = exact_form(core)
        if len(core) > 1 and core.isupper() and typed not in self._df and \
                not is_syllable_shape(fold(typed)):
            return None                       # an abbreviation such as UBND, MTTQ
        return _Slot(index, prefix, core, suffix, typed)

    # -- candidates -------------------------------------------------------------------

    def _candidates(self, typed: str) -> list[tuple[str, float]]:
        """(exact form, channel cost) pairs for one typed syllable, best first."""
        folded = fold(typed)
        if typed != folded and typed in self._df:
            return [(typed, 0.0)]             # marks given and known: respected as typed
        found: dict[str, float] = {typed: UNKNOWN_COST if typed not in self._df else 0.0}
        for form in self._forms.get(folded, ())[:MAX_FORMS]:
            found.setdefault(form, 0.0)
        if self._fold_df.get(folded, 0) <= self._rare or not is_syllable_shape(folded):
            for form, distance in self._corrections(folded):
                found.setdefault(form, EDIT_COSTS[distance])
        return sorted(found.items(), key=lambda item: item[1] - self._log_unigram(item[0]))

    def _corrections(self, folded: str) -> list[tuple[str, int]]:
        """Frequent forms whose folded spelling is one edit (two for long words) from `folded`."""
        if len(folded) < MIN_CORRECTED_CHARS:
            return []
        limit = 2 if len(folded) >= MIN_TWO_EDIT_CHARS else 1
        keys: set[str] = set()
        for variant in _deletions(folded, limit):     # one side's depth is enough for one edit
            keys.update(self._spelling_index.get(variant, ()))
        scored = []
        for key in keys:
            if abs(len(key) - len(folded)) > 1:
                continue                              # two insertions make another word
            distance = edit_distance(folded, key, limit)
            if 0 < distance <= limit:
                scored.extend((form, distance) for form in self._forms[key][:MAX_FORMS])
        scored.sort(key=lambda item: (item[1], -self._df[item[0]]))
        return scored[:MAX_CORRECTIONS]

    # -- the model ----------------------------------------------------------------------

    def _best_sequences(self, run: list[_Slot], k: int) -> list[list[str]]:
        """The `k` most probable readings of the run, best first: a Viterbi pass under the
        interpolated bigram model that keeps the `k` best paths into each form."""
        lattice = [self._candidates(slot.typed) for slot in run]
        beams: dict[str, list[tuple[float, tuple[str, ...]]]] = {
            form: [(self._log_unigram(form) - cost, (form,))] for form, cost in lattice[0]}
        for candidates in lattice[1:]:
            step: dict[str, list[tuple[float, tuple[str, ...]]]] = {}
            for form, cost in candidates:
                options = []
                for previous, paths in beams.items():
                    bigram = self._log_bigram(previous, form) - cost
                    options.extend((score + bigram, path + (form,)) for score, path in paths)
                step[form] = heapq.nlargest(k, options, key=itemgetter(0))
            beams = step
        best = heapq.nlargest(k, (entry for paths in beams.values() for entry in paths), key=itemgetter(0))
        return [list(path) for _, path in best]

    def _log_unigram(self, form: str) -> float:
        return math.log(self._df.get(form, 0) + 0.5) - self._log_total

    def _log_bigram(self, a: str, b: str) -> float:
        unigram = math.exp(self._log_unigram(b))
        df_a = self._df.get(a, 0)
        if df_a == 0 or b not in self._df:
            return math.log(unigram)
        follows = min(1.0, self._pairs(a, b) / df_a)
        return math.log(BIGRAM_WEIGHT * follows + (1 - BIGRAM_WEIGHT) * unigram)

    def _pairs(self, a: str, b: str) -> int:
        key = (a, b)
        count = self._pair_cache.get(key)
        if count is None:
            with self._lock:              # Whoosh readers are not meant for concurrent seeks
                count = self._pair_count(a, b)
                if len(self._pair_cache) >= PAIR_CACHE_SIZE:
                    self._pair_cache.clear()
                self._pair_cache[key] = count
        return count

    # -- construction helpers ---------------------------------------------------------

    @staticmethod
    def _group_by_fold(df: Mapping[str, int]) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = {}
        for form in df:
            groups.setdefault(fold(form), []).append(form)
        for forms in groups.values():
            forms.sort(key=lambda f: (-df[f], f))
        return groups

    def _build_spelling_index(self) -> dict[str, list[str]]:
        """Deletions (up to two) of every well-formed folded syllable seen in two documents."""
        minimum = max(2, self._rare + 1) if len(self._df) > 1000 else 1
        index: dict[str, list[str]] = {}
        for key, count in self._fold_df.items():
            if count >= minimum and is_syllable_shape(key):
                for variant in _deletions(key, 2):
                    index.setdefault(variant, []).append(key)
        return index


def _pair_key(a: str, b: str) -> str:
    return f"{a} {b}"


def _syllable_counts(segment, fields: tuple[str, ...]) -> dict[str, int]:
    """Document frequencies of the syllables in one segment's lexicons of `fields` (deleted documents
    count until a merge drops them, as Whoosh's own frequencies do), remembered per segment."""
    def read() -> dict[str, int]:
        counts: dict[str, int] = {}
        for field in fields:
            for term, info in segment.iter_field(field):
                word = term.decode("utf-8") if isinstance(term, bytes) else term
                if len(word) <= MAX_SYLLABLE_CHARS and word.isalpha():
                    counts[word] = counts.get(word, 0) + info.doc_frequency()
        return counts

    written = segment.segment()              # None for an empty index
    return _segment_counts.get((written.segment_id(), fields), read) if written is not None else read()
