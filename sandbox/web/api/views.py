"""API views: thin wrappers over the use cases; every error is JSON with a Vietnamese message."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from flask import current_app, jsonify, request

from sandbox.domain.errors import BadRequest, Forbidden, InvalidInput
from sandbox.domain.vocabulary import CompetentLevel, Role, Sector, State
from sandbox.services import intake, listing, reading, routing, statistics
from sandbox.services.actions import input_choices, parse_action, run_action
from sandbox.services.auth import authenticate
from sandbox.services.catalogue import search_procedures
from sandbox.services.context import ServiceContext
from sandbox.store.catalogue import procedure_card
from sandbox.store.models import Dossier, DossierRecord, Event
from sandbox.web.api import bp
from sandbox.web.api.openapi import openapi_document
from sandbox.web.api.serializers import dossier_json, procedure_json
from sandbox.web.auth import DEFAULT_WORKSPACE, issue_token, service_context
from sandbox.web.db import get_db
from sandbox.web.files import upload_of
from sandbox.web.params import bool_arg, date_arg, int_arg, reject_unclean, text_arg


def json_body() -> dict[str, Any]:
    if not request.is_json:
        raise BadRequest("Nội dung yêu cầu phải là JSON (Content-Type: application/json).", code="not_json")
    return _checked(request.get_json(silent=True))


def creation_body() -> dict[str, Any]:
    """The body of a new dossier: JSON, or multipart with the JSON in part ``dossier`` and files ``file_<DOC>``.

    Each file becomes the attachment of the document of that code (listed in ``documents`` or not).
    """
    if request.mimetype != "multipart/form-data":
        return json_body()
    raw = request.form.get("dossier")
    if raw is None:
        raise BadRequest(
            "Thiếu phần «dossier» (nội dung JSON của hồ sơ) trong yêu cầu multipart.", code="malformed_json"
        )
    try:
        body = _checked(json.loads(raw))
    except ValueError:
        raise BadRequest("Phần «dossier» không phải JSON hợp lệ (sai cú pháp).", code="malformed_json") from None
    documents = body.get("documents") or []
    if not isinstance(documents, list):
        raise InvalidInput("«documents» phải là một danh sách.", field="documents")
    for name in request.files:
        if not name.startswith("file_") or (upload := upload_of(name)) is None:
            continue
        code = name.removeprefix("file_")
        entry = next((e for e in documents if e == code or (isinstance(e, dict) and e.get("code") == code)), None)
        if isinstance(entry, dict):
            entry["upload"] = upload
        else:
            if entry is not None:
                documents.remove(entry)
            documents.append({"code": code, "upload": upload})
    body["documents"] = documents
    return body


def _checked(body: Any) -> dict[str, Any]:
    if body is None:
        raise BadRequest("Nội dung JSON không hợp lệ (sai cú pháp).", code="malformed_json")
    if not isinstance(body, dict):
        raise BadRequest("Nội dung JSON phải là một đối tượng {…}.", code="malformed_json")
    if reject_unclean(body):
        raise BadRequest("Nội dung JSON chứa ký tự không hợp lệ (NUL hoặc mã UTF-16 lẻ).", code="malformed_json")
    return body


def detail_json(
    ctx: ServiceContext, dossier: Dossier | DossierRecord, *, events: list[Event] | None = None
) -> dict[str, Any]:
    """A dossier with what this actor may do next, and the choices of those actions' inputs."""
    return dossier_json(dossier, allowed=reading.allowed_actions(ctx, dossier), events=events,
                        choices=partial(input_choices, ctx, dossier))  # fmt: skip


def _int(name: str, default: int | None, low: int, high: int) -> int | None:
    return int_arg(request.args, name, default, low, high)


def _bool(name: str) -> bool | None:
    return bool_arg(request.args, name)


@bp.post("/session")
def create_session() -> Any:
    body = json_body()
    actor = authenticate(get_db(), body.get("username"), body.get("password"))  # type: ignore[arg-type]
    settings = current_app.config["SANDBOX_SETTINGS"]
    return jsonify(
        token=issue_token(actor, DEFAULT_WORKSPACE),
        token_type="Bearer",  # noqa: S106 - the OAuth token type name, not a secret
        expires_in=settings.token_ttl_seconds,
        workspace=DEFAULT_WORKSPACE,
        actor={"kind": actor.kind, "id": actor.id, "name": actor.name, "role": actor.role.value,
               "role_name": actor.role.label, "agency_id": actor.agency_id},
    ), 201  # fmt: skip


@bp.get("/procedures")
def list_procedures() -> Any:
    sector = level = None
    if sector_raw := request.args.get("sector"):
        sector = Sector.parse(sector_raw)
        if sector is None:
            raise InvalidInput(f"Ngành «{sector_raw[:20]}» không tồn tại (khcn, noivu, xaydung, nnmt).", field="sector")
    if level_raw := request.args.get("level"):
        if level_raw not in ("province", "commune"):
            raise InvalidInput("Tham số «level» chỉ nhận province hoặc commune.", field="level")
        level = CompetentLevel(level_raw)
    items = search_procedures(get_db(), sector=sector, level=level, q=text_arg(request.args, "q"))
    return jsonify(items=[procedure_json(p, full=True) for p in items], total=len(items))


@bp.post("/dossiers")
def create_dossier() -> Any:
    ctx = service_context()
    body = creation_body()
    kw = dict(commune_code=body.get("commune_code"), form_data=body.get("form_data"), documents=body.get("documents"))
    code = body.get("procedure_code")
    if not isinstance(code, str):
        raise InvalidInput("Vui lòng nhập «procedure_code» (mã thủ tục).", field="procedure_code")
    routing.check_procedure_code(ctx, code)  # report a wrong or unknown code before any other problem
    if ctx.actor.role is Role.CITIZEN:
        dossier = intake.submit_online(ctx, code, **kw)
    elif ctx.actor.role is Role.DESK:
        cccd = body.get("applicant_cccd")
        if not isinstance(cccd, str):
            raise InvalidInput("Vui lòng nhập «applicant_cccd» (số định danh người nộp).", field="applicant_cccd")
        dossier = intake.receive_at_counter(ctx, code, applicant_cccd=cccd, **kw)
    else:
        raise Forbidden("Chỉ công dân (nộp trực tuyến) hoặc cán bộ một cửa (tiếp nhận trực tiếp) được tạo hồ sơ.")
    return jsonify(detail_json(ctx, dossier)), 201


@bp.get("/dossiers")
def list_dossiers() -> Any:
    ctx = service_context()
    state_raw = request.args.get("state")
    state = State.parse(state_raw) if state_raw else None
    if state_raw and state is None:
        raise InvalidInput(f"Trạng thái «{state_raw}» không tồn tại.", field="state")
    page = listing.list_dossiers(
        ctx,
        status=_int("status", None, 1, 10),
        state=state,  # type: ignore[arg-type]
        q=text_arg(request.args, "q"),
        procedure_code=text_arg(request.args, "procedure_code", max_length=16),
        queue=bool(_bool("queue")),
        overdue=_bool("overdue"),
        page=_int("page", 1, 1, 100_000) or 1,
        per_page=_int("per_page", 20, 1, 200) or 20,
        rows=True,
    )
    session = ctx.session
    return jsonify(
        items=[dossier_json(d, card=procedure_card(session, d.procedure_id)) for d in page.items], total=page.total,
        page=page.page, per_page=page.per_page,
        pages=page.pages,
    )  # fmt: skip


@bp.get("/dossiers/<code>")
def get_dossier(code: str) -> Any:
    ctx = service_context()
    dossier = reading.visible_record(ctx, code)
    events = reading.dossier_events(ctx, dossier) if _bool("events") else None
    return jsonify(detail_json(ctx, dossier, events=events))


@bp.post("/dossiers/<code>/actions/<name>")
def fire_action(code: str, name: str) -> Any:
    ctx = service_context()
    action = parse_action(name)
    body = json_body() if request.content_length or request.is_json else {}
    version = body.pop("version", None)
    dossier = run_action(ctx, code, action, body, version)
    return jsonify(detail_json(ctx, dossier))


@bp.get("/statistics")
def read_statistics() -> Any:
    ctx = service_context()
    period = statistics.period_of(ctx.now().date(), date_arg(request.args, "from"), date_arg(request.args, "to"))
    return jsonify(statistics.indicators(ctx, period))


@bp.get("/openapi.json")
def openapi() -> Any:
    return jsonify(openapi_document())
