"""Typed known-item queries: each kind is typed as it says, and names the one right article."""

from __future__ import annotations

import random

import pytest

from benchmarks.corpus import Article
from benchmarks.known_items import OccurrenceIndex
from benchmarks.spelling import fold, folded_tokens, strip_diacritics
from benchmarks.typed_queries import (
    KINDS,
    TYPINGS,
    across_punctuation,
    make_phrase_exactness,
    make_typed_items,
)
from tests.benchmarks.ward_news import WARD_NEWS, corpus


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
        if item.kind == "body_punct":             # copied across digits and punctuation, no diacritics
            assert folded(item.query) in folded(source) and item.query == strip_diacritics(item.query), item
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


def test_phrases_copied_across_digits_and_punctuation_keep_or_drop_it():
    span = ["Ngày", "16/3,", "(số", "123/QĐ-UBND)", "phường"]
    typed = {across_punctuation(span, random.Random(seed)) for seed in range(20)}
    assert typed == {"Ngay 16/3, (so 123/QD-UBND) phuong", "Ngay 16/3 so 123/QD-UBND phuong"}


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
