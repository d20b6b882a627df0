"""What a site was asked: its request log (one day of it, usually), counted for the checks."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from tests.sites import Request


@dataclass(frozen=True)
class Traffic:
    requests: tuple[Request, ...]

    @property
    def count(self) -> int:
        return len(self.requests)

    @property
    def bytes(self) -> int:
        """Body bytes answered (304s and refusals count what they sent: nothing, or a short page)."""
        return sum(r.bytes for r in self.requests)

    def per_path(self) -> Counter[str]:
        return Counter(r.path for r in self.requests)

    def statuses(self) -> Counter[int]:
        return Counter(r.status for r in self.requests)

    def min_gap(self) -> float:
        """The shortest time between two consecutive requests, in seconds (inf with fewer than two):
        one site is one host, so this is what a politeness delay must keep above."""
        times = sorted(r.time for r in self.requests)
        return min((b - a for a, b in zip(times, times[1:], strict=False)), default=float("inf"))
