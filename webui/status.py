"""`/status`: what the administrator checks in the morning — sites, counts, last refresh, errors."""

from __future__ import annotations

from flask import Blueprint, render_template

from webui.crawl_status import read_crawl_status
from webui.services import index_outdated, services

bp = Blueprint("status", __name__)


@bp.get("/status")
def overview():
    svc = services()
    counts = svc.searcher.site_counts()
    crawl = read_crawl_status(svc.config.storage.archive_dir)
    sites = [{"title": s.title, "name": s.name, "start_url": s.start_urls[0],
              "documents": counts.get(s.name, 0), "crawl": crawl.site_counts.get(s.name, {})}
             for s in svc.config.sites]
    return render_template("status.html", sites=sites, total=svc.searcher.count(), crawl=crawl,
                           index_outdated=index_outdated(svc.config.storage.index_dir))
