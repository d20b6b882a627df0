"""Typed known-item queries: each kind is typed as it says, and names the one right article."""

from __future__ import annotations

import pytest

from benchmarks.corpus import Article
from benchmarks.known_items import OccurrenceIndex
from benchmarks.spelling import fold, folded_tokens, strip_diacritics
from benchmarks.typed_queries import KINDS, TYPINGS, make_phrase_exactness, make_typed_items

WARD_NEWS = [
    ("Phường tổ chức đối thoại với người dân về dự án đường mới",
     "Sáng nay ủy ban phường đã tổ chức buổi đối thoại trực tiếp với đông đảo người dân khu phố bốn "
     "về tiến độ giải phóng mặt bằng của dự án mở rộng tuyến đường ven sông."),
    ("Đoàn thanh niên ra quân dọn dẹp vệ sinh kênh rạch",
     "Hơn một trăm đoàn viên thanh niên đã tham gia dọn dẹp rác thải dọc bờ kênh, đồng thời tuyên "
     "truyền người dân không đổ rác xuống lòng kênh để giữ gìn cảnh quan sạch đẹp."),
    ("Hội nghị biểu dương gia đình văn hóa tiêu biểu",
     "Tại hội nghị, lãnh đạo phường đã trao giấy khen cho những hộ gia đình đạt danh hiệu văn hóa "
     "nhiều năm liền và nhắc nhở các tổ dân phố tiếp tục duy trì phong trào thi đua."),
    ("Tiêm chủng mở rộng cho trẻ dưới năm tuổi",
     "Trạm y tế phường thông báo lịch tiêm chủng định kỳ cho trẻ em dưới năm tuổi, phụ huynh cần "
     "mang theo sổ tiêm và đến đúng giờ để tránh chờ đợi lâu."),
    ("Kiểm tra an toàn phòng cháy tại các chung cư cũ",
     "Đội kiểm tra liên ngành đã đến từng chung cư cũ để rà soát hệ thống báo cháy, lối thoát hiểm "
     "và hướng dẫn cư dân cách sử dụng bình chữa cháy đúng quy định."),
    ("Đăng ký thường trú trực tuyến tiết kiệm thời gian",
     "Công an phường hướng dẫn người dân đăng ký thường trú qua cổng dịch vụ công, không cần "
     "đến trụ sở nhiều lần và nhận kết quả nhanh hơn trước đây rất nhiều."),
]
MARK_KINDS = {"body_wrong_mark", "body_d_as_d", "title_wrong_tone", "title_no_tone"}


def corpus(pairs) -> list[Article]:
    return [Article(str(1000 + n), title, "", body) for n, (title, body) in enumerate(pairs)]


def folded(text: str) -> str:
    return " " + " ".join(folded_tokens(text)) + " "


def source_of(article: Article, kind: str) -> str:
    return article.title if kind.startswith("title_") else article.body


@pytest.fixture(scope="module")
def typed():
    articles = corpus(WARD_NEWS)
    items = make_typed_items(articles, OccurrenceIndex(articles), len(articles), seed=3)
    return articles, items


def test_every_kind_gets_queries(typed):
    _, items = typed
    assert {item.kind for item in items} == set(KINDS)


def test_each_query_is_typed_as_its_kind_says(typed):
    articles, items = typed
    by_id = {a.to_document().id: a for a in articles}
    for item in items:
        source = source_of(by_id[item.doc_id], item.kind)
        written = " ".join(source.lower().split())
        words = item.query.split()
        if item.kind != "body_dropped":
            assert 3 <= len(words) <= (6 if item.kind.startswith("title_") else 8), item
        if item.kind in ("body_telex", "body_vni"):
            assert item.query.isascii() and f" {item.query} " not in folded(source), item
            continue
        if item.kind in ("body_dropped", "body_swapped"):
            assert f" {fold(item.query)} " not in folded(source), item
            continue
        assert f" {fold(item.query)} " in folded(source), item
        if item.kind == "body_exact":
            assert item.query in written
        elif item.kind == "body_nodiac":
            assert item.query == strip_diacritics(item.query)
        else:                       # some marks are missing or wrong: not what the article says
            assert item.query not in written and item.query != strip_diacritics(item.query), item
        if item.kind == "body_d_as_d":
            assert "đ" not in item.query and "đ" in source.lower()


def test_a_span_shared_by_two_articles_is_never_a_known_item():
    twins = corpus([WARD_NEWS[0], WARD_NEWS[0], WARD_NEWS[1]])
    items = make_typed_items(twins, OccurrenceIndex(twins), 3, seed=0)
    assert items and {item.doc_id for item in items} == {twins[2].to_document().id}


def test_a_reordered_query_that_another_article_holds_is_not_kept():
    span = "cán bộ phường mới"
    other = "cán phường mới, cán bộ mới"     # both ways of dropping an inner syllable of `span`
    articles = corpus([("Tin thứ nhất về khu phố", span), ("Tin thứ hai về khu phố", other)])
    items = make_typed_items(articles, OccurrenceIndex(articles), 2, seed=0,
                             typings=[t for t in TYPINGS if t.kind in ("body_exact", "body_dropped")])
    kinds = {(item.kind, item.doc_id) for item in items}
    assert ("body_exact", articles[0].to_document().id) in kinds
    assert not any(kind == "body_dropped" for kind, _ in kinds)


def test_exactness_phrases_have_frequent_look_alikes():
    common = ("Bà con khu phố họp bàn", "Hôm nay bà con khu phố họp bàn việc chung của tổ dân phố.")
    look_alike = ("Ba con mèo", "Nhà bác Tư nuôi ba con mèo và ba con chó trong khu phố.")
    rare = ("Đường hoa", "Đường hoa xuân mở cửa đón khách tham quan.")
    articles = corpus([common] * 12 + [look_alike] * 12 + [rare] * 12)
    queries = make_phrase_exactness(articles, n_each=10, seed=0, lengths=(2,))
    forms = {query.form for query in queries}
    assert "bà con" in forms and "ba con" not in forms     # `ba con` has no accents to be exact about
    assert "đường hoa" not in forms                           # nothing else folds to `duong hoa`
