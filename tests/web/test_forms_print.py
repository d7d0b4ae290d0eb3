"""Issued forms as printable pages: filled from the dossier, with its code and a QR code to look it up."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import datetime

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.domain.vocabulary import Form
from sandbox.store.models import Dossier, IssuedForm
from tests.conftest import sign_in

DESK = "000.00.20.H37-%"  # dossiers received by the provincial centre, the desk of the `motcua` account


def issued(db: Session, kind: Form) -> IssuedForm:
    form = db.scalars(select(IssuedForm).join(Dossier).where(Dossier.code.like(DESK), IssuedForm.kind == kind)
                      .order_by(IssuedForm.id)).first()  # fmt: skip
    assert form is not None, f"the tiny world has no {kind.label} at the provincial desk"
    return form


@pytest.fixture
def desk(client: FlaskClient) -> FlaskClient:
    sign_in(client, "motcua")
    return client


def url(form: IssuedForm) -> str:
    return f"/motcua/ho-so/{form.dossier.code}/bieu-mau/{form.id}"


def test_the_receipt_prints_the_applicant_documents_dates_and_a_qr_code(desk: FlaskClient, db: Session) -> None:
    form = issued(db, Form.RECEIPT)
    dossier = form.dossier
    resp = desk.get(url(form))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in html and dossier.code in html
    assert dossier.applicant_name in html and dossier.procedure.name in html
    assert "ngày làm việc ngày làm việc" not in html and "quy định: còn" not in html
    # the appointment as it was when the receipt was handed over (a later pause or delay does not reprint it)
    assert f"{datetime.fromisoformat(form.data['due_at']):%H:%M %d/%m/%Y}" in html
    for doc in dossier.documents:
        if doc.kind == "input":
            assert doc.name in html
    assert "<svg" in html and f"Mã QR tra cứu hồ sơ {dossier.code}" in html
    assert f"/motcua/ho-so/{dossier.code}" in html  # what the QR code encodes, printed under it
    assert "KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" in html  # a training print can never pass for a real one


def test_the_supplement_request_lists_what_to_bring_and_why(desk: FlaskClient, db: Session) -> None:
    form = issued(db, Form.SUPPLEMENT_REQUEST)
    html = desk.get(url(form)).get_data(as_text=True)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in html
    assert form.data["requested_documents"] and all(name in html for name in form.data["requested_documents"])
    assert form.data["reason"] in html
    # what was received stays a list of names: the request's document codes do not overwrite it
    assert all(not re.fullmatch(r"TP\d+", name) for name in form.data["documents"])


def test_the_dossier_page_links_every_issued_form(desk: FlaskClient, db: Session) -> None:
    form = issued(db, Form.RECEIPT)
    html = desk.get(f"/motcua/ho-so/{form.dossier.code}").get_data(as_text=True)
    for each in form.dossier.forms:
        assert f'href="{url(each)}"' in html


@pytest.mark.parametrize("tamper", [lambda f, other: other.id, lambda f, other: 999_999])
def test_a_form_of_another_dossier_is_not_found(desk: FlaskClient, db: Session, tamper: Callable) -> None:
    form = issued(db, Form.RECEIPT)
    other = db.scalars(select(IssuedForm).where(IssuedForm.dossier_id != form.dossier_id)).first()
    resp = desk.get(f"/motcua/ho-so/{form.dossier.code}/bieu-mau/{tamper(form, other)}")
    assert resp.status_code == 404 and "không có biểu mẫu số" in resp.get_data(as_text=True)


def test_every_kind_of_form_in_the_world_prints(desk: FlaskClient, db: Session) -> None:
    kinds = db.scalars(select(IssuedForm.kind).join(Dossier).where(Dossier.code.like(DESK)).distinct()).all()
    assert {Form.RECEIPT, Form.SUPPLEMENT_REQUEST, Form.REFUSAL, Form.APOLOGY, Form.STOP_NOTICE,
            Form.CONTROL_SLIP} <= set(kinds)  # fmt: skip
    for kind in kinds:
        form = issued(db, kind)
        resp = desk.get(url(form))
        html = resp.get_data(as_text=True)
        assert resp.status_code == 200, (kind, html[:300])
        assert kind.label.upper() in html and form.dossier.code in html


@pytest.mark.parametrize("kind", [Form.RECEIPT, Form.SUPPLEMENT_REQUEST, Form.REFUSAL])
def test_each_form_is_also_a_pdf_with_the_same_words(desk: FlaskClient, db: Session, kind: Form) -> None:
    form = issued(db, kind)
    resp = desk.get(url(form) + ".pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf" and resp.data.startswith(b"%PDF-")
    assert f"{form.dossier.code}-{kind.value}.pdf" in resp.headers["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(resp.data)).pages)
    words = " ".join(text.split())
    assert kind.label.upper() in words and form.dossier.code in words
    assert form.data["applicant_name"] in words and "KHÔNG CÓ GIÁ TRỊ PHÁP LÝ" in words
    if kind is Form.SUPPLEMENT_REQUEST:
        assert all(name.split()[0] in words for name in form.data.get("requested_documents") or [])


def test_a_pdf_of_a_form_of_another_dossier_is_a_404(desk: FlaskClient, db: Session) -> None:
    form = issued(db, Form.RECEIPT)
    other = db.scalars(select(Dossier).where(Dossier.code.like(DESK), Dossier.id != form.dossier_id)).first()
    assert desk.get(f"/motcua/ho-so/{other.code}/bieu-mau/{form.id}.pdf").status_code == 404


def test_characters_the_pdf_font_lacks_print_as_boxes_not_an_error(desk: FlaskClient, db: Session, ctx_for) -> None:
    from sandbox.domain.vocabulary import State
    from sandbox.services import intake

    dossier = db.scalars(select(Dossier).where(Dossier.code.like(DESK), Dossier.state == State.NEW)).first()
    intake.refuse(ctx_for("motcua"), dossier.code, reason="Ảnh chụp mờ 😀 — thiếu trang 中文 ✓")
    refusal = next(f for f in dossier.forms if f.kind is Form.REFUSAL)
    resp = desk.get(url(refusal) + ".pdf")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF-")
    assert "Ảnh chụp mờ" in PdfReader(io.BytesIO(resp.data)).pages[0].extract_text()
