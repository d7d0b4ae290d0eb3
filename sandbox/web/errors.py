"""Every error a user can meet, as a Vietnamese message and a 4xx (JSON for the API, HTML otherwise).

A DomainError carries its own status and stable code. Anything unexpected is logged and shown
as a short Vietnamese apology with status 500, never a stack trace.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from sandbox.domain.errors import DomainError

log = logging.getLogger(__name__)

HTTP_MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    401: "Bạn cần đăng nhập để tiếp tục.",
    403: "Bạn không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy trang hoặc dữ liệu yêu cầu.",
    405: "Phương thức không được hỗ trợ cho địa chỉ này.",
    409: "Dữ liệu vừa thay đổi, vui lòng tải lại.",
    413: "Tệp tải lên quá lớn (tối đa 10 MB).",
    415: "Định dạng dữ liệu không được hỗ trợ; API nhận JSON (Content-Type: application/json).",
    422: "Dữ liệu không hợp lệ.",
    429: "Quá nhiều yêu cầu, vui lòng thử lại sau.",
    500: "Hệ thống gặp lỗi ngoài dự kiến. Vui lòng tải lại trang để kiểm tra thao tác đã được thực hiện chưa.",
    503: "Dịch vụ tạm thời gián đoạn, vui lòng thử lại sau.",
}
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
              415: "unsupported_media_type", 422: "invalid_input", 429: "too_many_requests",
              500: "internal_error", 503: "unavailable"}  # fmt: skip


BUSY_MESSAGE = ("Cơ sở dữ liệu đang bận ghi dữ liệu khác nên thao tác chưa được thực hiện (không có gì bị ghi dở). "
                "Vui lòng thử lại sau ít giây.")


def is_busy(exc: OperationalError) -> bool:
    """SQLite's «database is locked / busy» after its busy timeout (PostgreSQL reports lock time-outs otherwise)."""
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text or "database table is locked" in text


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(status: int, code: str, message: str, field: str | None = None) -> tuple[Response | str, int]:
    if wants_json():
        body: dict[str, object] = {"code": code, "message": message}
        if field:
            body["field"] = field
        return jsonify(body), status
    return render_template("error.html", status=status, message=message, code=code), status


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError) -> tuple[Response | str, int]:
        return error_response(exc.http_status, exc.code, exc.message, exc.field)

    @app.errorhandler(CSRFError)
    def csrf_error(_exc: CSRFError) -> tuple[Response | str, int]:
        return error_response(
            400, "csrf_failed", "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ; vui lòng tải lại trang."
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[Response | str, int]:
        status = exc.code or 500
        return error_response(
            status, HTTP_CODES.get(status, "http_error"), HTTP_MESSAGES.get(status, HTTP_MESSAGES[400])
        )

    @app.errorhandler(OperationalError)
    def database_error(exc: OperationalError) -> tuple[Response | str, int] | tuple[Response | str, int, dict[str, str]]:
        if not is_busy(exc):
            return unexpected(exc)
        # Another writer held the database longer than the busy timeout (a world being reseeded, a long import):
        # nothing of this request was written (its transaction rolled back), so it can simply be sent again.
        log.warning("database busy on %s %s: %s", request.method, request.path, exc.orig)
        body, status = error_response(503, "database_busy", BUSY_MESSAGE)
        return body, status, {"Retry-After": "5"}

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[Response | str, int]:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", HTTP_MESSAGES[500])
