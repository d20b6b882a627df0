"""Near-duplicate articles: shingles of the folded body, MinHash band keys for candidates, Jaccard decides.

Two pages are copies when the sets of their SHINGLE-word shingles (words folded: no
diacritics, lowercase, `đ` as `d`, so that NFD, old tone placement and typing do not
matter) have a Jaccard similarity of at least THRESHOLD: an article republished with its
own intro line or signature, retitled or lightly edited. Measured on the 34,870-article
corpus (`benchmarks/bench_duplicates.py`): at 0.7, 125 pairs (0.68% of the articles)
are merged, and spot checks find them to be one story republished; from 0.5 to 0.7
come rewrites that share background paragraphs but report different events (a trial
and its postponement, an arrest and the earlier warrant), which must stay apart.
Synthetic ward republications (30 words of intro replaced, a signature added) are
found 93% of the time at 0.7; the misses are articles of under about 150 words.

Candidates come from MinHash locality-sensitive hashing: BANDS bands of ROWS minimum
hashes each (`band_keys`), indexed as terms; pages sharing a term are compared exactly
(`similarity`). A pair at the threshold shares a band with probability
1 - (1 - 0.7^2)^8 = 0.995. Multiply-shift hashing on numpy arrays costs 0.09 ms per
article (median), `datasketch.MinHash` 2.5 ms for the same 16 hashes. Everything is a
pure function of the text: the same keys in every process and run (no salted `hash()`),
so a rebuild finds the copies the updates found.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from functools import lru_cache

import numpy as np

SHINGLE = 5               # words per shingle: about two Vietnamese words of two or three syllables
THRESHOLD = 0.7           # Jaccard similarity from which two bodies are one article
BANDS, ROWS = 8, 2
MIN_SHINGLES = 8          # shorter texts (a notice of a line) are not compared: too little to tell copies
MAX_WORDS = 20_000        # the rest of a very long text adds nothing to telling copies apart
_WORD = re.compile(rb"[a-z0-9]+")
_BASE = np.uint64(1_000_003)
_MULTIPLIERS = np.random.default_rng(20230316).integers(1 << 62, 1 << 63, size=BANDS * ROWS,
                                                       dtype=np.uint64) | np.uint64(1)   # same keys every run
_NONE = np.empty(0, dtype=np.uint64)


def shingles(text: str) -> np.ndarray:
    """The text's shingles: sorted unique 32-bit hashes of SHINGLE consecutive folded words."""
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
    if len(found) < MIN_SHINGLES:
        return []
    with np.errstate(over="ignore"):
        minimums = ((found[:, None] * _MULTIPLIERS[None, :]) >> np.uint64(32)).min(axis=0)
    rows = minimums.reshape(BANDS, ROWS).tolist()
    return [f"{band:x}:" + "".join(f"{value:08x}" for value in row) for band, row in enumerate(rows)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two shingle sets (0 when either is too short to tell)."""
    if len(a) < MIN_SHINGLES or len(b) < MIN_SHINGLES:
        return 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def are_copies(a: np.ndarray, b: np.ndarray) -> bool:
    return similarity(a, b) >= THRESHOLD


def _folded_words(text: str) -> list[bytes]:
    """Lowercase words without diacritics, `đ` as `d`, whole text at once: NFD, then only ASCII kept.

    Scripts other than Latin vanish, which is fine for telling Vietnamese copies apart.
    """
    folded = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return _WORD.findall(folded.encode("ascii", "ignore"))


@lru_cache(maxsize=200_000)
def _word_hash(word: bytes) -> int:
    return zlib.crc32(word) | (len(word) << 32)
