"""The URLs a stylesheet loads: `url(...)`, `@import "..."` and the strings of `image-set(...)`.

The crawler reads them to archive a page's fonts and background images; the
archived view rewrites them to the archive. Both must see the URLs a browser
would load, so this is a small tokenizer after CSS Syntax Level 3, not a
regular expression: comments hide what they contain, strings and unquoted
`url(` tokens end where a browser ends them, escapes are decoded (`\\75 rl(`
is `url(`, `\\2f` is `/`), and a malformed `url(` (a quote or a space inside)
is reported as bad so that a rewriter can blank it rather than leave it live.
Each reference carries its span in the text, so a rewriter replaces exactly
the token and leaves every other byte of the stylesheet as it was.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tinphuong.http_response import charset_of, codec_name

IMAGE_SET_FUNCTIONS = frozenset({"image-set", "-webkit-image-set"})
_HEX = frozenset("0123456789abcdefABCDEF")
_WHITESPACE = " \t\n\r\f"
_NON_PRINTABLE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CHARSET_RULE = re.compile(rb'@charset "([^"]{1,40})";')
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass(frozen=True)
class CssReference:
    """One URL in a stylesheet: `text[start:end]` is the whole token (`url(...)` or a quoted string)."""

    start: int
    end: int
    url: str             # decoded, as the browser resolves it ('' for a bad url token)
    form: str            # "url" (a url(...) token) or "string" (a quoted string: @import, image-set)
    is_import: bool = False
    bad: bool = False    # a malformed url(...): browsers load nothing, rewriters should blank it


def decode_stylesheet(body: bytes, content_type: str | None, fallback: str | None = None) -> str:
    """A stylesheet's text, decoded as CSS Syntax says: BOM, then the HTTP charset, then `@charset`,
    then the referring page's encoding (`fallback`), then UTF-8; undecodable bytes become U+FFFD."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(encoding, errors="replace")
    encoding = charset_of(content_type)
    rule = _CHARSET_RULE.match(body)
    if encoding is None and rule:
        encoding = codec_name(rule.group(1))
        if encoding and encoding.startswith("utf-16"):      # an @charset that can only be a lie
            encoding = "utf-8"
    return body.decode(encoding or codec_name(fallback) or "utf-8", errors="replace")


def css_references(text: str) -> list[CssReference]:
    """Every URL reference of `text` in order; never raises, whatever the stylesheet holds."""
    return list(_Tokenizer(text).references())


def rewrite_css(text: str, replace: Callable[[CssReference], str | None]) -> str:
    """`text` with each reference's URL replaced by `replace(ref)`; None blanks it (no request at all)."""
    pieces: list[str] = []
    position = 0
    for ref in css_references(text):
        new = None if ref.bad else replace(ref)
        pieces.append(text[position:ref.start])
        pieces.append(_serialize(new if new is not None else "about:invalid", ref.form))
        position = ref.end
    pieces.append(text[position:])
    return "".join(pieces)


def _serialize(url: str, form: str) -> str:
    quoted = '"' + "".join(_escape(char) for char in url) + '"'
    return f"url({quoted})" if form == "url" else quoted


def _escape(char: str) -> str:
    if char in '"\\':
        return "\\" + char
    if char in "\n\r\f" or _NON_PRINTABLE.match(char):
        return f"\\{ord(char):x} "
    return char


class _Tokenizer:
    """Walks the text once, tracking the innermost function and whether an @import is pending."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.functions: list[str] = []
        self.after_import = False

    def references(self) -> Iterator[CssReference]:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if text.startswith("/*", self.pos):
                end = text.find("*/", self.pos + 2)
                self.pos = len(text) if end < 0 else end + 2
            elif char in "\"'":
                yield from self._string()
            elif char == "@":
                self.pos += 1
                name = self._name() if self._starts_ident() else ""
                self.after_import = name.lower() == "import"
            elif self._starts_ident():
                yield from self._ident_like()
            elif char == "(":
                self.functions.append("")
                self.pos += 1
            elif char == ")":
                if self.functions:
                    self.functions.pop()
                self.pos += 1
            elif char in "{};":
                self.after_import = False
                self.functions.clear()
                self.pos += 1
            else:
                self.pos += 1

    # --- tokens ------------------------------------------------------------------------------------

    def _string(self) -> Iterator[CssReference]:
        start = self.pos
        value = self._consume_string()
        inside = self.functions[-1] if self.functions else ""
        if self.after_import and not self.functions:
            self.after_import = False
            yield CssReference(start, self.pos, value, "string", is_import=True)
        elif inside in IMAGE_SET_FUNCTIONS:
            yield CssReference(start, self.pos, value, "string")

    def _ident_like(self) -> Iterator[CssReference]:
        start = self.pos
        name = self._name().lower()
        if not self.text.startswith("(", self.pos):
            return
        self.pos += 1
        if name != "url":
            self.functions.append(name)
            return
        self._skip_whitespace()
        is_import = self.after_import and not self.functions
        if self.text.startswith(('"', "'"), self.pos):
            value = self._consume_string()
            self._skip_whitespace()
            bad = not self.text.startswith(")", self.pos)
            self._consume_bad_url_rest() if bad else self._advance(1)
            yield CssReference(start, self.pos, "" if bad else value, "url", is_import, bad)
        else:
            value, bad = self._consume_unquoted_url()
            yield CssReference(start, self.pos, "" if bad else value, "url", is_import, bad)
        if is_import:
            self.after_import = False

    def _consume_unquoted_url(self) -> tuple[str, bool]:
        """After `url(` and white space: the URL up to `)`; (value, bad)."""
        text = self.text
        value: list[str] = []
        while self.pos < len(text):
            char = text[self.pos]
            if char == ")":
                self.pos += 1
                return "".join(value), False
            if char in _WHITESPACE:
                self._skip_whitespace()
                if self.text.startswith(")", self.pos) or self.pos >= len(text):
                    self._advance(1)
                    return "".join(value), False
                break
            if char in "\"'(" or _NON_PRINTABLE.match(char):
                break
            if char == "\\":
                if self._valid_escape():
                    value.append(self._escaped())
                    continue
                break
            value.append(char)
            self.pos += 1
        else:
            return "".join(value), False          # EOF ends the url token (a parse error, still loaded)
        self._consume_bad_url_rest()
        return "", True

    def _consume_bad_url_rest(self) -> None:
        text = self.text
        while self.pos < len(text):
            if text[self.pos] == ")":
                self.pos += 1
                return
            if self._valid_escape():
                self._escaped()
            else:
                self.pos += 1

    def _consume_string(self) -> str:
        text = self.text
        quote = text[self.pos]
        self.pos += 1
        value: list[str] = []
        while self.pos < len(text):
            char = text[self.pos]
            if char == quote:
                self.pos += 1
                break
            if char in "\n\r\f":                  # a bad string: ends here, the newline stays
                break
            if char == "\\":
                following = text[self.pos + 1: self.pos + 2]
                if following == "":
                    self.pos += 1
                elif following in "\n\r\f":
                    self.pos += 3 if text.startswith("\r\n", self.pos + 1) else 2
                else:
                    value.append(self._escaped())
                continue
            value.append(char)
            self.pos += 1
        return "".join(value)

    def _name(self) -> str:
        text = self.text
        name: list[str] = []
        while self.pos < len(text):
            char = text[self.pos]
            if char.isalnum() or char in "-_" or ord(char) >= 0x80:
                name.append(char)
                self.pos += 1
            elif self._valid_escape():
                name.append(self._escaped())
            else:
                break
        return "".join(name)

    def _escaped(self) -> str:
        """At a backslash: the escaped code point (hex escapes take one trailing white space)."""
        text = self.text
        self.pos += 1
        if self.pos >= len(text):
            return "\ufffd"
        digits = ""
        while len(digits) < 6 and self.pos < len(text) and text[self.pos] in _HEX:
            digits += text[self.pos]
            self.pos += 1
        if not digits:
            char = text[self.pos]
            self.pos += 1
            return char
        if text.startswith("\r\n", self.pos):
            self.pos += 2
        elif self.pos < len(text) and text[self.pos] in _WHITESPACE:
            self.pos += 1
        code = int(digits, 16)
        return "\ufffd" if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF else chr(code)

    # --- look-ahead --------------------------------------------------------------------------------

    def _valid_escape(self, at: int | None = None) -> bool:
        at = self.pos if at is None else at
        return self.text.startswith("\\", at) and self.text[at + 1: at + 2] not in ("", "\n", "\r", "\f")

    def _starts_ident(self) -> bool:
        text, at = self.text, self.pos
        first = text[at: at + 1]
        if first == "-":
            second = text[at + 1: at + 2]
            return bool(second) and (second.isalpha() or second in "-_" or ord(second) >= 0x80
                                     or self._valid_escape(at + 1))
        if first and (first.isalpha() or first == "_" or ord(first) >= 0x80):
            return True
        return self._valid_escape(at)

    def _skip_whitespace(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in _WHITESPACE:
            self.pos += 1

    def _advance(self, count: int) -> None:
        self.pos = min(len(self.text), self.pos + count)
