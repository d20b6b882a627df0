"""Bar charts of documents per month, drawn by the server as inline SVG (no script, CSP unchanged).

A chart is data here (`MonthChart`: one bar per month, zero months included, so the gaps in an
archive show); the templates draw it (`_month_chart.html`), each bar with a `<title>` and the
chart with a text description that lists every month's number, for screen readers.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

BAR_WIDTH = 10           # SVG user units; the chart scales to the width of the page
BAR_GAP = 2
CHART_HEIGHT = 60
MAX_MONTHS = 120         # the most recent months shown: ten years of bars still read as bars


@dataclass(frozen=True)
class Bar:
    month: date              # its first day
    count: int
    x: int
    height: float
    url: str | None = None   # where the bar leads: the documents of that month

    @property
    def label(self) -> str:
        return self.month.strftime("%m/%Y")


@dataclass(frozen=True)
class MonthChart:
    bars: list[Bar]
    width: int
    height: int = CHART_HEIGHT
    bar_width: int = BAR_WIDTH

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)

    @property
    def peak(self) -> Bar:
        return max(self.bars, key=lambda bar: bar.count)

    @property
    def first(self) -> str:
        return self.bars[0].label

    @property
    def last(self) -> str:
        return self.bars[-1].label

    def description(self, unit: str) -> str:
        """Every month with documents and its number: what the bars say, as text."""
        counted = [f"{bar.label}: {bar.count} {unit}" for bar in self.bars if bar.count]
        return "; ".join(counted) + "." if counted else f"Không có {unit} nào."


def month_span(*counts: Mapping[str, int]) -> list[date]:
    """Every month from the earliest to the latest with documents in any of `counts` ("YYYY-MM" keys),
    at most the last `MAX_MONTHS`."""
    months = sorted({_month_index(key) for count in counts for key, n in count.items() if n})
    if not months:
        return []
    first = max(months[0], months[-1] - MAX_MONTHS + 1)
    return [date(index // 12, index % 12 + 1, 1) for index in range(first, months[-1] + 1)]


def month_chart(counts: Mapping[str, int], span: Iterable[date] | None = None,
                link: Callable[[date, date], str] | None = None) -> MonthChart | None:
    """The bars of `counts` over `span` (default: its own months), each linked to `link(first day,
    last day)` when given; None when there is nothing to draw."""
    months = list(span) if span is not None else month_span(counts)
    if not months:
        return None
    values = [counts.get(f"{m.year:04d}-{m.month:02d}", 0) for m in months]
    top = max(values) or 1
    bars = []
    for index, (month, n) in enumerate(zip(months, values, strict=True)):
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        bars.append(Bar(month, n, index * (BAR_WIDTH + BAR_GAP), round(CHART_HEIGHT * n / top, 2),
                        link(month, last) if link and n else None))
    return MonthChart(bars, width=len(bars) * (BAR_WIDTH + BAR_GAP) - BAR_GAP)


def _month_index(key: str) -> int:
    """ "2023-03" as a count of months: year * 12 + month - 1."""
    year, month = key.split("-")
    return int(year) * 12 + int(month) - 1
