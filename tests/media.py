"""Small real media files for tests: PNG images a browser decodes, and stand-ins for fonts and documents."""

from __future__ import annotations

import struct
import zlib


def png(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (200, 30, 30),
        padding: int = 0) -> bytes:
    """A valid RGB PNG of one colour; `padding` adds an ancillary chunk of that many bytes (a huge image)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    extra = chunk(b"tEXt", b"Comment\x00" + b"x" * padding) if padding else b""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + extra
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


def pdf(text: str = "Quyet dinh") -> bytes:
    """Bytes that start like a PDF (enough for an archive that never parses them)."""
    return b"%PDF-1.4\n% " + text.encode("ascii") + b"\n%%EOF\n"


def font(name: str = "ward") -> bytes:
    """Bytes that start like a WOFF2 font (the archive stores them; browsers only need to request them)."""
    return b"wOF2" + name.encode("ascii") * 8
