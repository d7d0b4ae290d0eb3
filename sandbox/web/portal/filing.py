"""Filing a dossier online on the portal: the applicant from the registries, the eForm, the attachments."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from sandbox.domain.errors import DomainError
from sandbox.domain.files import ACCEPT
from sandbox.domain.inputs import shorten
from sandbox.domain.vocabulary import CompetentLevel
from sandbox.integrations.population import BUSINESS_VI
from sandbox.services import intake, routing
from sandbox.services.applicants import profile_of
from sandbox.services.eforms import registry_values
from sandbox.services.files import data_store_of
from sandbox.store.models import Commune
from sandbox.web.auth import service_context
from sandbox.web.db import get_db
from sandbox.web.files import upload_of
from sandbox.web.portal import bp
from sandbox.web.portal.views import citizen_required


@bp.route("/thu-tuc/<code>/nop-truc-tuyen", methods=["GET", "POST"])
@citizen_required
def submit(code: str) -> Any:
    """Nộp hồ sơ trực tuyến: who files (the citizen, or a business they represent), the eForm, the documents."""
    ctx = service_context()
    procedure = routing.get_procedure(ctx, code)
    profile = profile_of(ctx)  # the population registry answers, or the page says it cannot be reached
    tax_code = request.values.get("nhan_danh", "")
    business = next((b for b in profile.businesses if b.tax_code == tax_code), None)
    form, errors = request.form, {}
    if request.method == "POST" and request.form.get("buoc") == "nop":
        documents: list[dict[str, Any]] = []
        for d in procedure.documents:
            upload, reuse = upload_of(f"tep_{d.code}"), form.get(f"dung_lai_{d.code}") or None
            if upload is not None or reuse is not None:
                documents.append({"code": d.code, "upload": upload, "reuse_document_id": None if upload else reuse})
            elif d.required:
                errors[f"tep_{d.code}"] = (
                    f"Vui lòng đính kèm «{shorten(d.name, 80)}» (tệp PDF, JPEG hoặc PNG) hoặc chọn từ kho dữ liệu."
                )
        if tax_code and business is None:  # never file as the person when they chose their business
            errors["nhan_danh"] = profile.business_registry_down or (
                f"Không xác định được doanh nghiệp có mã số «{tax_code[:14]}» mà bạn là người đại diện theo pháp "
                "luật; chọn lại tư cách nộp hồ sơ.")  # fmt: skip
        if not form.get("cam_doan"):
            errors["cam_doan"] = "Vui lòng xác nhận lời cam đoan trước khi nộp hồ sơ."
        if not errors:
            try:
                dossier = intake.submit_online(
                    ctx, procedure.code, commune_code=form.get("commune_code") or None,
                    form_data={f["name"]: form.get(f"ef_{f['name']}", "") for f in procedure.eform},
                    documents=documents, business_tax_code=business.tax_code if business else None,
                )  # fmt: skip
            except DomainError as exc:
                if exc.http_status not in (403, 404, 422):
                    raise
                errors[exc.field or "_"] = exc.message
            else:
                flash(f"Nộp hồ sơ thành công. Mã hồ sơ của bạn: {dossier.code}. Hồ sơ đang chờ cán bộ một cửa "
                      "tiếp nhận; kết quả kiểm tra được gửi qua tin nhắn (và thư điện tử nếu có).", "success")  # fmt: skip
                return redirect(url_for("portal.dossier", code=dossier.code)), 303
    communes = []
    if procedure.level is CompetentLevel.COMMUNE:
        communes = get_db().scalars(select(Commune).where(Commune.province_code == profile.citizen.commune.province_code)
                                    .order_by(Commune.name)).all()  # fmt: skip
    return render_template(
        "portal/submit.html", procedure=procedure, profile=profile, business=business, form=form, errors=errors,
        locked=registry_values(procedure.eform, business), registry_name=BUSINESS_VI, communes=communes,
        store=data_store_of(ctx, profile.citizen.id), accept=ACCEPT, now=ctx.now(),
    ), 422 if errors else 200  # fmt: skip
