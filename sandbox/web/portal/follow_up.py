"""What the applicant does on a dossier they follow: answer a supplement request, pay online, rate, open files."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from sandbox.domain.errors import DomainError, NotFound
from sandbox.domain.vocabulary import Action, PaymentMethod, State
from sandbox.services import applicants, reading, results
from sandbox.services.files import document_file
from sandbox.store.models import Payment
from sandbox.web.auth import service_context
from sandbox.web.files import send_stored, upload_of
from sandbox.web.filters import money
from sandbox.web.params import int_arg
from sandbox.web.pdf import result_pdf
from sandbox.web.portal import bp
from sandbox.web.portal.views import citizen_required, dossier_page


def _refused(code: str, exc: DomainError) -> Any:
    """A refusal: field errors go back next to the field (422); anything else is said on the dossier page."""
    if exc.http_status == 422:
        return dossier_page(code, errors={exc.field or "_": exc.message}, form=request.form, status=422)
    if exc.http_status == 404:
        raise exc
    flash(exc.message, "error")
    return redirect(url_for("portal.dossier", code=code)), 303


@bp.post("/ho-so/<code>/bo-sung")
@citizen_required
def supplement(code: str) -> Any:
    """Nộp bổ sung: a file (or a data-store document) for each document the request asked for."""
    ctx = service_context()
    form = request.form
    version = int_arg(form, "version", None, 1, 1_000_000, label="Phiên bản hồ sơ")
    uploads = {d.code: u for d in reading.get_dossier(ctx, code).procedure.documents
               if (u := upload_of(f"tep_{d.code}")) is not None}  # fmt: skip
    reuse = {k.removeprefix("dung_lai_"): v for k, v in form.items() if k.startswith("dung_lai_") and v}
    try:
        applicants.answer_supplement(ctx, code, note=form.get("note") or None, uploads=uploads, reuse=reuse,
                                     expected_version=version)  # fmt: skip
    except DomainError as exc:
        return _refused(code, exc)
    flash("Đã nộp bổ sung. Bộ phận một cửa sẽ kiểm tra và thông báo kết quả.", "success")
    return redirect(url_for("portal.dossier", code=code)), 303


@bp.route("/ho-so/<code>/thanh-toan", methods=["GET", "POST"])
@citizen_required
def pay(code: str) -> Any:
    """The mock payment platform's page: the order, then «Xác nhận thanh toán»."""
    ctx = service_context()
    dossier = reading.visible_dossier(ctx, code)
    if request.method == "POST":
        try:
            results.confirm_payment(ctx, code, method=PaymentMethod.ONLINE,
                                    expected_version=int_arg(request.form, "version", None, 1, 1_000_000,
                                                             label="Phiên bản hồ sơ"))  # fmt: skip
        except DomainError as exc:
            return _refused(code, exc)
        paid = ctx.session.scalars(select(Payment).where(Payment.workspace_id == ctx.workspace_id,
                                   Payment.dossier_id == dossier.id, Payment.status == "paid")
                                   .order_by(Payment.id.desc())).first()  # fmt: skip
        flash(f"Thanh toán thành công {money(dossier.fee_amount)}. Mã giao dịch: {paid.reference if paid else '—'}. "
              "Thông báo xác nhận đã gửi qua tin nhắn (và thư điện tử nếu có).", "success")  # fmt: skip
        return redirect(url_for("portal.dossier", code=code)), 303
    if Action.CONFIRM_PAYMENT not in reading.allowed_actions(ctx, dossier):
        flash("Hồ sơ này hiện không có khoản phí, lệ phí nào chờ thanh toán.", "info")
        return redirect(url_for("portal.dossier", code=code)), 303
    order = ctx.session.scalars(select(Payment).where(Payment.workspace_id == ctx.workspace_id,
                                Payment.dossier_id == dossier.id, Payment.status == "pending")).first()  # fmt: skip
    beneficiary = order.beneficiary if order and order.beneficiary else results.beneficiary_of(ctx, dossier)
    return render_template("portal/pay.html", dossier=dossier, order=order, beneficiary=beneficiary)


@bp.post("/ho-so/<code>/danh-gia")
@citizen_required
def rate(code: str) -> Any:
    ctx = service_context()
    try:
        applicants.rate(ctx, code, level=request.form.get("level", ""), comment=request.form.get("comment") or None)
    except DomainError as exc:
        return _refused(code, exc)
    flash("Cảm ơn bạn đã đánh giá. Ý kiến của bạn được dùng để đánh giá chất lượng phục vụ.", "success")
    return redirect(url_for("portal.dossier", code=code)), 303


@bp.get("/ho-so/<code>/tep/<int:document_id>")
@citizen_required
def document(code: str, document_id: int) -> Any:
    ctx = service_context()
    dossier = reading.visible_dossier(ctx, code)
    return send_stored(*document_file(ctx, dossier, document_id))


@bp.get("/ho-so/<code>/ket-qua.pdf")
@citizen_required
def result(code: str) -> Any:
    """The electronic result, once returned online: a PDF with its digital signature checked at download."""
    ctx = service_context()
    dossier = reading.visible_dossier(ctx, code)
    if dossier.state is not State.RETURNED:
        raise NotFound(f"Hồ sơ {dossier.code} chưa được trả kết quả.")
    return result_pdf(ctx, dossier, url_for("portal.dossier", code=dossier.code, _external=True))
