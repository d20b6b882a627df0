"""Publication dates: ISO metadata and the ways Vietnamese date lines write a day.

`parse_date` reads one string; it knows ISO 8601 (`2023-03-16T08:00:00+07:00`),
day-first numeric dates (`16/03/2023`, `16/3/2023 08:00`, `16-03-2023`,
`16.03.2023`, with or without a weekday such as `Thứ năm,`) and the spelled-out
form (`ngày 16 tháng 3 năm 2023`). Impossible dates (31/02, month 13, years
before the web or in the future) are rejected rather than guessed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7))
EARLIEST_YEAR = 1995

_ISO = re.compile(
    r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?"
)
_DAY_FIRST = re.compile(r"(?<![\d/.-])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})(?![\d/])")
_SPELLED = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s*(?:năm|,)\s*(\d{4})", re.IGNORECASE)
_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?:T?\d{4,6})?(?!\d)")


def parse_date(text: str | None, today: date | None = None) -> date | None:
    """The first plausible calendar date written in `text`, or None."""
    if not text:
        return None
    text = text.strip()[:500]
    for finder in (_iso, _spelled, _day_first):
        found = finder(text)
        if found and _plausible(found, today):
            return found
    return None


def parse_metadata_date(text: str | None, today: date | None = None) -> date | None:
    """A date from a machine-readable attribute: also accepts the compact `20230316` form."""
    found = parse_date(text, today)
    if found or not text:
        return found
    match = _COMPACT.search(text.strip())
    return _plausible_or_none(_safe_date(*match.groups()[:3]) if match else None, today)


def _iso(text: str) -> date | None:
    match = _ISO.search(text)
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    if hour is None or zone is None:
        return _safe_date(year, month, day)
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
                          tzinfo=_zone(zone))
    except ValueError:
        return None
    return moment.astimezone(VIETNAM).date()


def _zone(zone: str) -> timezone:
    if zone == "Z":
        return UTC
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _spelled(text: str) -> date | None:
    match = _SPELLED.search(text)
    return _safe_date(match.group(3), match.group(2), match.group(1)) if match else None


def _day_first(text: str) -> date | None:
    for match in _DAY_FIRST.finditer(text):
        found = _safe_date(match.group(4), match.group(3), match.group(1))
        if found:
            return found
    return None


def _safe_date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _plausible(found: date, today: date | None) -> bool:
    latest = (today or date.today()) + timedelta(days=2)
    return found.year >= EARLIEST_YEAR and found <= latest


def _plausible_or_none(found: date | None, today: date | None) -> date | None:
    return found if found and _plausible(found, today) else None
