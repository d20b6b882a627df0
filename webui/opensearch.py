"""`/opensearch.xml`: the OpenSearch 1.1 description that lets a browser add the archive to its
search bar (every page links it from its `<head>`), with the results page, the Atom feed and the
JSON API as search URL templates."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from flask import Blueprint, Response, url_for

bp = Blueprint("opensearch", __name__)

OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
SHORT_NAME = "Tin Phường"      # at most 16 characters, by the specification


@bp.get("/opensearch.xml")
def description():
    root = ET.Element(f"{{{OPENSEARCH}}}OpenSearchDescription")
    for name, text in (("ShortName", SHORT_NAME),
                       ("Description", "Tìm kiếm trong kho lưu trữ tin tức các phường"),
                       ("Language", "vi"), ("InputEncoding", "UTF-8"), ("OutputEncoding", "UTF-8")):
        ET.SubElement(root, f"{{{OPENSEARCH}}}{name}").text = text
    for media_type, endpoint, extra in (("text/html", "search.results", "&page={startPage?}"),
                                        ("application/atom+xml", "feeds.atom", ""),
                                        ("application/json", "api.search", "&page={startPage?}")):
        template = url_for(endpoint, _external=True) + "?q={searchTerms}" + extra
        ET.SubElement(root, f"{{{OPENSEARCH}}}Url", type=media_type, method="get", template=template)
    ET.SubElement(root, f"{{{OPENSEARCH}}}Url", {
        "type": "application/opensearchdescription+xml", "rel": "self",
        "template": url_for("opensearch.description", _external=True)})
    ET.register_namespace("", OPENSEARCH)
    return Response(ET.tostring(root, encoding="utf-8", xml_declaration=True),
                    content_type="application/opensearchdescription+xml; charset=utf-8")
