"""No query string, however hostile, makes the search fail or answer something malformed."""

from __future__ import annotations

import json
import math
import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.analysis.abbreviations import load_abbreviations
from indexer.document import Document
from indexer.search import Searcher, SearchRequest
from indexer.search.query import MAX_UNITS, build_query, parse_query
from indexer.writing.writer import open_writer

ANY_CHARACTER = st.one_of(st.characters(), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
                          st.characters(max_codepoint=0x1F))        # lone surrogates and controls too
PIECES = ['"', "-", "AND", "OR", "NOT", "*", "?", "(", ")", "[", "title:", "body:", "đảng", "dang", "viên",
          "10-CT/TW", "UBND", "TP.HCM", "Q.1", "1.250.000", "\x00", "\u0301", "\u200b", "🙂", "\ud800",
          " ", "\n", "ủy ban nhân dân", "-\"", "\\", "~2", "^3", "ＵＢＮＤ", "a" * 300]
QUERIES = st.one_of(
    st.text(ANY_CHARACTER, max_size=200),
    st.lists(st.sampled_from(PIECES), max_size=80).map("".join),
    st.builds(lambda chunk, times: (chunk * times)[:100_000],
              st.text(ANY_CHARACTER, min_size=1, max_size=40), st.integers(1, 100_000)),
)
DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def searcher(tmp_path_factory) -> Searcher:
    index_dir = tmp_path_factory.mktemp("fuzz")
    texts = ["Hội nghị đảng viên phường Bến Nghé", "UBND phường thông báo 10-CT/TW",
             "Ủy ban nhân dân Quận 1 hỗ trợ 1.250.000 đồng", "Dương lịch và con đường 🙂 <b>x</b>"]
    with open_writer(index_dir) as writer:
        for n in range(24):
            writer.upsert(Document(url=f"https://p.example.vn/{n}", site=f"s{n % 3}", title=texts[n % 4][:20],
                                   text=" ".join(texts[(n + k) % 4] for k in range(3)),
                                   date=date(2023, 1 + n % 12, 1) if n % 5 else None))
    return Searcher(index_dir)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(q=QUERIES)
def test_parsing_any_string_gives_a_bounded_query(q):
    parsed = parse_query(q)
    units = len(parsed.words) + sum(map(len, parsed.phrases)) + sum(map(len, parsed.excluded))
    assert units <= MAX_UNITS
    for exact_tier in (True, False):
        build_query(parsed, load_abbreviations(), exact_tier=exact_tier)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(q=QUERIES, page=st.integers(1, 4), per_page=st.integers(1, 100),
       sort=st.sampled_from(["relevance", "newest", "oldest"]))
def test_search_never_fails_and_answers_are_well_formed(searcher, q, page, per_page, sort):
    answer = searcher.search(SearchRequest(q=q, page=page, per_page=per_page, sort=sort)).to_dict()
    json.dumps(answer, ensure_ascii=False).encode("utf-8")          # always encodable
    assert answer["page"] == page and answer["per_page"] == per_page
    assert 0 <= answer["total"] <= 24 and len(answer["results"]) <= per_page
    assert answer["suggestion"] is None or isinstance(answer["suggestion"], str)
    if answer["total"] <= (page - 1) * per_page:
        assert answer["results"] == []
    ids = [r["id"] for r in answer["results"]]
    assert len(ids) == len(set(ids))
    for result in answer["results"]:
        assert result["url"].startswith("https://p.example.vn/") and result["site"] in {"s0", "s1", "s2"}
        assert result["date"] is None or DATE_TEXT.match(result["date"])
        assert isinstance(result["score"], float) and math.isfinite(result["score"])
        assert "<b>" not in result["snippet"]
