"""The unit administrator's console: units, officer accounts and roles, fee accounts, internal processes."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.domain.vocabulary import Role, State
from sandbox.services import intake
from sandbox.services.eforms import example_form_data
from sandbox.store.models import Agency, Dossier, Event, FeeAccount, Officer, Procedure, ProcessDefinition
from tests.conftest import csrf, sign_in, vneid
from tests.service.test_use_cases import a_citizen

PROCEDURE = "2.002131"  # decided by the provincial Sở KH&CN, deadline in the catalogue


def admin(client: FlaskClient) -> str:
    sign_in(client, "quantri")
    return client.get("/quan-tri/").get_data(as_text=True)


def khcn(db: Session) -> Agency:
    return db.scalars(select(Agency).join(Officer, Officer.agency_id == Agency.id)
                      .where(Officer.username == "chuyenvien.khcn")).one()  # fmt: skip


def test_only_the_unit_administrator_enters_and_sees_the_units_of_the_province(client: FlaskClient, db: Session) -> None:
    sign_in(client, "motcua")
    assert client.get("/quan-tri/").status_code == 403
    other = client.application.test_client()
    html = admin(other)
    assert "Danh mục đơn vị trong tỉnh" in html and khcn(db).name in html
    foreign = db.scalars(select(Agency).where(Agency.province_code != khcn(db).province_code)).first()
    assert other.get(f"/quan-tri/don-vi/{foreign.id}/can-bo").status_code == 404
    assert "Quản trị" in html  # the console is in the administrator's menu


def test_an_officer_account_is_created_its_role_changed_and_locked_out(client: FlaskClient, db: Session) -> None:
    admin(client)
    agency = khcn(db)
    url = f"/quan-tri/don-vi/{agency.id}/can-bo"
    page = client.get(url).get_data(as_text=True)
    bad = client.post(url, data={"csrf_token": csrf(page), "thao_tac": "tao", "username": "Cán bộ mới",
                                 "full_name": "Nguyễn Văn Mới", "role": "specialist", "password": "matkhau2026"})  # fmt: skip
    assert bad.status_code == 422 and "Tên đăng nhập 3–64 ký tự" in bad.get_data(as_text=True)
    assert "Nguyễn Văn Mới" in bad.get_data(as_text=True)  # what was typed stays
    taken = client.post(url, data={"csrf_token": csrf(page), "thao_tac": "tao", "username": "motcua",
                                   "full_name": "Trùng Tên", "role": "specialist", "password": "matkhau2026"})  # fmt: skip
    assert taken.status_code == 409 and "đã có người dùng" in taken.get_data(as_text=True)
    ok = client.post(url, data={"csrf_token": csrf(page), "thao_tac": "tao", "username": "chuyenvien.moi",
                                "full_name": "Nguyễn Văn Mới", "role": "specialist", "password": "matkhau2026"})  # fmt: skip
    assert ok.status_code == 303
    new = db.scalars(select(Officer).where(Officer.username == "chuyenvien.moi")).one()
    assert new.role is Role.SPECIALIST and new.agency_id == agency.id and new.active
    newcomer = client.application.test_client()
    assert sign_in(newcomer, "chuyenvien.moi", "matkhau2026").endswith("/motcua/")
    # role change, then lock: the locked officer is turned away at once, and cannot sign in again
    client.post(url, data={"csrf_token": csrf(page), "officer_id": str(new.id), "thao_tac": "doi_vai_tro",
                           "role": "dept_leader"})  # fmt: skip
    db.refresh(new)
    assert new.role is Role.DEPT_LEADER
    client.post(url, data={"csrf_token": csrf(page), "officer_id": str(new.id), "thao_tac": "khoa"})
    db.refresh(new)
    assert not new.active
    assert newcomer.get("/motcua/").status_code in (302, 401)
    again = newcomer.post("/dang-nhap", data={"username": "chuyenvien.moi", "password": "matkhau2026",
                                              "csrf_token": csrf(newcomer.get("/dang-nhap").get_data(as_text=True))})  # fmt: skip
    assert again.status_code == 401 and "đã bị khóa" in again.get_data(as_text=True)
    changes = [e.payload["params"] for e in db.scalars(select(Event).where(Event.action == "manage_officer"))]
    assert [c["change"] for c in changes] == ["create", "update", "update"]
    assert changes[1]["role"] == ["specialist", "dept_leader"] and changes[2]["active"] == [True, False]
    log = client.get("/quan-tri/").get_data(as_text=True)
    assert "Quản lý tài khoản cán bộ" in log and "chuyenvien.moi" in log
    me = db.scalars(select(Officer).where(Officer.username == "quantri")).one()
    own = client.post(f"/quan-tri/don-vi/{me.agency_id}/can-bo", data={"csrf_token": csrf(page), "officer_id": str(me.id),
                                                                      "thao_tac": "khoa"})  # fmt: skip
    assert own.status_code == 303 and "chính mình" in client.get(own.headers["Location"]).get_data(as_text=True)


def test_a_fee_account_becomes_the_beneficiary_on_the_payment_page(client: FlaskClient, db: Session, dossier_in) -> None:
    admin(client)
    dossier = dossier_in(State.FINANCIAL_OBLIGATION)
    url = f"/quan-tri/don-vi/{dossier.deciding_agency_id}/tai-khoan-thu"
    page = client.get(url).get_data(as_text=True)
    bad = client.post(url, data={"csrf_token": csrf(page), "bank_name": "Vietcombank", "account_number": "12ab",
                                 "account_name": "Sở KH&CN"})  # fmt: skip
    assert bad.status_code == 422 and "6 đến 20 chữ số" in bad.get_data(as_text=True)
    for number in ("0011001234567", "0021009876543"):
        assert client.post(url, data={"csrf_token": csrf(page), "bank_name": "Vietcombank", "account_number": number,
                                      "account_name": "Thu phí Sở"}).status_code == 303  # fmt: skip
    accounts = db.scalars(select(FeeAccount).where(FeeAccount.agency_id == dossier.deciding_agency_id)).all()
    assert [a.active for a in accounts] == [False, True]
    citizen = client.application.test_client()
    vneid(citizen, dossier.citizen.cccd)
    assert "0021009876543 tại Vietcombank" in citizen.get(f"/dich-vu-cong/ho-so/{dossier.code}/thanh-toan").get_data(as_text=True)


def test_a_process_must_add_up_to_the_deadline_and_applies_to_new_dossiers_only(
    client: FlaskClient, db: Session, ctx_for
) -> None:
    admin(client)
    agency = khcn(db)
    procedure = db.scalars(select(Procedure).where(Procedure.code == PROCEDURE)).one()
    listing = client.get(f"/quan-tri/don-vi/{agency.id}/quy-trinh").get_data(as_text=True)
    assert PROCEDURE in listing and "Mặc định" in listing
    url = f"/quan-tri/don-vi/{agency.id}/quy-trinh/{PROCEDURE}"
    page = client.get(url).get_data(as_text=True)
    defaults = re.findall(r'name="buoc_(\d+)_days" value="([^"]*)"', page)
    assert sum(float(v.replace(",", ".")) for _, v in defaults if v) == procedure.deadline_days
    before = intake.receive_at_counter(ctx_for("motcua"), PROCEDURE, applicant_cccd=a_citizen(db).cccd,
                                       documents=[d.code for d in procedure.documents if d.required],
                                       form_data=example_form_data(procedure.eform))  # fmt: skip
    assert before.process_id is None
    steps = {"buoc_1_name": "Tiếp nhận", "buoc_1_role": "desk", "buoc_1_days": "0",
             "buoc_2_name": "Thẩm định", "buoc_2_role": "specialist", "buoc_2_days": str(procedure.deadline_days),
             "buoc_3_name": "Ký số", "buoc_3_role": "unit_leader", "buoc_3_days": "0,5"}  # fmt: skip
    over = client.post(url, data={"csrf_token": csrf(page), **steps})
    assert over.status_code == 422 and "phải bằng thời hạn giải quyết" in over.get_data(as_text=True)
    assert 'value="Thẩm định"' in over.get_data(as_text=True)  # the steps typed are kept
    steps["buoc_2_days"] = str(procedure.deadline_days - 0.5).replace(".", ",").removesuffix(",0")
    assert client.post(url, data={"csrf_token": csrf(page), **steps}).status_code == 303
    definition = db.scalars(select(ProcessDefinition).where(ProcessDefinition.agency_id == agency.id)).one()
    assert definition.version == 1 and [s["role"] for s in definition.steps] == ["desk", "specialist", "unit_leader"]
    after = intake.receive_at_counter(ctx_for("motcua"), PROCEDURE, applicant_cccd=a_citizen(db).cccd,
                                      documents=[d.code for d in procedure.documents if d.required],
                                      form_data=example_form_data(procedure.eform))  # fmt: skip
    db.refresh(before)
    assert after.process_id == definition.id and before.process_id is None
    sign_in(client, "motcua")
    shown = client.get(f"/motcua/ho-so/{after.code}").get_data(as_text=True)
    assert "Phiên bản 1 của" in shown and "Ký số" in shown
    event = db.scalars(select(Event).where(Event.action == "configure_process")).one()
    assert event.dossier_id is None and event.payload["params"]["procedure"] == PROCEDURE
    assert db.scalars(select(Dossier).where(Dossier.id == before.id)).one().process_id is None


def test_a_role_change_applies_on_the_next_request_not_the_next_sign_in(client: FlaskClient, db: Session) -> None:
    admin(client)
    home = db.scalars(select(Officer).where(Officer.username == "quantri")).one()
    url = f"/quan-tri/don-vi/{home.agency_id}/can-bo"
    page = client.get(url).get_data(as_text=True)
    client.post(url, data={"csrf_token": csrf(page), "thao_tac": "tao", "username": "quantri.hai",
                           "full_name": "Quản Trị Hai", "role": "admin", "password": "matkhau2026"})  # fmt: skip
    second = client.application.test_client()
    sign_in(second, "quantri.hai", "matkhau2026")
    assert second.get("/quan-tri/").status_code == 200
    other = db.scalars(select(Officer).where(Officer.username == "quantri.hai")).one()
    client.post(url, data={"csrf_token": csrf(page), "officer_id": str(other.id), "thao_tac": "doi_vai_tro", "role": "desk"})
    assert second.get("/quan-tri/").status_code == 403  # demoted: out of the console at once
    assert second.get("/motcua/").status_code == 200  # and working as a desk officer


def test_shared_demo_and_trainer_accounts_are_not_locked_and_odd_ids_are_4xx(client: FlaskClient, db: Session) -> None:
    admin(client)
    for username in ("motcua", "giangvien"):
        target = db.scalars(select(Officer).where(Officer.username == username)).first()
        if target is None:
            continue
        url = f"/quan-tri/don-vi/{target.agency_id}/can-bo"
        page = client.get(url).get_data(as_text=True)
        resp = client.post(url, data={"csrf_token": csrf(page), "officer_id": str(target.id), "thao_tac": "khoa"})
        assert "tài khoản mẫu dùng chung" in client.get(resp.headers["Location"]).get_data(as_text=True)
        db.refresh(target)
        assert target.active
    for odd in ("²", "-1", "99999999999999", "abc"):
        resp = client.post(url, data={"csrf_token": csrf(page), "officer_id": odd, "thao_tac": "khoa"})
        assert 300 <= resp.status_code < 500, odd


def test_an_officer_with_open_dossiers_is_not_locked_until_they_are_reassigned(
    client: FlaskClient, db: Session, dossier_in, ctx_for
) -> None:
    from sandbox.domain.vocabulary import Action
    from sandbox.services import administration
    from sandbox.services.actions import run_action
    from tests.conftest import username_for

    dossier = dossier_in(State.AWAITING_ASSIGNMENT)
    holder = administration.create_officer(ctx_for("quantri"), dossier.deciding_agency_id, username="chuyenvien.tam",
                                           full_name="Lê Văn Tâm", role="specialist", password="matkhau2026")  # fmt: skip
    leader = username_for(db, Role.DEPT_LEADER, dossier.deciding_agency_id)
    run_action(ctx_for(leader), dossier.code, Action.ASSIGN, {"assignee_id": holder.id})
    admin(client)
    url = f"/quan-tri/don-vi/{holder.agency_id}/can-bo"
    page = client.get(url).get_data(as_text=True)
    resp = client.post(url, data={"csrf_token": csrf(page), "officer_id": str(holder.id), "thao_tac": "khoa"})
    assert "cần phân công lại" in client.get(resp.headers["Location"]).get_data(as_text=True)
    db.refresh(holder)
    assert holder.active


def test_a_fee_order_keeps_the_account_it_was_opened_with(client: FlaskClient, db: Session, ctx_for) -> None:
    from sandbox.services import administration, results

    dossier = db.scalars(select(Dossier).join(Procedure).join(Officer, Officer.id == Dossier.assignee_id)
                         .where(Dossier.state == State.APPRAISING, Dossier.fee_paid.is_(False), Procedure.fee > 0,
                                Procedure.payment_required.is_(True), Dossier.citizen_id.is_not(None))
                         .order_by(Dossier.id)).first()  # fmt: skip
    assert dossier is not None, "the tiny world has a dossier with a fee to request"
    admin_ctx = ctx_for("quantri")
    if db.get(Agency, dossier.deciding_agency_id).province_code != db.get(Agency, admin_ctx.actor.agency_id).province_code:
        admin_ctx = ctx_for(db.scalars(select(Officer.username).join(Agency).where(
            Officer.role == Role.ADMIN, Agency.province_code == dossier.deciding_agency.province_code)).first())  # fmt: skip
    administration.add_fee_account(admin_ctx, dossier.deciding_agency_id, bank_name="BIDV", account_number="1111111111",
                                   account_name="Tài khoản A")  # fmt: skip
    results.request_fee(ctx_for(db.get(Officer, dossier.assignee_id).username), dossier.code)
    administration.add_fee_account(admin_ctx, dossier.deciding_agency_id, bank_name="Agribank",
                                   account_number="2222222222", account_name="Tài khoản B")  # fmt: skip
    citizen = client.application.test_client()
    vneid(citizen, dossier.citizen.cccd)
    page = citizen.get(f"/dich-vu-cong/ho-so/{dossier.code}/thanh-toan").get_data(as_text=True)
    assert "1111111111 tại BIDV" in page and "2222222222" not in page
