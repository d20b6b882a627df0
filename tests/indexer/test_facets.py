"""Facet counts over every match, a category filter and quick date ranges, on real indexes."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import date, timedelta

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import STORED

from indexer.document import Document
from indexer.schema import CATEGORY, DATE, UNDATED, build_schema
from indexer.search import BadRequest, Searcher, SearchRequest
from indexer.search.facets import FACET_LIMIT
from indexer.stored import document_to_fields
from indexer.whoosh_internals.columns import numeric_column
from indexer.writing.writer import open_writer

SITES = ("ben-nghe", "da-kao", "tan-dinh")
CATEGORIES = ("Xây dựng Đảng", "Tin tức - Sự kiện", "Văn hóa & Xã hội", "<b>Chuyên mục</b>")
WORDS = ("đảng viên", "ngập nước", "dân vận", "tiếp dân", "vệ sinh")


def corpus(count: int = 240, seed: int = 7) -> list[Document]:
    """Documents spread over sites, categories (some none) and dates (some undated), seeded."""
    rng = random.Random(seed)
    docs = []
    for n in range(count):
        words = rng.sample(WORDS, 2)
        when = date(2019, 1, 1) + timedelta(days=rng.randrange(6 * 365)) if rng.random() > .1 else None
        docs.append(Document(url=f"https://p.example.vn/tin/{n}", site=rng.choice(SITES),
                             title=f"Tin số {n} về {words[0]}", text=f"Bài viết về {words[0]} và {words[1]}.",
                             date=when, category=rng.choice((*CATEGORIES, None))))
    return docs


DOCS = corpus()


@pytest.fixture(scope="module")
def searcher(tmp_path_factory) -> Searcher:
    index_dir = tmp_path_factory.mktemp("facets")
    with open_writer(index_dir) as writer:           # two commits: facets read every segment
        for doc in DOCS[:100]:
            writer.upsert(doc)
    with open_writer(index_dir) as writer:
        for doc in DOCS[100:]:
            writer.upsert(doc)
        writer.delete(DOCS[0].id)                    # deleted documents are never counted
    return Searcher(index_dir)


def search(searcher: Searcher, today: date | None = None, **params):
    return searcher.search(SearchRequest.from_params({"per_page": "5", **params}, today=today))


def expected(docs: list[Document]) -> dict[str, Counter]:
    """Facets counted the slow way, from the documents themselves."""
    return {"site": Counter(d.site for d in docs),
            "year": Counter(str(d.date.year) for d in docs if d.date),
            "category": Counter(d.category for d in docs if d.category),
            "month": Counter(f"{d.date:%Y-%m}" for d in docs if d.date)}


def every_match(searcher: Searcher, **params) -> list[Document]:
    """The documents of every page of the search, read as documents."""
    request = SearchRequest.from_params({"per_page": "100", **params})
    ids = [r.id for r in searcher.results(request, limit=10_000)]
    return [searcher.document(i) for i in ids]


@pytest.mark.parametrize("params", [
    {"q": "dang vien"}, {"q": "đảng viên"}, {"q": "ngập nước", "sort": "newest"}, {"q": ""},
    {"site": "da-kao"}, {"q": "dan", "category": "Văn hóa & Xã hội"}, {"q": "tiep dan", "from": "01/01/2021"},
    {"q": "ve sinh -dang"}, {"q": '"dân vận"', "sort": "oldest", "to": "2022-06-30"},
])
def test_facets_count_every_match_not_only_the_page(searcher, params):
    answer = search(searcher, **params)
    matches = every_match(searcher, **params)
    assert len(matches) == answer.total > 5                     # more matches than the page shows
    truth = expected(matches)
    facets = answer.facets
    assert facets.site == dict(truth["site"]) and facets.year == dict(truth["year"])
    assert facets.category == dict(truth["category"]) and facets.month == dict(truth["month"])
    assert list(facets.site.values()) == sorted(facets.site.values(), reverse=True)   # largest first
    assert list(facets.year) == sorted(facets.year, reverse=True)                    # newest first
    assert list(facets.month) == sorted(facets.month)
    assert answer.to_dict()["facets"] == {"site": facets.site, "year": facets.year,
                                          "category": facets.category}


def test_a_search_that_finds_nothing_has_empty_facets(searcher):
    answer = search(searcher, q="khongcotuanay")
    assert answer.total == 0 and answer.to_dict()["facets"] == {"site": {}, "year": {}, "category": {}}


def test_category_filter_matches_the_whole_label_exactly(searcher):
    for category in CATEGORIES:
        answer = search(searcher, category=category, per_page="100")
        live = [d for d in DOCS[1:] if d.category == category]
        assert answer.total == len(live) and {r.id for r in answer.results} == {d.id for d in live}
        assert answer.facets.category == {category: len(live)}
    assert search(searcher, category="Xây dựng").total == 0            # a part of a label is not the label
    assert search(searcher, category="xây dựng đảng").total == 0


@pytest.mark.parametrize(("params", "named"), [
    ({"category": "x" * 201}, "category"), ({"category": "Tin\x00tức"}, "category"),
    ({"range": "tuan-nay"}, "range"), ({"from": "31/02/2024"}, "from"), ({"to": "16/3/23"}, "to"),
    ({"from": "2024-01-01", "to": "31/12/2023"}, "(from)"),
])
def test_bad_category_range_and_dates_are_refused_with_a_message(params, named):
    with pytest.raises(BadRequest, match=f" {re.escape(named)} "):
        SearchRequest.from_params(params)


def test_dates_are_read_as_dd_mm_yyyy_or_iso():
    for text in ("16/03/2023", "16/3/2023", "2023-03-16"):
        assert SearchRequest.from_params({"from": text, "to": text}).date_from == date(2023, 3, 16)


@pytest.mark.parametrize(("period", "first"), [("7d", date(2024, 3, 4)), ("30d", date(2024, 2, 10)),
                                                ("year", date(2024, 1, 1))])
def test_quick_ranges_count_back_from_today_and_typed_dates_win(period, first):
    today = date(2024, 3, 10)
    request = SearchRequest.from_params({"range": period}, today=today)
    assert (request.date_from, request.date_to, request.period) == (first, today, period)
    typed = SearchRequest.from_params({"range": period, "from": "01/01/2020"}, today=today)
    assert (typed.date_from, typed.date_to, typed.period) == (date(2020, 1, 1), None, None)
    custom = SearchRequest.from_params({"range": "custom"}, today=today)
    assert (custom.date_from, custom.date_to, custom.period) == (None, None, None)


def test_a_quick_range_lists_what_was_published_in_it(searcher):
    today = max(d.date for d in DOCS[1:] if d.date)
    answer = search(searcher, today=today, range="30d", per_page="100")
    window = [d for d in DOCS[1:] if d.date and today - timedelta(days=29) <= d.date <= today]
    assert window and {r.id for r in answer.results} == {d.id for d in window}


def test_only_the_largest_categories_are_listed(tmp_path):
    docs = [Document(url=f"https://p.example.vn/{n}", site="p", title="Tin", text="Nội dung",
                     category=f"Mục {n % (FACET_LIMIT + 5):02d}") for n in range(FACET_LIMIT * 3)]
    with open_writer(tmp_path) as writer:
        for doc in docs:
            writer.upsert(doc)
    facets = Searcher(tmp_path).search(SearchRequest(q="tin")).facets
    assert len(facets.category) == FACET_LIMIT
    assert min(facets.category.values()) >= max(Counter(d.category for d in docs).values()) - 1


def test_an_index_written_before_categories_were_indexed_has_no_category_facet(tmp_path):
    schema = build_schema()
    schema.remove(CATEGORY)
    schema.add(CATEGORY, STORED)
    generation = tmp_path / "gen-20250101T000000-1"
    generation.mkdir()
    ix = whoosh_index.create_in(str(generation), schema)
    with ix.writer() as writer:
        for doc in DOCS[:20]:
            writer.add_document(**document_to_fields(doc))
    (tmp_path / "CURRENT").write_text(generation.name + "\n")
    searcher = Searcher(tmp_path)
    answer = searcher.search(SearchRequest(q="tin"))
    assert answer.total == 20 and answer.facets.category == {}
    assert answer.facets.site == dict(Counter(d.site for d in DOCS[:20]))
    assert searcher.search(SearchRequest(category=DOCS[0].category or "x")).total == 0


def test_documents_per_month_of_every_site_leave_deleted_documents_out(searcher):
    live = DOCS[1:]                                  # the first one was deleted after its commit
    assert searcher.site_months() == {
        site: dict(sorted(Counter(f"{d.date:%Y-%m}" for d in live if d.site == site and d.date).items()))
        for site in SITES}


def test_numeric_columns_read_whole_equal_whoosh_reading_them_one_by_one(searcher, tmp_path):
    # The last documents of a segment undated, so the column ends before the segment does.
    docs = [Document(url=f"https://p.example.vn/{n}", site="p", title="Tin", text="Nội dung",
                     date=date(2020, 1 + n % 12, 1 + n) if n < 20 else None) for n in range(25)]
    with open_writer(tmp_path) as writer:
        for doc in docs:
            writer.upsert(doc)
    for reader in (searcher._reader.read(lambda state: state.searcher.reader(), None),
                   Searcher(tmp_path)._reader.read(lambda state: state.searcher.reader(), None)):
        for leaf, _ in reader.leaf_readers():
            for field in (DATE, UNDATED):
                whole = numeric_column(leaf, field)
                assert whole.tolist() == list(leaf.column_reader(field, translate=False)), field
                assert len(whole) == leaf.doc_count_all()
            assert numeric_column(leaf, "no-such-field") is None


def test_site_counts_are_the_live_documents_of_each_site_most_first(searcher):
    live = Counter(doc.site for doc in DOCS[1:])                # DOCS[0] was deleted
    counts = searcher.site_counts()
    assert counts == dict(live) and list(counts.values()) == sorted(live.values(), reverse=True)
