"""What a search answers: the results of one page, each with its snippet and highlighted title."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields

from indexer.document import Document
from indexer.search.facets import Facets
from indexer.search.snippets import QueryTerms, highlight_title, make_snippet

SNIPPET_CHARS = 240
API_RESULT_KEYS = ("id", "url", "title", "date", "site", "score", "snippet")   # /api/search, in this order


@dataclass(frozen=True)
class SearchResult:
    id: str
    url: str
    title: str
    date: str | None          # YYYY-MM-DD
    site: str
    score: float
    snippet: str              # HTML-escaped, matched words in <mark>
    title_html: str = field(default="", compare=False)   # the title HTML-escaped, matched words in <mark>
    gone: bool = field(default=False, compare=False)     # the source page disappeared
    archived_at: str | None = field(default=None, compare=False)   # when its content was archived (ISO)
    kind: str = field(default="article", compare=False)  # "article" or "attachment" (a PDF, a Word file...)
    file_type: str | None = field(default=None, compare=False)   # an attachment's format: "pdf", "docx"...

    @classmethod
    def of(cls, document: Document, score: float | None, terms: QueryTerms) -> SearchResult:
        """A matched document as a result: the query's words marked in its snippet and title."""
        score = score if isinstance(score, (int, float)) and math.isfinite(score) else 0.0
        return cls(id=document.id, url=document.url, title=document.title,
                   date=document.date.isoformat() if document.date else None, site=document.site,
                   score=round(float(score), 3),
                   snippet=make_snippet(document.text, terms, max_chars=SNIPPET_CHARS),
                   title_html=highlight_title(document.title, terms), gone=document.gone,
                   archived_at=_archived_at(document), kind=document.kind,
                   file_type=document.file.file_type if document.file else None)

    def to_dict(self) -> dict:
        """One result of the `/api/search` JSON (the pages show `title_html`, `gone`, `archived_at`,
        `kind` and `file_type`; the API does not)."""
        return {key: getattr(self, key) for key in API_RESULT_KEYS}


@dataclass(frozen=True)
class SearchResponse:
    query: str
    total: int
    page: int
    per_page: int
    took_ms: float
    suggestion: str | None
    facets: Facets = field(default_factory=Facets)
    results: list[SearchResult] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Exactly the `/api/search` JSON object."""
        plain = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("facets", "results")}
        return {**plain, "facets": self.facets.to_dict(), "results": [r.to_dict() for r in self.results]}


def _archived_at(document: Document) -> str | None:
    """When the content shown was archived: its content capture, else the first capture."""
    capture = document.content_capture or (document.captures[0] if document.captures else None)
    return capture.fetched_at if capture else None


def encodable(text: str) -> str:
    """The text with lone surrogates replaced, so that the answer can always be encoded."""
    return text.encode("utf-8", "replace").decode("utf-8") if not text.isascii() else text
