"""Views of the citizen portal."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import redirect, render_template, request, url_for
from sqlalchemy import select

from sandbox.domain import lifecycle
from sandbox.domain.errors import DomainError, InvalidInput
from sandbox.domain.files import ACCEPT
from sandbox.domain.vocabulary import Action, Activity, CompetentLevel, Role, Satisfaction, Sector, State, Status
from sandbox.services import applicants, listing, reading
from sandbox.services.auth import CITIZEN_DEMO_PASSWORD, authenticate
from sandbox.services.catalogue import search_procedures
from sandbox.services.files import data_store_of
from sandbox.store.models import Citizen, Dossier
from sandbox.web.auth import DEFAULT_WORKSPACE, current_actor, service_context, start_session
from sandbox.web.db import get_db
from sandbox.web.params import int_arg, text_arg
from sandbox.web.portal import bp

# What the applicant sees of each step: the national portal shows progress, not the officers' names.
PUBLIC_STEPS: dict[str, str] = {
    Action.SUBMIT_ONLINE.value: "Nộp hồ sơ trực tuyến",
    Action.RECEIVE_AT_COUNTER.value: "Nộp hồ sơ trực tiếp tại Bộ phận một cửa",
    Action.ACCEPT.value: "Hồ sơ được tiếp nhận",
    Action.REFUSE.value: "Hồ sơ không được tiếp nhận",
    Action.REQUEST_SUPPLEMENT.value: "Yêu cầu bổ sung giấy tờ",
    Action.SUBMIT_SUPPLEMENT.value: "Đã nộp bổ sung",
    Action.COMPLETE_SUPPLEMENT.value: "Hoàn thành bổ sung",
    Action.REQUEST_FEE.value: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Action.CONFIRM_PAYMENT.value: "Đã nộp phí, lệ phí",
    Action.ISSUE.value: "Đã có kết quả",
    Action.RETURN_RESULT.value: "Đã trả kết quả",
    Action.WITHDRAW.value: "Rút hồ sơ",
    Action.STOP.value: "Dừng xử lý",
    Action.APOLOGISE.value: "Thư xin lỗi, hẹn lại ngày trả kết quả",
    Action.FINISH.value: "Kết thúc hồ sơ",
    Activity.RATE.value: "Đánh giá mức độ hài lòng",
}
INTERNAL_STEP = "Đang giải quyết"  # forward, assign, appraise, approve, sign, return for rework


def citizen_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        actor = current_actor()
        if actor is None or actor.role is not Role.CITIZEN:
            return redirect(url_for("portal.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped


def _sample_citizens() -> list[Citizen]:
    """A few seeded citizens who have dossiers, to sign in as (the mock VNeID's «chọn công dân mẫu»).

    Taken from the first dossiers by id (an index walk): a grouped count would scan every dossier of a
    load-test world on each view of the login page."""
    db = get_db()
    first = db.scalars(select(Dossier.citizen_id).where(Dossier.workspace_id == DEFAULT_WORKSPACE,
                       Dossier.citizen_id.is_not(None)).order_by(Dossier.id).limit(60))  # fmt: skip
    ids = list(dict.fromkeys(first))[:6]
    return list(db.scalars(select(Citizen).where(Citizen.id.in_(ids)).order_by(Citizen.id)))


@bp.route("/dang-nhap", methods=["GET", "POST"])
def login() -> Any:
    error, cccd = None, request.form.get("so_dinh_danh", "")
    if request.method == "POST":
        try:
            actor = authenticate(get_db(), cccd, request.form.get("mat_khau", ""))
            if actor.role is not Role.CITIZEN:
                error = "Cổng Dịch vụ công dành cho công dân: đăng nhập bằng số định danh cá nhân 12 chữ số."
        except DomainError as exc:
            error = exc.message
        if error is None:
            return start_session(actor)
    return render_template("portal/login.html", error=error, cccd=cccd, samples=_sample_citizens(),
                           password=CITIZEN_DEMO_PASSWORD), 401 if error else 200  # fmt: skip


@bp.get("/thu-tuc")
def catalogue() -> Any:
    """The public catalogue: search by name or code, filter by sector system and level (no sign-in)."""
    sector = level = None
    if raw := request.args.get("linh_vuc"):
        if (sector := Sector.parse(raw)) is None:
            raise InvalidInput(f"Hệ thống ngành «{raw[:20]}» không tồn tại.", field="linh_vuc")
    if raw := request.args.get("cap"):
        if (level := CompetentLevel.parse(raw)) is None:
            raise InvalidInput("Cấp thực hiện chỉ là cấp tỉnh (province) hoặc cấp xã (commune).", field="cap")
    q = text_arg(request.args, "q")
    found = search_procedures(get_db(), sector=sector, level=level, q=q)
    return render_template("portal/catalogue.html", procedures=found, q=q or "", sector=sector, level=level,
                           sectors=list(Sector), levels=list(CompetentLevel))  # fmt: skip


@bp.get("/")
@citizen_required
def home() -> Any:
    ctx = service_context()
    status = int_arg(request.args, "trang_thai", None, 1, 10, label="Trạng thái")
    page = listing.list_dossiers(ctx, status=status, page=int_arg(request.args, "trang", 1, 1, 100_000,
                                         label="Trang") or 1, per_page=20)  # fmt: skip
    return render_template("portal/home.html", page=page, counts=listing.status_counts(ctx),
                           statuses=list(Status), status=status, now=ctx.now())  # fmt: skip


@bp.get("/ho-so/<code>")
@citizen_required
def dossier(code: str) -> Any:
    return dossier_page(code)


def dossier_page(code: str, *, errors: dict[str, str] | None = None, form: Any = None, status: int = 200) -> Any:
    """Following one dossier, with what the applicant can do now: answer a supplement request, pay the fee,
    download the result, rate the service."""
    ctx = service_context()
    found = reading.visible_dossier(ctx, code)
    steps: list[tuple[Any, str, Status | None]] = []
    for e in reading.dossier_events(ctx, found):
        step = (
            e.virtual_at,
            PUBLIC_STEPS.get(e.action, INTERNAL_STEP),
            State(e.to_state).status if e.to_state else None,
        )
        if not steps or steps[-1][1:] != step[1:]:  # the internal hand-overs read as one «Đang giải quyết»
            steps.append(step)
    allowed = reading.allowed_actions(ctx, found)
    answering = Action.SUBMIT_SUPPLEMENT in allowed and not found.supplement_submitted
    return render_template(
        "portal/dossier.html", dossier=found, steps=steps, now=ctx.now(), allowed=allowed, Action=Action,
        remaining=ctx.calendar.remaining_working_days(ctx.now(), found.due_at) if found.due_at else None,
        requested=applicants.requested_documents(ctx, found) if answering else [], answering=answering,
        store=data_store_of(ctx, ctx.actor.id) if answering and ctx.actor.id else [], accept=ACCEPT,
        rating=applicants.rating_of(ctx, found), finished=found.state in lifecycle.FINAL_STATES,
        levels=list(Satisfaction), errors=errors or {}, form=form or {},
    ), status  # fmt: skip
