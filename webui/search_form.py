"""The parameters of a search as every page takes them, and the links that repeat a search.

The results page, the JSON API, the Atom feed and the CSV export take the same parameters
(`FORM_FIELDS`) and validate them once, through `indexer.search.SearchRequest`. Dates are shown
and typed as dd/mm/yyyy (ISO `YYYY-MM-DD` is accepted too, as the API documents); quick ranges
(`range=7d|30d|year`) count back from today on Vietnam's calendar, so a bookmarked or subscribed
"last 7 days" stays the last 7 days.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from flask import abort, make_response, url_for

from indexer.search import BadRequest, SearchRequest
from webui.errors import error_page
from webui.formatting import VIETNAM, vn_date

FORM_FIELDS = ("q", "site", "category", "range", "from", "to", "sort", "page", "per_page")
FILTERS = ("site", "category", "range", "from", "to")
QUICK_RANGES = (("", "Mọi lúc"), ("7d", "7 ngày"), ("30d", "30 ngày"), ("year", "Năm nay"),
                ("custom", "Khoảng tùy chọn"))


def form_values(args: Mapping[str, str]) -> dict[str, str]:
    """The submitted parameters we know, without blank fields: an empty date means "no limit"."""
    values = {}
    for name in FORM_FIELDS:
        value = (args.get(name) or "").strip()
        if value:
            values[name] = value
    return values


def is_listing(form: Mapping[str, str]) -> bool:
    """A query, a filter or a date order asks for results; the bare form asks for nothing yet."""
    return bool(form.get("q") or any(form.get(f) for f in FILTERS)
                or form.get("sort", "relevance") != "relevance")


def vietnam_today() -> date:
    return datetime.now(VIETNAM).date()


def search_request(form: Mapping[str, str]) -> SearchRequest:
    """The validated request (raises `indexer.search.BadRequest`), quick ranges on Vietnam's calendar."""
    return SearchRequest.from_params(form, today=vietnam_today())


def listing_request(args: Mapping[str, str]) -> tuple[dict[str, str], SearchRequest]:
    """The form and its request, for a feed or an export; a bad parameter ends with the 400 page."""
    form = form_values(args)
    try:
        return form, search_request(form)
    except BadRequest as error:
        abort(make_response(error_page(400, f"Điều kiện tìm kiếm không hợp lệ: {error}")))


def search_url(form: Mapping[str, str], endpoint: str = "search.results", **changes: str | None) -> str:
    """The same search with some parameters changed (None removes one); back on page 1 unless a page
    is given."""
    params = {k: v for k, v in form.items() if k != "page"}
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    if params.get("page") == "1":
        del params["page"]
    return url_for(endpoint, **params)


def dates_url(form: Mapping[str, str], first: date | None, last: date | None) -> str:
    """The same search over these publication dates (shown dd/mm/yyyy in the form)."""
    return search_url(form, range=None, **{"from": vn_date(first) or None, "to": vn_date(last) or None})


def filter_url(form: Mapping[str, str], name: str, value: str | None) -> str:
    """The same search with one filter set (or removed, with None)."""
    return search_url(form, **{name: value})


def feed_url(form: Mapping[str, str]) -> str:
    """The Atom feed of the same query and filters (always newest first)."""
    return search_url(form, "feeds.atom", per_page=None, sort=None)


def export_url(form: Mapping[str, str]) -> str:
    """The CSV export of the same query, filters and order: every page."""
    return search_url(form, "export.csv", per_page=None)


def active_range(form: Mapping[str, str], request: SearchRequest | None) -> str:
    """Which quick date choice is on: the quick range that set the dates, else custom when dates
    were typed (or custom was chosen), else none ("")."""
    if request is not None and request.period:
        return request.period
    if form.get("from") or form.get("to") or form.get("range") == "custom":
        return "custom"
    return ""


def year_url(form: Mapping[str, str], year: str) -> str:
    """The same search over one year of publication dates."""
    return dates_url(form, date(int(year), 1, 1), date(int(year), 12, 31))


def is_year(request: SearchRequest | None, year: str) -> bool:
    """True when the request's dates are exactly this whole year."""
    return (request is not None and request.date_from == date(int(year), 1, 1)
            and request.date_to == date(int(year), 12, 31))


def date_value(form: Mapping[str, str], request: SearchRequest | None, name: str) -> str:
    """What a date field shows: the date as dd/mm/yyyy, however it was given; what was typed when it
    could not be read; nothing when a quick range set it."""
    if request is None:
        return form.get(name, "")
    if request.period:
        return ""
    return vn_date(request.date_from if name == "from" else request.date_to)
