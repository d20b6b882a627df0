"""The JSON API: `/api/search`, `/api/doc/<id>`, `/healthz` (shapes and errors: docs/http-api.md)."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, abort, jsonify, request

from indexer.document import Document
from indexer.search import BadRequest as BadSearchRequest
from indexer.search import SearchRequest
from webui.crawl_status import last_refresh
from webui.services import services

bp = Blueprint("api", __name__)


def document_json(doc: Document, copies: Sequence[Document] = ()) -> dict:
    """A document as the `/api/doc/<id>` answer, with where its date came from and the other pages that
    publish the same article (search lists one of them)."""
    return {
        "id": doc.id,
        "url": doc.url,
        "site": doc.site,
        "title": doc.title,
        "date": doc.date.isoformat() if doc.date else None,
        "author": doc.author,
        "category": doc.category,
        "text": doc.text,
        "gone": doc.gone,
        "captures": [capture.to_dict() for capture in doc.captures],
        "date_source": doc.date_source,
        "copies": [{"id": c.id, "site": c.site, "url": c.url, "title": c.title} for c in copies],
    }


@bp.get("/api/search")
def search():
    try:
        search_request = SearchRequest.from_params(request.args.to_dict())
    except BadSearchRequest as error:
        return jsonify(error=str(error)), 400
    return jsonify(services().searcher.search(search_request).to_dict())


@bp.get("/api/doc/<doc_id>")
def document(doc_id: str):
    doc = services().searcher.document(doc_id)
    if doc is None:
        abort(404, description=f"no document with id {doc_id!r}")
    return jsonify(document_json(doc, services().searcher.copies(doc)))


@bp.get("/healthz")
def health():
    svc = services()
    return jsonify(status="ok", documents=svc.searcher.count(),
                   last_refresh=last_refresh(svc.config.storage.archive_dir))
