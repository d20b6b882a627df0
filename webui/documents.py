"""Document pages: the cleaned article with its captures, related articles and citation (`/doc/<id>`),
what changed between two captures (`/doc/<id>/compare`), its archived copy in a sandboxed frame
(`/doc/<id>/archive`) and the archived page itself, rewritten for replay (`/doc/<id>/archive/raw`)."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, render_template, request, url_for

from indexer.document import Document
from tinphuong.warc import read_response
from webui import archived_page, versions
from webui.citation import citation
from webui.errors import error_page
from webui.related import attachment_json, related_ids
from webui.security import archive_headers
from webui.services import services
from webui.text_diff import diff_texts

bp = Blueprint("documents", __name__)
log = logging.getLogger("tinphuong.webui")
SIMILAR_SHOWN = 5


def find_document(doc_id: str) -> Document:
    doc = services().searcher.document(doc_id)
    if doc is None:
        abort(404)
    return doc


def capture_number(name: str = "capture") -> int | None:
    """A capture query parameter (0-based index into the document's captures), if given."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 6:
        abort(400)
    return int(raw)


@bp.get("/doc/<doc_id>")
def show(doc_id: str):
    doc = find_document(doc_id)
    svc = services()
    site_title = svc.site_title(doc.site)
    shown = doc.content_capture or (doc.captures[-1] if doc.captures else None)
    history = versions.timeline(svc.config, doc, svc.extractions)
    copies = svc.searcher.copies(doc)
    related = svc.searcher.documents(related_ids(doc))
    attachments = [attachment_json(link, related.get(link.id)) for link in doc.attachments]
    return render_template("document.html", doc=doc, site_title=site_title, site_title_of=svc.site_title,
                           history=history,
                           comparable=[v for v in history if v.comparable],
                           pair=versions.default_pair(history),
                           copies=copies, related=related,
                           attachments=attachments,
                           similar=svc.searcher.similar(doc.id, limit=SIMILAR_SHOWN,
                                                        copies=[c.id for c in copies]),
                           citation=citation(doc, site_title, shown.fetched_at if shown else None))


@bp.get("/doc/<doc_id>/compare")
def compare(doc_id: str):
    doc = find_document(doc_id)
    svc = services()
    history = versions.timeline(svc.config, doc, svc.extractions)
    chosen = capture_number("old"), capture_number("new")
    pair = versions.default_pair(history) if chosen == (None, None) else chosen
    if pair is None:
        return error_page(404, "Bài viết này chưa có hai bản lưu có nội dung để so sánh.")
    readable = {v.index: v for v in history if v.comparable}
    if pair[0] not in readable or pair[1] not in readable:
        return error_page(404, "Hãy chọn hai bản lưu có nội dung bài viết để so sánh.")
    old, new = readable[pair[0]], readable[pair[1]]
    assert old.article is not None and new.article is not None
    return render_template("compare.html", doc=doc, site_title=svc.site_title(doc.site), old=old, new=new,
                           comparable=list(readable.values()), pair=pair,
                           title_diff=diff_texts(old.article.title, new.article.title),
                           text_diff=diff_texts(old.article.text, new.article.text))


@bp.get("/doc/<doc_id>/archive")
def archive(doc_id: str):
    doc = find_document(doc_id)
    index = archived_page.chosen_capture(doc, capture_number())
    if index is None:
        return error_page(404, "Tài liệu này chưa có bản lưu trữ nào để hiển thị.")
    capture = doc.captures[index]
    source = archived_page.content_capture_at(doc.captures, index)
    return render_template("archive.html", doc=doc, index=index, capture=capture, source=source,
                           site_title=services().site_title(doc.site),
                           frame_url=url_for("documents.archive_raw", doc_id=doc.id, capture=index))


@bp.get("/doc/<doc_id>/archive/raw")
def archive_raw(doc_id: str):
    doc = find_document(doc_id)
    index = archived_page.chosen_capture(doc, capture_number())
    if index is None:
        abort(404)
    return Response(raw_html(doc, index), headers=archive_headers())


def raw_html(doc: Document, index: int) -> str:
    """The archived page for capture `index`, decoded and rewritten so that it loads what it embeds from
    the archive as of that capture (and runs nothing), or a short Vietnamese note when there is none."""
    source = archived_page.content_capture_at(doc.captures, index)
    if source is None:
        return archived_page.placeholder("Bản lưu này không chứa nội dung trang (chỉ là lần kiểm tra lại).")
    try:
        archived = read_response(services().config.storage.archive_dir, source.warc_file, source.offset)
        body = archived.body()
    except (OSError, ValueError) as error:
        log.warning("cannot read %s@%d for %s: %s", source.warc_file, source.offset, doc.id, error)
        return archived_page.placeholder("Không đọc được bản lưu trữ này từ tệp WARC.")
    return archived_page.frame_html(archived, body, archived.url or doc.url, doc.captures[index].fetched_at)
