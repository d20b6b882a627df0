"""The search pages: `/` (empty state) and `/search` (results, facets, histogram, pagination,
suggestion, and the links that follow or export the search)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, render_template, request

from indexer.search import BadRequest as BadSearchRequest
from webui import search_form
from webui.charts import month_chart
from webui.pagination import Pagination
from webui.search_form import QUICK_RANGES, active_range, form_values, is_listing, search_request, search_url
from webui.services import services

bp = Blueprint("search", __name__)

SORTS = (("relevance", "Liên quan nhất"), ("newest", "Mới nhất"), ("oldest", "Cũ nhất"))


def site_options() -> list[dict]:
    """The site filter's choices: configured sites in config order, then any others the index holds."""
    svc = services()
    counts = svc.searcher.site_counts()
    options = [{"name": s.name, "title": s.title, "count": counts.get(s.name, 0)} for s in svc.config.sites]
    known = {s.name for s in svc.config.sites}
    options += [{"name": n, "title": n, "count": c} for n, c in sorted(counts.items()) if n not in known]
    return options


def page_url(form: Mapping[str, str], page: int) -> str:
    """The link to another page of the same search."""
    return search_url(form, page=str(page))


def suggestion_url(form: Mapping[str, str], suggestion: str) -> str:
    """The suggested query, with the same filters."""
    return search_url(form, q=suggestion)


def render(form: Mapping[str, str], status: int = 200, search=None, **context):
    return render_template("search.html", form=form, sites=site_options(), sorts=SORTS,
                           quick_ranges=QUICK_RANGES, active_range=active_range(form, search), search=search,
                           site_title=services().site_title, page_url=page_url, suggestion_url=suggestion_url,
                           links=search_form, **context), status


@bp.get("/")
def home():
    return render({})


@bp.get("/search")
def results():
    form = form_values(request.args)
    if not is_listing(form):
        return render(form)
    try:
        search = search_request(form)
    except BadSearchRequest as error:      # its message is written for the user, in Vietnamese
        return render(form, status=400, error=f"Điều kiện tìm kiếm không hợp lệ: {error}")
    answer = services().searcher.search(search)
    pagination = Pagination(page=answer.page, per_page=answer.per_page, total=answer.total)
    return render(form, search=search, answer=answer, pagination=pagination,
                  histogram=month_chart(answer.facets.month,
                                        link=lambda first, last: search_form.dates_url(form, first, last)))
