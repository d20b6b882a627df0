"""Error pages: JSON under /api/ and /healthz, friendly Vietnamese HTML everywhere else.

The catch-all handler exists for genuine bugs only; bad input is answered with 400 by the views.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger("tinphuong.webui")

# status -> (heading, explanation) shown to ward staff
PAGES = {
    400: ("Yêu cầu không hợp lệ", "Địa chỉ hoặc tham số bạn gửi không đúng. "
          "Hãy quay lại trang tìm kiếm và thử lại."),
    404: ("Không tìm thấy trang", "Trang bạn tìm không tồn tại hoặc đã bị chuyển đi. "
          "Hãy kiểm tra lại địa chỉ hoặc tìm kiếm từ trang chủ."),
    405: ("Phương thức không được hỗ trợ", "Trang này không nhận loại yêu cầu bạn vừa gửi."),
    500: ("Đã xảy ra lỗi", "Hệ thống gặp sự cố ngoài ý muốn. Vui lòng thử lại sau ít phút; "
          "nếu lỗi vẫn còn, hãy báo cho quản trị viên."),
}
GENERIC = ("Có lỗi xảy ra", "Yêu cầu không thể thực hiện được.")


def wants_json() -> bool:
    """API clients get JSON errors; people get pages."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_page(status: int, detail: str | None = None):
    """A Vietnamese error page with the given status; `detail` is an extra Vietnamese sentence."""
    heading, explanation = PAGES.get(status, GENERIC)
    return render_template("error.html", status=status, heading=heading, explanation=explanation,
                           detail=detail), status


def handle_http_error(error: HTTPException):
    if error.code is None or error.code < 400:   # routing redirects are HTTPExceptions too
        return error
    if wants_json():
        custom = error.description and error.description != type(error).description
        return jsonify(error=error.description if custom else error.name.lower()), error.code
    return error_page(error.code)


def handle_unexpected_error(error: Exception):
    """A bug: log it with its traceback, answer 500 without details."""
    log.exception("unhandled error on %s %s", request.method, request.path)
    if wants_json():
        return jsonify(error="internal server error"), 500
    return error_page(500)


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
