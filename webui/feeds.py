"""`/search.atom`: any search as an Atom feed (RFC 4287), newest articles first, to follow in a reader.

The feed takes the results page's parameters (query and filters) and always lists by publication
date, newest first, whatever the page's order: what staff subscribe to is "what is new for this
query". Entries are identified by their document page, so an article changed by a later capture
is the same entry, `updated` to the time its new content was archived.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime

from flask import Blueprint, Response, request, url_for

from indexer.search import SearchResult
from webui.plain_text import inert_text, is_web_address, snippet_text
from webui.search_form import listing_request
from webui.services import services

bp = Blueprint("feeds", __name__)

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50
VIETNAM_MIDNIGHT = "T00:00:00+07:00"     # a publication date is a day in Vietnam


@bp.get("/search.atom")
def atom():
    form, search = listing_request(request.args)
    newest = replace(search, sort="newest", page=1, per_page=FEED_ENTRIES)
    entries = list(services().searcher.results(newest, FEED_ENTRIES))
    return Response(atom_feed(form, entries), content_type="application/atom+xml; charset=utf-8")


def atom_feed(form: Mapping[str, str], results: Iterable[SearchResult]) -> bytes:
    """The feed document: its own address as id, the results page as alternate, one entry per result."""
    params = {k: v for k, v in form.items() if k not in ("page", "per_page", "sort")}
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "vi"})
    self_url = url_for("feeds.atom", _external=True, **params)
    _text(feed, "id", self_url)
    _text(feed, "title", f"Tin Phường: {inert_text(form.get('q')) or 'tin mới'}")
    _text(feed, "subtitle", "Tin mới nhất khớp với tìm kiếm này trong kho lưu trữ tin tức các phường.")
    _link(feed, self_url, "self", "application/atom+xml")
    _link(feed, url_for("search.results", _external=True, **params), "alternate", "text/html")
    _text(ET.SubElement(feed, f"{{{ATOM}}}author"), "name", "Tin Phường")
    _text(feed, "generator", "Tin Phường")
    updated = _text(feed, "updated", "")
    times = [_entry(feed, result) for result in results]
    updated.text = max(times, default=None) or _now()
    ET.register_namespace("", ATOM)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _entry(feed: ET.Element, result: SearchResult) -> str:
    """Add one entry; returns its `updated` time (UTC, so that times compare as text)."""
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    page = url_for("documents.show", doc_id=result.id, _external=True)
    _text(entry, "id", page)
    _text(entry, "title", inert_text(result.title) or "Không có tiêu đề")
    _link(entry, page, "alternate", "text/html")
    if is_web_address(result.url):
        _link(entry, inert_text(result.url), "related", title="Trang gốc")
    published = f"{result.date}{VIETNAM_MIDNIGHT}" if result.date else None
    updated = _utc(result.archived_at) or _utc(published) or _now()
    if published:
        _text(entry, "published", published)
    _text(entry, "updated", updated)
    _text(ET.SubElement(entry, f"{{{ATOM}}}author"), "name", services().site_title(result.site))
    _text(entry, "summary", snippet_text(result.snippet))
    return updated


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = text
    return element


def _link(parent: ET.Element, href: str, rel: str, media_type: str | None = None,
          title: str | None = None) -> None:
    attributes = {"href": href, "rel": rel}
    if media_type:
        attributes["type"] = media_type
    if title:
        attributes["title"] = title
    ET.SubElement(parent, f"{{{ATOM}}}link", attributes)


def _utc(timestamp: str | None) -> str | None:
    """An ISO 8601 capture time as an RFC 3339 UTC time, None when unreadable."""
    try:
        moment = datetime.fromisoformat((timestamp or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

