"""Số hóa at the desk: a scan checked by content, or a document from the citizen's data store; logged, not replayed."""

from __future__ import annotations

import io

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sandbox.domain.vocabulary import Action, CompetentLevel, Role, State
from sandbox.services import intake
from sandbox.services.eforms import example_form_data
from sandbox.services.reading import dossier_events
from sandbox.store.models import Dossier, DossierDocument, Event, Procedure, StoredFile
from tests.conftest import csrf, sign_in, username_for
from tests.service.test_use_cases import a_citizen

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x11" * 200


def paper_dossier(db: Session, ctx_for) -> Dossier:
    """A dossier the demo desk receives at the counter just now, every document on paper, none digitised."""
    procedure = db.scalars(select(Procedure).where(Procedure.level == CompetentLevel.PROVINCE)
                           .order_by(Procedure.code)).first()  # fmt: skip
    return intake.receive_at_counter(ctx_for("motcua"), procedure.code, applicant_cccd=a_citizen(db).cccd,
                                     documents=[d.code for d in procedure.documents if d.required],
                                     form_data=example_form_data(procedure.eform))  # fmt: skip


def post(client: FlaskClient, url: str, data: dict[str, object]):
    resp = client.post(url, data=data, content_type="multipart/form-data")
    resp.request.environ["wsgi.input"].close()
    return resp


def test_the_desk_scans_a_paper_document_and_the_event_is_logged_without_moving_the_dossier(
    client: FlaskClient, db: Session, ctx_for
) -> None:
    dossier = paper_dossier(db, ctx_for)
    doc = next(d for d in dossier.documents if d.kind == "input")
    assert not doc.digitized
    sign_in(client, "motcua")
    page = client.get(f"/motcua/ho-so/{dossier.code}").get_data(as_text=True)
    assert f"/motcua/ho-so/{dossier.code}/so-hoa/{doc.id}" in page
    version, state = dossier.version, dossier.state
    url = f"/motcua/ho-so/{dossier.code}/so-hoa/{doc.id}"
    bad = post(client, url, {"csrf_token": csrf(page), "tep": (io.BytesIO(b"<html>not a scan"), "scan.pdf")})
    assert bad.status_code == 422 and "không phải PDF, JPEG hoặc PNG" in bad.get_data(as_text=True)
    db.refresh(doc)
    assert not doc.digitized and doc.sha256 is None
    none = post(client, url, {"csrf_token": csrf(page)})
    assert none.status_code == 422 and "một trong hai" in none.get_data(as_text=True)
    ok = post(client, url, {"csrf_token": csrf(page), "tep": (io.BytesIO(JPEG), "to-khai.jpg")})
    assert ok.status_code == 303
    db.refresh(doc)
    db.refresh(dossier)
    assert doc.digitized and doc.file_name == "to-khai.jpg" and db.get(StoredFile, doc.sha256).content_type == "image/jpeg"
    assert (dossier.version, dossier.state) == (version, state)
    last = dossier_events(ctx_for("motcua"), dossier)[-1]
    assert last.action == "digitize" and last.to_state is None and last.payload["params"]["document"] == doc.doc_code
    shown = client.get(f"/motcua/ho-so/{dossier.code}").get_data(as_text=True)
    assert "Số hóa thành phần hồ sơ" in shown and "to-khai.jpg" in shown
    again = post(client, url, {"csrf_token": csrf(page), "tep": (io.BytesIO(JPEG), "lai.jpg")})
    assert again.status_code == 303 and "đã được số hóa" in client.get(again.headers["Location"]).get_data(as_text=True)
    # the dossier still moves on normally, and replay ignores the activity (see test_use_cases.replayed)
    intake_forward = client.get(f"/motcua/ho-so/{dossier.code}/thao-tac/{Action.FORWARD.value}")
    assert intake_forward.status_code == 200


def test_the_desk_reuses_a_document_from_the_citizens_data_store(client: FlaskClient, db: Session, ctx_for) -> None:
    first = paper_dossier(db, ctx_for)
    scanned = next(d for d in first.documents if d.kind == "input")
    sign_in(client, "motcua")
    page = client.get(f"/motcua/ho-so/{first.code}").get_data(as_text=True)
    assert post(client, f"/motcua/ho-so/{first.code}/so-hoa/{scanned.id}",
                {"csrf_token": csrf(page), "tep": (io.BytesIO(JPEG), "cccd.jpg")}).status_code == 303  # fmt: skip
    second = paper_dossier(db, ctx_for)
    target = next(d for d in second.documents if d.kind == "input")
    page = client.get(f"/motcua/ho-so/{second.code}").get_data(as_text=True)
    assert f'<option value="{scanned.id}">' in page  # offered from the data store
    stored_before = db.scalar(select(func.count()).select_from(StoredFile))
    resp = post(client, f"/motcua/ho-so/{second.code}/so-hoa/{target.id}", {"csrf_token": csrf(page), "dung_lai": str(scanned.id)})
    assert resp.status_code == 303
    db.refresh(target)
    assert target.digitized and target.reused and target.sha256 == db.get(DossierDocument, scanned.id).sha256
    assert db.scalar(select(func.count()).select_from(StoredFile)) == stored_before


def test_only_the_desk_digitises_and_only_open_dossiers(client: FlaskClient, db: Session, ctx_for, dossier_in) -> None:
    dossier = paper_dossier(db, ctx_for)
    doc = next(d for d in dossier.documents if d.kind == "input")
    sign_in(client, username_for(db, Role.DEPT_LEADER, dossier.deciding_agency_id))
    page = client.get("/motcua/").get_data(as_text=True)
    resp = post(client, f"/motcua/ho-so/{dossier.code}/so-hoa/{doc.id}", {"csrf_token": csrf(page), "tep": (io.BytesIO(JPEG), "a.jpg")})
    assert resp.status_code == 303
    db.refresh(doc)
    assert not doc.digitized
    closed = dossier_in(State.RETURNED)
    desk = client.application.test_client()
    sign_in(desk, "motcua")
    page = desk.get(f"/motcua/ho-so/{closed.code}").get_data(as_text=True)
    paper = next(d for d in closed.documents if d.kind == "input")
    assert f"/so-hoa/{paper.id}" not in page
    resp = post(desk, f"/motcua/ho-so/{closed.code}/so-hoa/{paper.id}", {"csrf_token": csrf(page), "tep": (io.BytesIO(JPEG), "a.jpg")})
    assert "đã kết thúc" in desk.get(resp.headers["Location"]).get_data(as_text=True)
    missing = post(desk, f"/motcua/ho-so/{dossier.code}/so-hoa/999999", {"csrf_token": csrf(page), "tep": (io.BytesIO(JPEG), "a.jpg")})
    assert missing.status_code == 404
    events = db.scalars(select(Event).where(Event.dossier_id == dossier.id, Event.action == "digitize")).all()
    assert events == []
