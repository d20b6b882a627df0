"""Near-duplicate articles: shingles of the folded body, MinHash band keys for candidates, Jaccard decides.

Two pages are copies (`are_copies`) when the sets of their SHINGLE-word shingles (words
folded: no diacritics, lowercase, `đ` as `d`, so that NFD, old tone placement and typing
do not matter) have a Jaccard similarity of at least THRESHOLD: an article republished
with its own intro line or signature, retitled or lightly edited. Two guards against
templates, whose pages share a text but not a subject: the titles must agree unless
the texts are SAME_TEXT alike, titles carrying different numbers never do (the November
and December notices of one template), and texts under MIN_SHINGLES are never compared.
Measured on the 34,870-article corpus (`benchmarks/bench_duplicates.py`): 113 pairs
(0.6% of the articles) are merged, and spot checks find them to be one story
republished; from 0.5 to 0.7, and above 0.7 under other titles, come rewrites that
share background paragraphs but report other events (a trial and its postponement, an
arrest and the earlier warrant, a crash and the hospital's account), which stay apart.
Synthetic ward republications (30 words of intro replaced, a signature added) are found
95.6% of the time; the misses are the shortest articles.

Candidates come from MinHash locality-sensitive hashing: BANDS bands of ROWS minimum
hashes each (`band_keys`), indexed as terms; pages sharing a term are compared exactly
(`similarity`). A pair at the threshold shares a band with probability
1 - (1 - 0.7^2)^8 = 0.995. Pages sharing a band because they share a template's sentences are
many (a template's pages are all candidates of one another) and rarely copies: before the exact
count, `signatures_agree` drops the pairs with at most 4 of their 16 minimum hashes equal (an
estimated Jaccard of 0.25 at most), which a pair at the threshold sharing a band is with
probability 2.4e-5 (its other 14 hashes agreeing at most twice). Multiply-shift hashing on
numpy arrays costs 0.09 ms per article (median), `datasketch.MinHash` 2.5 ms for the same 16
hashes. Everything is a pure function of the text: the same keys in every process and run (no
salted `hash()`), so a rebuild finds the copies the updates found.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from whoosh.analysis import Token, Tokenizer

SHINGLE = 5               # words per shingle: about two Vietnamese words of two or three syllables
THRESHOLD = 0.7           # Jaccard similarity from which two bodies under agreeing titles are one article
SAME_TEXT = 0.9           # ... and from which they are one article whatever their titles
BANDS, ROWS = 8, 2
SCREENED_MATCHES = 4       # candidates with at most this many of their minimum hashes equal are dropped
MIN_SHINGLES = 40         # shorter texts (about 45 words) are not compared: templates, not articles
MAX_WORDS = 2_000         # the rest of a long text adds little to telling copies apart, and costs
_WORD = re.compile(rb"[a-z0-9]+")
_BASE = np.uint64(1_000_003)
_MULTIPLIERS = np.random.default_rng(20230316).integers(1 << 62, 1 << 63, size=BANDS * ROWS,
                                                       dtype=np.uint64) | np.uint64(1)   # same keys every run
_NONE = np.empty(0, dtype=np.uint64)


# The last text's shingles, by identity: an extraction process makes them for the band keys and sends
# them to the writer too. A tuple swap is atomic: thread-safe. The arrays are never written to.
_last: tuple[str, np.ndarray] = ("", _NONE)


def shingles(text: str) -> np.ndarray:
    """The text's shingles: sorted unique 32-bit hashes of SHINGLE consecutive folded words."""
    global _last
    last_text, found = _last
    if text is not last_text:
        found = _shingles(text)
        _last = (text, found)
    return found


def _shingles(text: str) -> np.ndarray:
    words = _folded_words(text[: MAX_WORDS * 12])[:MAX_WORDS]
    if len(words) < SHINGLE:
        return _NONE
    hashes = np.fromiter(map(_word_hash, words), dtype=np.uint64, count=len(words))
    count = len(words) - SHINGLE + 1
    combined = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):               # a polynomial hash modulo 2^64
        for offset in range(SHINGLE):
            combined = combined * _BASE + hashes[offset: offset + count]
    return np.unique(combined >> np.uint64(32))


def band_keys(found: np.ndarray) -> list[str]:
    """The LSH terms of a shingle set, one per band: `"<band>:<its minimum hashes in hex>"`; none when short.

    The hash functions are multiply-shift ones (odd 64-bit multipliers, the high 32 bits kept).
    """
    return _keys(signature(found)) if len(found) >= MIN_SHINGLES else []


def _keys(minimums: np.ndarray) -> list[str]:
    rows = minimums.reshape(BANDS, ROWS).tolist()
    return [f"{band:x}:" + "".join(f"{value:08x}" for value in row) for band, row in enumerate(rows)]


def signature(found: np.ndarray) -> np.ndarray:
    """The shingle set's BANDS * ROWS minimum hashes (zeros for an empty set)."""
    if not len(found):
        return np.zeros(BANDS * ROWS, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return ((found[:, None] * _MULTIPLIERS[None, :]) >> np.uint64(32)).min(axis=0)


@dataclass(frozen=True, eq=False)
class Fingerprint:
    """What telling two pages' copies apart needs: the text's shingles and their minimum hashes, the
    title's words and numbers."""

    shingles: np.ndarray
    title_words: frozenset[bytes]
    title_numbers: frozenset[bytes]
    signature: np.ndarray

    def band_keys(self) -> list[str]:
        """`band_keys(self.shingles)`, from the signature already made."""
        return _keys(self.signature) if len(self.shingles) >= MIN_SHINGLES else []


def fingerprint(title: str, text: str, found: np.ndarray | None = None) -> Fingerprint:
    """`found`: the text's shingles when already made (by an extraction process)."""
    words = frozenset(_folded_words(title))
    found = shingles(text) if found is None else found
    return Fingerprint(found, words, frozenset(w for w in words if w.isdigit()), signature(found))


def signatures_agree(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Row by row, for two stacks of signatures (one pair of pages per row): whether more than
    SCREENED_MATCHES of their minimum hashes are equal, which candidate copies are and most pages sharing
    a template's sentences are not (see the module's docstring): the exact count is left for those."""
    return (first == second).sum(axis=1) > SCREENED_MATCHES


def are_copies(a: Fingerprint, b: Fingerprint, threshold: float = THRESHOLD) -> bool:
    """Texts at least `threshold` similar under titles that agree (half the words of the shorter in the
    other), or SAME_TEXT similar whatever the titles. Never two numbers of a series: titles whose numbers
    differ ("Lịch tiếp công dân tháng 11/2023", "... tháng 12/2023") are notices of one template."""
    return copies_among(a, [b], threshold)[0]


def copies_among(a: Fingerprint, others: list[Fingerprint], threshold: float = THRESHOLD) -> list[bool]:
    """`are_copies(a, other)` for each of `others`, the shingles they share with `a` counted in one pass
    over them all (a page's candidate copies are checked together: one numpy call per pair was most of
    settling a rebuild's clusters)."""
    found = [False] * len(others)
    checked, needs = [], []
    for index, b in enumerate(others):
        if a.title_numbers and b.title_numbers and a.title_numbers != b.title_numbers:
            continue
        needed = min(threshold, SAME_TEXT) if _titles_agree(a.title_words, b.title_words) else SAME_TEXT
        sizes = len(a.shingles), len(b.shingles)
        if min(sizes) < MIN_SHINGLES or min(sizes) < (needed - 1e-9) * max(sizes):   # Jaccard <= smaller /
            continue                                                                 # larger: no count
        checked.append(index)
        needs.append(needed)
    if checked:
        sizes = np.array([len(others[index].shingles) for index in checked])
        values = np.concatenate([others[index].shingles for index in checked])
        shared = a.shingles.take(np.searchsorted(a.shingles, values), mode="clip") == values
        common = np.add.reduceat(shared, np.cumsum(sizes) - sizes, dtype=np.int64)   # none is empty
        alike = common / (len(a.shingles) + sizes - common)
        for index, similar, needed in zip(checked, alike.tolist(), needs, strict=True):
            found[index] = similar >= needed
    return found


def _titles_agree(a: frozenset[bytes], b: frozenset[bytes]) -> bool:
    shorter = min(a, b, key=len)
    return bool(shorter) and len(a & b) >= 0.5 * len(shorter)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two shingle sets (0 when either is too short to tell)."""
    if len(a) < MIN_SHINGLES or len(b) < MIN_SHINGLES:
        return 0.0
    common = _common(a, b)
    return common / (len(a) + len(b) - common)


def _common(a: np.ndarray, b: np.ndarray) -> int:
    """How many values two sorted unique arrays share: a binary search of the shorter's in the longer,
    half the time of `np.intersect1d`, which sorts both again (most of the near-duplicate pass)."""
    if len(a) > len(b):
        a, b = b, a
    found = b.take(np.searchsorted(b, a), mode="clip")
    return int(np.count_nonzero(found == a))


def _folded_words(text: str) -> list[bytes]:
    """Lowercase words without diacritics, `đ` as `d`, whole text at once: NFD, then only ASCII kept.

    Scripts other than Latin vanish, which is fine for telling Vietnamese copies apart.
    """
    folded = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return _WORD.findall(folded.encode("ascii", "ignore"))


@lru_cache(maxsize=200_000)
def _word_hash(word: bytes) -> int:
    return zlib.crc32(word) | (len(word) << 32)


class BandKeysTokenizer(Tokenizer):
    """A text's band keys as the terms of a field (no positions): how the index finds candidate copies."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, key in enumerate(band_keys(shingles(value))):
            token.text, token.boost, token.stopped = key, 1.0, False
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
