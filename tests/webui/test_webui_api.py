"""The JSON API exactly as docs/http-api.md describes it: shapes, 400s for bad parameters, 404s, health."""

from __future__ import annotations

import pytest

SEARCH_KEYS = {"query", "total", "page", "per_page", "took_ms", "suggestion", "facets", "results"}
RESULT_KEYS = {"id", "url", "title", "date", "site", "score", "snippet"}
DOC_KEYS = {"id", "url", "site", "title", "date", "author", "category", "text", "gone", "captures",
            "kind", "file", "attachments", "linked_from",     # attachments' keys beside the article ones
            "date_source", "copies"}


def test_search_answer_has_the_documented_shape(client, corpus):
    response = client.get("/api/search", query_string={"q": "dang vien", "per_page": "5"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    answer = response.get_json()
    assert set(answer) == SEARCH_KEYS
    assert answer["query"] == "dang vien" and answer["page"] == 1 and answer["per_page"] == 5
    assert isinstance(answer["took_ms"], float | int) and answer["total"] >= 1
    first = answer["results"][0]
    assert all(set(r) == RESULT_KEYS for r in answer["results"])     # exactly the documented keys
    assert (first["id"], first["url"], first["date"], first["site"]) == (
        corpus.article.id, corpus.article.url, "2023-03-16", "ben-nghe")
    assert "<mark>" in first["snippet"]


def test_empty_query_with_a_filter_lists_documents_by_date(client):
    answer = client.get("/api/search", query_string={"site": "da-kao", "per_page": "100"}).get_json()
    assert answer["total"] == 24 == len(answer["results"])
    assert {r["site"] for r in answer["results"]} == {"da-kao"}


@pytest.mark.parametrize(("params", "named"), [
    ({"q": "a", "page": "abc"}, "page"),
    ({"q": "a", "per_page": "1000"}, "per_page"),
    ({"q": "a", "per_page": "0"}, "per_page"),
    ({"q": "a", "from": "2025-13-40"}, "from"),
    ({"q": "a", "sort": "x"}, "sort"),
    ({"q": "a", "from": "2024-02-01", "to": "2024-01-01"}, "(from)"),
])
def test_bad_parameters_are_a_400_naming_the_parameter(client, params, named):
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 400 and response.mimetype == "application/json"
    answer = response.get_json()
    assert set(answer) == {"error"} and f" {named} " in answer["error"]


def test_document_answer_has_every_field_and_its_captures(client, corpus):
    response = client.get(f"/api/doc/{corpus.article.id}")
    doc = response.get_json()
    assert set(doc) == DOC_KEYS
    assert doc["id"] == corpus.article.id and doc["url"] == corpus.article.url
    assert (doc["site"], doc["date"], doc["author"], doc["category"], doc["gone"]) == (
        "ben-nghe", "2023-03-16", "Nguyễn Văn An", "Xây dựng Đảng", False)
    assert doc["text"] == corpus.article.text and doc["title"] == corpus.article.title
    assert [(c["fetched_at"], c["status"], c["warc_file"], c["kind"]) for c in doc["captures"]] == [
        (c.fetched_at, c.status, c.warc_file, c.kind) for c in corpus.article.captures]
    assert (doc["date_source"], doc["copies"]) == (corpus.article.date_source, [])


def test_document_answer_lists_the_other_copies_of_its_article(tmp_path):
    """Two wards publish the district's article: each copy's answer names the other (id, site, url, title)."""
    from indexer.document import Document
    from indexer.writing.writer import new_generation
    from tinphuong.config import load_config
    from webui import create_app

    text = "\n\n".join([
        "Ủy ban nhân dân Quận 1 ban hành Kế hoạch số 125/KH-UBND về tổng vệ sinh môi trường, phòng chống "
        "dịch bệnh mùa mưa năm 2024 trên địa bàn 10 phường, cao điểm từ ngày 1 đến ngày 30 tháng 6.",
        "Mỗi phường tổ chức ít nhất hai đợt ra quân, huy động đoàn viên, hội viên các đoàn thể và người dân "
        "khơi thông cống rãnh, thu gom rác thải, phát quang bụi rậm tại các khu đất trống và chung cư cũ."])
    copies = [Document(url=f"https://{site}.example.gov.vn/tin/ke-hoach.html", site=site,
                       text=f"Phường {site} thông tin.\n\n{text}", date_source="dateline",
                       title="Quận 1 ban hành kế hoạch tổng vệ sinh môi trường")
              for site in ("ben-nghe", "da-kao")]
    with new_generation(tmp_path / "index") as writer:
        for copy in copies:
            writer.upsert(copy)
    (tmp_path / "config.toml").write_text('[storage]\nindex_dir = "index"\narchive_dir = "archive"\n',
                                          encoding="utf-8")
    client = create_app(load_config(tmp_path / "config.toml"), test_config={"TESTING": True}).test_client()
    answers = [client.get(f"/api/doc/{copy.id}").get_json() for copy in copies]
    assert [a["copies"] for a in answers] == [
        [{"id": copies[1].id, "site": "da-kao", "url": copies[1].url, "title": copies[1].title}],
        [{"id": copies[0].id, "site": "ben-nghe", "url": copies[0].url, "title": copies[0].title}]]
    assert answers[0]["date_source"] == "dateline"


def test_gone_document_says_so(client, corpus):
    doc = client.get(f"/api/doc/{corpus.gone.id}").get_json()
    assert doc["gone"] is True and doc["captures"][-1]["status"] == 404


def test_unknown_document_and_unknown_api_path_are_json_404s(client):
    for path in ["/api/doc/0000000000000000", "/api/doc/%3Cscript%3E", "/api/khong-co"]:
        response = client.get(path)
        assert response.status_code == 404 and response.mimetype == "application/json", path
        assert response.get_json()["error"]


def test_healthz_counts_documents_and_has_no_refresh_before_any_crawl(client):
    answer = client.get("/healthz").get_json()
    assert answer == {"status": "ok", "documents": 28, "last_refresh": None}


def test_a_genuine_bug_is_a_json_500_on_the_api_and_a_vietnamese_page_elsewhere(corpus):
    from webui import create_app

    app = create_app(corpus.config)

    @app.get("/api/loi")
    def broken_api():
        raise RuntimeError("bug")

    @app.get("/loi")
    def broken_page():
        raise RuntimeError("bug")

    client = app.test_client()
    api = client.get("/api/loi")
    assert api.status_code == 500 and api.get_json() == {"error": "internal server error"}
    page = client.get("/loi")
    assert page.status_code == 500 and "Đã xảy ra lỗi" in page.get_data(as_text=True)
    assert "RuntimeError" not in page.get_data(as_text=True)
