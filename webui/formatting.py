"""Jinja filters that present values the way Vietnamese readers expect them.

Dates as 16/03/2023, times in Asia/Ho_Chi_Minh, thousands separated by "." and decimals by ",".
The `marked` filter is the one place where HTML from the search API (snippets, result titles)
is trusted, and even there only `<mark>` survives.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask
from markupsafe import Markup, escape

try:
    VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
except ZoneInfoNotFoundError:  # no tz database: Vietnam has kept UTC+7 without DST since 1975
    VIETNAM = timezone(timedelta(hours=7), "ICT")

MARK = re.compile(r"(<mark>.*?</mark>)", re.DOTALL)


def vn_date(value: date | str | None) -> str:
    """16/03/2023 from a date or an ISO string; empty when unknown or unreadable."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return ""
    return value.strftime("%d/%m/%Y")


def vn_datetime(value: str | None, seconds: bool = True) -> str:
    """An ISO 8601 UTC timestamp shown in Vietnam's time zone: 16/03/2023 19:05:00 (19:05 without seconds)."""
    moment = parse_timestamp(value)
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M") \
        if moment else ""


def parse_timestamp(value: str | None) -> datetime | None:
    """A timezone-aware datetime from an ISO 8601 string (naive values are taken as UTC)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def vn_number(value: int | float) -> str:
    """1.234.567 — Vietnamese thousands separators."""
    return f"{int(value):,}".replace(",", ".")


def vn_seconds(milliseconds: float | None) -> str:
    """Milliseconds as seconds with two decimals and a decimal comma: 0,03."""
    return f"{(milliseconds or 0) / 1000:.2f}".replace(".", ",")


def marked_html(fragment: str | None) -> Markup:
    """A search result's snippet or title as markup, keeping only `<mark>` and re-escaping the rest.

    The search escapes both; unescaping then escaping each piece is a no-op for such text
    and turns anything else (a stray tag) back into harmless text.
    """
    pieces = []
    for piece in MARK.split(fragment or ""):
        if piece.startswith("<mark>") and piece.endswith("</mark>"):
            pieces.append(Markup("<mark>%s</mark>") % html.unescape(piece[6:-7]))
        else:
            pieces.append(escape(html.unescape(piece)))
    return Markup("").join(pieces)


def paragraphs(text: str | None) -> list[str]:
    """The cleaned text's paragraphs (separated by blank lines), without empty ones."""
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def register(app: Flask) -> None:
    """Make the filters available to every template."""
    app.add_template_filter(vn_date, "vn_date")
    app.add_template_filter(vn_datetime, "vn_datetime")
    app.add_template_filter(vn_number, "vn_number")
    app.add_template_filter(vn_seconds, "vn_seconds")
    app.add_template_filter(marked_html, "marked")
    app.add_template_filter(paragraphs, "paragraphs")
