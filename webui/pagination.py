"""Which page links a result list shows: first, last, and a window around the current page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pagination:
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """Number of pages (at least one, so an empty result still has a page 1)."""
        return max(1, -(-self.total // max(1, self.per_page)))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def window(self, radius: int = 2) -> list[int | None]:
        """Page numbers to link, with None where a gap (…) goes: [1, None, 4, 5, 6, 7, 8, None, 20]."""
        shown = {1, self.pages, *range(self.page - radius, self.page + radius + 1)}
        numbers = sorted(n for n in shown if 1 <= n <= self.pages)
        result: list[int | None] = []
        for number in numbers:
            if result and number - (result[-1] or 0) > 1:
                result.append(None)
            result.append(number)
        return result
