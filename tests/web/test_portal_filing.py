"""Filing online on the portal: identity from the registries, the eForm, attachments checked by content, reuse."""

from __future__ import annotations

import io
import json
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sandbox.domain.vocabulary import ApplicantKind, Channel, CompetentLevel, State
from sandbox.integrations.faults import FaultPlan
from sandbox.integrations.registry import Integrations
from sandbox.services.eforms import example_form_data
from sandbox.store.models import Business, Citizen, Dossier, DossierDocument, Procedure, StoredFile
from tests.conftest import csrf, vneid
from tests.service.test_use_cases import a_citizen as citizen_of_the_demo_province

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def a_procedure(db: Session) -> Procedure:
    """A provincial procedure with at least two required documents and an eForm."""
    for p in db.scalars(select(Procedure).where(Procedure.level == CompetentLevel.PROVINCE).order_by(Procedure.code)):
        if sum(d.required for d in p.documents) >= 2 and p.eform:
            return p
    raise AssertionError("no such procedure")


def a_citizen(db: Session) -> Citizen:
    return db.scalars(select(Citizen).order_by(Citizen.id)).first()


def count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def post(client: FlaskClient, url: str, data: dict[str, object]):
    """Post a multipart form; close the body werkzeug's test client spooled to a temporary file."""
    resp = client.post(url, data=data, content_type="multipart/form-data")
    resp.request.environ["wsgi.input"].close()
    return resp


def filing(procedure: Procedure, page: str, *, files: dict[str, tuple[bytes, str]] | None = None, **extra: str):
    data: dict[str, object] = {"csrf_token": csrf(page), "buoc": "nop", "cam_doan": "1"}
    data.update({f"ef_{k}": str(v) if not isinstance(v, bool) else "on" for k, v in example_form_data(procedure.eform).items()})
    if files is None:
        files = {d.code: (PDF, f"{d.code.lower()}.pdf") for d in procedure.documents if d.required}
    for code, (content, name) in files.items():
        data[f"tep_{code}"] = (io.BytesIO(content), name)
    data.update(extra)
    return data


def test_the_form_shows_the_registry_identity_and_a_filing_creates_a_new_online_dossier_with_its_files(
    client: FlaskClient, db: Session
) -> None:
    citizen, procedure = a_citizen(db), a_procedure(db)
    vneid(client, citizen.cccd)
    url = f"/dich-vu-cong/thu-tuc/{procedure.code}/nop-truc-tuyen"
    page = client.get(url).get_data(as_text=True)
    assert citizen.full_name in page and citizen.cccd in page and "CSDL quốc gia về dân cư" in page
    assert all(f'name="tep_{d.code}"' in page for d in procedure.documents)
    before = count(db, Dossier)
    resp = post(client, url, filing(procedure, page))
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    code = resp.headers["Location"].rsplit("/", 1)[1]
    dossier = db.scalars(select(Dossier).where(Dossier.code == code)).one()
    assert count(db, Dossier) == before + 1
    assert dossier.state is State.NEW and dossier.channel is Channel.ONLINE and dossier.citizen_id == citizen.id
    assert dossier.applicant_name == citizen.full_name and dossier.applicant_kind is ApplicantKind.CITIZEN
    attached = [d for d in dossier.documents if d.kind == "input"]
    assert {d.doc_code for d in attached} == {d.code for d in procedure.documents if d.required}
    assert all(d.sha256 and d.size == len(PDF) and d.digitized and d.file_name.endswith(".pdf") for d in attached)
    assert db.get(StoredFile, attached[0].sha256).content == PDF
    followed = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert code in followed and "Nộp hồ sơ thành công" in followed


def test_missing_files_and_commitment_are_said_next_to_the_fields_and_the_typed_values_are_kept(
    client: FlaskClient, db: Session
) -> None:
    citizen, procedure = a_citizen(db), a_procedure(db)
    vneid(client, citizen.cccd)
    url = f"/dich-vu-cong/thu-tuc/{procedure.code}/nop-truc-tuyen"
    page = client.get(url).get_data(as_text=True)
    first = next(d for d in procedure.documents if d.required)
    data = filing(procedure, page, files={first.code: (PDF, "a.pdf")})
    del data["cam_doan"]
    field = next(f for f in procedure.eform if f.get("type", "text") in ("text", "textarea"))
    data[f"ef_{field['name']}"] = "Giá trị tôi đã gõ"
    before = (count(db, Dossier), count(db, StoredFile))
    resp = post(client, url, data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Vui lòng xác nhận lời cam đoan" in html and "Vui lòng đính kèm" in html
    assert html.count("Vui lòng đính kèm") == sum(d.required for d in procedure.documents) - 1
    assert "Giá trị tôi đã gõ" in html and "chọn lại tệp" in html
    assert (count(db, Dossier), count(db, StoredFile)) == before


@pytest.mark.parametrize(("content", "name", "says"), [
    (b"MZ\x90\x00 a program", "quyet-dinh.pdf", "không phải PDF, JPEG hoặc PNG"),
    (b"", "rong.pdf", "rỗng"),
    (b"%PDF-" + b"0" * (5 * 1024 * 1024), "to.pdf", "vượt quá 5 MB"),
])  # fmt: skip
def test_a_bad_file_is_refused_by_its_content_and_nothing_is_written(
    client: FlaskClient, db: Session, content: bytes, name: str, says: str
) -> None:
    citizen, procedure = a_citizen(db), a_procedure(db)
    vneid(client, citizen.cccd)
    url = f"/dich-vu-cong/thu-tuc/{procedure.code}/nop-truc-tuyen"
    page = client.get(url).get_data(as_text=True)
    files = {d.code: (PDF, "ok.pdf") for d in procedure.documents if d.required}
    files[next(iter(files))] = (content, name)
    before = (count(db, Dossier), count(db, StoredFile), count(db, DossierDocument))
    resp = post(client, url, filing(procedure, page, files=files))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and says in html
    if content:
        assert name in html
    assert (count(db, Dossier), count(db, StoredFile), count(db, DossierDocument)) == before


def test_a_request_over_10_mb_gets_a_vietnamese_413(client: FlaskClient, db: Session) -> None:
    citizen, procedure = a_citizen(db), a_procedure(db)
    vneid(client, citizen.cccd)
    url = f"/dich-vu-cong/thu-tuc/{procedure.code}/nop-truc-tuyen"
    page = client.get(url).get_data(as_text=True)
    files = {d.code: (b"%PDF-" + b"1" * (4 * 1024 * 1024), f"{d.code}.pdf") for d in procedure.documents[:3]}
    resp = post(client, url, filing(procedure, page, files=files))
    assert resp.status_code == 413 and "Tệp tải lên quá lớn" in resp.get_data(as_text=True)


def test_a_document_from_the_data_store_is_reused_not_uploaded_again(client: FlaskClient, db: Session) -> None:
    citizen, procedure = a_citizen(db), a_procedure(db)
    vneid(client, citizen.cccd)
    url = f"/dich-vu-cong/thu-tuc/{procedure.code}/nop-truc-tuyen"
    page = client.get(url).get_data(as_text=True)
    assert post(client, url, filing(procedure, page, files={d.code: (PNG + d.code.encode(), f"{d.code}.png")
                       for d in procedure.documents if d.required})).status_code == 303  # fmt: skip
    page = client.get(url).get_data(as_text=True)
    offered = re.findall(r'<option value="(\d+)"', page)
    assert offered, "the data store offers the documents just uploaded"
    first = next(d for d in procedure.documents if d.required)
    files = {d.code: (PDF, "moi.pdf") for d in procedure.documents if d.required and d.code != first.code}
    resp = post(client, url, filing(procedure, page, files=files, **{f"dung_lai_{first.code}": offered[0]}))
    assert resp.status_code == 303
    dossier = db.scalars(select(Dossier).where(Dossier.code == resp.headers["Location"].rsplit("/", 1)[1])).one()
    reused = next(d for d in dossier.documents if d.doc_code == first.code)
    source = db.get(DossierDocument, int(offered[0]))
    assert reused.reused and reused.sha256 == source.sha256 and reused.file_name == source.file_name
    # another citizen's document cannot be named
    other = db.scalars(select(Citizen).where(Citizen.id != citizen.id).order_by(Citizen.id)).first()
    client2 = client.application.test_client()
    vneid(client2, other.cccd)
    page2 = client2.get(url).get_data(as_text=True)
    resp = post(client2, url, filing(procedure, page2, files=files, **{f"dung_lai_{first.code}": offered[0]}))
    assert resp.status_code == 422 and "không có trong kho dữ liệu" in resp.get_data(as_text=True)


def test_a_representative_files_for_their_business_with_registry_fields_locked(client: FlaskClient, db: Session) -> None:
    procedure = next(p for p in db.scalars(select(Procedure).where(Procedure.level == CompetentLevel.PROVINCE))
                     if any(f["name"] == "ma_so_doanh_nghiep" for f in p.eform))  # fmt: skip
    business = db.scalars(select(Business).order_by(Business.id)).first()
    representative = db.get(Citizen, business.representative_id)
    vneid(client, representative.cccd)
    url = f"/dich-vu-cong/thu-tuc/{procedure.code}/nop-truc-tuyen"
    page = client.get(url, query_string={"nhan_danh": business.tax_code}).get_data(as_text=True)
    assert business.name in page and re.search(rf'value="{business.tax_code}" readonly', page)
    data = filing(procedure, page, nhan_danh=business.tax_code)
    data["ef_ma_so_doanh_nghiep"] = "0100109106"  # typed over the read-only field: the registry wins
    resp = post(client, url, data)
    assert resp.status_code == 303, resp.get_data(as_text=True)[:1500]
    dossier = db.scalars(select(Dossier).where(Dossier.code == resp.headers["Location"].rsplit("/", 1)[1])).one()
    assert dossier.applicant_kind is ApplicantKind.BUSINESS and dossier.business_id == business.id
    assert dossier.applicant_name == business.name and dossier.applicant_id_number == business.tax_code
    assert dossier.form_data["ma_so_doanh_nghiep"] == business.tax_code and dossier.citizen_id == representative.id


def test_the_population_registry_down_stops_filing_with_a_503_in_vietnamese(
    client: FlaskClient, db: Session, integrations: Integrations
) -> None:
    citizen, procedure = a_citizen(db), a_procedure(db)
    vneid(client, citizen.cccd)
    integrations.population.faults = FaultPlan(outage=True)
    resp = client.get(f"/dich-vu-cong/thu-tuc/{procedure.code}/nop-truc-tuyen")
    assert resp.status_code == 503 and "CSDL quốc gia về dân cư đang gián đoạn" in resp.get_data(as_text=True)


def test_an_unknown_procedure_is_a_404_and_officers_are_sent_to_sign_in_as_a_citizen(client: FlaskClient, db: Session) -> None:
    vneid(client, a_citizen(db).cccd)
    assert client.get("/dich-vu-cong/thu-tuc/9.999999/nop-truc-tuyen").status_code == 404
    assert client.get("/dich-vu-cong/thu-tuc/khong-phai-ma/nop-truc-tuyen").status_code == 422
    anonymous = client.application.test_client()
    resp = anonymous.get(f"/dich-vu-cong/thu-tuc/{a_procedure(db).code}/nop-truc-tuyen")
    assert resp.status_code == 302 and "/dich-vu-cong/dang-nhap" in resp.headers["Location"]


def test_a_business_filing_never_falls_back_to_the_person(
    client: FlaskClient, db: Session, integrations: Integrations
) -> None:
    procedure = next(p for p in db.scalars(select(Procedure).where(Procedure.level == CompetentLevel.PROVINCE))
                     if any(f["name"] == "ma_so_doanh_nghiep" for f in p.eform))  # fmt: skip
    business = db.scalars(select(Business).order_by(Business.id)).first()
    vneid(client, db.get(Citizen, business.representative_id).cccd)
    url = f"/dich-vu-cong/thu-tuc/{procedure.code}/nop-truc-tuyen"
    page = client.get(url, query_string={"nhan_danh": business.tax_code}).get_data(as_text=True)
    integrations.business_registry.faults = FaultPlan(outage=True)  # the registry goes down before «Nộp»
    before = count(db, Dossier)
    resp = post(client, url, filing(procedure, page, nhan_danh=business.tax_code))
    assert resp.status_code == 422 and "đang gián đoạn" in resp.get_data(as_text=True)
    assert count(db, Dossier) == before


def test_a_json_reuse_id_that_is_no_id_is_a_422(client: FlaskClient, db: Session, api_token) -> None:
    procedure = a_procedure(db)
    body = {"procedure_code": procedure.code, "applicant_cccd": citizen_of_the_demo_province(db).cccd,
            "form_data": example_form_data(procedure.eform),
            "documents": [{"code": d.code, "reuse_document_id": 1e400} for d in procedure.documents if d.required]}  # fmt: skip
    text = json.dumps(body)  # the standard library writes 1e400 as Infinity, which it also reads back as a float
    assert "Infinity" in text
    resp = client.post("/api/v1/dossiers", data=text, content_type="application/json", headers=api_token("motcua"))
    assert resp.status_code == 422 and "kho dữ liệu" in resp.get_json()["message"]
