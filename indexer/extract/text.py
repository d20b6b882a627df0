"""Element trees to clean text: paragraphs, collapsed whitespace, the characters as published (NFC).

A text piece is an element's text or tail; comments and processing instructions hold none
(their tails do). Walks use explicit stacks: pages nest tags thousands deep.
"""

from __future__ import annotations

from collections.abc import Iterator

from indexer.analysis.normalize import display_form
from indexer.extract.tree import REMOVED, Document, Element, Node

BLOCK_TAGS = frozenset({
    "address", "article", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "hr", "li", "main", "ol", "p", "pre",
    "section", "table", "tbody", "td", "th", "thead", "tr", "ul", "center", "body", "html",
})


def clean_line(text: str | None) -> str:
    """One line of display text: as published (`display_form`: NFC, hidden characters dropped), with
    whitespace collapsed as a browser collapses it."""
    if not text:
        return ""
    return " ".join(display_form(text).split())      # `\s+` runs to one space, stripped; several times faster


def paragraphs(root: Node) -> list[str]:
    """The text of `root` split at block elements, one cleaned string per paragraph."""
    result: list[str] = []
    current: list[str] = []
    for piece in _walk(_element(root)):
        if piece is None:
            _flush(current, result)
        else:
            current.append(piece)
    _flush(current, result)
    return result


def text_of(node: Node | None) -> str:
    """All text of `node` on one line (lxml's `itertext` gives the pieces `_walk` gives, in C)."""
    if node is None:
        return ""
    return clean_line(" ".join(_element(node).itertext()))


def bounded_text(node: Element, max_nodes: int) -> str | None:
    """`text_of(node)`, or None when `node` has more than `max_nodes` descendants (cheap size checks)."""
    return text_of(node) if has_at_most(node, max_nodes) else None


def has_at_most(node: Element, max_nodes: int) -> bool:
    """Whether `node` has at most `max_nodes` descendants, counting elements, comments and text pieces;
    stops counting early."""
    seen = 1 if node.text else 0
    for child in node.iterdescendants():
        seen += (child.tag != REMOVED) + (1 if child.tail else 0) \
            + (1 if child.text and isinstance(child.tag, str) else 0)
        if seen > max_nodes:
            return False
    return seen <= max_nodes


def _element(node: Node) -> Element:
    return node.getroot() if isinstance(node, Document) else node


def _walk(root: Element) -> Iterator[str | None]:
    """Text pieces in document order, with None wherever a block element starts or ends."""
    stack: list[object] = [root]
    while stack:
        node = stack.pop()
        if node is None or type(node) is str:
            yield node
            continue
        if node is not root and node.tail:
            stack.append(node.tail)
        tag = node.tag
        if type(tag) is not str:        # a comment or processing instruction: no text of its own
            continue
        if tag in BLOCK_TAGS:
            yield None
            stack.append(None)
        stack.extend(reversed(node))
        if node.text:
            yield node.text


def _flush(current: list[str], result: list[str]) -> None:
    if current:
        line = clean_line("".join(current))
        if line:
            result.append(line)
        current.clear()


def text_lengths(node: Node) -> tuple[int, int]:
    """(characters of text, characters of text inside links) below `node`."""
    root = _element(node)
    total = _stripped_length(root)
    linked = 0
    if total:
        for link in root.iter("a"):
            if link is root or not any(above.tag == "a" for above in _between(link, root)):
                linked += _stripped_length(link)
    return total, linked


def _stripped_length(node: Element) -> int:
    return sum(map(len, map(str.strip, node.itertext())))


def _between(tag: Element, root: Element) -> Iterator[Element]:
    """The elements enclosing `tag` below `root`."""
    for above in tag.iterancestors():
        if above is root:
            return
        yield above


def link_density(node: Element) -> float:
    """Share of `node`'s text that sits inside links (0 for an empty node)."""
    total, linked = text_lengths(node)
    return linked / total if total else 0.0


def own_text_length(tag: Element) -> int:
    """Characters of the text pieces directly in `tag` (a comment's text counts, as bs4 counted it)."""
    size = len(tag.text.strip()) if tag.text else 0
    for child in tag:
        if not isinstance(child.tag, str) and child.text:
            size += len(child.text.strip())
        if child.tail:
            size += len(child.tail.strip())
    return size
