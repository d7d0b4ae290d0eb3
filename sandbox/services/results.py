"""Result use cases: fees, signing, issuing, returning the result."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from sandbox.domain.errors import InvalidInput, NotFound, TransitionRefused
from sandbox.domain.lifecycle import Outcome
from sandbox.domain.vocabulary import Action, CopyType, PaymentMethod
from sandbox.services import counters
from sandbox.services.administration import active_fee_account
from sandbox.services.context import ServiceContext
from sandbox.services.dossiers import perform
from sandbox.store.models import Dossier, DossierDocument, Officer, Signature


def open_fee_order(ctx: ServiceContext, dossier: Dossier, outcome: Outcome) -> dict[str, Any]:
    """Hook of ``request_fee``: open the payment order on the platform."""
    order = ctx.integrations.payment.open_order(
        ctx.session, workspace_id=ctx.workspace_id, dossier_id=dossier.id,
        amount=outcome.snapshot.fee_amount, now=ctx.now(), beneficiary=beneficiary_of(ctx, dossier),
    )  # fmt: skip
    return {"payment_reference": order.reference}


def beneficiary_of(ctx: ServiceContext, dossier: Dossier) -> str:
    """Where the deciding unit's fees go: its fee account, or the state budget at the State Treasury."""
    account = active_fee_account(ctx, dossier.deciding_agency_id)
    if account is None:
        return f"Tài khoản thu ngân sách nhà nước tại Kho bạc Nhà nước ({dossier.deciding_agency.name})"
    return f"{account.account_number} tại {account.bank_name} ({account.account_name})"


def take_payment(ctx: ServiceContext, dossier: Dossier, outcome: Outcome) -> dict[str, Any]:
    """Hook of ``confirm_payment``: pay online through the platform, or record cash taken at the counter."""
    kw = dict(workspace_id=ctx.workspace_id, dossier_id=dossier.id, amount=dossier.fee_amount, now=ctx.now())
    if outcome.params["method"] is PaymentMethod.ONLINE:
        order = ctx.integrations.payment.pay_online(ctx.session, **kw)
    else:
        order = ctx.integrations.payment.record_cash(ctx.session, **kw)
    return {"payment_reference": order.reference, "amount": order.amount}


def request_fee(ctx: ServiceContext, code: str, *, expected_version: int | None = None) -> Dossier:
    """Ask the applicant to pay the procedure's fee: status 6, a payment order is opened."""
    return perform(ctx, code, Action.REQUEST_FEE, expected_version=expected_version, hook=open_fee_order)


def confirm_payment(
    ctx: ServiceContext, code: str, *, method: PaymentMethod | str, expected_version: int | None = None
) -> Dossier:
    """Record the fee as paid: online through the payment platform, or cash taken at the counter."""
    return perform(ctx, code, Action.CONFIRM_PAYMENT, {"method": method}, expected_version=expected_version,
                   hook=take_payment)  # fmt: skip


def canonical_result(
    *, code: str, procedure_code: str, result: str, applicant_name: str, id_number: str, agency_id: int
) -> bytes:
    """The canonical bytes of a result, which the leader signs (all fixed once signed)."""
    body = {
        "ma_ho_so": code,
        "ma_thu_tuc": procedure_code,
        "ket_qua": result,
        "chu_ho_so": applicant_name,
        "so_dinh_danh": id_number,
        "co_quan": agency_id,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode()


def result_content(dossier: Dossier) -> bytes:
    return canonical_result(
        code=dossier.code, procedure_code=dossier.procedure.code, result=dossier.procedure.result,
        applicant_name=dossier.applicant_name, id_number=dossier.applicant_id_number,
        agency_id=dossier.deciding_agency_id,
    )  # fmt: skip


def sign_result(ctx: ServiceContext, dossier: Dossier, outcome: Outcome) -> dict[str, Any]:
    """Hook of ``sign``: the signing service signs the result; the signed result document is attached."""
    assert ctx.actor.id is not None
    now = ctx.now()
    signature = ctx.integrations.signing.sign(
        ctx.session, workspace_id=ctx.workspace_id, dossier_id=dossier.id, signer_id=ctx.actor.id,
        content=result_content(dossier), now=now,
    )  # fmt: skip
    ctx.session.add(
        DossierDocument(
            workspace_id=ctx.workspace_id, dossier_id=dossier.id, kind="result", doc_code="KQ",
            name=dossier.procedure.result, copy_type=CopyType.ELECTRONIC, digitized=True,
            file_name=f"{dossier.code}-ket-qua.pdf", sha256=signature.digest, added_at=now,
        )
    )  # fmt: skip
    return {"certificate_serial": signature.certificate_serial, "digest": signature.digest}


def attach_finish_result(ctx: ServiceContext, dossier: Dossier, outcome: Outcome) -> dict[str, Any]:
    """Hook of ``finish``: attach what the officer chose as the result — another dossier's result file,
    a scanned file, or nothing. None of these is digitally signed (that is the point the rules make)."""
    now, params = ctx.now(), outcome.params
    source = params.get("reuse_result_of")
    if source:
        other = result_document_of(ctx, source)
        digest, file_name = other.sha256, other.file_name
    elif params.get("result_file"):
        digest = hashlib.sha256(f"{dossier.code}:{params['result_file']}".encode()).hexdigest()
        file_name = params["result_file"][:200]
    else:
        return {"result_attached": False}
    ctx.session.add(
        DossierDocument(
            workspace_id=ctx.workspace_id, dossier_id=dossier.id, kind="result", doc_code="KQ",
            name=dossier.procedure.result, copy_type=CopyType.ELECTRONIC, digitized=True, file_name=file_name,
            sha256=digest, added_at=now,
        )
    )  # fmt: skip
    return {"result_attached": True, "result_sha256": digest}


def result_document_of(ctx: ServiceContext, code: str) -> DossierDocument:
    """The result document of dossier ``code`` in this workspace (the one an officer wants to reuse)."""
    found = ctx.session.scalars(
        select(DossierDocument).join(Dossier, DossierDocument.dossier_id == Dossier.id)
        .where(Dossier.workspace_id == ctx.workspace_id, Dossier.code == code, DossierDocument.kind == "result")
        .order_by(DossierDocument.id.desc())
    ).first()  # fmt: skip
    if found is None:  # a code typed into the form: said next to the field, not a «not found» page
        raise InvalidInput(f"Hồ sơ {code[:40]} không có kết quả để đính kèm (kiểm tra lại mã hồ sơ).",
                           field="reuse_result_of")  # fmt: skip
    return found


def sign(ctx: ServiceContext, code: str, *, expected_version: int | None = None) -> Dossier:
    """The unit leader signs the result digitally (the signing service may be down: nothing changes then)."""
    return perform(ctx, code, Action.SIGN, expected_version=expected_version, hook=sign_result)


def next_result_number(ctx: ServiceContext, dossier: Dossier) -> dict[str, Any]:
    year, agency = ctx.now().year, dossier.deciding_agency.code
    n = counters.next_value(ctx.session, workspace_id=ctx.workspace_id, scope=counters.result_scope(agency),
                            day=date(year, 1, 1))  # fmt: skip
    return {"result_number": counters.result_number(n, year, agency)}


def issue(ctx: ServiceContext, code: str, *, expected_version: int | None = None) -> Dossier:
    """The clerk numbers and issues the signed result: status 9 "Đã xử lý xong"."""
    return perform(ctx, code, Action.ISSUE, next_result_number, expected_version=expected_version)


def latest_signature(ctx: ServiceContext, dossier: Dossier) -> Signature | None:
    return ctx.session.scalars(
        select(Signature)
        .where(Signature.workspace_id == ctx.workspace_id, Signature.dossier_id == dossier.id)
        .order_by(Signature.id.desc())
    ).first()


def verify_signature(ctx: ServiceContext, dossier: Dossier, _: Outcome) -> dict[str, Any]:
    row = latest_signature(ctx, dossier)
    if row is None or not ctx.integrations.signing.verify(row, result_content(dossier)):
        raise TransitionRefused(
            "Chữ ký số trên kết quả không hợp lệ hoặc kết quả đã bị thay đổi sau khi ký: không được trả kết quả.",
            code="signature_invalid",
        )
    return {"certificate_serial": row.certificate_serial}


@dataclass(frozen=True)
class ElectronicResult:
    """The result as the applicant receives it: the document, who signed it, and whether the signature holds."""

    document: DossierDocument
    signature: Signature | None
    signer: Officer | None
    verified: bool


def electronic_result(ctx: ServiceContext, dossier: Dossier) -> ElectronicResult:
    """The dossier's result with its signature checked again now (the caller checked who may see it)."""
    document = next((d for d in reversed(dossier.documents) if d.kind == "result"), None)
    if document is None:
        raise NotFound(f"Hồ sơ {dossier.code} chưa có kết quả giải quyết.")
    row = latest_signature(ctx, dossier)
    verified = row is not None and ctx.integrations.signing.verify(row, result_content(dossier))
    return ElectronicResult(document, row, ctx.session.get(Officer, row.signer_id) if row else None, verified)


def return_result(ctx: ServiceContext, code: str, *, expected_version: int | None = None) -> Dossier:
    """The desk hands over the result (at the counter, by post or online): status 10."""
    return perform(ctx, code, Action.RETURN_RESULT, expected_version=expected_version, hook=verify_signature)
