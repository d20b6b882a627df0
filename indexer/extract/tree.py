"""The lxml tree extraction works on: searching it, and removing parts of it as BeautifulSoup did.

Extraction walks libxml2's own tree (lxml parses a ward page in a fraction of a millisecond;
building a BeautifulSoup tree of it cost ~6 ms, half of a page's extraction). Two habits of the
BeautifulSoup tree the heuristics were tuned on are kept, so that extraction finds what it found:

- a removed element leaves its text neighbours apart (`decompose` and `unwrap` leave an empty
  placeholder element behind, which every search and walk skips): `text_of` joins text pieces with
  a space, and lxml would otherwise merge the text before and after into one piece;
- the document is a node of its own (`Document`, lxml's element tree): searching it includes
  `<html>`, as searching a BeautifulSoup object did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from lxml import etree

Element = etree._Element               # noqa: SLF001 - lxml's public element types carry an underscore
Document = etree._ElementTree           # noqa: SLF001
Node = Element | Document
REMOVED = "tinphuong-removed"      # the tag of what `decompose` and `unwrap` leave behind


def find_tags(root: Node, names: str | Iterable[str] | None = None,
              where: Callable[[Element], bool] | None = None, limit: int | None = None) -> list[Element]:
    """The elements below `root` in document order (`root` too when it is the document), named one of
    `names` and passing `where` (both optional), at most `limit` of them."""
    wanted = (names,) if isinstance(names, str) else tuple(names) if names is not None else (etree.Element,)
    nodes = root.iter(*wanted) if isinstance(root, Document) else root.iterdescendants(*wanted)
    found: list[Element] = []
    for node in nodes:
        if (names is not None or node.tag != REMOVED) and (where is None or where(node)):
            found.append(node)
            if limit is not None and len(found) >= limit:
                break
    return found


def find_tag(root: Node, names: str | Iterable[str] | None = None,
             where: Callable[[Element], bool] | None = None) -> Element | None:
    """The first element `find_tags` would list, or None."""
    found = find_tags(root, names, where, limit=1)
    return found[0] if found else None


def find_ancestor(tag: Element, names: str | Iterable[str]) -> Element | None:
    """The nearest enclosing element of one of those names (not `tag` itself)."""
    wanted = frozenset([names] if isinstance(names, str) else names)
    node = tag.getparent()
    while node is not None:
        if node.tag in wanted:
            return node
        node = node.getparent()
    return None


def preceding_tags(tag: Element, where: Callable[[Element], bool], limit: int) -> list[Element]:
    """The elements before `tag` in document order, ancestors included, nearest first (bs4's
    `find_all_previous`)."""
    before = []
    for node in tag.getroottree().iter(etree.Element):
        if node is tag:
            break
        if node.tag != REMOVED:
            before.append(node)
    return [node for node in reversed(before) if where(node)][:limit]


def next_tags(tag: Element) -> Iterator[Element]:
    """The elements after `tag` under the same parent (no comments, nothing removed)."""
    for node in tag.itersiblings(etree.Element):
        if node.tag != REMOVED:
            yield node


def child_tags(tag: Element) -> list[Element]:
    """The elements directly under `tag` (no comments, nothing removed)."""
    return [node for node in tag.iterchildren(etree.Element) if node.tag != REMOVED]


def has_href(tag: Element) -> bool:
    """The attribute is there, whatever its value."""
    return tag.get("href") is not None


def classes(tag: Element) -> list[str]:
    """The element's class names."""
    return (tag.get("class") or "").split()


def document_tag(document: Document, name: str) -> Element | None:
    """The first element of that name in the document (`<title>`, `<head>`, `<body>`)."""
    return next(document.iter(name), None)


def decompose(tag: Element) -> None:
    """Remove `tag` and everything in it, leaving its tail where it was (see the module's docstring)."""
    tail = tag.tail
    tag.clear()
    tag.tag, tag.tail = REMOVED, tail


def unwrap(tag: Element) -> None:
    """Put `tag`'s contents in its place; its text and tail stay pieces of their own."""
    parent = tag.getparent()
    if parent is None:
        return
    before, after = parent.makeelement(REMOVED, {}), parent.makeelement(REMOVED, {})
    before.tail, after.tail = tag.text, tag.tail
    index = parent.index(tag)
    parent[index:index + 1] = [before, *tag, after]


def removed(tag: Element) -> bool:
    """Whether `tag`, or an element around it, was removed from the document."""
    if tag.tag == REMOVED:
        return True
    top = tag
    for above in tag.iterancestors():
        top = above
    return top is not tag.getroottree().getroot()
