"""Bytes to text: which charset a ward page is really in.

Ward portals declare charsets carelessly: UTF-8 pages served as ISO-8859-1,
windows-1258 pages labelled windows-1252, no declaration at all. Declarations are
tried in HTML's order (BOM, HTTP header, `<meta>`), but a single-byte Western
declaration never wins over bytes that are valid UTF-8 (real Latin-1 text is
almost never valid UTF-8), and between windows-1252 and windows-1258 the one
that yields Vietnamese letters wins.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from bs4.dammit import EncodingDetector, UnicodeDammit

from tinphuong.http_response import charset_of, codec_name

# Declarations that decode any byte sequence, so they prove nothing about the bytes.
_PERMISSIVE = frozenset({"cp1252", "latin-1", "iso8859-1", "ascii", "cp1258", "iso8859-15"})
_WESTERN = frozenset({"cp1252", "latin-1", "iso8859-1", "ascii", "iso8859-15"})
# Letters only Vietnamese text produces: đ ă ơ ư and the precomposed toned vowels (U+1EA0-U+1EF9).
_VIETNAMESE = re.compile("[đĐăĂơƠưƯ\u1ea0-\u1ef9]")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode an HTML payload to text; never raises (undecodable bytes become U+FFFD)."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(encoding, errors="replace")
    utf8 = _strict_utf8(body)
    declared = [c for c in (charset_of(content_type), _meta_charset(body)) if c]
    for codec in declared:
        if codec == "utf-8":
            if utf8 is not None:
                return utf8
            continue
        if codec in _PERMISSIVE and utf8 is not None and not body.isascii():
            return utf8
        if codec in _WESTERN or codec == "cp1258":
            return _western_or_vietnamese(body)
        try:
            return body.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    if utf8 is not None:
        return utf8
    return _detect(body)


def _meta_charset(body: bytes) -> str | None:
    return codec_name(EncodingDetector.find_declared_encoding(body[:16384], is_html=True))


def _strict_utf8(body: bytes) -> str | None:
    """The text if `body` is valid UTF-8 (a multi-byte character cut by a size cap is allowed)."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(body) - 3 and error.reason == "unexpected end of data":
            return body[:error.start].decode("utf-8")
        return None


def _western_or_vietnamese(body: bytes) -> str:
    """Choose between windows-1252 and windows-1258 by which one reads as Vietnamese."""
    western = body.decode("cp1252", errors="replace")
    vietnamese = body.decode("cp1258", errors="replace")
    return vietnamese if _vietnamese_score(vietnamese) > _vietnamese_score(western) else western


def _vietnamese_score(text: str) -> int:
    return len(_VIETNAMESE.findall(unicodedata.normalize("NFC", text)))


def _detect(body: bytes) -> str:
    """No usable declaration: bs4's detector guesses, but a reading with more Vietnamese letters wins.

    Detectors trained on many languages mistake windows-1258 for other single-byte charsets; this
    archive holds Vietnamese sites, so windows-1258 and windows-1252 are always tried as well.
    """
    guess = codec_name(UnicodeDammit(body[:200_000], is_html=True).original_encoding)
    readings = []
    for codec in dict.fromkeys(c for c in (guess, "cp1258", "cp1252") if c):
        try:
            readings.append(body.decode(codec, errors="replace"))
        except LookupError:
            continue
    return max(readings, key=_vietnamese_score)     # the first (the detector's) wins a tie
