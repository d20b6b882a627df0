"""HTTP security headers: our pages run only our own static files; archived pages run nothing.

Every response gets the defaults below unless a view set its own policy: archived HTML and the
archived bytes it loads are served under the stricter `ARCHIVE_POLICY`.
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
# Archived HTML (and every archived byte we serve, so an archived SVG opened on its own runs nothing
# either): an opaque-origin sandbox without scripts, where only a click navigates (the top window,
# to our link route); images, styles and fonts from our own origin (the archive) and inline only.
ARCHIVE_POLICY = "; ".join([
    "sandbox allow-top-navigation-by-user-activation",
    "default-src 'none'",
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    "form-action 'none'",
    "base-uri 'none'",
])

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


def archive_headers(content_type: str = "text/html; charset=utf-8") -> dict[str, str]:
    """The headers under which archived bytes are served (the archived page itself by default)."""
    return {
        "Content-Security-Policy": ARCHIVE_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Content-Type": content_type,
        "Cache-Control": "private, max-age=3600",
    }


def resource_headers(content_type: str) -> dict[str, str]:
    """Archived bytes an archived page loads. Fonts are fetched in CORS mode, and the sandboxed page's
    origin is opaque, so they must be readable from any origin: they are public archived bytes."""
    return archive_headers(content_type) | {"Access-Control-Allow-Origin": "*"}


def download_headers(content_type: str, filename: str) -> dict[str, str]:
    """An archived attachment, saved rather than shown in our origin."""
    return archive_headers(content_type) | {"Content-Disposition": f"attachment; filename*=UTF-8''{filename}"}


def register(app: Flask) -> None:
    app.after_request(add_security_headers)
