"""Archived HTML made safe to show and self-contained: URLs to the archive, everything active removed.

The result is shown in a frame that is sandboxed twice (the `sandbox` attribute
and the CSP `sandbox` directive, without `allow-scripts` or `allow-same-origin`),
under a policy that loads images, styles and fonts from our origin only; this
module is the first of those three layers, so it does not rely on the others:

- removed with their content: `<script>`, `<iframe>`, `<frame>`, `<frameset>`,
  `<object>`, `<embed>`, `<applet>`, `<portal>`, `<base>`, SVG animations (they can
  set a `href`), `<meta http-equiv>` (refresh, cookies, policies), every `<link>`
  but stylesheets (preconnect and dns-prefetch would reach the live site without
  any fetch a policy sees), comments;
- removed attributes: `on*` event handlers, `action`, `formaction`, `ping`,
  `srcdoc`, `manifest`, `integrity`, `crossorigin` (our rewritten bytes would fail
  both), `nonce`;
- embedded resources (`src`, `srcset`, `poster`, `background`, lazy-loading
  `data-src`/`data-srcset`, stylesheet links, SVG `href`, CSS `url()` and
  `@import`) go to `/archive/resource`, which answers from the archive or not at
  all; a lazy image gets its real source as `src`, since no lazy-loader runs;
- links (`<a>`, `<area>`) go to `/archive/link` in the top window; fragment
  links stay; other schemes (`javascript:`, `mailto:`, ...) lose their `href`.
"""

from __future__ import annotations

import re

from lxml import etree, html

from tinphuong.page_resources import (
    LAZY_SOURCES,
    SRCSET_ATTRIBUTES,
    URL_ATTRIBUTES,
    Candidate,
    base_url,
    is_stylesheet_link,
    join_srcset,
    srcset_candidates,
)
from webui.replay.archive_urls import ArchiveUrls
from webui.replay.css import rewrite_stylesheet

DROPPED_ELEMENTS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "portal", "base", "noembed",
    "param", "animate", "set", "animatemotion", "animatetransform", "animatecolor", "handler", "listener",
})
DROPPED_ATTRIBUTES = frozenset({
    "action", "formaction", "ping", "srcdoc", "manifest", "integrity", "crossorigin", "nonce", "codebase",
    "archive", "dynsrc", "lowsrc",
})
LINK_ELEMENTS = frozenset({"a", "area"})
HREF_ATTRIBUTES = ("href", "xlink:href")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)


def rewrite_html(text: str, page_url: str, urls: ArchiveUrls) -> str:
    """The archived page `text` (decoded) ready for the sandboxed frame; `urls.base` is ignored:
    relative URLs resolve against the page's own `<base href>`, else `page_url`."""
    root = _parse(text)
    if root is None:
        return ""
    urls = urls.rebased(base_url(root, page_url))
    for element in list(root.iter()):
        if _dropped(element):
            _drop(element)
    for element in root.iter(etree.Element):
        _rewrite_element(element, urls)
    # The page's own doctype, or none: libxml2 invents one for pages without, and the doctype decides
    # the browser's rendering mode.
    own_doctype = "<!doctype" in text[:4096].lower()
    return etree.tostring(root.getroottree() if own_doctype else root, method="html", encoding="unicode")


def _parse(text: str):
    text = _XML_DECLARATION.sub("", text, count=1)      # lxml refuses str input that declares an encoding
    if not text.strip():
        return None
    try:
        return html.document_fromstring(text, parser=html.HTMLParser(no_network=True))
    except (etree.ParserError, ValueError):
        return None


def _dropped(element) -> bool:
    if not isinstance(element.tag, str):                # comments and processing instructions
        return True
    if element.tag in DROPPED_ELEMENTS:
        return True
    if element.tag == "meta":
        return element.get("http-equiv") is not None
    return element.tag == "link" and not is_stylesheet_link(element)


def _drop(element) -> None:
    """Remove an element and what it contains, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    parent.remove(element)
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def _rewrite_element(element, urls: ArchiveUrls) -> None:
    for name in list(element.attrib):
        if name.startswith("on") or name in DROPPED_ATTRIBUTES:
            del element.attrib[name]
    if element.tag == "style" and element.text:
        element.text = rewrite_stylesheet(element.text, urls)
    if element.get("style"):
        element.set("style", rewrite_stylesheet(element.get("style"), urls))
    for name in URL_ATTRIBUTES:
        if element.get(name) is not None:
            _set_or_drop(element, name, urls.embed(element.get(name)))
    for name in SRCSET_ATTRIBUTES:
        if element.get(name) is not None:
            _set_or_drop(element, name, _rewrite_srcset(element.get(name), urls))
    for name in HREF_ATTRIBUTES:
        if element.get(name) is not None:
            _rewrite_href(element, name, urls)
    _unlazy(element)


def _rewrite_href(element, name: str, urls: ArchiveUrls) -> None:
    value = element.get(name)
    if element.tag in LINK_ELEMENTS:
        if value.strip().startswith("#"):
            return                                       # a place in the page itself
        _set_or_drop(element, name, urls.link(value))
        if element.get(name) is not None:
            element.set("target", "_top")
    else:                                                # <link rel=stylesheet>, SVG <use>, <image>...
        _set_or_drop(element, name, urls.embed(value, stylesheet=element.tag == "link"))


def _rewrite_srcset(value: str, urls: ArchiveUrls) -> str | None:
    rewritten = [Candidate(new, c.descriptor) for c in srcset_candidates(value)
                 if (new := urls.embed(c.url)) and not any(ch.isspace() for ch in new)]
    return join_srcset(rewritten) if rewritten else None


def _unlazy(element) -> None:
    """Give a lazily loaded image its real source: without scripts, nothing else would."""
    if element.tag not in ("img", "source"):
        return
    for target, sources in LAZY_SOURCES.items():
        lazy = next((element.get(name) for name in sources if element.get(name)), None)
        if lazy:
            element.set(target, lazy)


def _set_or_drop(element, name: str, value: str | None) -> None:
    if value is None:
        del element.attrib[name]
    else:
        element.set(name, value)
