"""The JSON API: `/api/search`, `/api/doc/<id>`, `/healthz` (shapes and errors: docs/http-api.md)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask import Blueprint, abort, jsonify, request

from indexer.document import Document, LinkedFrom
from indexer.search import BadRequest as BadSearchRequest
from webui.crawl_status import last_refresh
from webui.related import attachment_json, related_ids
from webui.search_form import search_request
from webui.services import services

bp = Blueprint("api", __name__)


def document_json(doc: Document, related: Mapping[str, Document] | None = None,
                  copies: Sequence[Document] = ()) -> dict:
    """A document as the `/api/doc/<id>` answer, with its attachments or the articles linking it, where
    its date came from, and the other pages that publish the same article (search lists one of them).

    `related`: the documents of those attachments and articles, by id (see `related_ids`).
    """
    related = related or {}
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
        "kind": doc.kind,
        "file": doc.file.to_dict() if doc.file else None,
        "attachments": [attachment_json(link, related.get(link.id)) for link in doc.attachments],
        "linked_from": [_linking_json(link, related.get(link.id)) for link in doc.linked_from],
    }


def _linking_json(link: LinkedFrom, article: Document | None) -> dict:
    return {"id": link.id, "link_text": link.text, "url": article.url if article else None,
            "title": article.title if article else None, "date": _date(article)}


def _date(doc: Document | None) -> str | None:
    return doc.date.isoformat() if doc is not None and doc.date else None


@bp.get("/api/search")
def search():
    try:
        asked = search_request(request.args.to_dict())
    except BadSearchRequest as error:
        return jsonify(error=str(error)), 400
    return jsonify(services().searcher.search(asked).to_dict())


@bp.get("/api/doc/<doc_id>")
def document(doc_id: str):
    searcher = services().searcher
    doc = searcher.document(doc_id)
    if doc is None:
        abort(404, description=f"no document with id {doc_id!r}")
    return jsonify(document_json(doc, searcher.documents(related_ids(doc)), searcher.copies(doc)))


@bp.get("/healthz")
def health():
    svc = services()
    return jsonify(status="ok", documents=svc.searcher.count(),
                   last_refresh=last_refresh(svc.config.storage.archive_dir))
