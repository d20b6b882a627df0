"""The search pages: `/` (empty state) and `/search` (results, filters, pagination, suggestion)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, render_template, request, url_for

from indexer.search import BadRequest as BadSearchRequest
from indexer.search import SearchRequest
from webui.pagination import Pagination
from webui.services import services

bp = Blueprint("search", __name__)

FORM_FIELDS = ("q", "site", "from", "to", "sort", "page", "per_page")
FILTERS = ("site", "from", "to")
SORTS = (("relevance", "Liên quan nhất"), ("newest", "Mới nhất"), ("oldest", "Cũ nhất"))


def form_values(args: Mapping[str, str]) -> dict[str, str]:
    """The submitted form, without blank fields: an empty date input means "no limit"."""
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


def site_options() -> list[dict]:
    """The site filter's choices: configured sites in config order, then any others the index holds."""
    svc = services()
    counts = svc.searcher.site_counts()
    options = [{"name": s.name, "title": s.title, "count": counts.get(s.name, 0)} for s in svc.config.sites]
    known = {s.name for s in svc.config.sites}
    options += [{"name": n, "title": n, "count": c} for n, c in sorted(counts.items()) if n not in known]
    return options


def search_url(form: Mapping[str, str], **changes: str) -> str:
    """The same search with some fields changed; back on page 1 unless a page is given."""
    params = {k: v for k, v in form.items() if k != "page"}
    params.update(changes)
    if params.get("page") == "1":
        del params["page"]
    return url_for("search.results", **params)


def page_url(form: Mapping[str, str], page: int) -> str:
    """The link to another page of the same search."""
    return search_url(form, page=str(page))


def suggestion_url(form: Mapping[str, str], suggestion: str) -> str:
    """The suggested query, with the same filters."""
    return search_url(form, q=suggestion)


def render(form: Mapping[str, str], status: int = 200, **context):
    return render_template("search.html", form=form, sites=site_options(), sorts=SORTS,
                           site_title=services().site_title, page_url=page_url,
                           suggestion_url=suggestion_url, **context), status


@bp.get("/")
def home():
    return render({})


@bp.get("/search")
def results():
    form = form_values(request.args)
    if not is_listing(form):
        return render(form)
    try:
        search_request = SearchRequest.from_params(form)
    except BadSearchRequest as error:      # its message is written for the user, in Vietnamese
        return render(form, status=400, error=f"Điều kiện tìm kiếm không hợp lệ: {error}")
    answer = services().searcher.search(search_request)
    pagination = Pagination(page=answer.page, per_page=answer.per_page, total=answer.total)
    return render(form, answer=answer, pagination=pagination)
