"""Whatever the query string holds, the search endpoints answer 200 or 400, never 500."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

NAMES = st.sampled_from(["q", "page", "per_page", "site", "from", "to", "sort", "x", "q[]", ""])
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "1", "100", "101", "1e3", "NaN", "2024-02-30", "2024-01-01",
                     "9999-12-31", "0000-01-01", "relevance", "newest", "ben-nghe", "\x00", '"', '"dang',
                     "*", "?", "(", ")", "AND", "OR NOT", "title:x", "đảng viên", "10-CT/TW", "a" * 500]),
)
PARAMS = st.lists(st.tuples(NAMES, VALUES), max_size=6)
# Raw query strings, including broken percent-escapes and bytes that are not UTF-8.
RAW = st.text(alphabet=st.sampled_from(list("qpagesizortfm=&%;+ 0123456789abcdefABCDEF-_đ\"'<>")),
              max_size=60)
SEARCH_KEYS = {"query", "total", "page", "per_page", "took_ms", "suggestion", "facets", "results"}
SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(params=PARAMS)
def test_api_search_never_fails_on_parameters(client, params):
    response = client.get("/api/search", query_string=params)
    assert response.status_code in (200, 400), (params, response.get_data(as_text=True)[:300])
    assert set(response.get_json()) == ({"error"} if response.status_code == 400 else SEARCH_KEYS), params


@SETTINGS
@given(params=PARAMS)
def test_search_page_never_fails_on_parameters(client, params):
    response = client.get("/search", query_string=params)
    assert response.status_code in (200, 400), params
    assert '<html lang="vi">' in response.get_data(as_text=True)


@SETTINGS
@given(raw=RAW)
def test_raw_query_strings_never_reach_the_error_handler(client, raw):
    query = quote(raw, safe="=&%;+")
    api = client.get("/api/search?" + query)
    assert api.status_code in (200, 400), query
    assert set(api.get_json()) == ({"error"} if api.status_code == 400 else SEARCH_KEYS), query
    page = client.get("/search?" + query)
    assert page.status_code in (200, 400), query
    assert '<html lang="vi">' in page.get_data(as_text=True)


@SETTINGS
@given(doc_id=st.text(min_size=1, max_size=30), capture=VALUES)
def test_document_routes_answer_404_or_400_for_anything_unknown(client, doc_id, capture):
    path = quote(doc_id, safe="")
    for suffix in ("", "/archive", "/archive/raw"):
        response = client.get(f"/doc/{path}{suffix}", query_string={"capture": capture})
        # 308: werkzeug's redirect of a doubled slash ("%2F" decodes to "/")
        assert response.status_code in (308, 400, 404), (doc_id, suffix, capture)
    assert client.get(f"/api/doc/{path}").status_code in (308, 404)
