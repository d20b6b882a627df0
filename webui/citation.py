"""The citation line staff paste into a report: title, site, date, address, date archived."""

from __future__ import annotations

from indexer.document import Document
from webui.formatting import vn_date, vn_datetime


def citation(doc: Document, site_title: str, archived_at: str | None) -> str:
    """`Title. Site, dd/mm/yyyy. URL (lưu trữ ngày dd/mm/yyyy).` — parts that are unknown left out.

    Plain text, never markup: it is shown escaped and copied as it is.
    """
    title = " ".join((doc.title or "Không có tiêu đề").split()).rstrip(".")
    source = ", ".join(part for part in (site_title, vn_date(doc.date)) if part)
    archived_day = vn_datetime(archived_at)[:10]          # the day in Vietnam, not in UTC
    archived = f" (lưu trữ ngày {archived_day})" if archived_day else ""
    return f"{title}. {source + '. ' if source else ''}{doc.url}{archived}."
