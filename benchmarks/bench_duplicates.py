"""Near-duplicate detection on the corpus: how many pairs are merged at the threshold, and how fast.

Run from the project root:  .venv/bin/python -m benchmarks.bench_duplicates [--docs N] [--show 5]

For every article (lead + body, as indexed): the shingles and MinHash band keys of
`indexer.analysis.near_duplicates` (timed per article), the candidate pairs that share a band,
their exact Jaccard similarity, and the pairs at or above the threshold, which are the
pairs the index treats as one article. The corpus holds articles from many outlets, so
pairs above the threshold are either true republications or rewrites of one source;
`--show N` prints N title pairs per similarity band to the terminal (never to a file)
for spot checks.

Recall is measured on copies made here the way a ward republishes a district article:
its first 30 words replaced by another article's (the ward's own intro line) and a
signature line added. Each
such copy should be found (share a band with its original and pass the threshold).

With `datasketch` installed (it is not a dependency), the same signatures are timed
with `datasketch.MinHash` for comparison. Exit status 1 when the recall of synthetic copies
is under 0.9 or more than 1% of the articles are merged with another.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

if not __package__:                      # run as `python benchmarks/bench_duplicates.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import Article, add_corpus_options, load_or_exit  # noqa: E402
from benchmarks.tables import format_table  # noqa: E402
from indexer.analysis.near_duplicates import (  # noqa: E402
    BANDS,
    MIN_SHINGLES,
    ROWS,
    THRESHOLD,
    Fingerprint,
    are_copies,
    band_keys,
    fingerprint,
    signatures_agree,
    similarity,
)

MIN_RECALL = 0.9
MAX_MERGED_SHARE = 0.01
SIGNATURE = "Tin, ảnh: Ban Văn hóa - Xã hội phường"
INTRO_WORDS = 30          # a ward's own intro line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_corpus_options(parser)
    parser.add_argument("--show", type=int, default=0, metavar="N",
                        help="print N title pairs per similarity band (terminal only)")
    parser.add_argument("--copies", type=int, default=500, help="synthetic republications to find")
    parser.add_argument("--threshold", type=float, default=THRESHOLD,
                        help=f"Jaccard similarity that merges (default: the index's, {THRESHOLD})")
    args = parser.parse_args()
    articles = load_or_exit(args)

    prints, shingle_ms = timed(lambda a: fingerprint(a.title, a.text), articles)
    sets = [found.shingles for found in prints]
    keys, band_ms = timed(band_keys, sets)
    pairs = candidate_pairs(keys)
    similar = {pair: similarity(sets[pair[0]], sets[pair[1]]) for pair in pairs}
    threshold = args.threshold
    merged = [(a, b) for a, b in pairs
              if screened(prints[a], prints[b]) and are_copies(prints[a], prints[b], threshold)]
    in_merged = {i for pair in merged for i in pair}

    print(f"{len(articles)} articles; {BANDS} bands of {ROWS} rows; threshold {threshold}")
    print(format_table(["step", "median ms/article", "mean ms/article"],
                       [["fingerprint", statistics.median(shingle_ms), statistics.fmean(shingle_ms)],
                        ["band keys", statistics.median(band_ms), statistics.fmean(band_ms)]]))
    print()
    print(format_table(["Jaccard", "candidate pairs"], histogram(similar.values(), threshold)))
    print()
    print(f"candidate pairs {len(pairs)}, merged pairs {len(merged)}, articles merged with another "
          f"{len(in_merged)} ({len(in_merged) / max(1, len(articles)):.2%})")
    recall = copy_recall(articles, prints, args.copies, args.seed, threshold)
    short = sum(len(found.shingles) < MIN_SHINGLES for found in prints)
    print(f"synthetic republications found: {recall:.3f} (n={min(args.copies, len(articles))}); "
          f"{short} articles too short to compare")
    compare_datasketch(sets)
    if args.show:
        show(articles, similar, args.show, args.seed)
    if recall < MIN_RECALL or len(in_merged) > MAX_MERGED_SHARE * len(articles):
        sys.exit(1)


def timed(function, items):
    """The results and the milliseconds each call took."""
    results, times = [], []
    for item in items:
        started = time.perf_counter()
        results.append(function(item))
        times.append((time.perf_counter() - started) * 1000)
    return results, times


def candidate_pairs(keys: list[list[str]]) -> set[tuple[int, int]]:
    buckets: dict[str, list[int]] = defaultdict(list)
    for index, found in enumerate(keys):
        for key in found:
            buckets[key].append(index)
    return {pair for members in buckets.values() if len(members) > 1
            for pair in itertools.combinations(members, 2)}


def screened(a: Fingerprint, b: Fingerprint) -> bool:
    """Whether the pair passes the signature screen the index applies before counting (`signatures_agree`)."""
    return bool(signatures_agree(a.signature[None], b.signature[None])[0])


def histogram(values, threshold: float) -> list[list[object]]:
    bins = Counter(min(int(value * 10), 9) for value in values)
    return [[f"{b / 10:.1f}-{(b + 1) / 10:.1f}{' (merged)' if b / 10 >= threshold else ''}", bins[b]]
            for b in range(10)]


def copy_recall(articles: list[Article], prints: list[Fingerprint], count: int, seed: int,
                threshold: float) -> float:
    """Share of synthetic ward republications found as copies: the first INTRO_WORDS words replaced by
    another article's (an intro line of the ward's own) and a signature line added. Articles too short
    to be compared at all (under MIN_SHINGLES shingles) are left out."""
    rng = random.Random(seed)
    comparable = [i for i, found in enumerate(prints) if len(found.shingles) >= MIN_SHINGLES]
    chosen = rng.sample(comparable, min(count, len(comparable)))
    found = 0
    for index in chosen:
        intro = articles[rng.randrange(len(articles))].text.split()[:INTRO_WORDS]
        text = " ".join([*intro, *articles[index].text.split()[INTRO_WORDS:], "\n\n", SIGNATURE])
        copy, original = fingerprint(articles[index].title, text), prints[index]
        shares_band = bool(set(band_keys(copy.shingles)) & set(band_keys(original.shingles)))
        if shares_band and screened(copy, original) and are_copies(copy, original, threshold):
            found += 1
    return found / max(1, len(chosen))


def compare_datasketch(sets) -> None:
    try:
        from datasketch import MinHash
    except ImportError:
        print("datasketch not installed: no comparison (pip install datasketch in a scratch venv)")
        return
    sample = sets[:2000]
    _, ours = timed(band_keys, sample)

    def theirs(found):
        signature = MinHash(num_perm=BANDS * ROWS)
        signature.update_batch([int(v).to_bytes(4, "little") for v in found])
        return signature.hashvalues

    _, datasketch_ms = timed(theirs, sample)
    print(f"signatures of the same shingles, median ms/article (n={len(sample)}): ours "
          f"{statistics.median(ours):.3f}, datasketch.MinHash {statistics.median(datasketch_ms):.3f}")


def show(articles: list[Article], similar: dict, count: int, seed: int) -> None:
    rng = random.Random(seed)
    for low in (0.5, 0.6, 0.7, 0.8, 0.9):
        chosen = [pair for pair, value in similar.items() if low <= value < low + 0.1]
        print(f"--- Jaccard {low:.1f}-{low + 0.1:.1f}: {len(chosen)} pairs")
        for a, b in rng.sample(chosen, min(count, len(chosen))):
            print(f"  {similar[(a, b)]:.2f}  {articles[a].title[:70]}  ||  {articles[b].title[:70]}")


if __name__ == "__main__":
    main()
