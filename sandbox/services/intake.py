"""Intake use cases: online submission, counter receipt, accept/refuse, supplement, withdrawal (where a new
dossier goes is :mod:`sandbox.services.routing`).

The applicant's identity always comes from the population (or business) registry, never
retyped: the desk gives a CCCD, the registry gives the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm.attributes import set_committed_value

from sandbox.domain import identifiers, lifecycle
from sandbox.domain.errors import Forbidden, InvalidInput, NotFound
from sandbox.domain.inputs import is_clean_text
from sandbox.domain.vocabulary import Action, ApplicantKind, Channel, CopyType, Role
from sandbox.services import files
from sandbox.services.administration import current_process
from sandbox.services.context import ServiceContext
from sandbox.services.dossiers import issue_form, json_safe, notify_applicant, perform, record_event
from sandbox.services.eforms import clean_form_data, registry_values
from sandbox.services.files import Upload
from sandbox.services.routing import deciding_agency_for, get_procedure, next_dossier_code, receiving_centre_for
from sandbox.store.models import Agency, Business, Citizen, Commune, Dossier, DossierDocument, Procedure


def _flag(entry: Mapping[str, Any], key: str, default: bool) -> bool:
    value = entry.get(key, default)
    if not isinstance(value, bool):
        raise InvalidInput(f"«{key}» của giấy tờ {entry.get('code')} phải là true hoặc false.", field="documents")
    return value


def _clean_documents(procedure: Procedure, raw: Any, channel: Channel) -> list[dict[str, Any]]:
    """Normalise the attached documents: ``["TP1", …]`` or ``[{"code": "TP1", "digitized": true}, …]``.

    A counter receipt accepts the dossier at once, so every required document must be there: an
    incomplete dossier gets a supplement request (Mẫu 02), not a receipt (Mẫu 01).
    """
    if raw is None:
        raw = []
    if not isinstance(raw, list) or len(raw) > 20:
        raise InvalidInput("«Thành phần hồ sơ» phải là danh sách (tối đa 20 giấy tờ).", field="documents")
    by_code = {d.code: d for d in procedure.documents}
    out: list[dict[str, Any]] = []
    online = channel is Channel.ONLINE
    for item in raw:
        entry = {"code": item} if isinstance(item, str) else item
        if not isinstance(entry, Mapping) or not isinstance(entry.get("code"), str):
            raise InvalidInput("Mỗi giấy tờ phải có mã thành phần (ví dụ «TP1»).", field="documents")
        doc = by_code.get(entry["code"])
        if doc is None:
            raise InvalidInput(
                f"Giấy tờ «{entry['code'][:16]}» không thuộc thành phần hồ sơ của thủ tục {procedure.code}.",
                field="documents",
            )
        if any(d["doc"].code == doc.code for d in out):
            raise InvalidInput(f"Giấy tờ {doc.code} được khai hai lần.", field="documents")
        file_name = entry.get("file_name")
        if file_name is not None and (not isinstance(file_name, str) or not 0 < len(file_name) <= 200
                                      or not is_clean_text(file_name)):  # fmt: skip
            raise InvalidInput(f"Tên tệp của giấy tờ {doc.code} không hợp lệ (tối đa 200 ký tự).", field="documents")
        upload = entry.get("upload")
        out.append(
            {
                "doc": doc,
                "copy_type": CopyType.ELECTRONIC if online else doc.copy_type,
                "digitized": True if online or upload is not None else _flag(entry, "digitized", False),
                "reused": _flag(entry, "reused", False),
                "file_name": file_name,
                "upload": upload if isinstance(upload, Upload) else None,
                "reuse": entry.get("reuse_document_id"),
            }
        )
    missing = [d.code for d in procedure.documents if d.required and d.code not in {x["doc"].code for x in out}]
    if missing and not online:
        raise InvalidInput(
            f"Hồ sơ thiếu giấy tờ bắt buộc: {', '.join(missing)}. Không tiếp nhận hồ sơ chưa đầy đủ; hãy hướng "
            "dẫn người nộp bổ sung một lần, đầy đủ.",
            code="documents_missing", field="documents",
        )  # fmt: skip
    return out


def represented_business(ctx: ServiceContext, citizen: Citizen, tax_code: Any) -> Business:
    """The business with ``tax_code`` from the business registry, if ``citizen`` is its legal representative."""
    if not isinstance(tax_code, str):
        raise InvalidInput("Mã số doanh nghiệp phải là chuỗi 10 hoặc 13 chữ số.", field="business_tax_code")
    try:
        business = ctx.integrations.business_registry.business_by_tax_code(ctx.session, tax_code)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, code=exc.code, field="business_tax_code") from None
    if business.representative_id != citizen.id:
        raise Forbidden(f"Bạn không phải người đại diện theo pháp luật của {business.name}: chỉ người đại diện "
                        "được nộp hồ sơ nhân danh doanh nghiệp.")  # fmt: skip
    return business


@dataclass(frozen=True)
class TypedApplicant:
    """An applicant typed in by the officer, for when the population registry cannot be queried."""

    cccd: str
    full_name: str
    full_address: str
    phone: str
    commune_code: str
    email: str | None = None
    id: None = None


def typed_applicant(ctx: ServiceContext, cccd: str, raw: Any) -> TypedApplicant:
    """Validate a manually entered applicant (every message names its field)."""
    if not isinstance(raw, Mapping):
        raise InvalidInput("Thông tin người nộp nhập tay phải là một đối tượng.", field="manual_applicant")
    fields = {}
    for key, label, low, high in (("full_name", "Họ và tên", 2, 80), ("address", "Địa chỉ", 5, 200)):
        value = raw.get(key)
        if not isinstance(value, str) or not low <= len(value.strip()) <= high or not is_clean_text(value):
            raise InvalidInput(f"«{label}» phải có từ {low} đến {high} ký tự.", field=key)
        fields[key] = value.strip()
    try:
        phone = identifiers.validate_mobile(raw["phone"]) if isinstance(raw.get("phone"), str) else None
    except InvalidInput:
        phone = None
    if phone is None:
        raise InvalidInput("«Số điện thoại» phải là số di động hợp lệ (ví dụ 0912345678).", field="phone")
    commune_code = raw.get("commune_code")
    commune = ctx.session.get(Commune, commune_code) if isinstance(commune_code, str) else None
    if commune is None:
        raise InvalidInput("«Xã/phường nơi cư trú» không hợp lệ.", field="residence_commune_code")
    address = f"{fields['address']}, {commune.name}, {commune.province.name}"
    return TypedApplicant(cccd, fields["full_name"], address, phone, commune.code)


def _create(
    ctx: ServiceContext,
    *,
    action: Action,
    procedure_code: str,
    citizen: Citizen | TypedApplicant,
    commune_code: str | None,
    form_data: Mapping[str, Any] | None,
    documents: Any,
    receiving: Agency | None,
    business: Business | None = None,
) -> Dossier:
    # Everything that only reads comes before the write lock (SQLite has one for the whole database): the
    # procedure, where it is decided and received, the checked documents and eForm, the applicant's address.
    # These rows are reference data, so they are kept into the transaction. (The unit's process is read under the
    # lock: an administrator may save a new one, a workspace reset deletes them.)
    procedure = get_procedure(ctx, procedure_code)
    deciding = deciding_agency_for(ctx, procedure, commune_code or citizen.commune_code)
    competent_centre = receiving_centre_for(ctx, deciding)
    centre = receiving or competent_centre
    if centre.id != competent_centre.id:
        same_province = centre.province_code == deciding.province_code
        if not same_province:
            raise Forbidden(f"Chỉ tiếp nhận hồ sơ thuộc thẩm quyền trong tỉnh; hồ sơ này phải nộp tại "
                            f"{competent_centre.name}.")  # fmt: skip
        if not procedure.boundary_free:
            raise Forbidden(
                "Thủ tục này không thuộc danh mục tiếp nhận phi địa giới: hồ sơ phải nộp tại "
                f"{competent_centre.name}."
            )
    channel = Channel.ONLINE if action is Action.SUBMIT_ONLINE else Channel.COUNTER
    docs = _clean_documents(procedure, documents, channel)
    data = clean_form_data(procedure.eform, {**(form_data or {}), **registry_values(procedure.eform, business)})
    who = business or citizen
    applicant = dict(applicant_name=business.name if business else citizen.full_name,
                     applicant_id_number=business.tax_code if business else citizen.cccd,
                     applicant_phone=who.phone, applicant_email=who.email,
                     applicant_address=business.address if business else citizen.full_address)  # fmt: skip
    with ctx.transaction(keep_reads=True) as session:
        now = ctx.now()
        situation = lifecycle.Situation(lifecycle.Snapshot(), procedure.facts(), ctx.actor.role, now, ctx.calendar,
                                        int(channel))  # fmt: skip
        outcome = lifecycle.apply(situation, action)
        dossier = Dossier(
            workspace_id=ctx.workspace_id,
            code=next_dossier_code(ctx, centre.code, now.date(), ctx.dossier_code_format),
            procedure=procedure,
            channel=channel,
            applicant_kind=ApplicantKind.BUSINESS if business else ApplicantKind.CITIZEN,
            citizen_id=citizen.id,  # for a business: its representative, who filed and follows the dossier
            business_id=business.id if business else None,
            **applicant,
            receiving_agency_id=centre.id,
            deciding_agency_id=deciding.id,
            form_data=json_safe(data),
            process=current_process(ctx, deciding.id, procedure.id),  # the unit's process as it is today
        )
        dossier.load_snapshot(outcome.snapshot)
        session.add(dossier)
        session.flush()  # flush to get the dossier id for its documents and event
        stored_documents: list[DossierDocument] = []
        for d in docs:
            sha256 = size = None
            if d["upload"] is not None:  # a scan or an attachment: its bytes are kept
                stored = files.store(ctx, d["upload"], field=f"tep_{d['doc'].code}")
                d["file_name"], sha256, size = stored.file_name, stored.sha256, stored.size
            elif d["reuse"] is not None:  # taken from the applicant's data store, not scanned again
                if citizen.id is None:
                    raise InvalidInput("Người nộp nhập tay chưa có kho dữ liệu để dùng lại giấy tờ.", field="documents")
                again = files.reusable_document(ctx, citizen.id, d["reuse"], field=f"tep_{d['doc'].code}")
                d["file_name"], sha256, size, d["reused"], d["digitized"] = (
                    again.file_name,
                    again.sha256,
                    again.size,
                    True,
                    True,
                )
            stored_documents.append(
                DossierDocument(
                    workspace_id=ctx.workspace_id,
                    dossier_id=dossier.id,
                    kind="input",
                    doc_code=d["doc"].code,
                    name=d["doc"].name,
                    copy_type=d["copy_type"],
                    digitized=d["digitized"],
                    reused=d["reused"],
                    file_name=d["file_name"],
                    sha256=sha256,
                    size=size,
                    added_at=now,
                )
            )
        session.add_all(stored_documents)
        session.flush()
        set_committed_value(dossier, "documents", stored_documents)  # as loading them again would (in id order)
        params = {"documents": [d["doc"].code for d in docs], "manual_entry": isinstance(citizen, TypedApplicant)}
        record_event(ctx, dossier, action, None, outcome.changes, params, now)
        if outcome.form is not None:
            issue_form(ctx, dossier, outcome.form, now, {})
        notify_applicant(ctx, dossier, action, now)
    return dossier


def submit_online(
    ctx: ServiceContext,
    procedure_code: str,
    *,
    commune_code: str | None = None,
    form_data: Mapping[str, Any] | None = None,
    documents: Sequence[Any] | None = None,
    business_tax_code: str | None = None,
) -> Dossier:
    """A citizen (signed in with VNeID) files a dossier on the portal: status 1 "Mới đăng ký".

    With ``business_tax_code`` they file for the business they represent: the business registry gives
    its name, address and tax code, and the eForm's registry fields are filled from it, never typed.
    Documents may carry an ``upload`` (:class:`Upload`) or a ``reuse_document_id`` from the data store.
    """
    if ctx.actor.role is not Role.CITIZEN or ctx.actor.id is None:
        raise Forbidden("Chỉ công dân, doanh nghiệp đăng nhập bằng tài khoản định danh mới nộp hồ sơ trực tuyến.")
    citizen = ctx.session.get(Citizen, ctx.actor.id)
    if citizen is None:
        raise NotFound("Không tìm thấy thông tin công dân trong CSDL quốc gia về dân cư.")
    business = represented_business(ctx, citizen, business_tax_code) if business_tax_code else None
    return _create(
        ctx,
        action=Action.SUBMIT_ONLINE,
        procedure_code=procedure_code,
        citizen=citizen,
        commune_code=commune_code,
        form_data=form_data,
        documents=documents,
        receiving=None,
        business=business,
    )


def receive_at_counter(
    ctx: ServiceContext,
    procedure_code: str,
    *,
    applicant_cccd: str,
    commune_code: str | None = None,
    form_data: Mapping[str, Any] | None = None,
    documents: Sequence[Any] | None = None,
    manual_applicant: Mapping[str, Any] | None = None,
) -> Dossier:
    """The desk receives a paper dossier and accepts it at once: status 2, Mẫu 01, due date set.

    The applicant comes from the population registry by CCCD. ``manual_applicant`` types them in
    instead: meant for when the registry is down; doing it when it is up is a scored mistake.
    """
    if ctx.actor.role is not Role.DESK or ctx.actor.agency_id is None:
        raise Forbidden("Chỉ cán bộ một cửa được tiếp nhận hồ sơ trực tiếp.")
    if not isinstance(applicant_cccd, str):
        raise InvalidInput("Vui lòng nhập «applicant_cccd» (số định danh người nộp).", field="applicant_cccd")
    try:
        if manual_applicant is not None:
            applicant: Citizen | TypedApplicant = typed_applicant(
                ctx, identifiers.validate_cccd(applicant_cccd), manual_applicant
            )
        else:
            applicant = ctx.integrations.population.citizen_by_cccd(ctx.session, applicant_cccd)
    except InvalidInput as exc:
        field = "applicant_cccd" if exc.code == "invalid_cccd" else exc.field
        raise InvalidInput(exc.message, code=exc.code, field=field) from None
    receiving = ctx.session.get(Agency, ctx.actor.agency_id)
    return _create(
        ctx,
        action=Action.RECEIVE_AT_COUNTER,
        procedure_code=procedure_code,
        citizen=applicant,
        commune_code=commune_code,
        form_data=form_data,
        documents=documents,
        receiving=receiving,
    )


def accept(ctx: ServiceContext, code: str, *, expected_version: int | None = None) -> Dossier:
    return perform(ctx, code, Action.ACCEPT, expected_version=expected_version)


def refuse(ctx: ServiceContext, code: str, *, reason: str, expected_version: int | None = None) -> Dossier:
    return perform(ctx, code, Action.REFUSE, {"reason": reason}, expected_version=expected_version)


def request_supplement(
    ctx: ServiceContext, code: str, *, documents: Sequence[str], reason: str, expected_version: int | None = None
) -> Dossier:
    return perform(
        ctx, code, Action.REQUEST_SUPPLEMENT, {"documents": list(documents), "reason": reason},
        expected_version=expected_version,
    )  # fmt: skip


def submit_supplement(ctx: ServiceContext, code: str, *, note: str | None = None,
                      expected_version: int | None = None) -> Dossier:  # fmt: skip
    return perform(ctx, code, Action.SUBMIT_SUPPLEMENT, {"note": note}, expected_version=expected_version)


def complete_supplement(ctx: ServiceContext, code: str, *, expected_version: int | None = None) -> Dossier:
    return perform(ctx, code, Action.COMPLETE_SUPPLEMENT, expected_version=expected_version)


def withdraw(ctx: ServiceContext, code: str, *, reason: str, expected_version: int | None = None) -> Dossier:
    return perform(ctx, code, Action.WITHDRAW, {"reason": reason}, expected_version=expected_version)


__all__ = [
    "accept",
    "complete_supplement",
    "receive_at_counter",
    "refuse",
    "request_supplement",
    "submit_online",
    "submit_supplement",
    "withdraw",
]
