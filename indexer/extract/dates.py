"""Publication dates in strings: ISO metadata, Vietnamese date lines, the opening of a lead, URLs.

`parse_date` reads one string; it knows ISO 8601 (`2023-03-16T08:00:00+07:00`),
day-first numeric dates (`16/03/2023`, `16/3/2023 08:00`, `16-03-2023`,
`16.03.2023`, with or without a weekday such as `Thứ năm,`) and the spelled-out
forms (`ngày 16 tháng 3 năm 2023`, Joomla's `16 Tháng 3 2023`). `lead_date` reads
the date a lead opens with (`Ngày 16/3/2023, ...`, `Sáng 16/3, ...`, `Hôm nay (16/3),
...`), taking the year from a reference date when the lead omits it; `url_date`
reads `/2023/03/16/`, `-20230316` and `/2023-03-16-` in a URL's path.
Impossible dates (31/02, month 13, years before the web or after the capture)
are rejected rather than guessed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from urllib.parse import unquote, urlsplit

VIETNAM = timezone(timedelta(hours=7))
EARLIEST_YEAR = 1995
LATE_TOLERANCE = timedelta(days=2)    # clocks and time zones: a page may be dated a day past its capture
LEAP_CYCLE = 8                        # years back to the latest 29 February (1900 and 2100 skip one)

_ISO = re.compile(
    r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?"
)
_DAY_FIRST = re.compile(r"(?<![\d/.-])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})(?![\d/])")
_SPELLED = re.compile(r"(?:ngày\s+)?(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2})\s*(?:,\s*)?(?:năm\s+)?(\d{4})(?!\d)",
                      re.IGNORECASE)
_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?:T?\d{4,6})?(?!\d)")

# How a lead opens with its date: an optional source tag (`(BN) -`, `PBN –`), an optional time of
# day (`Sáng`, `Chiều ngày`, `Hôm nay`, `Vào sáng`), then the date itself (day and month, the year
# optional; in parentheses after `Hôm nay`), then punctuation. Only the opening counts: a date
# later in the sentence ("Thực hiện Kế hoạch số 45/KH-UBND ngày 02/3/2023, ...") is another thing's.
_SOURCE_TAG = r"(?:\(?[^\W\d_][\w.&/ ]{0,30}\)?\s*[-–—:]\s*)?"
_TIME_OF_DAY = (r"(?P<when>(?:vào\s+)?(?:rạng\s+sáng|sáng|trưa|chiều|chiều\s+tối|tối|đêm|hôm\s+nay|hôm\s+qua"
                r"|trong\s+ngày)(?:\s+nay)?\s*)?")
_WEEKDAY = r"(?:(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)\s*,?\s*)?"
_LEAD_DAY = (r"(?P<day>\d{1,2})\s*(?:(?P<sep>[/.-])\s*(?P<month>\d{1,2})(?:\s*(?P=sep)\s*(?P<year>\d{4}))?"
             r"|\s+tháng\s+(?P<smonth>\d{1,2})(?:\s*(?:,\s*)?năm\s+(?P<syear>\d{4}))?)")
_LEAD = re.compile(rf"^\s*{_SOURCE_TAG}(?P<open>\()?\s*{_TIME_OF_DAY}{_WEEKDAY}(?P<ngay>ngày\s+)?"
                   rf"(?P<paren>\()?\s*{_LEAD_DAY}\s*\)?\s*(?:[,:.;)–—-]|\s)", re.IGNORECASE)
_URL_DATES = (
    re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?=/)"),                    # /2023/03/16/
    re.compile(r"[/_-]((?:19|20)\d{2})-(\d{2})-(\d{2})(?=[-_/.]|$)"),              # /2023-03-16-slug
    re.compile(r"[-_/]((?:19|20)\d{2})(\d{2})(\d{2})(?:\d{4}|\d{6})?(?=[-_/.]|$)"),  # slug-20230316.html
)


def parse_date(text: str | None, today: date | None = None) -> date | None:
    """The first plausible calendar date written in `text`, or None."""
    if not text:
        return None
    text = text.strip()[:500]
    for finder in (_iso, _spelled, _day_first):
        found = finder(text)
        if found and plausible(found, today):
            return found
    return None


def parse_metadata_date(text: str | None, today: date | None = None) -> date | None:
    """A date from a machine-readable attribute: also accepts the compact `20230316` form."""
    found = parse_date(text, today)
    if found or not text:
        return found
    match = _COMPACT.search(text.strip())
    return _plausible_or_none(_safe_date(*match.groups()[:3]) if match else None, today)


def lead_date(text: str, reference: date) -> date | None:
    """The date a lead paragraph opens with; a missing year is the latest one not after `reference`."""
    match = _LEAD.match(text[:160])
    if not match:
        return None
    day = int(match["day"])
    month = int(match["month"] or match["smonth"] or 0)
    year = match["year"] or match["syear"]
    if year:
        return _plausible_or_none(_safe_date(year, str(month), str(day)), reference)
    if not (match["when"] or match["ngay"] or match["open"] or match["paren"] or match["smonth"]):
        return None             # "1/5 số hộ ..." is a fraction, not the first of May
    return _latest_not_after(month, day, reference)


def url_date(url: str, today: date | None = None) -> date | None:
    """A full date written in the URL's path (`/2023/03/16/`, `/2023-03-16-slug`, `slug-20230316.html`)."""
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return None
    for pattern in _URL_DATES:
        for match in pattern.finditer(path):
            found = _plausible_or_none(_safe_date(*match.groups()), today)
            if found:
                return found
    return None


def plausible(found: date, today: date | None) -> bool:
    """Not before the web, not after `today` (the capture) beyond a clock's tolerance."""
    latest = (today or date.today()) + LATE_TOLERANCE
    return found.year >= EARLIEST_YEAR and found <= latest


def _latest_not_after(month: int, day: int, reference: date) -> date | None:
    """16/3 read on `reference`: this year's 16 March, or last year's when this year's is still ahead
    (29/2: the latest leap year's)."""
    for year in range(reference.year, max(EARLIEST_YEAR, reference.year - LEAP_CYCLE) - 1, -1):
        found = _safe_date(str(year), str(month), str(day))
        if found is None and (month, day) != (2, 29):
            return None         # 31/4 is no day of any year
        if found is not None and found <= reference + LATE_TOLERANCE:
            return found
    return None


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


def _plausible_or_none(found: date | None, today: date | None) -> date | None:
    return found if found and plausible(found, today) else None
