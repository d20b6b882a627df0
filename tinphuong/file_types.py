"""Which responses are attachments (PDF, Word, Excel, OpenDocument, RTF), and in which format.

The crawler archives attachments as their own records and the indexer extracts their
text; both decide here what counts as one: by the link's extension (`.pdf`), by the
declared media type (`download.aspx?id=7` answering `application/pdf`), and, for the
indexer, by the payload's first bytes, which ward servers rarely mislabel.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

from tinphuong.http_response import media_type

ATTACHMENT_EXTENSIONS = frozenset({
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".rtf",
})
ATTACHMENT_TYPES = frozenset({
    "application/pdf", "application/x-pdf", "application/msword", "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint", "application/rtf", "text/rtf",
})
ATTACHMENT_TYPE_PREFIXES = ("application/vnd.openxmlformats-officedocument.",
                            "application/vnd.oasis.opendocument.")
# Media types to formats (the OOXML and ODF types name their format in the last part).
# Types servers send for any download: the extension and the first bytes decide.
GENERIC_TYPES = frozenset({"application/octet-stream", "binary/octet-stream", "application/download",
                           "application/x-download", "application/force-download", "application/unknown"})
_FORMAT_OF_TYPE = {
    "application/pdf": "pdf", "application/x-pdf": "pdf", "application/msword": "doc",
    "application/vnd.ms-excel": "xls", "application/vnd.ms-powerpoint": "ppt", "application/rtf": "rtf",
    "text/rtf": "rtf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt", "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
# First bytes of each family: one format, or the formats that share a container (zip, OLE2).
_FAMILIES: tuple[tuple[bytes, str | frozenset[str]], ...] = (
    (b"%PDF-", "pdf"), (b"{\\rtf", "rtf"),
    (b"PK\x03\x04", frozenset({"docx", "xlsx", "pptx", "odt", "ods", "odp"})),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", frozenset({"doc", "xls", "ppt"})),
)


def is_attachment_url(url: str) -> bool:
    """Whether a link's path ends like a document (`.pdf`, `.docx`, ...)."""
    return extension(url) in ATTACHMENT_EXTENSIONS


def is_attachment_type(content_type: str | None) -> bool:
    """Whether a declared media type is a document format."""
    kind = media_type(content_type)
    return kind in ATTACHMENT_TYPES or kind.startswith(ATTACHMENT_TYPE_PREFIXES)


def extension(url: str) -> str:
    """The lowercase extension of a URL's path, with its dot ('' when none)."""
    return posixpath.splitext(urlsplit(url).path.lower())[1]


def attachment_format(content_type: str | None, url: str, start: bytes = b"") -> str | None:
    """The format of an attachment response ("pdf", "docx", "xls", ...), or None when it is not one.

    The first bytes (`start`) decide between families (PDF, zip, OLE2, RTF); the declared
    type, else the extension, names the member of the family.
    """
    declared = media_type(content_type)
    if declared and not is_attachment_type(declared) and declared not in GENERIC_TYPES:
        return None                       # an HTML error page, an image: whatever the URL says
    by_type = _FORMAT_OF_TYPE.get(declared)
    by_name = extension(url)[1:] if is_attachment_url(url) else None
    for signature, family in _FAMILIES:
        if start.startswith(signature):
            if isinstance(family, str):
                return family
            return next((name for name in (by_type, by_name) if name in family), None)
    return by_type or by_name
