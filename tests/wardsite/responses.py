"""The answers every part of the server gives: a page with its validators, 404, 410/429/503."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import parse_qsl, urlsplit

from demo.serve import NOT_FOUND_PAGE
from tests.sites import Response

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
STATUS_TEXT = {
    410: "<h1>410 – Bài viết đã bị gỡ bỏ</h1><p>Nội dung này không còn trên cổng thông tin.</p>",
    429: "<h1>429 – Quá nhiều yêu cầu</h1><p>Vui lòng thử lại sau.</p>",
    503: "<h1>503 – Hệ thống đang bảo trì</h1><p>Tạm ngừng phục vụ, vui lòng quay lại sau.</p>",
}


def ok(body: str | bytes, content_type: str, modified: datetime) -> Response:
    """A 200 with an ETag (a digest of the body) and a Last-Modified (`modified`)."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    return Response(200, data, {
        "Content-Type": content_type,
        "ETag": '"' + hashlib.sha1(data).hexdigest()[:20] + '"',
        "Last-Modified": format_datetime(modified.astimezone(UTC), usegmt=True),
    })


def not_found() -> Response:
    return Response(404, NOT_FOUND_PAGE, {"Content-Type": HTML})


def status_page(status: int, retry_after: int | str | None = None) -> Response:
    body = (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{status}</title></head>'
            f"<body>{STATUS_TEXT[status]}</body></html>\n").encode()
    headers = {"Content-Type": HTML}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return Response(status, body, headers)


def redirect(location: str) -> Response:
    return Response(301, b"", {"Location": location, "Content-Type": HTML})


def request_key(raw_path: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A request's path and sorted query: the same page whatever order the parameters come in."""
    parts = urlsplit(raw_path)
    return parts.path, tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))
