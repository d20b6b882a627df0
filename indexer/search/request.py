"""A search request, validated: what the web UI and the command line pass to `Searcher.search`."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

SORTS = ("relevance", "newest", "oldest")
MAX_PER_PAGE = 100
MAX_PAGE = 1000
MAX_SITE_CHARS = 100
MAX_CATEGORY_CHARS = 200
# Quick date ranges (`range`), counted back from `today`, today included; "custom" means from/to.
PERIOD_DAYS = {"7d": 7, "30d": 30}
PERIODS = (*PERIOD_DAYS, "year", "custom")
_VIETNAMESE_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")


class BadRequest(ValueError):
    """A request parameter is invalid; the message is meant for the user (Vietnamese)."""


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    page: int = 1
    per_page: int = 10
    site: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    category: str | None = None
    period: str | None = None      # the quick range that set the dates ("7d", "30d", "year"), else None

    @classmethod
    def from_params(cls, params: Mapping[str, Any], today: date | None = None) -> SearchRequest:
        """From query-string parameters (`q, page, per_page, site, category, from, to, range, sort`);
        raises BadRequest.

        Dates are `YYYY-MM-DD` or `dd/mm/yyyy`. A quick `range` (7d, 30d, year) sets both dates,
        counted back from `today` (the caller's calendar: Vietnam's for the web UI), unless
        `from` or `to` is given: dates typed by hand win over a range left selected.
        """
        date_from, date_to = _date(params, "from"), _date(params, "to")
        period = _text(params, "range") or None
        if period is not None and period not in PERIODS:
            raise BadRequest("Tham số range chỉ nhận 7d, 30d, year hoặc custom.")
        if period == "custom" or date_from or date_to:
            period = None
        elif period is not None:
            date_from, date_to = period_dates(period, today or date.today())
        if date_from and date_to and date_from > date_to:
            raise BadRequest("Ngày bắt đầu (from) phải trước hoặc trùng ngày kết thúc (to).")
        sort = _text(params, "sort") or "relevance"
        if sort not in SORTS:
            raise BadRequest("Tham số sort chỉ nhận relevance, newest hoặc oldest.")
        return cls(q=_text(params, "q"), page=_integer(params, "page", 1, 1, MAX_PAGE),
                   per_page=_integer(params, "per_page", 10, 1, MAX_PER_PAGE),
                   site=_label(params, "site", MAX_SITE_CHARS), date_from=date_from, date_to=date_to,
                   sort=sort, category=_label(params, "category", MAX_CATEGORY_CHARS), period=period)

    @property
    def filter_key(self) -> tuple:
        """What decides the documents a request allows, whatever its words (for caches)."""
        return (self.site, self.date_from, self.date_to, self.category)


def period_dates(period: str, today: date) -> tuple[date, date]:
    """The first and last day of a quick range ending today."""
    if period == "year":
        return date(today.year, 1, 1), today
    return today - timedelta(days=PERIOD_DAYS[period] - 1), today


def _text(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return value.strip() if isinstance(value, str) else ""


def _label(params: Mapping[str, Any], name: str, max_chars: int) -> str | None:
    """A site name or category label: any text, but not too long and without control characters."""
    text = _text(params, name)
    if len(text) > max_chars:
        raise BadRequest(f"Tham số {name} quá dài.")
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in text):
        raise BadRequest(f"Tham số {name} chứa ký tự không hợp lệ.")
    return text or None


def _integer(params: Mapping[str, Any], name: str, default: int, low: int, high: int) -> int:
    text = _text(params, name)
    if not text:
        return default
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        raise BadRequest(f"Tham số {name} phải là số nguyên từ {low} đến {high}.")
    return int(text)


def _date(params: Mapping[str, Any], name: str) -> date | None:
    """`YYYY-MM-DD` (the API's form) or `dd/mm/yyyy` (as Vietnamese readers write and type dates)."""
    text = _text(params, name)
    if not text:
        return None
    try:
        vietnamese = _VIETNAMESE_DATE.fullmatch(text)
        if vietnamese:
            day, month, year = (int(part) for part in vietnamese.groups())
            return date(year, month, day)
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"Tham số {name} phải là một ngày có thật, dạng dd/mm/yyyy hoặc YYYY-MM-DD.") \
            from None
