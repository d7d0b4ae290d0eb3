"""The OpenAPI 3.1 document of ``/api/v1``, built from the same vocabulary the code uses."""

from __future__ import annotations

from typing import Any

from sandbox import __version__
from sandbox.domain.vocabulary import State, Status
from sandbox.services.actions import ACTIONS


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    str(code): _json(_ref("Error"), text)
    for code, text in {
        400: "Yêu cầu sai (tham số không hợp lệ)", 401: "Chưa đăng nhập hoặc mã truy cập hết hạn",
        403: "Vai trò không được phép", 404: "Không tìm thấy", 409: "Trạng thái hoặc phiên bản không cho phép",
        422: "Dữ liệu không hợp lệ",
    }.items()
}  # fmt: skip


def openapi_document() -> dict[str, Any]:
    bearer = [{"bearer": []}]
    code_param = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"},
                  "description": "Mã hồ sơ (TT 01/2018 Điều 19), ví dụ 000.00.20.H37-261123-0001"}  # fmt: skip
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Sa Bàn Một Cửa API",
            "version": __version__,
            "description": "API của hệ thống mô phỏng giải quyết thủ tục hành chính (môi trường đào tạo, dữ liệu giả lập). "
            "Lỗi luôn trả JSON {code, message} với thông báo tiếng Việt.",
        },
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                                   "field": {"type": "string"}},
                },
                "Dossier": {
                    "type": "object",
                    "required": ["code", "status", "status_name", "state", "version"],
                    "properties": {
                        "code": {"type": "string"},
                        "status": {"type": "integer", "enum": [s.value for s in Status],
                                   "description": "; ".join(f"{s.value}: {s.label}" for s in Status)},
                        "status_name": {"type": "string"},
                        "state": {"type": "string", "enum": [s.value for s in State]},
                        "state_name": {"type": "string"},
                        "version": {"type": "integer"},
                        "channel": {"type": "integer", "enum": [1, 2, 3]},
                        "due_at": {"type": ["string", "null"], "format": "date-time"},
                        "allowed_actions": {"type": "array", "items": {"type": "object"}},
                    },
                },
                "Procedure": {"type": "object", "required": ["code", "name", "sector", "deadline_days"]},
            },
        },
        "paths": {
            "/api/v1/session": {"post": {
                "summary": "Đăng nhập, nhận mã truy cập (Bearer)",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["username", "password"],
                    "properties": {"username": {"type": "string", "description": "Tên đăng nhập cán bộ, hoặc số định danh 12 số của công dân (VNeID giả lập)"},
                                   "password": {"type": "string"}}}}}},
                "responses": {"201": _json({"type": "object"}, "Mã truy cập"), **ERRORS},
            }},
            "/api/v1/procedures": {"get": {
                "summary": "Danh mục thủ tục hành chính",
                "parameters": [{"name": n, "in": "query", "schema": {"type": "string"}} for n in ("sector", "level", "q")],
                "responses": {"200": _json({"type": "object"}, "Danh sách thủ tục"), **ERRORS},
            }},
            "/api/v1/dossiers": {
                "get": {
                    "summary": "Danh sách hồ sơ trong phạm vi của người dùng",
                    "security": bearer,
                    "parameters": [
                        {"name": "status", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10}},
                        {"name": "state", "in": "query", "schema": {"type": "string"}},
                        {"name": "q", "in": "query", "schema": {"type": "string"}},
                        {"name": "procedure_code", "in": "query", "schema": {"type": "string"}},
                        {"name": "queue", "in": "query", "schema": {"type": "boolean"}},
                        {"name": "overdue", "in": "query", "schema": {"type": "boolean"}},
                        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                        {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
                    ],
                    "responses": {"200": _json({"type": "object"}, "Một trang hồ sơ"), **ERRORS},
                },
                "post": {
                    "summary": "Nộp hồ sơ trực tuyến (công dân) hoặc tiếp nhận trực tiếp (cán bộ một cửa)",
                    "security": bearer,
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "type": "object", "required": ["procedure_code"],
                        "properties": {"procedure_code": {"type": "string"}, "applicant_cccd": {"type": "string"},
                                       "commune_code": {"type": "string"}, "form_data": {"type": "object"},
                                       "documents": {"type": "array"}}}},
                        "multipart/form-data": {"schema": {
                            "type": "object", "required": ["dossier"],
                            "description": "Nộp kèm tệp: phần «dossier» là nội dung JSON như trên; mỗi tệp "
                                           "«file_<mã giấy tờ>» (PDF, JPEG, PNG, tối đa 5 MB) là bản điện tử của giấy tờ đó.",
                            "properties": {"dossier": {"type": "string"}},
                            "additionalProperties": {"type": "string", "format": "binary"}}}}},
                    "responses": {"201": _json(_ref("Dossier"), "Hồ sơ đã tạo"), **ERRORS},
                },
            },
            "/api/v1/dossiers/{code}": {"get": {
                "summary": "Chi tiết hồ sơ, kèm các thao tác được phép (allowed_actions)",
                "security": bearer,
                "parameters": [code_param, {"name": "events", "in": "query", "schema": {"type": "boolean"}}],
                "responses": {"200": _json(_ref("Dossier"), "Hồ sơ"), **ERRORS},
            }},
            "/api/v1/dossiers/{code}/actions/{action}": {"post": {
                "summary": "Thực hiện một thao tác trên hồ sơ",
                "description": "; ".join(f"{a.value}: {a.label}" for a in ACTIONS),
                "security": bearer,
                "parameters": [code_param, {"name": "action", "in": "path", "required": True,
                                            "schema": {"type": "string", "enum": [a.value for a in ACTIONS]}}],
                "requestBody": {"required": False, "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"version": {"type": "integer", "description": "Phiên bản hồ sơ đang xem (khóa lạc quan)"}},
                    "additionalProperties": True}}}},
                "responses": {"200": _json(_ref("Dossier"), "Hồ sơ sau thao tác"), **ERRORS},
            }},
            "/api/v1/statistics": {"get": {
                "summary": "Số liệu thống kê của đơn vị trong kỳ (các chỉ số theo QĐ 766/QĐ-TTg mà hồ sơ cho phép tính)",
                "description": "Dành cho lãnh đạo, quản trị đơn vị và cán bộ một cửa. Kỳ mặc định: từ đầu tháng đến hôm nay "
                               "(thời gian giả lập). Tỷ lệ tính theo %, null khi mẫu số bằng 0.",
                "security": bearer,
                "parameters": [{"name": n, "in": "query", "schema": {"type": "string", "format": "date"}}
                               for n in ("from", "to")],
                "responses": {"200": _json({"type": "object"}, "Số liệu thống kê"), **ERRORS},
            }},
        },
    }  # fmt: skip
