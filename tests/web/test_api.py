"""The JSON API: a walk through the slice, and every kind of bad input gets a 4xx with a Vietnamese message."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.domain.vocabulary import Role, State
from sandbox.services.auth import CITIZEN_DEMO_PASSWORD
from sandbox.store.models import Citizen, Commune, Officer
from tests.conftest import username_for

VIETNAMESE = set("ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def assert_vi_error(resp, status: int, code: str | None = None) -> dict:
    assert resp.status_code == status, resp.get_data(as_text=True)
    body = resp.get_json()
    assert set(body) >= {"code", "message"}
    assert VIETNAMESE & set(body["message"].lower()), body["message"]
    if code:
        assert body["code"] == code
    return body


def test_healthz(client: FlaskClient) -> None:
    assert client.get("/healthz").get_json()["status"] == "ok"
    live = client.get("/healthz/live")  # the bare endpoint of load reports: no database, no session cookie
    assert live.status_code == 200 and live.get_data(as_text=True) == "ok" and "Set-Cookie" not in live.headers


def test_session_gives_a_token_and_rejects_bad_credentials(client: FlaskClient) -> None:
    ok = client.post("/api/v1/session", json={"username": "motcua", "password": "demo2026"})
    assert ok.status_code == 201 and ok.get_json()["actor"]["role_name"] == "Cán bộ một cửa"
    assert_vi_error(client.post("/api/v1/session", json={"username": "motcua", "password": "sai"}), 401)
    assert_vi_error(client.post("/api/v1/session", json={"username": "motcua"}), 422, "missing_field")
    assert_vi_error(client.post("/api/v1/session", data="{bad", content_type="application/json"), 400, "malformed_json")
    assert_vi_error(client.post("/api/v1/session", data="u=1", content_type="application/x-www-form-urlencoded"), 400)
    assert_vi_error(client.post("/api/v1/session", json=[1, 2]), 400, "malformed_json")


def test_requests_without_or_with_a_forged_token_are_401(client: FlaskClient) -> None:
    assert_vi_error(client.get("/api/v1/dossiers"), 401)
    assert_vi_error(client.get("/api/v1/dossiers", headers={"Authorization": "Bearer abc.def"}), 401, "token_invalid")


def test_a_token_read_before_still_expires_and_a_tampered_one_is_refused(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sandbox.web.auth as web_auth

    token = client.post("/api/v1/session", json={"username": "motcua", "password": "demo2026"}).get_json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/dossiers", headers=auth).status_code == 200  # verified, and remembered
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert_vi_error(client.get("/api/v1/dossiers", headers={"Authorization": f"Bearer {forged}"}), 401, "token_invalid")
    secret = client.application.config["SECRET_KEY"]
    client.application.config["SECRET_KEY"] = secret + "-new"  # a new secret: the remembered token is not kept
    assert_vi_error(client.get("/api/v1/dossiers", headers=auth), 401, "token_invalid")
    client.application.config["SECRET_KEY"] = secret
    assert client.get("/api/v1/dossiers", headers=auth).status_code == 200
    later = web_auth.time.time() + 12 * 3600 + 5  # past the token's lifetime (token_ttl_seconds)
    monkeypatch.setattr(web_auth.time, "time", lambda: later)
    assert_vi_error(client.get("/api/v1/dossiers", headers=auth), 401, "token_expired")


def test_procedures_catalogue(client: FlaskClient) -> None:
    body = client.get("/api/v1/procedures?sector=khcn").get_json()
    assert body["total"] >= 10 and all(p["sector"] == "khcn" for p in body["items"])
    assert body["items"][0]["documents"]
    assert_vi_error(client.get("/api/v1/procedures?level=huyen"), 422)


def test_openapi_document_lists_every_endpoint(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {"/api/v1/session", "/api/v1/procedures", "/api/v1/dossiers", "/api/v1/dossiers/{code}",
                                 "/api/v1/dossiers/{code}/actions/{action}", "/api/v1/statistics"}  # fmt: skip
    actions = doc["paths"]["/api/v1/dossiers/{code}/actions/{action}"]["post"]["parameters"][1]["schema"]["enum"]
    assert "accept" in actions and "return_result" in actions


def test_citizen_submits_online_and_the_desk_walks_it_to_the_result(client: FlaskClient, api_token: Callable,
                                                                   db: Session) -> None:  # fmt: skip
    citizen = db.scalars(select(Citizen).join(Commune, Citizen.commune_code == Commune.code)
                         .where(Commune.province_code == "37")).first()  # fmt: skip
    me = api_token(citizen.cccd, CITIZEN_DEMO_PASSWORD)
    form = {"ten_co_so": "Phòng khám Đa khoa An Bình", "dia_diem_dat_thiet_bi": "Tầng 1", "so_luong_thiet_bi": 2,
            "loai_thiet_bi": "X-quang răng"}  # fmt: skip
    resp = client.post("/api/v1/dossiers", json={"procedure_code": "2.002131", "form_data": form, "documents": ["TP1"]},
                       headers=me)  # fmt: skip
    assert resp.status_code == 201, resp.get_json()
    created = resp.get_json()
    code = created["code"]
    assert created["status"] == 1 and created["status_name"] == "Mới đăng ký"
    assert [a["action"] for a in created["allowed_actions"]] == ["withdraw"]

    def fire(user: str, action: str, **body) -> dict:
        r = client.post(f"/api/v1/dossiers/{code}/actions/{action}", json=body, headers=api_token(user))
        assert r.status_code == 200, r.get_json()
        return r.get_json()

    desk = api_token("motcua")
    detail = client.get(f"/api/v1/dossiers/{code}", headers=desk).get_json()
    assert {"accept", "refuse", "request_supplement"} <= {a["action"] for a in detail["allowed_actions"]}
    fire("motcua", "accept", version=1)
    fire("motcua", "forward")
    agency = db.scalars(select(Officer.agency_id).where(Officer.username == "chuyenvien.khcn")).one()
    specialist = db.scalars(select(Officer.id).where(Officer.username == "chuyenvien.khcn")).one()
    leader = username_for(db, Role.DEPT_LEADER, agency)
    assign = next(a for a in client.get(f"/api/v1/dossiers/{code}", headers=api_token(leader)).get_json()["allowed_actions"]
                  if a["action"] == "assign")  # fmt: skip
    assert specialist in [c["value"] for c in assign["inputs"][0]["choices"]]  # the API offers whom to assign
    fire(leader, "assign", assignee_id=specialist)
    fire("chuyenvien.khcn", "appraise", opinion="Hồ sơ đầy đủ, hợp lệ")
    fire("ldphong.khcn", "approve")
    fire("lddonvi.khcn", "sign")
    fire("vanthu.khcn", "issue")
    final = fire("motcua", "return_result")
    assert final["status"] == 10 and final["result_signed"] and final["result_number"]
    history = client.get(f"/api/v1/dossiers/{code}?events=true", headers=me).get_json()["events"]
    assert [e["action"] for e in history][:3] == ["submit_online", "accept", "forward"]


def test_desk_receives_a_counter_dossier(client: FlaskClient, api_token: Callable, db: Session) -> None:
    cccd = db.scalars(select(Citizen.cccd)).first()
    resp = client.post("/api/v1/dossiers", headers=api_token("motcua"), json={
        "procedure_code": "1.005442", "applicant_cccd": cccd, "commune_code": db.scalars(
            select(Commune.code).where(Commune.province_code == "37")).first(),
        "form_data": {"ly_do": "Bị mất"}, "documents": [{"code": "TP1", "digitized": True}]})  # fmt: skip
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["status"] == 2 and resp.get_json()["due_at"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 422, "procedure_code"),
        ({"procedure_code": "1.2.3"}, 422, "procedure_code"),
        ({"procedure_code": "9.999999", "applicant_cccd": "037199000001"}, 404, None),
        ({"procedure_code": "1.005442"}, 422, "applicant_cccd"),
        ({"procedure_code": "1.005442", "applicant_cccd": "12ab"}, 422, "applicant_cccd"),
        ({"procedure_code": "1.005442", "applicant_cccd": None, "documents": "TP1"}, 422, None),
    ],
)
def test_bad_dossier_creation_is_4xx(client: FlaskClient, api_token: Callable, body: dict, status: int,
                                     field: str | None) -> None:  # fmt: skip
    resp = client.post("/api/v1/dossiers", json=body, headers=api_token("motcua"))
    err = assert_vi_error(resp, status)
    if field:
        assert err.get("field") == field


def test_wrong_role_unknown_code_unknown_action_stale_version(client: FlaskClient, api_token: Callable,
                                                             dossier_in: Callable) -> None:  # fmt: skip
    new = dossier_in(State.NEW)
    url, seen_version = f"/api/v1/dossiers/{new.code}/actions", new.version
    specialist = api_token("chuyenvien.khcn")
    assert_vi_error(client.post(f"{url}/accept", json={}, headers=specialist), 403)
    assert_vi_error(client.get("/api/v1/dossiers/KHONG-CO", headers=specialist), 404, "not_found")
    assert_vi_error(client.post(f"{url}/fly", json={}, headers=api_token("motcua")), 422, "unknown_action")
    assert_vi_error(client.post(f"{url}/refuse", json={"reason": ""}, headers=api_token("motcua")), 422, "missing_field")
    assert_vi_error(client.post(f"{url}/return_result", json={}, headers=api_token("motcua")), 409, "action_not_allowed_in_state")
    assert client.post(f"{url}/accept", json={"version": seen_version}, headers=api_token("motcua")).status_code == 200
    assert_vi_error(client.post(f"{url}/withdraw", json={"version": seen_version, "reason": "Không còn nhu cầu"},
                                headers=api_token("motcua")), 409, "stale_version")  # fmt: skip
    assert_vi_error(client.post(f"{url}/forward", json={"version": "một"}, headers=api_token("motcua")), 422)


def test_list_filters_and_paging(client: FlaskClient, api_token: Callable) -> None:
    desk = api_token("motcua")
    page = client.get("/api/v1/dossiers?per_page=5&page=2", headers=desk).get_json()
    assert page["page"] == 2 and len(page["items"]) <= 5 and page["total"] > 5
    only_new = client.get("/api/v1/dossiers?status=1", headers=desk).get_json()
    assert only_new["items"] and all(d["status"] == 1 for d in only_new["items"])
    late = client.get("/api/v1/dossiers?overdue=true", headers=desk).get_json()
    assert all(d["due_at"] for d in late["items"])
    for bad in ("status=11", "page=0", "per_page=500", "overdue=perhaps", "state=flying"):
        assert_vi_error(client.get(f"/api/v1/dossiers?{bad}", headers=desk), 422)


def test_citizens_see_only_their_own_dossiers(client: FlaskClient, api_token: Callable, dossier_in: Callable,
                                              db: Session) -> None:  # fmt: skip
    theirs = dossier_in(State.NEW)
    someone_else = db.scalars(select(Citizen).where(Citizen.id != theirs.citizen_id)).first()
    headers = api_token(someone_else.cccd, CITIZEN_DEMO_PASSWORD)
    assert_vi_error(client.get(f"/api/v1/dossiers/{theirs.code}", headers=headers), 403)
    listed = client.get("/api/v1/dossiers", headers=headers).get_json()
    assert all(d["code"] != theirs.code for d in listed["items"])
