"""Browser integration: every page links an OpenSearch description whose templates search the archive."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from bs4 import BeautifulSoup

OS = "{http://a9.com/-/spec/opensearch/1.1/}"


def test_every_page_links_the_description_in_its_head(client, corpus):
    for path in ["/", "/search?q=dang+vien", f"/doc/{corpus.article.id}", "/status", "/khong-co-trang-nay",
                 "/search?from=31/02/2024"]:
        head = BeautifulSoup(client.get(path).get_data(as_text=True), "lxml").head
        links = head.select('link[rel=search][type="application/opensearchdescription+xml"]')
        assert [(link["href"], link["title"]) for link in links] == [("/opensearch.xml", "Tin Phường")], path


def test_the_description_is_valid_opensearch_with_html_atom_and_json_templates(client, corpus):
    response = client.get("/opensearch.xml")
    assert response.status_code == 200 and response.mimetype == "application/opensearchdescription+xml"
    root = ET.fromstring(response.get_data())
    assert root.tag == f"{OS}OpenSearchDescription"
    assert root.findtext(f"{OS}ShortName") == "Tin Phường" and len("Tin Phường") <= 16
    assert root.findtext(f"{OS}InputEncoding") == "UTF-8" and root.findtext(f"{OS}Description")
    templates = {url.get("type"): url.get("template") for url in root.findall(f"{OS}Url")}
    assert set(templates) == {"text/html", "application/atom+xml", "application/json",
                              "application/opensearchdescription+xml"}
    for media_type in ("text/html", "application/atom+xml", "application/json"):
        template = templates[media_type]
        assert template.startswith("http://localhost/") and "q={searchTerms}" in template
        url = template.replace("{searchTerms}", "dang+vien").replace("{startPage?}", "1")
        answer = client.get(url.removeprefix("http://localhost"))
        assert answer.status_code == 200 and answer.mimetype == media_type, media_type
        assert corpus.article.id in answer.get_data(as_text=True), media_type
    assert json.loads(client.get("/api/search?q=dang+vien&page=1").get_data())["results"]
    assert templates["application/opensearchdescription+xml"] == "http://localhost/opensearch.xml"
