"""The files that are not pages: images, stylesheets, fonts and attachments, with their types.

Images are real PNGs (a few hundred bytes, a colour drawn from the file name), so a browser
shows them and digests tell them apart; the logo and the header background are the same file
on every page, as on a real site. Attachments are small placeholders by default: the site's
`attachment_bytes` hook can serve real documents instead.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import PurePosixPath

from tests.wardsite.model import Article

CONTENT_TYPES = {
    ".png": "image/png",
    ".css": "text/css; charset=utf-8",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The first bytes of each attachment format: PDF, Office Open XML (a zip), the old OLE2 Office files.
SIGNATURES = {".pdf": b"%PDF-1.4\n", ".docx": b"PK\x03\x04", ".xlsx": b"PK\x03\x04",
              ".doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"}
FONT_FILE = "fonts/ward-sans.woff2"
BACKGROUND_FILE = "images/header-bg.png"


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")


def png(name: str, width: int = 32, height: int = 20) -> bytes:
    """A valid PNG of one colour, chosen by `name`."""
    rgb = hashlib.sha1(name.encode("utf-8")).digest()[:3]
    raw = b"".join(b"\x00" + rgb * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def font() -> bytes:
    """Placeholder bytes behind a WOFF2 signature: enough for a crawler to archive a font file."""
    return b"wOF2" + hashlib.sha256(b"ward-sans").digest() * 8


def stylesheet(theme: str, rules: str) -> str:
    """A theme's stylesheet: its web font and header background (relative URLs, as themes write
    them) and its own rules."""
    return (f"/* Theme {theme} */\n"
            f'@font-face {{ font-family: "Ward Sans"; src: url("{FONT_FILE}") format("woff2"); }}\n'
            f'body {{ font-family: "Ward Sans", Arial, sans-serif; margin: 0; color: #222; }}\n'
            f'.banner, .site-header, #masthead {{ background: #b71c1c url("{BACKGROUND_FILE}") repeat-x; }}\n'
            f"{rules.strip()}\n")


def placeholder_attachment(article: Article, name: str) -> bytes:
    """Stand-in bytes for an attached document, starting with the signature of its format."""
    signature = SIGNATURES[PurePosixPath(name).suffix.lower()]
    return signature + f"placeholder for {name} of article {article.id}\n".encode()
