"""Views of the administrator's console: every change goes through ``services.administration``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from sandbox.domain.errors import DomainError, Forbidden, NotFound
from sandbox.domain.processes import MAX_STEPS, STEP_ROLES, format_days
from sandbox.domain.vocabulary import Role
from sandbox.services import administration as admin
from sandbox.web.admin import bp
from sandbox.web.auth import current_actor, login_required, service_context
from sandbox.web.params import int_arg, text_arg


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @login_required
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        actor = current_actor()
        if actor is None or actor.role is not Role.ADMIN:
            raise Forbidden("Chỉ quản trị đơn vị được vào trang quản trị.")
        return view(*args, **kwargs)

    return wrapped


def _field_errors(exc: DomainError) -> dict[str, str]:
    """A refusal shown next to the field it names (a 404 stays a 404 page)."""
    if exc.http_status == 404:
        raise exc
    return {exc.field or "_": exc.message}


@bp.get("/")
@admin_required
def index() -> Any:
    ctx = service_context()
    q = text_arg(request.args, "q")
    return render_template("admin/index.html", rows=admin.units(ctx, q), q=q or "", log=admin.change_log(ctx, limit=30))


@bp.route("/don-vi/<int:agency_id>/can-bo", methods=["GET", "POST"])
@admin_required
def officers(agency_id: int) -> Any:
    ctx = service_context()
    agency = admin.unit_of(ctx, agency_id)
    errors: dict[str, str] = {}
    form, status = request.form, 200
    if request.method == "POST":
        try:
            if form.get("thao_tac") == "tao":
                created = admin.create_officer(ctx, agency.id, username=form.get("username"),
                                               full_name=form.get("full_name"), role=form.get("role"),
                                               password=form.get("password"), title=form.get("title", ""))  # fmt: skip
                flash(f"Đã tạo tài khoản {created.username} ({created.role.label}).", "success")
            else:
                officer_id = int_arg(form, "officer_id", 0, 0, 2**31 - 1, label="Tài khoản") or 0
                active = {"khoa": False, "mo": True}.get(form.get("thao_tac", ""))
                changed = admin.update_officer(ctx, officer_id, role=form.get("role") or None, active=active)
                flash(f"Đã cập nhật tài khoản {changed.username}.", "success")
        except DomainError as exc:
            if form.get("thao_tac") == "tao":
                errors, status = _field_errors(exc), exc.http_status  # the new account's form keeps what was typed
            elif exc.http_status == 404:
                raise
            else:
                flash(exc.message, "error")
        if not errors:
            return redirect(url_for("admin.officers", agency_id=agency.id)), 303
    return render_template("admin/officers.html", agency=agency, officers=admin.officers_of(ctx, agency),
                           roles=admin.ASSIGNABLE_ROLES, errors=errors, form=form), status  # fmt: skip


@bp.route("/don-vi/<int:agency_id>/tai-khoan-thu", methods=["GET", "POST"])
@admin_required
def fee_accounts(agency_id: int) -> Any:
    ctx = service_context()
    agency = admin.unit_of(ctx, agency_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            account = admin.add_fee_account(ctx, agency.id, bank_name=request.form.get("bank_name"),
                                            account_number=request.form.get("account_number"),
                                            account_name=request.form.get("account_name"))  # fmt: skip
        except DomainError as exc:
            errors = _field_errors(exc)
        else:
            flash(f"Đã khai báo tài khoản thu {account.account_number} tại {account.bank_name}; phí, lệ phí của "
                  "đơn vị được nộp vào tài khoản này từ bây giờ.", "success")  # fmt: skip
            return redirect(url_for("admin.fee_accounts", agency_id=agency.id)), 303
    return render_template("admin/fee_accounts.html", agency=agency, accounts=admin.fee_accounts_of(ctx, agency),
                           errors=errors, form=request.form), 422 if errors else 200  # fmt: skip


@bp.get("/don-vi/<int:agency_id>/quy-trinh")
@admin_required
def processes(agency_id: int) -> Any:
    ctx = service_context()
    agency = admin.unit_of(ctx, agency_id)
    rows = [(p, admin.current_process(ctx, agency.id, p.id)) for p in admin.procedures_decided_by(ctx, agency)]
    return render_template("admin/processes.html", agency=agency, rows=rows)


@bp.route("/don-vi/<int:agency_id>/quy-trinh/<code>", methods=["GET", "POST"])
@admin_required
def process(agency_id: int, code: str) -> Any:
    ctx = service_context()
    agency = admin.unit_of(ctx, agency_id)
    procedure = next((p for p in admin.procedures_decided_by(ctx, agency) if p.code == code), None)
    if procedure is None:
        raise NotFound(f"{agency.name} không giải quyết thủ tục «{code[:20]}».")
    current = admin.current_process(ctx, agency.id, procedure.id)
    errors: dict[str, str] = {}
    rows = [
        {"name": s.name, "role": s.role.value, "days": format_days(s.days)} for s in admin.steps_for(current, procedure)
    ]
    if request.method == "POST":
        form = request.form
        rows = [{k: form.get(f"buoc_{n}_{k}", "") for k in ("name", "role", "days")} for n in range(1, MAX_STEPS + 1)]
        try:
            saved = admin.configure_process(ctx, agency.id, procedure.code, rows)
        except DomainError as exc:
            errors = _field_errors(exc)
        else:
            flash(f"Đã lưu quy trình nội bộ phiên bản {saved.version}: áp dụng cho hồ sơ tiếp nhận từ bây giờ; hồ sơ "
                  "đang giải quyết giữ quy trình cũ.", "success")  # fmt: skip
            return redirect(url_for("admin.process", agency_id=agency.id, code=procedure.code)), 303
    rows += [{"name": "", "role": "", "days": ""}] * (MAX_STEPS - len(rows))
    return render_template("admin/process.html", agency=agency, procedure=procedure, current=current, rows=rows,
                           roles=STEP_ROLES, errors=errors), 422 if errors else 200  # fmt: skip
