"""Known-item queries made from the indexed articles themselves: search quality measured, not asserted.

Each query is a span of an article's title or body, rewritten the way a user
would type it (without diacritics, half accented, other tone placement, NFD),
and kept only when its folded form occurs in exactly one indexed article, so
that article is the one right answer. The exactness queries are frequent
accented words whose folded form is shared by another frequent word.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from benchmarks.corpus import Article
from benchmarks.spelling import (
    exact_form,
    exact_tokens,
    fold,
    folded_tokens,
    other_tone_placement,
    strip_diacritics,
    syllable_runs,
)

TITLE_KINDS = ("title_exact", "title_nodiac", "title_oldtone", "title_nfd")
BODY_KINDS = ("body_nodiac", "body_mixed")
KINDS = TITLE_KINDS + BODY_KINDS
TITLE_SPAN = (3, 6)
BODY_SPAN = (4, 7)
CANDIDATES_PER_ARTICLE = 8       # spans tried per article until one is unique in the indexed set
MIN_DICE = 0.1                   # two-syllable exactness queries must look like words, not chance neighbours


@dataclass(frozen=True)
class KnownItem:
    kind: str
    query: str
    doc_id: str                  # the Document.id of the one article the query was made from


@dataclass(frozen=True)
class ExactnessQuery:
    query: str                   # one or two accented syllables, lowercase
    form: str                    # the same in exact form (see spelling.exact_form), space-joined


class OccurrenceIndex:
    """Answers "in which articles does this span occur?" over the indexed set.

    Spans are compared on `tokens` of each article's title and text: folded
    tokens by default (the known items' uniqueness), exact tokens for the
    exactness queries' frequencies. Articles are numbered in the order given.
    """

    def __init__(self, articles: Sequence[Article],
                 tokens: Callable[[str], list[str]] = folded_tokens) -> None:
        self._texts = [" " + " ".join(tokens(f"{a.title}\n{a.text}")) + " " for a in articles]

    def articles(self, spans: Iterable[str]) -> dict[str, set[int]]:
        """Numbers of the articles each span occurs in (postings built only for the tokens asked about)."""
        spans = set(spans)
        needed = {token for span in spans for token in span.split()}
        postings: dict[str, set[int]] = defaultdict(set)
        for number, text in enumerate(self._texts):
            for token in needed.intersection(text.split()):
                postings[token].add(number)
        result = {}
        for span in spans:
            candidates = set.intersection(*sorted((postings[t] for t in span.split()), key=len))
            result[span] = {n for n in candidates if f" {span} " in self._texts[n]}
        return result

    def counts(self, spans: Iterable[str]) -> dict[str, int]:
        """In how many articles each span occurs."""
        return {span: len(found) for span, found in self.articles(spans).items()}


def windows(runs: list[list[str]], sizes: tuple[int, int]) -> list[list[str]]:
    low, high = sizes
    return [run[start:start + size] for run in runs for size in range(low, high + 1)
            for start in range(len(run) - size + 1)]


def pick(windows: list[list[str]], rng: random.Random) -> list[list[str]]:
    return rng.sample(windows, min(CANDIDATES_PER_ARTICLE, len(windows)))


def folded(span: Sequence[str]) -> str:
    return " ".join(fold(word) for word in span)


def _other_placement(span: Sequence[str]) -> str:
    return " ".join(other_tone_placement(word) or word for word in span)


def _half_stripped(span: Sequence[str], rng: random.Random) -> str:
    stripped = set(rng.sample(range(len(span)), len(span) // 2))
    return " ".join(strip_diacritics(w) if i in stripped else w for i, w in enumerate(span))


def make_known_items(articles: Sequence[Article], occurrences: OccurrenceIndex, n_articles: int,
                     seed: int) -> list[KnownItem]:
    """Queries of every kind from seeded samples of `n_articles` indexed articles.

    `title_oldtone` draws its own sample among the articles whose title has a
    syllable with a tone-placement variant (few titles do), so that it gets as
    many queries as the other kinds.
    """
    rng = random.Random(seed)
    sample = rng.sample(list(articles), min(n_articles, len(articles)))
    with_variant = [a for a in articles if any(other_tone_placement(w) for w in a.title.split())]
    variant_sample = rng.sample(with_variant, min(n_articles, len(with_variant)))
    plans = []
    for article in sample:
        title = windows(syllable_runs(article.title), TITLE_SPAN)
        body = windows(syllable_runs(article.body), BODY_SPAN)
        plans.append((article, pick(title, rng), [], pick(body, rng)))
    for article in variant_sample:
        title = windows(syllable_runs(article.title), TITLE_SPAN)
        variant = [w for w in title if any(other_tone_placement(s) for s in w)]
        plans.append((article, [], pick(variant, rng), []))
    counts = occurrences.counts(folded(w) for plan in plans for group in plan[1:] for w in group)

    def unique(windows: list[list[str]]) -> list[str] | None:
        return next((w for w in windows if counts[folded(w)] == 1), None)

    items = []
    for article, title, variant, body in plans:
        doc_id = article.to_document().id
        if span := unique(title):
            text = " ".join(span)
            items.append(KnownItem("title_exact", text, doc_id))
            items.append(KnownItem("title_nodiac", strip_diacritics(text), doc_id))
            items.append(KnownItem("title_nfd", unicodedata.normalize("NFD", text), doc_id))
        if span := unique(variant):
            items.append(KnownItem("title_oldtone", _other_placement(span), doc_id))
        if span := unique(body):
            items.append(KnownItem("body_nodiac", strip_diacritics(" ".join(span)), doc_id))
            items.append(KnownItem("body_mixed", _half_stripped(span, rng), doc_id))
    return items


def make_exactness_queries(articles: Sequence[Article], n_each: int, seed: int,
                           min_df: int = 10, sample_docs: int = 5000) -> list[ExactnessQuery]:
    """Frequent accented words (1 and 2 syllables) that share their folded form with another
    frequent word: `đường` (vs `dương`, `đương`), so folding alone cannot rank them right.

    Frequencies come from a seeded sample of the indexed articles, so every
    chosen form occurs in at least `min_df` indexed articles.
    """
    rng = random.Random(seed)
    sample = rng.sample(list(articles), min(sample_docs, len(articles)))
    frequencies = form_frequencies(sample, (1, 2))
    unigrams, bigrams = frequencies[1], frequencies[2]
    words = ambiguous_forms(unigrams, min_df)
    compounds = [form for form in ambiguous_forms(bigrams, min_df)
                 if dice(form, bigrams, unigrams) >= MIN_DICE]
    return [ExactnessQuery(form, form) for eligible in (words, compounds)
            for form in rng.sample(eligible, min(n_each, len(eligible)))]


def form_frequencies(articles: Iterable[Article], lengths: Sequence[int]) -> dict[int, Counter[str]]:
    """Per length, the document frequency of every run of that many syllables in exact form (space-joined)."""
    frequencies: dict[int, Counter[str]] = {size: Counter() for size in lengths}
    for article in articles:
        seen: dict[int, set[str]] = {size: set() for size in lengths}
        for run in syllable_runs(article.title) + syllable_runs(article.text):
            forms = [exact_form(w) for w in run]
            for size in lengths:
                seen[size].update(" ".join(forms[i:i + size]) for i in range(len(forms) - size + 1))
        for size in lengths:
            frequencies[size].update(seen[size])
    return frequencies


def ambiguous_forms(counter: Counter[str], min_df: int) -> list[str]:
    """Forms seen in >= `min_df` documents whose folded form another such form shares (sorted)."""
    frequent = sorted(form for form, df in counter.items() if df >= min_df)
    by_fold: dict[str, list[str]] = defaultdict(list)
    for form in frequent:
        by_fold[fold(form)].append(form)
    return [form for form in frequent if fold(form) != form and len(by_fold[fold(form)]) > 1]


def dice(pair: str, bigrams: Counter[str], unigrams: Counter[str]) -> float:
    """How much two syllables stick together: near 1 for a compound word, near 0 for neighbours by chance."""
    first, second = pair.split()
    return 2 * bigrams[pair] / (unigrams[first] + unigrams[second])


class ExactMatcher:
    """Does an article contain a form exactly (NFC, case- and tone-placement-insensitive)?"""

    def __init__(self, articles: Iterable[Article]) -> None:
        self._articles = {a.to_document().id: a for a in articles}
        self._texts: dict[str, str] = {}

    def contains(self, doc_id: str, form: str) -> bool:
        if doc_id not in self._texts:
            article = self._articles.get(doc_id)
            tokens = exact_tokens(f"{article.title}\n{article.text}") if article else []
            self._texts[doc_id] = " " + " ".join(tokens) + " "
        return f" {form} " in self._texts[doc_id]
