"""The document page's history and comparison, on an article edited between real crawls, and its
citation line: what staff read, with hostile text kept as text."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from indexer.writing.writer import new_generation
from tests.indexer.test_similar import CULTURE, FLOOD, FLOOD_LATER, FLOOD_OTHER_SITE
from tests.indexer.test_similar import DOCS as SIMILAR_DOCS
from tests.webui.edited_site import ADDED, NEW_TITLE, OLD_TITLE, SECOND_NEW, THIRD_OLD
from tinphuong.config import load_config
from webui import create_app


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


def texts(soup: BeautifulSoup, selector: str) -> list[str]:
    return [element.get_text() for element in soup.select(selector)]


def words(pieces: list[str]) -> int:
    return sum(len(re.findall(r"\w+", piece)) for piece in pieces)


def only_our_script(soup: BeautifulSoup) -> bool:
    """No element came from crawled text: the page's one script is ours, and no image exists."""
    return [s.get("src") for s in soup.select("script")] == ["/static/app.js"] and not soup.select("img")


def test_the_history_says_which_capture_changed_the_article(edited_client, edited):
    soup = soup_of(edited_client.get(f"/doc/{edited.doc_id}"))
    rows = [[td.get_text(" ", strip=True) for td in tr.select("td")]
            for tr in soup.select(".captures tbody tr")]
    assert [row[2] for row in rows] == ["Bản đầu tiên", "Bài viết đã thay đổi — xem thay đổi", "Không đổi"]
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", row[0]) for row in rows)
    assert [row[1] for row in rows] == ["200", "200", "200"]
    assert soup.select_one(".compare-link")["href"] == f"/doc/{edited.doc_id}/compare?old=0&new=1"
    archive_links = [a["href"] for a in soup.select(".captures tbody td:last-child a")]
    assert archive_links == [f"/doc/{edited.doc_id}/archive?capture={n}" for n in range(3)]
    # The form offers the captures that hold an article, the last change chosen by default.
    for name, chosen in (("old", "0"), ("new", "1")):
        select = soup.select_one(f".compare-form select[name={name}]")
        assert [o["value"] for o in select.select("option")] == ["0", "1"]
        assert select.select_one("option[selected]")["value"] == chosen
    assert soup.select_one("article h1").get_text() == NEW_TITLE


def test_the_comparison_marks_each_word_added_or_removed(edited_client, edited):
    response = edited_client.get(f"/doc/{edited.doc_id}/compare")
    assert response.status_code == 200
    soup = soup_of(response)
    diff = soup.select_one("article.diff")
    assert texts(diff, "del") == ["Thủy", "5", "xuất sắc"]          # a diacritic is a change
    assert texts(diff, "ins") == ['<script>alert("t")</script>', "Thúy", "6", ADDED]
    paragraphs = [p.get_text() for p in diff.select(".diff-text p")]
    assert paragraphs[1] == SECOND_NEW.replace("Thúy Hiền", "Thủy Thúy Hiền")      # old word, then new
    assert paragraphs[3] == ADDED
    assert diff.select_one(".diff-title").get_text() == f"{OLD_TITLE} {NEW_TITLE[len(OLD_TITLE) + 1:]}"
    summary = " ".join(soup.select_one(".diff-summary").get_text().split())
    added, removed = words(texts(diff, "ins")), words(texts(diff, "del"))
    assert removed == 4
    assert summary.endswith(f"thêm {added} từ, bỏ {removed} từ; tiêu đề thay đổi.")
    assert only_our_script(soup)


def test_the_comparison_can_be_turned_around_or_made_with_itself(edited_client, edited):
    soup = soup_of(edited_client.get(f"/doc/{edited.doc_id}/compare?old=1&new=0"))
    diff = soup.select_one("article.diff")
    assert texts(diff, "ins") == ["Thủy", "5", "xuất sắc"]
    assert texts(diff, "del") == ['<script>alert("t")</script>', "Thúy", "6", ADDED]
    same = soup_of(edited_client.get(f"/doc/{edited.doc_id}/compare?old=0&new=0"))
    assert not same.select("article.diff ins, article.diff del")
    assert "nội dung bài viết không thay đổi" in same.select_one(".diff-summary").get_text()
    assert same.select(".diff-text p")[2].get_text() == THIRD_OLD


def test_captures_that_cannot_be_compared_get_a_vietnamese_answer(edited_client, edited, client, corpus):
    base = f"/doc/{edited.doc_id}/compare"
    for query, status in [("?old=abc&new=1", 400), ("?old=0&new=-1", 400), ("?old=0&new=2", 404),
                          ("?old=0&new=99", 404), ("?old=0", 404)]:
        response = edited_client.get(base + query)
        assert response.status_code == status, query
        assert soup_of(response).html["lang"] == "vi"
    lone = client.get(f"/doc/{corpus.article.id}/compare")      # no capture holds a readable article
    assert lone.status_code == 404
    assert "chưa có hai bản lưu" in soup_of(lone).select_one(".error-page").get_text()
    assert edited_client.get("/doc/0000000000000000/compare").status_code == 404


def test_the_citation_names_title_site_date_address_and_day_archived(client, corpus):
    soup = soup_of(client.get(f"/doc/{corpus.article.id}"))
    citation = soup.select_one("input.citation-text")
    assert citation.has_attr("readonly")
    assert citation["value"] == (f"{corpus.article.title}. Phường Bến Nghé, 16/03/2023. {corpus.article.url} "
                                 "(lưu trữ ngày 05/01/2026).")
    assert soup.select_one("button.copy")["data-copy"] == citation["id"]


def test_a_hostile_title_stays_text_in_the_citation(client, corpus):
    soup = soup_of(client.get(f"/doc/{corpus.hostile.id}"))
    value = soup.select_one("input.citation-text")["value"]
    assert value == f"{corpus.hostile.title}. Phường Bến Nghé, 02/04/2023. {corpus.hostile.url}."
    assert only_our_script(soup)


def test_more_like_this_lists_other_articles_on_the_topic(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[storage]\nindex_dir = "index"\narchive_dir = "archive"\n'
                      '[[sites]]\nname = "ben-nghe"\ntitle = "Phường Bến Nghé"\nstart_urls = ["http://b.example/"]\n'
                      '[[sites]]\nname = "da-kao"\ntitle = "Phường Đa Kao"\nstart_urls = ["http://d.example/"]\n',
                      encoding="utf-8")
    with new_generation(tmp_path / "index", procs=1) as writer:
        for doc in SIMILAR_DOCS:
            writer.upsert(doc)
    client = create_app(load_config(config), test_config={"TESTING": True}).test_client()
    soup = soup_of(client.get(f"/doc/{FLOOD.id}"))
    listed = {a.get_text(): a["href"] for a in soup.select(".similar li a")}
    assert listed == {doc.title: f"/doc/{doc.id}" for doc in (FLOOD_LATER, FLOOD_OTHER_SITE)}
    sites = [" ".join(span.get_text().split()) for span in soup.select(".similar li .hint")]
    assert sorted(sites) == ["Phường Bến Nghé", "Phường Đa Kao"]
    lonely = soup_of(client.get(f"/doc/{CULTURE.id}"))
    assert not lonely.select(".similar li")
    assert lonely.select_one(".similar .hint").get_text() == "Không tìm thấy bài viết nào cùng chủ đề."
