"""`/status`: what the administrator checks in the morning — per site the documents, the gone
pages and the last refresh with its summary, the recent errors, and articles per month per site."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for

from webui.charts import month_chart, month_span
from webui.crawl_status import read_crawl_status
from webui.formatting import vn_date
from webui.services import index_outdated, services

bp = Blueprint("status", __name__)

SUMMARY_COUNTS = (("fetched", "tải"), ("new", "mới"), ("changed", "thay đổi"), ("unchanged", "không đổi"),
                  ("gone", "bị gỡ"), ("errors", "lỗi"))


@bp.get("/status")
def overview():
    svc = services()
    counts = svc.searcher.site_counts()
    months = svc.searcher.site_months()
    span = month_span(*months.values())
    crawl = read_crawl_status(svc.config.storage.archive_dir)
    sites = [{"title": s.title, "name": s.name, "start_url": s.start_urls[0],
              "documents": counts.get(s.name, 0), "crawl": crawl.site_counts.get(s.name, {}),
              "run": crawl.site_runs.get(s.name), "chart": _site_chart(s.name, months.get(s.name, {}), span)}
             for s in svc.config.sites]
    return render_template("status.html", sites=sites, total=svc.searcher.count(), crawl=crawl,
                           index_outdated=index_outdated(svc.config.storage.index_dir),
                           summary_counts=SUMMARY_COUNTS)


def _site_chart(site: str, months: dict[str, int], span: list):
    """A site's articles per month over the months of every site (so the charts line up)."""
    def link(first, last) -> str:
        return url_for("search.results", site=site, **{"from": vn_date(first), "to": vn_date(last)})

    return month_chart(months, span, link=link)
