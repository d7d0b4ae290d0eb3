"""What the applicant does on the portal after filing: answer a supplement request, pay, open files, rate."""

from __future__ import annotations

import io
import re

from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sandbox.domain.vocabulary import Channel, State
from sandbox.integrations.faults import FaultPlan
from sandbox.integrations.registry import Integrations
from sandbox.services import intake
from sandbox.store.models import Citizen, Dossier, DossierDocument, Event, Payment, Rating
from tests.conftest import csrf, vneid

PDF = b"%PDF-1.7\n% bo sung\n%%EOF\n"


def as_applicant(client: FlaskClient, db: Session, dossier: Dossier) -> str:
    vneid(client, db.get(Citizen, dossier.citizen_id).cccd)
    return client.get(f"/dich-vu-cong/ho-so/{dossier.code}").get_data(as_text=True)


def post(client: FlaskClient, url: str, data: dict[str, object]):
    resp = client.post(url, data=data, content_type="multipart/form-data")
    resp.request.environ["wsgi.input"].close()
    return resp


def test_a_supplement_round_trip_files_reach_the_desk_and_the_dossier_is_received(
    client: FlaskClient, db: Session, dossier_in, ctx_for
) -> None:
    dossier = dossier_in(State.NEW, channel=Channel.ONLINE)
    wanted = [d.code for d in dossier.procedure.documents][:2]
    intake.request_supplement(ctx_for("motcua"), dossier.code, documents=wanted, reason="Bản chụp mờ, không đọc được")
    page = as_applicant(client, db, dossier)
    assert "Yêu cầu bổ sung hồ sơ" in page and all(f'name="tep_{c}"' in page for c in wanted)
    url = f"/dich-vu-cong/ho-so/{dossier.code}/bo-sung"
    # one file missing: refused next to the field, nothing written
    before = db.scalar(select(func.count()).select_from(DossierDocument))
    resp = post(client, url, {"csrf_token": csrf(page), f"tep_{wanted[0]}": (io.BytesIO(PDF), "a.pdf")})
    assert resp.status_code == 422 and "một lần, đầy đủ" in resp.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(DossierDocument)) == before
    db.refresh(dossier)
    assert not dossier.supplement_submitted
    files = {f"tep_{c}": (io.BytesIO(PDF + c.encode()), f"{c}.pdf") for c in wanted}
    resp = post(client, url, {"csrf_token": csrf(page), "note": "Đã chụp lại rõ nét", **files})
    assert resp.status_code == 303
    db.refresh(dossier)
    assert dossier.supplement_submitted and dossier.state is State.SUPPLEMENT_AT_DESK
    sent = [d for d in dossier.documents if d.kind == "supplement"]
    assert sorted(d.doc_code for d in sent) == sorted(wanted) and all(d.sha256 and d.digitized for d in sent)
    page = client.get(f"/dich-vu-cong/ho-so/{dossier.code}").get_data(as_text=True)
    assert "Đã nộp bổ sung" in page and 'action="/dich-vu-cong/ho-so/' + dossier.code + '/bo-sung"' not in page
    # the desk opens the file the applicant sent, and completes the supplement
    desk = client.application.test_client()
    from tests.conftest import sign_in

    sign_in(desk, "motcua")
    opened = desk.get(f"/motcua/ho-so/{dossier.code}/tep/{sent[0].id}")
    assert opened.status_code == 200 and opened.data.startswith(b"%PDF") and opened.mimetype == "application/pdf"
    assert opened.headers["X-Content-Type-Options"] == "nosniff"
    intake.complete_supplement(ctx_for("motcua"), dossier.code)
    db.refresh(dossier)
    assert dossier.state is State.RECEIVED


def test_online_payment_moves_the_dossier_on_and_a_declined_payment_changes_nothing(
    client: FlaskClient, db: Session, dossier_in, integrations: Integrations
) -> None:
    dossier = dossier_in(State.FINANCIAL_OBLIGATION)
    page = as_applicant(client, db, dossier)
    assert "Thanh toán trực tuyến" in page
    url = f"/dich-vu-cong/ho-so/{dossier.code}/thanh-toan"
    gateway = client.get(url).get_data(as_text=True)
    assert "Xác nhận thanh toán" in gateway and dossier.deciding_agency.name in gateway
    integrations.payment.faults = FaultPlan(outage=True)
    resp = client.post(url, data={"csrf_token": csrf(gateway), "version": str(dossier.version)})
    assert resp.status_code == 303
    assert "không thành công" in client.get(resp.headers["Location"]).get_data(as_text=True)
    db.refresh(dossier)
    assert dossier.state is State.FINANCIAL_OBLIGATION and not dossier.fee_paid
    integrations.payment.faults = FaultPlan()
    resp = client.post(url, data={"csrf_token": csrf(gateway), "version": str(dossier.version)})
    assert resp.status_code == 303
    shown = client.get(resp.headers["Location"]).get_data(as_text=True)
    paid = db.scalars(select(Payment).where(Payment.dossier_id == dossier.id, Payment.status == "paid")).one()
    assert "Thanh toán thành công" in shown and paid.reference in shown and paid.method == "online"
    db.refresh(dossier)
    assert dossier.fee_paid and dossier.payment_method == "online" and dossier.state is State.APPRAISING
    # paying twice: nothing left to pay
    again = client.get(url)
    assert again.status_code == 303


def test_rating_a_returned_dossier_once(client: FlaskClient, db: Session, dossier_in) -> None:
    dossier = dossier_in(State.RETURNED)
    page = as_applicant(client, db, dossier)
    assert "Đánh giá mức độ hài lòng" in page
    url = f"/dich-vu-cong/ho-so/{dossier.code}/danh-gia"
    bad = client.post(url, data={"csrf_token": csrf(page), "level": "tuyet-voi"})
    assert bad.status_code == 422 and "Vui lòng chọn mức độ hài lòng" in bad.get_data(as_text=True)
    resp = client.post(url, data={"csrf_token": csrf(page), "level": "khong_hai_long", "comment": "Trả kết quả chậm"})
    assert resp.status_code == 303
    rating = db.scalars(select(Rating).where(Rating.dossier_id == dossier.id)).one()
    assert rating.level == "khong_hai_long" and rating.comment == "Trả kết quả chậm"
    event = db.scalars(select(Event).where(Event.dossier_id == dossier.id).order_by(Event.id.desc())).first()
    assert event.action == "rate" and event.to_state is None
    shown = client.get(f"/dich-vu-cong/ho-so/{dossier.code}").get_data(as_text=True)
    assert "Bạn đã đánh giá" in shown and "Không hài lòng" in shown
    again = client.post(url, data={"csrf_token": csrf(page), "level": "rat_hai_long"})
    assert again.status_code == 303 and "một lần" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Rating).where(Rating.dossier_id == dossier.id)) == 1


def test_an_unfinished_dossier_cannot_be_rated(client: FlaskClient, db: Session, dossier_in) -> None:
    dossier = dossier_in(State.APPRAISING)
    page = as_applicant(client, db, dossier)
    assert 'id="danh-gia"' not in page
    resp = client.post(f"/dich-vu-cong/ho-so/{dossier.code}/danh-gia", data={"csrf_token": csrf(page), "level": "hai_long"})
    assert resp.status_code == 303
    assert "đã giải quyết xong" in client.get(resp.headers["Location"]).get_data(as_text=True)


def test_files_are_served_only_to_who_may_see_the_dossier(client: FlaskClient, db: Session, dossier_in, ctx_for) -> None:
    dossier = dossier_in(State.NEW, channel=Channel.ONLINE)
    intake.request_supplement(ctx_for("motcua"), dossier.code, documents=[dossier.procedure.documents[0].code],
                              reason="Thiếu trang 2")  # fmt: skip
    page = as_applicant(client, db, dossier)
    code = dossier.procedure.documents[0].code
    post(client, f"/dich-vu-cong/ho-so/{dossier.code}/bo-sung",
         {"csrf_token": csrf(page), f"tep_{code}": (io.BytesIO(PDF), "trang-2.pdf")})  # fmt: skip
    doc = next(d for d in db.scalars(select(DossierDocument).where(DossierDocument.dossier_id == dossier.id))
               if d.kind == "supplement")  # fmt: skip
    mine = client.get(f"/dich-vu-cong/ho-so/{dossier.code}/tep/{doc.id}")
    assert mine.status_code == 200 and mine.data == PDF and "trang-2.pdf" in mine.headers["Content-Disposition"]
    paper = next((d for d in dossier.documents if not d.sha256), None)
    if paper is not None:
        assert client.get(f"/dich-vu-cong/ho-so/{dossier.code}/tep/{paper.id}").status_code == 404
    assert client.get(f"/dich-vu-cong/ho-so/{dossier.code}/tep/999999999").status_code == 404
    stranger = client.application.test_client()
    other = db.scalars(select(Citizen).where(Citizen.id != dossier.citizen_id).order_by(Citizen.id)).first()
    vneid(stranger, other.cccd)
    assert stranger.get(f"/dich-vu-cong/ho-so/{dossier.code}/tep/{doc.id}").status_code == 403
    assert re.search(r"Hồ sơ này không phải của bạn", stranger.get(f"/dich-vu-cong/ho-so/{dossier.code}/tep/{doc.id}")
                     .get_data(as_text=True))  # fmt: skip


def test_the_returned_result_downloads_as_a_signed_pdf_and_not_before(client: FlaskClient, db: Session, dossier_in) -> None:
    returned = dossier_in(State.RETURNED, result_signed=True)
    page = as_applicant(client, db, returned)
    assert f"/dich-vu-cong/ho-so/{returned.code}/ket-qua.pdf" in page
    resp = client.get(f"/dich-vu-cong/ho-so/{returned.code}/ket-qua.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    words = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.data)).pages).split())
    assert returned.procedure.result.upper() in words and returned.applicant_name in words
    assert "Hợp lệ: nội dung không thay đổi kể từ khi ký" in words and returned.result_number in words
    done = dossier_in(State.DONE)
    as_applicant(client, db, done)
    assert client.get(f"/dich-vu-cong/ho-so/{done.code}/ket-qua.pdf").status_code == 404


def test_a_result_changed_after_signing_reads_as_invalid(client: FlaskClient, db: Session, dossier_in) -> None:
    returned = dossier_in(State.RETURNED, result_signed=True)
    as_applicant(client, db, returned)
    returned.applicant_name = returned.applicant_name + " (sửa)"  # the signed content no longer matches
    db.flush()
    resp = client.get(f"/dich-vu-cong/ho-so/{returned.code}/ket-qua.pdf")
    words = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.data)).pages).split())
    assert "KHÔNG HỢP LỆ" in words, words


def test_a_supplement_is_answered_once_and_the_api_records_what_was_declared(
    client: FlaskClient, db: Session, dossier_in, ctx_for, api_token
) -> None:
    dossier = dossier_in(State.NEW, channel=Channel.ONLINE)
    code = dossier.procedure.documents[0].code
    intake.request_supplement(ctx_for("motcua"), dossier.code, documents=[code], reason="Thiếu chữ ký")
    citizen = db.get(Citizen, dossier.citizen_id)
    token = api_token(citizen.cccd, "vneid2026")
    url = f"/api/v1/dossiers/{dossier.code}/actions/submit_supplement"
    first = client.post(url, json={"params": {"note": "Gửi qua bưu điện"}}, headers=token)
    assert first.status_code == 200
    declared = [d for d in db.scalars(select(DossierDocument).where(DossierDocument.dossier_id == dossier.id))
                if d.kind == "supplement"]  # fmt: skip
    assert [(d.doc_code, d.digitized, d.sha256) for d in declared] == [(code, False, None)]  # nothing scanned yet
    again = client.post(url, json={"params": {}}, headers=token)
    assert again.status_code == 409 and "Đã nộp bổ sung" in again.get_json()["message"]
    page = as_applicant(client, db, dossier)
    resp = post(client, f"/dich-vu-cong/ho-so/{dossier.code}/bo-sung",
                {"csrf_token": csrf(page), f"tep_{code}": (io.BytesIO(PDF), "lan-2.pdf")})  # fmt: skip
    assert resp.status_code == 303 and "Đã nộp bổ sung" in client.get(resp.headers["Location"]).get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(DossierDocument).where(
        DossierDocument.dossier_id == dossier.id, DossierDocument.kind == "supplement")) == 1  # fmt: skip
