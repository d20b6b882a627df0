"""Hostile markup to a bounded lxml tree.

libxml2 (lxml, in C) repairs broken markup and stops nesting at 256 levels, so a page of a
million nested `<div>`s costs milliseconds. Pages with more elements than any real article page
has are refused rather than parsed.
"""

from __future__ import annotations

import logging
import re

from lxml import etree

from indexer.extract.tree import Document

log = logging.getLogger(__name__)

MAX_ELEMENTS = 30_000          # a ward portal's article page has a few thousand
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
# Plain elements: `lxml.html`'s element classes are chosen by a Python call per element object made,
# which took a tenth of extraction's time.
_PARSER = etree.HTMLParser()


def parse_html(markup: str) -> Document | None:
    """The document tree of `markup`, or None when it is empty or absurdly large."""
    markup = _XML_DECLARATION.sub("", markup.replace("\x00", ""), count=1)
    try:
        root = etree.fromstring(markup, _PARSER)
    except (etree.LxmlError, ValueError):
        return None
    if root is None:
        return None
    elements = sum(1 for _ in root.iter())
    if elements > MAX_ELEMENTS:
        log.info("page refused: %d elements (limit %d)", elements, MAX_ELEMENTS)
        return None
    return root.getroottree()
