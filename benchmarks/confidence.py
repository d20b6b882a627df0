"""Confidence intervals for per-query figures (MRR, shares), by the bootstrap over queries."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

RESAMPLES = 2000
LEVEL = 0.95


def bootstrap_interval(values: Sequence[float], seed: int, resamples: int = RESAMPLES,
                       level: float = LEVEL) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean: the queries are resampled with replacement.

    Seeded, so a re-run prints the same interval; (nan, nan) for no values.
    """
    if not values:
        return float("nan"), float("nan")
    data = np.asarray(values, dtype=float)
    draws = np.random.default_rng(seed).integers(0, len(data), size=(resamples, len(data)))
    means = data[draws].mean(axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(low), float(high)
