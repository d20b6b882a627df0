"""A search request, validated: what the web UI and the command line pass to `Searcher.search`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

SORTS = ("relevance", "newest", "oldest")
MAX_PER_PAGE = 100
MAX_PAGE = 1000
MAX_SITE_CHARS = 100


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

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> SearchRequest:
        """From query-string parameters (`q, page, per_page, site, from, to, sort`); raises BadRequest."""
        date_from = _date(params, "from")
        date_to = _date(params, "to")
        if date_from and date_to and date_from > date_to:
            raise BadRequest("Ngày bắt đầu (from) phải trước hoặc trùng ngày kết thúc (to).")
        sort = _text(params, "sort") or "relevance"
        if sort not in SORTS:
            raise BadRequest("Tham số sort chỉ nhận relevance, newest hoặc oldest.")
        site = _text(params, "site") or None
        if site is not None and len(site) > MAX_SITE_CHARS:
            raise BadRequest("Tham số site quá dài.")
        return cls(q=_text(params, "q"), page=_integer(params, "page", 1, 1, MAX_PAGE),
                   per_page=_integer(params, "per_page", 10, 1, MAX_PER_PAGE), site=site,
                   date_from=date_from, date_to=date_to, sort=sort)


def _text(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return value.strip() if isinstance(value, str) else ""


def _integer(params: Mapping[str, Any], name: str, default: int, low: int, high: int) -> int:
    text = _text(params, name)
    if not text:
        return default
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        raise BadRequest(f"Tham số {name} phải là số nguyên từ {low} đến {high}.")
    return int(text)


def _date(params: Mapping[str, Any], name: str) -> date | None:
    text = _text(params, name)
    if not text:
        return None
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"Tham số {name} phải là một ngày có thật, dạng YYYY-MM-DD.") from None
