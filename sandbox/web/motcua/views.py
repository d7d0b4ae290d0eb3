"""Views of the officers' workspace."""

from __future__ import annotations

from typing import Any

import segno
from flask import flash, redirect, render_template, request, session, url_for
from sqlalchemy import select

from sandbox.domain import lifecycle
from sandbox.domain.errors import DomainError, Forbidden, InvalidInput, NotFound
from sandbox.domain.files import ACCEPT
from sandbox.domain.inputs import shorten
from sandbox.domain.vocabulary import Action, CompetentLevel, Role, Sector, State, Status
from sandbox.services import digitization, intake, listing, reading
from sandbox.services.actions import action_inputs, parse_action, run_action, specialists_of
from sandbox.services.administration import steps_for
from sandbox.services.coordination import work_by_sector
from sandbox.services.files import data_store_of, document_file
from sandbox.store.catalogue import procedure_card
from sandbox.store.models import Agency, Commune, Procedure
from sandbox.web.auth import current_actor, login_required, service_context
from sandbox.web.db import get_db
from sandbox.web.files import send_stored, upload_of
from sandbox.web.motcua import bp
from sandbox.web.params import int_arg, text_arg
from sandbox.web.pdf import pdf_response, qr_png, render_pdf, result_pdf


@bp.before_request
def _officers_only() -> Any:
    """The officers' workspace is not the citizens' portal: send a signed-in citizen there."""
    actor = current_actor()
    if actor is not None and actor.role is Role.CITIZEN:
        return redirect(url_for("portal.home"))
    return None


@bp.get("/")
@login_required
def queue() -> Any:
    ctx = service_context()
    status = int_arg(request.args, "trang_thai", None, 1, 10, label="Trạng thái")
    view = request.args.get("xem", "viec-can-lam" if status is None else "tat-ca")
    overdue = True if view == "qua-han" else None
    sector = _sector_arg()
    page = listing.list_dossiers(
        ctx,
        status=status,
        sector=sector,
        q=text_arg(request.args, "q"),
        queue=view == "viec-can-lam",
        overdue=overdue,
        page=int_arg(request.args, "trang", 1, 1, 100_000, label="Trang") or 1,
        per_page=20,
        rows=True,
    )
    now = ctx.now()
    return render_template(
        "motcua/queue.html",
        page=page,
        rows=[(d, procedure_card(ctx.session, d.procedure_id)) for d in page.items],
        counts=listing.status_counts(ctx),
        statuses=list(Status),
        status=status,
        view=view,
        q=request.args.get("q", ""),
        sector=sector,
        now=now,
        calendar=ctx.calendar,
    )


def _sector_arg() -> Sector | None:
    value = request.args.get("linh_vuc") or None
    if value is None:
        return None
    try:
        return Sector(value)
    except ValueError:
        raise InvalidInput(f"Hệ thống ngành «{value[:20]}» không tồn tại; chọn một trong: "
                           + ", ".join(s.value for s in Sector) + ".", field="linh_vuc") from None  # fmt: skip


@bp.get("/dieu-phoi")
@login_required
def coordination() -> Any:
    """Hệ thống điều phối: the officer's work in each of the four sector systems."""
    ctx = service_context()
    return render_template("motcua/coordination.html", rows=work_by_sector(ctx), now=ctx.now())


def _dossier_page(code: str, *, form_action: Action | None = None, values: dict[str, Any] | None = None,
                  errors: dict[str, str] | None = None, status: int = 200) -> Any:  # fmt: skip
    ctx = service_context()
    dossier = reading.visible_dossier(ctx, code, page=True)
    now = ctx.now()
    allowed = reading.allowed_actions(ctx, dossier)
    forms = {a: action_inputs(a, dossier.state) for a in allowed}
    needs_specialists = any(p.kind == "int" for params in forms.values() for p in params)
    remaining = ctx.calendar.remaining_working_days(now, dossier.due_at) if dossier.due_at else None
    responses: list[Action] = []
    if ctx.actor.kind == "trainee" and session.get("scenario"):
        from sandbox.web.learn.views import applicant_responses

        responses = applicant_responses(session["scenario"], dossier)
    return render_template(
        "motcua/dossier.html",
        dossier=dossier,
        events=reading.dossier_events(ctx, dossier),
        allowed=allowed,
        forms=forms,
        specialists=specialists_of(ctx, dossier.deciding_agency_id) if needs_specialists else [],
        now=now,
        remaining=remaining,
        overdue=dossier.snapshot().is_overdue(now) and dossier.state not in lifecycle.FINAL_STATES,
        form_action=form_action,
        values=values or {},
        errors=errors or {},
        State=State,
        responses=responses,
        scenario_id=session.get("scenario"),
        store=data_store_of(ctx, dossier.citizen_id) if ctx.actor.role is Role.DESK and dossier.citizen_id else [],
        accept=ACCEPT,
        final=dossier.state in lifecycle.FINAL_STATES,
        process_steps=steps_for(dossier.process, dossier.card.facts),
    ), status


@bp.get("/ho-so/<code>")
@login_required
def dossier(code: str) -> Any:
    return _dossier_page(code)


@bp.route("/ho-so/<code>/thao-tac/<name>", methods=["GET", "POST"])
@login_required
def act(code: str, name: str) -> Any:
    action = parse_action(name)
    if request.method == "GET":
        return _dossier_page(code, form_action=action)
    ctx = service_context()
    form = request.form
    params: dict[str, Any] = {k: v for k, v in form.items() if k not in ("csrf_token", "version")}
    if "documents" in form:
        params["documents"] = form.getlist("documents")
    version = int_arg(form, "version", None, 1, 1_000_000, label="Phiên bản hồ sơ")
    try:
        updated = run_action(ctx, code, action, params, version)
    except InvalidInput as exc:
        # Keep what the officer typed and say what is wrong next to the field.
        return _dossier_page(code, form_action=action, values=params,
                             errors={exc.field or "_": exc.message}, status=422)  # fmt: skip
    except DomainError as exc:
        if exc.http_status == 404:
            raise
        flash(exc.message, "error")
        return redirect(url_for("motcua.dossier", code=code)), 303
    flash(f"Đã thực hiện «{action.label}». Trạng thái: {updated.state.status.label}.", "success")
    return redirect(url_for("motcua.dossier", code=code)), 303


@bp.route("/tiep-nhan", methods=["GET", "POST"])
@login_required
def receive() -> Any:
    """Counter receipt: the applicant's identity comes from the population registry (never retyped)."""
    ctx = service_context()
    if ctx.actor.role is not Role.DESK:
        raise Forbidden("Chỉ cán bộ một cửa được tiếp nhận hồ sơ trực tiếp.")
    procedures = get_db().scalars(select(Procedure).order_by(Procedure.sector_id, Procedure.code)).all()
    code = request.values.get("thu_tuc", "")
    chosen = next((p for p in procedures if p.code == code), None)
    errors: dict[str, str] = {}
    if request.method == "POST" and chosen is not None:
        form = request.form
        documents = [{"code": d.code, "digitized": f"so_hoa_{d.code}" in form}
                     for d in chosen.documents if f"nop_{d.code}" in form]  # fmt: skip
        form_data = {f["name"]: form.get(f"ef_{f['name']}", "") for f in chosen.eform}
        manual = None
        if form.get("nhap_tay"):
            manual = {k: form.get(f"tay_{k}", "") for k in ("full_name", "address", "phone")}
            manual["commune_code"] = form.get("tay_residence_commune_code", "")
        try:
            dossier = intake.receive_at_counter(ctx, chosen.code, applicant_cccd=form.get("cccd", ""),
                                                form_data=form_data, documents=documents, manual_applicant=manual,
                                                commune_code=form.get("commune_code") or None)  # fmt: skip
        except DomainError as exc:
            if exc.http_status not in (403, 404, 422):
                raise
            errors[exc.field or "_"] = exc.message  # shown next to the field, the form keeps what was typed
        else:
            flash(f"Đã tiếp nhận hồ sơ {dossier.code}. Đã lập Giấy tiếp nhận và hẹn trả kết quả (Mẫu 01).", "success")
            return redirect(url_for("motcua.dossier", code=dossier.code)), 303
    communes = []
    if chosen is not None and chosen.level is CompetentLevel.COMMUNE:
        agency = get_db().get(Agency, ctx.actor.agency_id)
        communes = get_db().scalars(select(Commune).where(Commune.province_code == agency.province_code)
                                    .order_by(Commune.name)).all()  # fmt: skip
    return render_template("motcua/receive.html", procedures=procedures, chosen=chosen, errors=errors,
                           form=request.form, now=ctx.now(), communes=communes), 422 if errors else 200  # fmt: skip


def _issued_form(code: str, form_id: int) -> tuple[Any, Any, str]:
    ctx = service_context()
    dossier = reading.visible_dossier(ctx, code)
    issued = next((f for f in dossier.forms if f.id == form_id), None)
    if issued is None:
        raise NotFound(f"Hồ sơ {dossier.code} không có biểu mẫu số {form_id}.")
    return dossier, issued, url_for("motcua.dossier", code=dossier.code, _external=True)


@bp.get("/ho-so/<code>/bieu-mau/<int:form_id>")
@login_required
def print_form(code: str, form_id: int) -> Any:
    """A form issued for the dossier, as a printable page with a QR code to look the dossier up."""
    dossier, issued, lookup = _issued_form(code, form_id)
    qr = segno.make(lookup, error="m").svg_inline(scale=3, title=f"Mã QR tra cứu hồ sơ {dossier.code}")
    return render_template("motcua/form_print.html", dossier=dossier, form=issued, data=issued.data, qr=qr,
                           lookup=lookup)  # fmt: skip


@bp.get("/ho-so/<code>/bieu-mau/<int:form_id>.pdf")
@login_required
def print_form_pdf(code: str, form_id: int) -> Any:
    """The same form as a PDF made on the server (no browser needed)."""
    dossier, issued, lookup = _issued_form(code, form_id)
    content = render_pdf("motcua/form_pdf.html", title=f"{issued.kind.label} · {dossier.code}",
                         images={"qr": qr_png(lookup)}, dossier=dossier, form=issued, data=issued.data,
                         lookup=lookup)  # fmt: skip
    return pdf_response(content, f"{dossier.code}-{issued.kind.value}.pdf")


@bp.get("/ho-so/<code>/tep/<int:document_id>")
@login_required
def document(code: str, document_id: int) -> Any:
    """A scanned or attached file of the dossier, for officers who may see the dossier."""
    ctx = service_context()
    dossier = reading.visible_dossier(ctx, code)
    return send_stored(*document_file(ctx, dossier, document_id))


@bp.post("/ho-so/<code>/so-hoa/<int:document_id>")
@login_required
def digitize(code: str, document_id: int) -> Any:
    """Số hóa one paper document: upload its scan or take it from the citizen's data store."""
    ctx = service_context()
    try:
        doc = digitization.digitize(ctx, code, document_id, upload=upload_of("tep"),
                                    reuse_document_id=request.form.get("dung_lai") or None)  # fmt: skip
    except DomainError as exc:
        if exc.http_status == 404:
            raise
        if exc.http_status == 422:
            return _dossier_page(code, errors={f"so_hoa_{document_id}": exc.message}, status=422)
        flash(exc.message, "error")
        return redirect(url_for("motcua.dossier", code=code)), 303
    flash(f"Đã số hóa «{shorten(doc.name, 80)}»" + (" (dùng lại từ kho dữ liệu)." if doc.reused else "."), "success")
    return redirect(url_for("motcua.dossier", code=code)), 303


@bp.get("/ho-so/<code>/ket-qua.pdf")
@login_required
def result(code: str) -> Any:
    """The dossier's result as the applicant will receive it, signature checked now."""
    ctx = service_context()
    dossier = reading.visible_dossier(ctx, code)
    return result_pdf(ctx, dossier, url_for("motcua.dossier", code=dossier.code, _external=True))
