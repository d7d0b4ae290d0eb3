"""Every input that once produced a 500 (independent review of issue 3) now gets a Vietnamese 4xx."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.domain.vocabulary import Role, State
from sandbox.services.auth import CITIZEN_DEMO_PASSWORD
from sandbox.store.models import Citizen, Commune, Dossier
from tests.conftest import WORLD_NOW, username_for
from tests.web.test_api import assert_vi_error


def raw_json(client: FlaskClient, url: str, text: str, headers: dict[str, str] | None = None):
    return client.post(url, data=text.encode(), content_type="application/json", headers=headers or {})


def test_login_with_non_ascii_or_broken_text(client: FlaskClient, db: Session) -> None:
    cccd = db.scalars(select(Citizen.cccd)).first()
    assert_vi_error(client.post("/api/v1/session", json={"username": cccd, "password": "mật khẩu"}), 401)
    assert_vi_error(raw_json(client, "/api/v1/session", '{"username": "\\ud800", "password": "x"}'), 400)
    assert_vi_error(raw_json(client, "/api/v1/session", '{"username": "motcua", "password": "\\u0000"}'), 400)


def test_broken_text_never_reaches_the_database(client: FlaskClient, api_token: Callable, dossier_in: Callable) -> None:
    new = dossier_in(State.NEW)
    desk = api_token("motcua")
    url = f"/api/v1/dossiers/{new.code}/actions/refuse"
    assert_vi_error(raw_json(client, url, '{"reason": "\\ud800abcdef"}', desk), 400)
    body = {"procedure_code": "1.005442", "applicant_cccd": new.applicant_id_number,
            "documents": [{"code": "TP1", "file_name": "\udfff.pdf"}]}  # fmt: skip
    assert_vi_error(raw_json(client, "/api/v1/dossiers", json.dumps(body), desk), 400)
    assert client.get(f"/api/v1/dossiers/{new.code}?events=true", headers=desk).status_code == 200


@pytest.mark.parametrize("query", ["page=²", "status=¹", "per_page=٣", "page=99999999999999999999"])
def test_non_ascii_or_huge_numbers_in_queries(client: FlaskClient, api_token: Callable, query: str) -> None:
    assert_vi_error(client.get(f"/api/v1/dossiers?{query}", headers=api_token("motcua")), 422)


def test_unknown_sector_is_422(client: FlaskClient) -> None:
    for sector in ("xyz", "KHCNN"):
        assert_vi_error(client.get(f"/api/v1/procedures?sector={sector}"), 422)
    assert client.get("/api/v1/procedures?sector=nnmt").status_code == 200


@pytest.mark.parametrize("documents", [5, True, 1.5, {"TP1": 1}, [5], ["TP1" * 10]])
def test_supplement_documents_of_the_wrong_shape(client: FlaskClient, api_token: Callable, dossier_in: Callable,
                                                 documents: object) -> None:  # fmt: skip
    new = dossier_in(State.NEW)
    resp = client.post(f"/api/v1/dossiers/{new.code}/actions/request_supplement", headers=api_token("motcua"),
                       json={"documents": documents, "reason": "thiếu giấy tờ cần bổ sung"})  # fmt: skip
    assert_vi_error(resp, 422)


@pytest.mark.parametrize("assignee", ["1e20", "9223372036854775808", "Infinity", "-Infinity", "6.9", "true", '"abc"'])
def test_assignee_ids_that_are_not_ids(client: FlaskClient, api_token: Callable, dossier_in: Callable, db: Session,
                                       assignee: str) -> None:  # fmt: skip
    d = dossier_in(State.AWAITING_ASSIGNMENT)
    leader = api_token(username_for(db, Role.DEPT_LEADER, d.deciding_agency_id))
    resp = raw_json(client, f"/api/v1/dossiers/{d.code}/actions/assign", f'{{"assignee_id": {assignee}}}', leader)
    assert_vi_error(resp, 422)


def test_assignee_in_a_form_beyond_64_bits(client: FlaskClient, dossier_in: Callable, db: Session) -> None:
    from tests.conftest import csrf, sign_in

    d = dossier_in(State.AWAITING_ASSIGNMENT)
    sign_in(client, username_for(db, Role.DEPT_LEADER, d.deciding_agency_id))
    form = client.get(f"/motcua/ho-so/{d.code}/thao-tac/assign").get_data(as_text=True)
    resp = client.post(f"/motcua/ho-so/{d.code}/thao-tac/assign",
                       data={"csrf_token": csrf(form), "assignee_id": "99999999999999999999", "version": "²"})  # fmt: skip
    assert resp.status_code == 422 and "phải là số nguyên" in resp.get_data(as_text=True)


def test_a_wrong_code_to_reuse_a_result_from_is_said_next_to_the_field(client: FlaskClient, dossier_in: Callable,
                                                                       db: Session) -> None:  # fmt: skip
    from tests.conftest import csrf, sign_in

    d = dossier_in(State.AWAITING_APPROVAL)
    before = (d.state, d.version)
    sign_in(client, username_for(db, Role.DEPT_LEADER, d.deciding_agency_id))
    form = client.get(f"/motcua/ho-so/{d.code}/thao-tac/finish").get_data(as_text=True)
    resp = client.post(f"/motcua/ho-so/{d.code}/thao-tac/finish",
                       data={"csrf_token": csrf(form), "version": str(d.version), "reuse_result_of": "KHÔNG-CÓ-MÃ-NÀY"})  # fmt: skip
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "không có kết quả để đính kèm" in page and 'id="form"' in page
    db.expire_all()
    assert (db.get(Dossier, d.id).state, db.get(Dossier, d.id).version) == before


def test_commune_code_must_be_text(client: FlaskClient, api_token: Callable, db: Session) -> None:
    cccd = db.scalars(select(Citizen.cccd)).first()
    resp = client.post("/api/v1/dossiers", headers=api_token("motcua"), json={
        "procedure_code": "1.005442", "applicant_cccd": cccd, "commune_code": {"a": 1},
        "form_data": {"ly_do": "Bị mất"}, "documents": ["TP1"]})  # fmt: skip
    assert assert_vi_error(resp, 422).get("field") == "commune_code"


def test_apology_cannot_postpone_to_the_end_of_time(client: FlaskClient, api_token: Callable, db: Session) -> None:
    running = [State.RECEIVED, State.AWAITING_ASSIGNMENT, State.APPRAISING, State.AWAITING_APPROVAL]
    late = next(d for d in db.scalars(select(Dossier).where(Dossier.state.in_(running))).all()
                if d.due_at and d.due_at < WORLD_NOW)  # fmt: skip
    desk = api_token(username_for(db, Role.DESK, late.receiving_agency_id))
    for far in ("9999-12-31", "2900-01-04"):
        resp = client.post(f"/api/v1/dossiers/{late.code}/actions/apologise", headers=desk,
                           json={"reason": "Chờ ý kiến cơ quan liên quan", "new_due_date": far})  # fmt: skip
        assert "90 ngày" in assert_vi_error(resp, 409)["message"]
    assert_vi_error(client.post(f"/api/v1/dossiers/{late.code}/actions/apologise", headers=desk,
                                json={"reason": "Chờ ý kiến", "new_due_date": "2026-02-30"}), 422)  # fmt: skip


def test_counter_documents_are_checked(client: FlaskClient, api_token: Callable, db: Session) -> None:
    cccd = db.scalars(select(Citizen.cccd).join(Commune, Citizen.commune_code == Commune.code)
                      .where(Commune.province_code == "37")).first()  # fmt: skip
    desk = api_token("motcua")
    base = {"procedure_code": "1.990101", "applicant_cccd": cccd}
    for docs, code in (
        (["TP1", "TP1"], None),
        ([{"code": "TP1", "digitized": "false"}], None),
        ([], "documents_missing"),
    ):
        err = assert_vi_error(client.post("/api/v1/dossiers", headers=desk, json={**base, "documents": docs}), 422)
        assert err.get("field") == "documents"
        if code:
            assert err["code"] == code


def test_a_full_width_cccd_signs_in_as_the_same_citizen(client: FlaskClient, db: Session) -> None:
    citizen = db.scalars(select(Citizen)).first()
    wide = "".join(chr(ord("０") + int(c)) for c in citizen.cccd)
    resp = client.post("/api/v1/session", json={"username": wide, "password": CITIZEN_DEMO_PASSWORD})
    assert resp.status_code == 201 and resp.get_json()["actor"]["id"] == citizen.id


def _raises(message: str) -> Callable[..., None]:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    def run(*_args: object, **_kw: object) -> None:
        raise OperationalError("INSERT …", {}, sqlite3.OperationalError(message))

    return run


def test_a_database_busy_past_its_timeout_is_a_503_to_send_again(
    client: FlaskClient, api_token: Callable, dossier_in: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sandbox.web.api.views as api_views

    new = dossier_in(State.NEW)
    monkeypatch.setattr(api_views, "run_action", _raises("database is locked"))
    resp = client.post(f"/api/v1/dossiers/{new.code}/actions/accept", headers=api_token("motcua"), json={})
    body = assert_vi_error(resp, 503, "database_busy")
    assert "thử lại" in body["message"] and resp.headers["Retry-After"] == "5"
    monkeypatch.setattr(api_views, "run_action", _raises("no such table: dossiers"))  # not busy: a real fault
    resp = client.post(f"/api/v1/dossiers/{new.code}/actions/accept", headers=api_token("motcua"), json={})
    assert_vi_error(resp, 500, "internal_error")
