"""`/search.csv`: a result list as a spreadsheet, for reports.

The same query and filters as the results page, in the page's order, every match up to
`EXPORT_LIMIT` rows. UTF-8 with a byte order mark, which is what makes Excel read Vietnamese
correctly; dates as ISO `YYYY-MM-DD`, which Excel reads as a date whatever its regional
settings (dd/mm/yyyy is read as month/day, or as text, on an English Excel). Crawled text
is hostile: a cell that starts like a formula (`=`, `+`, `-`, `@`, tab, carriage return)
is written with a leading `'` so that spreadsheets show it as text and never evaluate it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from flask import Blueprint, Response, current_app, request, stream_with_context, url_for

from indexer.analysis.normalize import fold
from indexer.search import SearchResult
from webui.plain_text import inert_text, snippet_text
from webui.search_form import listing_request
from webui.services import services

bp = Blueprint("export", __name__)

EXPORT_LIMIT = 5000      # rows at most; the app's EXPORT_LIMIT setting changes it
COLUMNS = ("Tiêu đề", "Ngày đăng", "Trang web", "Địa chỉ gốc", "Bản lưu trữ", "Trích đoạn")
BOM = "\ufeff"
# What spreadsheets start a formula (or a DDE command) with; full-width forms too (some Excel locales).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


@bp.get("/search.csv", endpoint="csv")
def csv_export():
    form, search = listing_request(request.args)
    limit = current_app.config.get("EXPORT_LIMIT", EXPORT_LIMIT)
    results = services().searcher.results(replace(search, page=1), limit)
    return Response(stream_with_context(csv_lines(results)), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": _attachment(form.get("q", ""))})


def csv_lines(results: Iterable[SearchResult]) -> Iterator[str]:
    """The byte order mark and the header, then one row per result (CRLF line ends, as RFC 4180)."""
    yield BOM + _line(COLUMNS)
    for result in results:
        yield _line(_row(result))


def safe_cell(text: str | None) -> str:
    """A cell a spreadsheet shows as text: inert characters only, never a formula."""
    cell = inert_text(text)
    if cell.startswith(FORMULA_STARTS) or cell.lstrip().startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _row(result: SearchResult) -> list[str]:
    return [safe_cell(cell) for cell in (
        result.title, result.date or "", services().site_title(result.site), result.url,
        url_for("documents.archive", doc_id=result.id, _external=True), snippet_text(result.snippet))]


def _line(cells: Iterable[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    return buffer.getvalue()


def _attachment(query: str) -> str:
    """Saved as `tin-phuong-<the query in ASCII>.csv`."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(query).lower()).strip("-")[:60]
    return f'attachment; filename="tin-phuong{"-" + slug if slug else ""}.csv"'
