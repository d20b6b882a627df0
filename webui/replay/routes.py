"""The replay routes: the archived bytes a page embeds, and where a click on an archived link leads.

`/archive/resource?url=&at=[&as=css]` answers from the archive only: the bytes of
the capture of `url` nearest `at` (stylesheets rewritten in turn), or an empty
404; it never asks the live site. `/archive/link?url=&at=` is where the links of
an archived page lead, in the top window: the archived article (the capture
nearest `at`), an archived attachment as a download, any other archived page
(home, listings: `/archive/page`, framed like an article's archived copy), or a
page saying the target was not archived, with the original address to open
outside the archive.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote, unquote, urlsplit

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for

from indexer.document import ARTICLE, document_id
from tinphuong.css_urls import decode_stylesheet
from tinphuong.http_response import SNIFF_BYTES, is_html, media_type
from tinphuong.urls import canonicalize
from webui import archived_page
from webui.replay.archive_urls import iso_of, routed, timestamp
from webui.replay.css import rewrite_stylesheet
from webui.replay.lookup import archived_at
from webui.security import archive_headers, download_headers, resource_headers
from webui.services import services

bp = Blueprint("replay", __name__)

MAX_URL_LENGTH = 4000
_TOKEN = r"[A-Za-z0-9!#$&^_.+-]+"
_SAFE_TYPE = re.compile(rf"^{_TOKEN}/{_TOKEN}$")


def _target() -> tuple[str, str]:
    """The canonical `url` and the ISO time `at` of the request; 400 when either is unusable."""
    raw, stamp = request.args.get("url", ""), request.args.get("at", "")
    url = canonicalize(raw) if len(raw) <= MAX_URL_LENGTH else None
    at = iso_of(stamp)
    if url is None or at is None:
        abort(400)
    return url, at


@bp.get("/archive/resource")
def resource():
    url, at = _target()
    found = archived_at(services().config.storage.archive_dir, url, at)
    if found is None:
        return Response(b"", status=404, headers=resource_headers("text/plain; charset=utf-8"))
    final_url, record = found
    body = record.body()
    content_type = record.header("Content-Type")
    if request.args.get("as") == "css" or media_type(content_type) == "text/css":
        text = decode_stylesheet(body, content_type)
        css = rewrite_stylesheet(text, routed(final_url, at))
        return Response(css.encode("utf-8"), headers=resource_headers("text/css; charset=utf-8"))
    return Response(body, headers=resource_headers(served_type(content_type)))


@bp.get("/archive/link")
def link():
    url, at = _target()
    svc = services()
    doc = svc.searcher.document(document_id(url))
    if doc is not None and doc.captures and doc.kind == ARTICLE:       # an attachment downloads, below
        return redirect(url_for("documents.archive", doc_id=doc.id,
                                capture=archived_page.capture_near(doc.captures, at)))
    found = archived_at(svc.config.storage.archive_dir, url, at)
    if found is not None:
        final_url, record = found
        body = record.body()
        content_type = record.header("Content-Type")
        if not is_html(content_type, body[:SNIFF_BYTES]):
            return Response(body, headers=download_headers(served_type(content_type), file_name(final_url)))
        return redirect(url_for("replay.page", url=final_url, at=timestamp(at)))
    return render_template("not_archived.html", url=url), 404


@bp.get("/archive/page")
def page():
    """An archived page that is not an article (home, listings), framed like an article's copy."""
    url, at = _target()
    found = archived_at(services().config.storage.archive_dir, url, at)
    if found is None:
        return render_template("not_archived.html", url=url), 404
    final_url, record = found
    return render_template("archived_url.html", url=final_url, fetched_at=record.fetched_at,
                           status=record.status, frame_url=url_for("replay.page_raw", url=final_url,
                                                                   at=timestamp(at)))


@bp.get("/archive/page/raw")
def page_raw():
    url, at = _target()
    found = archived_at(services().config.storage.archive_dir, url, at)
    if found is None:
        html = archived_page.placeholder("Kho lưu trữ không có trang này.")
    else:
        final_url, record = found
        html = archived_page.frame_html(record, record.body(), final_url, at)
    return Response(html, headers=archive_headers())


def served_type(content_type: str | None) -> str:
    """The archived Content-Type if it is a plain media type (with its charset), else octet-stream."""
    kind = media_type(content_type)
    if not _SAFE_TYPE.match(kind):
        return "application/octet-stream"
    charset = re.search(r"charset\s*=\s*\"?([\w.:-]{1,40})", content_type or "", re.IGNORECASE)
    return f"{kind}; charset={charset.group(1)}" if charset else kind


def file_name(url: str) -> str:
    """The percent-encoded last path segment of `url`, for Content-Disposition."""
    name = posixpath.basename(unquote(urlsplit(url).path)) or "tep-dinh-kem"
    return quote(name, safe="")
