"""A Document as the index holds it, and back: the one mapping between `Document` and fields.

Every text is indexed twice, exact and folded (see `indexer.schema`); the body fields
hold the title too, and the clean text is stored once. The writer turns Documents into
fields here; the writer's `get` and the searcher (documents and result lists) turn
stored fields back into Documents here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from indexer.document import ARTICLE, AttachmentLink, Capture, Document, FileInfo, LinkedFrom
from indexer.schema import (
    ATTACHMENTS,
    AUTHOR,
    BAND_KEYS,
    BODY,
    BODY_FOLDED,
    CAPTURES,
    CATEGORY,
    CLUSTER,
    DATE,
    DATE_SOURCE,
    FILE,
    GONE,
    ID_FIELD,
    KIND,
    LINKED_FROM,
    LINKS,
    PAIRS,
    SITE,
    STORED_TEXT,
    TITLE,
    TITLE_FOLDED,
    UNDATED,
    URL,
)

# Syllable pairs are learnt from the title and the start of the text only: pairs are
# mostly unique terms, the costliest thing Whoosh indexes, and the lead of an
# article holds its characteristic phrases.
PAIRS_TEXT_CHARS = 500


def document_to_fields(doc: Document) -> dict[str, Any]:
    """The Whoosh fields of a document: indexed twice (exact, folded), stored once (see schema)."""
    title, text = doc.title or "", doc.text or ""
    searchable = "\n\n".join(x for x in (title, *_findable_by(doc), text) if x)   # no phrase spans them
    fields: dict[str, Any] = {
        ID_FIELD: doc.id, URL: doc.url, SITE: doc.site, STORED_TEXT: text,
        TITLE: title, BODY: searchable, TITLE_FOLDED: title, BODY_FOLDED: searchable,
        PAIRS: f"{title}\n.\n{text[:PAIRS_TEXT_CHARS]}",
        GONE: bool(doc.gone), UNDATED: 0 if doc.date else 1,
        CAPTURES: json.dumps([c.to_dict() for c in doc.captures], ensure_ascii=False),
        CLUSTER: doc.cluster or doc.id, BAND_KEYS: text,
    }
    if doc.date_source:
        fields[DATE_SOURCE] = doc.date_source
    if doc.date:
        fields[DATE] = datetime(doc.date.year, doc.date.month, doc.date.day)
    if doc.author:
        fields[AUTHOR] = doc.author
    if doc.category:
        fields[CATEGORY] = doc.category
    fields.update(_attachment_fields(doc))
    return fields


def _findable_by(doc: Document) -> list[str]:
    """An attachment is also found by its number and the texts of the links to it (a scan has no text)."""
    number = [doc.file.number] if doc.file and doc.file.number else []
    return number + list(dict.fromkeys(link.text for link in doc.linked_from if link.text))


def _attachment_fields(doc: Document) -> dict[str, Any]:
    fields: dict[str, Any] = {KIND: doc.kind}
    if doc.attachments:
        fields[LINKS] = " ".join(link.id for link in doc.attachments)
        fields[ATTACHMENTS] = _json([link.to_dict() for link in doc.attachments])
    if doc.file:
        fields[FILE] = _json(doc.file.to_dict())
    if doc.linked_from:
        fields[LINKED_FROM] = _json([link.to_dict() for link in doc.linked_from])
    return fields


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def stored_to_document(stored: Mapping[str, Any]) -> Document:
    """The Document back from a hit's stored fields."""
    when = stored.get(DATE)
    return Document(
        url=stored.get(URL, ""), site=stored.get(SITE, ""), title=stored.get(TITLE, ""),
        text=stored.get(STORED_TEXT, ""),
        date=when.date() if isinstance(when, datetime) else when if isinstance(when, date) else None,
        author=stored.get(AUTHOR), category=stored.get(CATEGORY), gone=bool(stored.get(GONE)),
        captures=[Capture(**c) for c in json.loads(stored.get(CAPTURES) or "[]")],
        id=stored.get(ID_FIELD, ""),
        kind=stored.get(KIND) or ARTICLE,
        attachments=[AttachmentLink(**a) for a in json.loads(stored.get(ATTACHMENTS) or "[]")],
        file=FileInfo(**json.loads(stored[FILE])) if stored.get(FILE) else None,
        linked_from=[LinkedFrom(**a) for a in json.loads(stored.get(LINKED_FROM) or "[]")],
        date_source=stored.get(DATE_SOURCE), cluster=_cluster(stored),
    )


def _cluster(stored: Mapping[str, Any]) -> str:
    """The stored cluster, "" when it is the document's own id (a page without copies, or the first one)."""
    cluster = stored.get(CLUSTER) or ""
    return "" if cluster == stored.get(ID_FIELD) else cluster
