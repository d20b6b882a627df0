"""Hostile markup to a bounded BeautifulSoup tree.

The page goes through libxml2 first (lxml, in C): it repairs broken markup and
stops nesting at 256 levels, so a page of a million nested `<div>`s costs
milliseconds instead of minutes in BeautifulSoup. Pages with more elements than
any real article page has are refused rather than parsed.
"""

from __future__ import annotations

import logging
import re

import lxml.html
from bs4 import BeautifulSoup
from lxml import etree

log = logging.getLogger(__name__)

MAX_ELEMENTS = 30_000          # a ward portal's article page has a few thousand
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)


def parse_html(markup: str) -> BeautifulSoup | None:
    """A BeautifulSoup tree of `markup`, or None when it is empty or absurdly large."""
    markup = _XML_DECLARATION.sub("", markup.replace("\x00", ""), count=1)
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return None
    elements = sum(1 for _ in root.iter())
    if elements > MAX_ELEMENTS:
        log.info("page refused: %d elements (limit %d)", elements, MAX_ELEMENTS)
        return None
    return BeautifulSoup(lxml.html.tostring(root, encoding="unicode"), "lxml")
