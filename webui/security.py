"""HTTP security headers: our pages run only our own static files; archived pages run nothing.

Every response gets the defaults below unless a view set its own policy (the raw archive view
sends the stricter `ARCHIVE_POLICY`).
"""

from __future__ import annotations

from flask import Flask, Response

PAGE_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])
# Archived HTML: an opaque-origin sandbox without scripts, nothing fetched from anywhere.
ARCHIVE_POLICY = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"

DEFAULT_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
}


def add_security_headers(response: Response) -> Response:
    """Fill in the headers a view did not set itself."""
    for name, value in DEFAULT_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
    return response


def archive_headers() -> dict[str, str]:
    """The headers under which archived bytes are served."""
    return {
        "Content-Security-Policy": ARCHIVE_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "private, max-age=3600",
    }


def register(app: Flask) -> None:
    app.after_request(add_security_headers)
