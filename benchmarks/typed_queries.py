"""Known-item queries typed the ways people really type, and the exactness probe for phrases.

A query is a span of an article's body (3-8 syllables) or title (3-6), taken at
a random offset and typed with one kind of mistake (`TYPINGS`), in lowercase;
one kind takes 3-8 words of the body across digits and punctuation instead
(`ngày 16/3, phường`), as a phrase copied from a page is. It is kept when the
article is the one right answer: the span, folded (letters and digits only),
occurs in no other indexed article. For the kinds that change the sequence of words
(a syllable dropped, two swapped), what was typed, folded, must not occur in
another article either; the other kinds change only marks or the keys that
type them, so the article holding the span stays the one right answer. Each
kind draws its own spans (the first that allow the mistake among the article's
shuffled spans), seeded by the article id and the kind, so how a span is
typed does not depend on the other articles or kinds.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from benchmarks.corpus import Article
from benchmarks.keyboards import telex, vni
from benchmarks.known_items import (
    CANDIDATES_PER_ARTICLE,
    MIN_DICE,
    ExactnessQuery,
    KnownItem,
    OccurrenceIndex,
    ambiguous_forms,
    dice,
    form_frequencies,
    windows,
)
from benchmarks.spelling import (
    TONE_MARKS,
    d_without_stroke,
    exact_tokens,
    fold,
    folded_tokens,
    strip_diacritics,
    syllable_runs,
    tone_of,
    vowel_mark_variants,
    with_tone,
)

BODY_SPAN = (3, 8)
WORD_SPAN = (3, 8)               # body words (whitespace-separated, punctuation attached) across digits
TITLE_SPAN = (3, 6)
EXACT_LENGTHS = (2, 3, 4)
EXACT_MIN_DF = 10                # an exactness phrase and one of its look-alikes each occur in >= 10 articles
EXACT_SAMPLE_DOCS = 5000         # phrase frequencies are first estimated on a sample, then counted exactly

Span = list[str]
Make = Callable[[Span, random.Random], "str | None"]


@dataclass(frozen=True)
class Typing:
    """One way of typing a span: `make` returns the typed words, or None when the span does not allow it."""

    kind: str
    source: str                  # "title" or "body"
    make: Make
    reorders: bool = False       # drops or moves words: the typed sequence must be unique as well


def _accented(span: Span) -> list[int]:
    return [i for i, word in enumerate(span) if strip_diacritics(word) != word]


def _some_or_all(indices: list[int], rng: random.Random) -> set[int]:
    """All of them half the time, otherwise a random non-empty proper subset."""
    if len(indices) < 2 or rng.random() < 0.5:
        return set(indices)
    return set(rng.sample(indices, rng.randint(1, len(indices) - 1)))


def as_written(span: Span, rng: random.Random) -> str:
    return " ".join(span)


def without_diacritics(span: Span, rng: random.Random) -> str:
    return strip_diacritics(" ".join(span))


def partial_diacritics(span: Span, rng: random.Random) -> str | None:
    """Diacritics on some words only: at least one accented word keeps them and at least one loses them."""
    accented = _accented(span)
    if len(accented) < 2:
        return None
    stripped = set(rng.sample(accented, rng.randint(1, len(accented) - 1)))
    return " ".join(strip_diacritics(w) if i in stripped else w for i, w in enumerate(span))


def _replace(span: Span, number: int, word: str) -> str:
    return " ".join([*span[:number], word, *span[number + 1:]])


def _other_tones(word: str) -> list[str]:
    return [with_tone(word, tone) for tone in TONE_MARKS if tone != tone_of(word)]


def one_mark_wrong(span: Span, rng: random.Random) -> str | None:
    """One syllable with another tone mark (`tiến` -> `tiền`), or another vowel mark (`mới` -> `mói`)."""
    mistakes = [(i, _other_tones(w)) for i, w in enumerate(span) if tone_of(w)]
    mistakes += [(i, vowel_mark_variants(w)) for i, w in enumerate(span) if vowel_mark_variants(w)]
    if not mistakes:
        return None
    number, variants = rng.choice(mistakes)
    return _replace(span, number, rng.choice(variants))


def one_tone_wrong(span: Span, rng: random.Random) -> str | None:
    toned = [i for i, w in enumerate(span) if tone_of(w)]
    if not toned:
        return None
    number = rng.choice(toned)
    return _replace(span, number, rng.choice(_other_tones(span[number])))


def one_tone_missing(span: Span, rng: random.Random) -> str | None:
    toned = [i for i, w in enumerate(span) if tone_of(w)]
    if not toned:
        return None
    number = rng.choice(toned)
    return _replace(span, number, with_tone(span[number], ""))


def one_syllable_missing(span: Span, rng: random.Random) -> str | None:
    """An inner syllable left out (dropping the first or last would just be a shorter span)."""
    if len(span) < 4:
        return None
    number = rng.randrange(1, len(span) - 1)
    return " ".join(span[:number] + span[number + 1:])


def neighbours_swapped(span: Span, rng: random.Random) -> str | None:
    """Two neighbouring syllables in the other order."""
    places = [i for i in range(len(span) - 1) if span[i].lower() != span[i + 1].lower()]
    if not places:
        return None
    number = rng.choice(places)
    return " ".join([*span[:number], span[number + 1], span[number], *span[number + 2:]])


def across_punctuation(span: Span, rng: random.Random) -> str:
    """Words copied across digits and punctuation, typed without diacritics; half the time the
    punctuation around words (commas, stops, brackets, quotes) is left out, that inside a word
    (`16/3`, `123/QĐ-UBND`) always kept."""
    words = span if rng.random() < 0.5 else [w.strip(_EDGE_PUNCTUATION) for w in span]
    return strip_diacritics(" ".join(w for w in words if w))


def d_typed_as_d(span: Span, rng: random.Random) -> str | None:
    text = " ".join(span)
    return d_without_stroke(text) if "đ" in text.lower() else None


def _keyboard_off(keystrokes: Callable[[str], str]) -> Make:
    """The input method is off: some or all accented syllables typed as keystrokes, the rest without marks."""
    def make(span: Span, rng: random.Random) -> str | None:
        accented = _accented(span)
        if not accented:
            return None
        typed = _some_or_all(accented, rng)
        return " ".join(keystrokes(w) if i in typed else strip_diacritics(w) for i, w in enumerate(span))
    return make


_EDGE_PUNCTUATION = ".,;:!?()[]{}\"'“”‘’«»…-–—"

TYPINGS = (
    Typing("body_exact", "body", as_written),
    Typing("body_nodiac", "body", without_diacritics),
    Typing("body_partial", "body", partial_diacritics),
    Typing("body_wrong_mark", "body", one_mark_wrong),
    Typing("body_dropped", "body", one_syllable_missing, reorders=True),
    Typing("body_swapped", "body", neighbours_swapped, reorders=True),
    Typing("body_d_as_d", "body", d_typed_as_d),
    Typing("body_telex", "body", _keyboard_off(telex)),
    Typing("body_vni", "body", _keyboard_off(vni)),
    Typing("title_wrong_tone", "title", one_tone_wrong),
    Typing("title_no_tone", "title", one_tone_missing),
    Typing("body_punct", "words", across_punctuation),
)
KINDS = tuple(typing.kind for typing in TYPINGS)


def _shuffled_spans(article: Article, seed: int) -> dict[str, list[Span]]:
    rng = random.Random(f"{seed}/{article.id}")
    spans = {"title": windows(syllable_runs(article.title), TITLE_SPAN),
             "body": windows(syllable_runs(article.body), BODY_SPAN),
             "words": [w for w in windows([line.split() for line in article.body.splitlines()], WORD_SPAN)
                       if _crosses_punctuation(w)]}
    for candidates in spans.values():
        rng.shuffle(candidates)
    return spans


def _crosses_punctuation(words: Span) -> bool:
    """Some word holds a digit or punctuation, and the first and last hold a letter or digit."""
    return all(any(c.isalnum() for c in words[i]) for i in (0, -1)) and \
        any(not w.isalpha() for w in words)


def _candidates(typing: Typing, spans: list[Span], rng: random.Random) -> list[tuple[Span, str]]:
    """The first spans that allow this typing, with what is typed (lowercase)."""
    found = []
    for span in spans:
        query = typing.make(span, rng)
        if query is not None:
            found.append((span, query.lower()))
            if len(found) == CANDIDATES_PER_ARTICLE:
                break
    return found


def make_typed_items(articles: Sequence[Article], occurrences: OccurrenceIndex, n_articles: int, seed: int,
                     typings: Sequence[Typing] = TYPINGS) -> list[KnownItem]:
    """At most one query of each kind from each of a seeded sample of `n_articles` articles.

    `occurrences` must index exactly `articles` (it numbers them in that order).
    """
    numbers = random.Random(seed).sample(range(len(articles)), min(n_articles, len(articles)))
    plans = []
    for number in numbers:
        article = articles[number]
        spans = _shuffled_spans(article, seed)
        for typing in typings:
            rng = random.Random(f"{seed}/{article.id}/{typing.kind}")
            plans.append((number, typing, _candidates(typing, spans[typing.source], rng)))
    asked = {_key(" ".join(span)) for _, _, found in plans for span, _ in found}
    asked |= {_key(query) for _, typing, found in plans if typing.reorders for _, query in found}
    where = occurrences.articles(asked)

    items = []
    for number, typing, found in plans:
        for span, query in found:
            if where[_key(" ".join(span))] == {number} and \
                    (not typing.reorders or where[_key(query)] <= {number}):
                items.append(KnownItem(typing.kind, query, articles[number].to_document().id))
                break
    return items


def _key(text: str) -> str:
    """What the occurrence index compares: the folded letters-and-digits tokens."""
    return " ".join(folded_tokens(text))


def make_phrase_exactness(articles: Sequence[Article], n_each: int, seed: int,
                          lengths: Sequence[int] = EXACT_LENGTHS) -> list[ExactnessQuery]:
    """Phrases typed with full diacritics whose folded form is ambiguous: `n_each` of each length.

    A phrase qualifies when it occurs (exactly, contiguous) in at least
    EXACT_MIN_DF indexed articles and so does another accented form with the
    same folded form; two-syllable phrases must also look like a word (Dice).
    Candidates come from a seeded sample's frequencies and are then counted on
    every article, so both thresholds hold on the indexed set itself.
    """
    rng = random.Random(seed)
    sample = rng.sample(list(articles), min(EXACT_SAMPLE_DOCS, len(articles)))
    frequencies = form_frequencies(sample, sorted({1, *lengths}))
    sample_min_df = max(2, math.ceil(EXACT_MIN_DF * len(sample) / len(articles)))
    candidates: dict[int, list[str]] = {}
    look_alikes: dict[str, list[str]] = defaultdict(list)
    for length in lengths:
        counter = frequencies[length]
        forms = ambiguous_forms(counter, sample_min_df)
        if length == 2:
            forms = [f for f in forms if dice(f, counter, frequencies[1]) >= MIN_DICE]
        rng.shuffle(forms)
        candidates[length] = forms
        for form, df in counter.items():
            if df >= sample_min_df:
                look_alikes[fold(form)].append(form)
    del frequencies

    exact = OccurrenceIndex(articles, tokens=exact_tokens)
    chosen: list[ExactnessQuery] = []
    for length in lengths:
        pending, kept = candidates[length], []
        while pending and len(kept) < n_each:
            batch, pending = pending[:3 * n_each], pending[3 * n_each:]
            counts = exact.counts({f for form in batch for f in look_alikes[fold(form)]})
            kept += [form for form in batch if counts[form] >= EXACT_MIN_DF and any(
                counts[other] >= EXACT_MIN_DF for other in look_alikes[fold(form)] if other != form)]
        chosen += [ExactnessQuery(form, form) for form in kept[:n_each]]
    return chosen
