"""Tag trees to clean text: paragraphs, collapsed whitespace, the characters as published (NFC)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import CData, Declaration, Doctype, ProcessingInstruction

from indexer.analysis.normalize import display_form

BLOCK_TAGS = frozenset({
    "address", "article", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "hr", "li", "main", "ol", "p", "pre",
    "section", "table", "tbody", "td", "th", "thead", "tr", "ul", "center", "body", "html",
})
_NOT_TEXT = (Comment, CData, Declaration, Doctype, ProcessingInstruction)
_SPACE = re.compile(r"\s+")


def clean_line(text: str | None) -> str:
    """One line of display text: as published (`display_form`: NFC, hidden characters dropped), with
    whitespace collapsed as a browser collapses it."""
    if not text:
        return ""
    return _SPACE.sub(" ", display_form(text)).strip()


def paragraphs(root: Tag | BeautifulSoup) -> list[str]:
    """The text of `root` split at block elements, one cleaned string per paragraph.

    Walks the tree with an explicit stack: pages nest tags thousands deep and
    recursion would overflow.
    """
    result: list[str] = []
    current: list[str] = []
    for piece in _walk(root):
        if piece is None:
            _flush(current, result)
        else:
            current.append(piece)
    _flush(current, result)
    return result


def text_of(node: Tag | BeautifulSoup | None) -> str:
    """All text of `node` on one line."""
    return clean_line(" ".join(_strings(node))) if node is not None else ""


def bounded_text(node: Tag, max_nodes: int) -> str | None:
    """`text_of(node)`, or None when `node` has more than `max_nodes` descendants (cheap size checks)."""
    return text_of(node) if has_at_most(node, max_nodes) else None


def has_at_most(node: Tag, max_nodes: int) -> bool:
    """Whether `node` has at most `max_nodes` descendants; stops counting early (bs4's own walk does not)."""
    stack = list(node.contents)
    seen = 0
    while stack:
        seen += 1
        if seen > max_nodes:
            return False
        current = stack.pop()
        if isinstance(current, Tag):
            stack.extend(current.contents)
    return True


def _walk(root: Tag) -> Iterator[str | None]:
    """Text pieces, with None wherever a block element starts or ends."""
    stack: list[object] = [root]
    while stack:
        node = stack.pop()
        if node is None:
            yield None
        elif isinstance(node, NavigableString):
            if not isinstance(node, _NOT_TEXT):
                yield str(node)
        elif isinstance(node, Tag):
            block = node.name in BLOCK_TAGS
            if block:
                yield None
                stack.append(None)
            stack.extend(reversed(node.contents))


def _strings(node: Tag) -> Iterator[str]:
    for piece in _walk(node):
        if piece is not None:
            yield piece


def _flush(current: list[str], result: list[str]) -> None:
    if current:
        line = clean_line("".join(current))
        if line:
            result.append(line)
        current.clear()


def text_lengths(node: Tag) -> tuple[int, int]:
    """(characters of text, characters of text inside links) below `node`, in one walk."""
    total = linked = 0
    stack: list[tuple[object, bool]] = [(node, False)]
    while stack:
        current, in_link = stack.pop()
        if isinstance(current, NavigableString):
            if not isinstance(current, _NOT_TEXT):
                size = len(current.strip())
                total += size
                linked += size if in_link else 0
        elif isinstance(current, Tag):
            in_link = in_link or current.name == "a"
            stack.extend((child, in_link) for child in current.contents)
    return total, linked


def link_density(node: Tag) -> float:
    """Share of `node`'s text that sits inside links (0 for an empty node)."""
    total, linked = text_lengths(node)
    return linked / total if total else 0.0


def removed(tag: Tag) -> bool:
    """Whether `tag` was decomposed (read directly: bs4's property falls back to a subtree search)."""
    return bool(tag.__dict__.get("_decomposed", False))
