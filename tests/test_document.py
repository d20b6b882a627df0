"""The Document model: ids are stable across captures and derived from the canonical URL."""

from datetime import date

from indexer.document import Capture, Document, document_id
from tinphuong.urls import canonicalize


def test_id_is_stable_and_derived_from_the_canonical_url():
    a = canonicalize("HTTP://BenNghe.example.gov.vn:80/tin-tuc/../tin-tuc/bai-1.html?utm_source=fb#top")
    b = canonicalize("http://bennghe.example.gov.vn/tin-tuc/bai-1.html")
    assert a == b
    assert document_id(a) == document_id(b)
    assert Document(url=a, site="s", title="t", text="x").id == document_id(b)
    # A known value pins the derivation: changing it would orphan every archived document's URLs.
    assert document_id("http://bennghe.example.gov.vn/tin-tuc/bai-1.html") == "eafdfdfe129d6f05"
    assert len(document_id(a)) == 16 and all(c in "0123456789abcdef" for c in document_id(a))


def test_different_pages_get_different_ids():
    urls = [f"http://p.vn/tin/{i}.html" for i in range(2000)]
    assert len({document_id(u) for u in urls}) == len(urls)


def test_content_capture_is_the_latest_full_response():
    first = Capture("2024-01-01T00:00:00Z", 200, "a.warc.gz", 0, 10)
    revisit = Capture("2024-02-01T00:00:00Z", 304, "b.warc.gz", 0, 10, kind="revisit")
    gone = Capture("2024-03-01T00:00:00Z", 404, "c.warc.gz", 0, 10)
    doc = Document(url="http://p.vn/1", site="s", title="t", text="x", date=date(2024, 1, 1),
                   captures=[first, revisit, gone])
    assert doc.content_capture == first
    assert Document(url="http://p.vn/2", site="s", title="t", text="x").content_capture is None
