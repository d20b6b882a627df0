"""What a document is shown with, on its page and in `/api/doc/<id>`: its attachments or the articles
that link it. One description of an attachment serves both, so the page and the API never disagree
on a file's type, whether it was archived or whether it is a scan."""

from __future__ import annotations

from indexer.document import AttachmentLink, Document, FileInfo
from indexer.extract.attachments import NO_TEXT_LAYER, TEXT_FORMATS


def related_ids(doc: Document) -> list[str]:
    """The ids shown in detail beside `doc`: its attachments, or the articles linking it."""
    return [link.id for link in doc.attachments] + [link.id for link in doc.linked_from]


def attachment_json(link: AttachmentLink, archived: Document | None) -> dict:
    """An attached file as the article lists it; `archived` is its own Document when it was archived."""
    file = archived.file if archived is not None else None
    return {"id": link.id, "url": link.url, "title": link.title or (archived.title if archived else ""),
            "file_type": file.file_type if file else link.file_type or None,
            "size": file.size if file else None, "text_layer": file.text_layer if file else None,
            "no_text": no_text(file), "archived": archived is not None}


def no_text(file: FileInfo | None) -> str | None:
    """Why an archived file has no searchable text, as staff need to know it: "scan" (a file read
    without error but with no text layer), "format" (a format whose text is not read: XLS, DOC...),
    "unreadable" (locked, damaged, or too costly to read); None when it has text or is not archived."""
    if file is None or file.text_layer:
        return None
    if file.file_type not in TEXT_FORMATS:
        return "format"
    return "scan" if file.reason == NO_TEXT_LAYER else "unreadable"
