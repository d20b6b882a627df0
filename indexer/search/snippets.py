"""Snippets and highlights: the words of the original text that matched, whatever form the query used.

The text's tokens, as the index's own tokenizer cuts them (with character
offsets into the text as given), are compared with the query terms in folded
form, so `thuy`, `thuý` and an NFD `thúy` all mark `Thúy`, and `10-CT/TW` marks
the whole document number. Plain text is not tokenised: its tokens are its runs
of letters and digits, found by regular expressions on the text folded once
(`_scanned_matches`). Everything taken from the document
is HTML-escaped; the only markup in the result is `<mark>`.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
import string
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from indexer.analysis.abbreviations import Abbreviations
from indexer.analysis.normalize import exact_form, fold, folded_form
from indexer.analysis.tokenizer import BREAK_CHARS, VietnameseTokenizer, is_break, token_spans
from indexer.search.query import ParsedQuery, parse_query

SCAN_CHARS = 100_000        # only this much of a text is searched for matches: bounded cost
ELLIPSIS = "…"
DISTINCT_WEIGHT = 10        # window score: each distinct term found ...
ADJACENT_BONUS = 3          # ... a matched word right after another query word ...
PHRASE_BONUS = 5            # ... a whole quoted phrase ...
EXACT_BONUS = 2             # ... a word with exactly the diacritics the query gave
_SPACE = re.compile(r"\s+")
_NON_SPACE = re.compile(r"\S")
_TOKENIZER = VietnameseTokenizer()


@dataclass(frozen=True)
class QueryTerms:
    """What to mark, in folded forms.

    `words` are marked wherever they occur; `phrases` (quoted phrases, expansions
    of abbreviations) only where all their syllables stand together in order.
    `exact` holds the exact forms of words typed with diacritics: text that has
    exactly those forms is preferred when choosing the window, as search ranks it.
    Build it once per query and reuse it for every result.
    """

    words: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()
    exact: frozenset[str] = frozenset()

    @classmethod
    def from_strings(cls, words: Iterable[str] = (), phrases: Iterable[str] = ()) -> QueryTerms:
        """Terms from query words and phrases written in any form (`10-CT/TW`, `dang vien`)."""
        folded: set[str] = set()
        exact: set[str] = set()
        for text in words:
            for form in _whole_tokens(text):
                folded.add(fold(form))
                if form != fold(form):
                    exact.add(form)
        sequences = tuple(seq for seq in (tuple(_position_tokens(p)) for p in phrases) if seq)
        return cls(frozenset(folded), tuple(dict.fromkeys(sequences)), frozenset(exact))

    @classmethod
    def from_parsed(cls, parsed: ParsedQuery, abbreviations: Abbreviations | None = None) -> QueryTerms:
        """What a search marks: its free words, its quoted phrases, and their abbreviation expansions."""
        words = [u.raw for u in parsed.words]
        phrases = [" ".join(u.raw for u in units) for units in parsed.phrases]
        for expansion in (abbreviations or Abbreviations()).expansions(parsed.words):
            for alternative in expansion.alternatives:
                (phrases if " " in alternative else words).append(alternative)
        return cls.from_strings(words, phrases)

    def __or__(self, other: QueryTerms) -> QueryTerms:
        return QueryTerms(self.words | other.words, tuple(dict.fromkeys(self.phrases + other.phrases)),
                          self.exact | other.exact)

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    key: object          # a folded word, or the index of a phrase
    bonus: int


def make_snippet(text: str | None, query_terms: QueryTerms | Iterable[str] | str | None,
                 max_chars: int = 240) -> str:
    """An escaped excerpt of at most `max_chars` visible characters around the best matches.

    The window holding the most distinct terms (then adjacent ones, then the most)
    wins; it is cut at word boundaries, with `…` where the text goes on. Without a
    match, the text's beginning.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, not {max_chars}")
    if not text:
        return ""
    terms = as_query_terms(query_terms)
    budget = max(1, max_chars - 2 * len(ELLIPSIS))
    matches = _find_matches(text, terms)
    if matches:
        first, last = _best_window(matches, budget)
        start, end = _place_window(text, matches[first].start, matches[last].end, budget)
        shown = [m for m in matches if m.end > start and m.start < end]
    else:
        start, end = _place_window(text, 0, 0, budget)
        shown = []
    body = _render(text, start, end, shown)
    prefix = ELLIPSIS if _NON_SPACE.search(text, 0, start) else ""
    suffix = ELLIPSIS if _NON_SPACE.search(text, end) else ""
    return f"{prefix}{body}{suffix}"


def highlight_title(title: str | None, query_terms: QueryTerms | Iterable[str] | str | None) -> str:
    """The whole title, escaped, with matched words marked."""
    if not title:
        return ""
    matches = _find_matches(title, as_query_terms(query_terms))
    return _render(title, 0, len(title), matches)


def as_query_terms(query_terms: QueryTerms | Iterable[str] | str | None) -> QueryTerms:
    """Accepts a QueryTerms, a query string as the search box takes it, or an iterable of query words."""
    if query_terms is None:
        return QueryTerms()
    if isinstance(query_terms, QueryTerms):
        return query_terms
    if isinstance(query_terms, str):
        return QueryTerms.from_parsed(parse_query(query_terms))
    return QueryTerms.from_strings(query_terms)


# -- query side ----------------------------------------------------------------------

def _whole_tokens(text: str) -> list[str]:
    """Exact forms of a query word's tokens, compounds whole (their parts are not terms of their own)."""
    forms, whole = [], (-1, -1)
    for token in _TOKENIZER(text, chars=True):     # a compound comes first, then its parts
        span = (token.startchar, token.endchar)
        if span == whole or span[0] >= whole[1]:
            forms.append(exact_form(token.text))
            whole = span
    return forms


def _position_tokens(text: str) -> list[str]:
    """Folded tokens of a phrase, one per position (compounds as their parts), as phrases match."""
    by_position: dict[int, str] = {}
    for token in _TOKENIZER(text, positions=True):
        by_position[token.pos] = folded_form(token.text)
    return [by_position[p] for p in sorted(by_position)]


# -- text side -------------------------------------------------------------------------

def _find_matches(text: str, terms: QueryTerms) -> list[_Match]:
    """Every matched word and phrase in the scanned part of `text`, by start offset."""
    if not terms:
        return []
    scanned = text[:SCAN_CHARS]
    if _scannable(scanned, terms):
        return _scanned_matches(scanned, terms)
    return _tokenised_matches(scanned, terms)


def _tokenised_matches(scanned: str, terms: QueryTerms) -> list[_Match]:
    """The matches found by tokenising the clauses that may hold one: any text, any query."""
    words = terms.words
    matches: list[_Match] = []
    sequence: dict[int, tuple[str, int, int]] = {}     # position -> (folded, start, end), parts win
    matched_at: dict[int, str] = {}
    base = 0
    for chunk_start, chunk_end in _candidate_chunks(scanned, words | {s for p in terms.phrases for s in p}):
        pos = base
        for token, pos, start, end in token_spans(scanned[chunk_start:chunk_end]):
            pos, start, end = base + pos, chunk_start + start, chunk_start + end
            form = folded_form(token)
            sequence[pos] = (form, start, end)
            if form in words:
                before = matched_at.get(pos - 1)
                bonus = ADJACENT_BONUS if before is not None and before != form else 0
                if terms.exact and exact_form(token) in terms.exact:
                    bonus += EXACT_BONUS
                matched_at[pos] = form
                matches.append(_Match(start, end, form, bonus))
        base = pos + 3                                  # never adjacent to the next chunk
    if terms.phrases:
        matches.extend(_phrase_matches(sequence, terms.phrases))
        matches.sort(key=lambda m: (m.start, m.end))
    return matches


def _scannable(scanned: str, terms: QueryTerms) -> bool:
    """Whether `_scanned_matches` finds exactly what tokenising would: plain text (which folds character
    by character, `_FOLD_CLAUSE`) and needles that are plain syllables or numbers (no compound, and no
    number that the text may hold with thousands separators, which the tokenizer also joins)."""
    needles = terms.words.union(*terms.phrases)
    if not all(_PLAIN_NEEDLE.fullmatch(n) for n in needles) or _UNPLAIN.search(scanned):
        return False
    return not (_GROUPED_DIGITS.search(scanned) and any(n.isdigit() and len(n) > 3 for n in needles))


def _scanned_matches(scanned: str, terms: QueryTerms) -> list[_Match]:
    """The matches found by regular expressions on the text folded once: no per-token Python work.

    Tokens of plain text are its runs of letters and digits, so a needle matches where it stands
    as a whole run of the folded text; two runs are at consecutive positions when nothing but
    a gap that the tokenizer does not count as a clause break (`is_break`) separates them."""
    folded = scanned.translate(_FOLD_CLAUSE)
    matches: list[_Match] = []
    if terms.words:
        previous: tuple[str, int] | None = None        # the last match's form and end
        for found in _words_pattern(terms.words).finditer(folded):
            form, start, end = found.group(), found.start(), found.end()
            adjacent = previous is not None and previous[0] != form and _next_to(folded, previous[1], start)
            bonus = ADJACENT_BONUS if adjacent else 0
            if terms.exact and exact_form(scanned[start:end]) in terms.exact:
                bonus += EXACT_BONUS
            matches.append(_Match(start, end, form, bonus))
            previous = (form, end)
    for index, phrase in enumerate(terms.phrases):
        for found in _phrase_pattern(phrase).finditer(folded):
            matches.append(_Match(found.start(), found.start() + len(found.group(1)), ("phrase", index),
                                  PHRASE_BONUS))
    if terms.phrases:
        matches.sort(key=lambda m: (m.start, m.end))
    return matches


def _next_to(folded: str, end: int, start: int) -> bool:
    """Whether the runs ending at `end` and starting at `start` stand at consecutive positions."""
    gap = folded[end:start]
    return not _HAS_TOKEN.search(gap) and not is_break(gap)


@functools.lru_cache(maxsize=256)
def _words_pattern(words: frozenset[str]) -> re.Pattern:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")


@functools.lru_cache(maxsize=256)
def _phrase_pattern(phrase: tuple[str, ...]) -> re.Pattern:
    """Every start (overlapping ones too: a lookahead) of the phrase's runs at consecutive positions."""
    body = _GAP.join(re.escape(s) for s in phrase)
    return re.compile(rf"(?<![^\W_])(?=({body})(?![^\W_]))")


def _candidate_chunks(text: str, needles: set[str] | frozenset[str]) -> Iterator[tuple[int, int]]:
    """Character ranges of `text` (runs of whole clauses) outside which no token can match a needle.

    Tokenising and folding every token of a long article was most of a search's time. The text
    is cut after each line break and each clause mark followed by a space (`. `, `; `, `? `…):
    the tokenizer separates positions there too (`token_spans`), so a cut changes no token and
    no adjacency. A clause of plain Vietnamese (ASCII, precomposed Vietnamese letters and common
    typography) folds character by character (`_FOLD_CLAUSE`, a C-speed translate) to the
    folded forms of its tokens, so a clause whose folded text contains no needle holds no match
    and is skipped. Clauses with any other token character, and those without a token (which
    phrases run across), are kept; `_find_matches` marks where clauses were skipped, so that no
    phrase spans them.
    """
    cuts = [0, *(min(cut.end(), len(text)) for cut in _CLAUSE_END.finditer(text + "\n"))]
    kept = _clauses_holding(text.translate(_FOLD_CLAUSE), cuts, needles)
    kept.update(bisect_right(cuts, m.start()) - 1 for m in _UNPLAIN.finditer(text))
    if any(n.isdigit() for n in needles):             # `1.250.000` is also the token `1250000`
        kept.update(bisect_right(cuts, m.start()) - 1 for m in _GROUPED_DIGITS.finditer(text))
    chunk_start = 0
    keeping = False
    for clause, (start, end) in enumerate(itertools.pairwise(cuts)):
        keep = clause in kept or not _HAS_TOKEN.search(text, start, end)
        if keep and not keeping:
            chunk_start = start
        elif keeping and not keep:
            yield chunk_start, start
        keeping = keep
    if keeping:
        yield chunk_start, len(text)


def _clauses_holding(folded: str, cuts: list[int], needles: Iterable[str]) -> set[int]:
    """Which clauses (`folded[cuts[i]:cuts[i + 1]]`) contain a needle: one `str.find` per clause that
    does, on the text folded once (folding keeps every character's offset)."""
    holding: set[int] = set()
    for needle in needles:
        if not needle:                               # the empty string is in every clause
            return set(range(len(cuts) - 1))
        found = folded.find(needle)
        while found >= 0:
            clause = bisect_right(cuts, found) - 1
            end = found + len(needle)
            if end <= cuts[clause + 1] and _standalone(folded, found, end):
                holding.add(clause)                  # within the clause (a needle never spans a cut)
                found = folded.find(needle, cuts[clause + 1])
            else:
                found = folded.find(needle, found + 1)
    return holding


def _standalone(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` can be a token: no letter or digit right before or after it (a token's
    letters and digits run on: `an` in `nhan` is none). Short syllables are inside most words."""
    return not (start and text[start - 1].isalnum()) and not (end < len(text) and text[end].isalnum())


def _vietnamese_letters() -> str:
    """Every precomposed letter of Vietnamese, both cases."""
    letters = set()
    for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY":
        for tone in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"):
            letters.add(unicodedata.normalize("NFC", base + tone))
    return "".join(sorted(c for c in letters | {"đ", "Đ"} if len(c) == 1))


_LETTERS = _vietnamese_letters()
_FOLD_CLAUSE = {ord(c): folded_form(c) for c in _LETTERS + string.ascii_uppercase}
_HAS_TOKEN = re.compile(r"[^\W_]")
_CLAUSE_END = re.compile(r"\n|[.,;:!?…]\s+")
# Anything but ASCII, Vietnamese letters, whitespace and common typography: combining marks,
# invisible characters, letters and digits that normalisation changes (`²`, `ｕ`).
_UNPLAIN = re.compile(rf"[^\x00-\x7f{_LETTERS}\s“”‘’–—…«»•·°]")
_PLAIN_NEEDLE = re.compile(r"[^\W_]+")
_GROUPED_DIGITS = re.compile(r"\d\.\d{3}")
# What may separate two runs of letters and digits at consecutive positions: anything but a clause
# break (`is_break`: a line break, or clause punctuation together with a space).
_GAP = "(?:(?:[^\\w\\s]|_)+|(?:[^\\w\\n{}]|_)+)".format(re.escape("".join(sorted(BREAK_CHARS))))


def _phrase_matches(sequence: dict[int, tuple[str, int, int]],
                    phrases: tuple[tuple[str, ...], ...]) -> list[_Match]:
    """Where each phrase's syllables stand at consecutive positions (a clause break leaves one free)."""
    found = []
    for index, phrase in enumerate(phrases):
        last = len(phrase) - 1
        for pos, (_, start, _) in sequence.items():
            if all(sequence.get(pos + k, ("",))[0] == phrase[k] for k in range(last + 1)):
                found.append(_Match(start, sequence[pos + last][2], ("phrase", index), PHRASE_BONUS))
    return found


def _best_window(matches: list[_Match], budget: int) -> tuple[int, int]:
    """Indexes of the first and last match of the best window no wider than `budget`."""
    counts: Counter = Counter()
    best, best_score, bonus, right = (0, 0), -1, 0, 0
    for left, first in enumerate(matches):
        right = max(right, left)
        # A window holds at least its first match, even one wider than the budget.
        while right < len(matches) and (right == left or matches[right].end - first.start <= budget):
            counts[matches[right].key] += 1
            bonus += 1 + matches[right].bonus
            right += 1
        score = DISTINCT_WEIGHT * len(counts) + bonus
        if score > best_score:
            best, best_score = (left, right - 1), score
        counts[first.key] -= 1
        if not counts[first.key]:
            del counts[first.key]
        bonus -= 1 + first.bonus
    return best


def _place_window(text: str, first: int, last: int, budget: int) -> tuple[int, int]:
    """Character range of about `budget` chars holding [first, last), cut between words."""
    slack = max(0, budget - (last - first))
    start = 0 if first <= slack else first - min(slack // 2, budget // 4)
    end = min(len(text), start + budget)
    start = max(0, min(start, end - budget)) if end == len(text) else start
    if start > 0 and not text[start - 1].isspace():
        space = _next_space(text, start, first)
        start = space + 1 if space >= 0 else first
    if end < len(text) and not text[end].isspace():
        space = _last_space(text, max(last, start), end)
        if space > start:
            end = space
        elif last > start:
            end = last
        # else: one word longer than the window, cut inside it
    return start, end


def _next_space(text: str, start: int, limit: int) -> int:
    match = _SPACE.search(text, start, limit)
    return match.start() if match else -1


def _last_space(text: str, low: int, end: int) -> int:
    for index in range(end - 1, low - 1, -1):
        if text[index].isspace():
            return index
    return -1


def _render(text: str, start: int, end: int, matches: Iterable[_Match]) -> str:
    """text[start:end] escaped, whitespace collapsed, marks merged across plain spaces."""
    spans = _merge_spans(text, sorted((max(m.start, start), min(m.end, end)) for m in matches
                                      if m.end > start and m.start < end))
    pieces, cursor = [], start
    for mark_start, mark_end in spans:
        pieces.append(_escape(text[cursor:mark_start]))
        pieces.append(f"<mark>{_escape(text[mark_start:mark_end])}</mark>")
        cursor = mark_end
    pieces.append(_escape(text[cursor:end]))
    return "".join(pieces).strip()


def _merge_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and (start <= merged[-1][1] or _plain_space(text[merged[-1][1]:start])):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _plain_space(gap: str) -> bool:
    return gap.isspace() and "\n" not in gap


def _escape(fragment: str) -> str:
    return html.escape(_SPACE.sub(" ", fragment))
