"""The citizen portal: mock VNeID sign-in, «Hồ sơ của tôi», following a dossier in the national status names."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sandbox.domain.vocabulary import Status
from sandbox.services.auth import CITIZEN_DEMO_PASSWORD
from sandbox.store.models import Citizen, Dossier
from tests.conftest import sign_in, vneid


def a_citizen_with_dossiers(db: Session) -> Citizen:
    citizen_id = db.scalar(select(Dossier.citizen_id).where(Dossier.citizen_id.is_not(None))
                           .group_by(Dossier.citizen_id).order_by(func.count().desc()).limit(1))  # fmt: skip
    return db.get(Citizen, citizen_id)


def test_the_login_page_offers_sample_citizens_and_the_mock_password(client: FlaskClient, db: Session) -> None:
    html = client.get("/dich-vu-cong/dang-nhap").get_data(as_text=True)
    assert "VNeID" in html and CITIZEN_DEMO_PASSWORD in html
    samples = re.findall(r">(\d{12})</button>", html)
    assert samples and all(db.scalar(select(func.count()).select_from(Dossier).join(Citizen, Dossier.citizen_id == Citizen.id)
                                     .where(Citizen.cccd == c)) for c in samples)  # fmt: skip


def test_a_citizen_sees_exactly_their_own_dossiers(client: FlaskClient, db: Session) -> None:
    citizen = a_citizen_with_dossiers(db)
    resp = vneid(client, citizen.cccd)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/dich-vu-cong/")
    html = client.get("/dich-vu-cong/").get_data(as_text=True)
    mine = db.scalars(select(Dossier).where(Dossier.citizen_id == citizen.id)).all()
    assert "Hồ sơ của tôi" in html and citizen.full_name in html
    assert sorted(re.findall(r"/dich-vu-cong/ho-so/([^\"]+)\"", html)) == sorted(d.code for d in mine)[:20]
    for d in mine:
        assert Status(d.status).label in html


def test_following_a_dossier_shows_steps_in_national_status_names_without_officer_names(
    client: FlaskClient, db: Session
) -> None:
    citizen = a_citizen_with_dossiers(db)
    dossier = db.scalars(select(Dossier).where(Dossier.citizen_id == citizen.id, Dossier.status == 10)).first() or \
        db.scalars(select(Dossier).where(Dossier.citizen_id == citizen.id)).first()  # fmt: skip
    vneid(client, citizen.cccd)
    html = client.get(f"/dich-vu-cong/ho-so/{dossier.code}").get_data(as_text=True)
    assert dossier.code in html and Status(dossier.status).label in html and "Tiến độ giải quyết" in html
    officers = {e.actor_name for e in dossier_events(db, dossier) if e.actor_kind == "officer"}
    assert officers and not any(name in html for name in officers)


def dossier_events(db: Session, dossier: Dossier) -> list:
    from sandbox.store.models import Event

    return list(db.scalars(select(Event).where(Event.dossier_id == dossier.id)))


def test_another_citizens_dossier_is_refused_in_vietnamese(client: FlaskClient, db: Session) -> None:
    citizen = a_citizen_with_dossiers(db)
    other = db.scalars(select(Dossier).where(Dossier.citizen_id.is_not(None), Dossier.citizen_id != citizen.id)).first()
    vneid(client, citizen.cccd)
    resp = client.get(f"/dich-vu-cong/ho-so/{other.code}")
    assert resp.status_code == 403 and "Hồ sơ này không phải của bạn." in resp.get_data(as_text=True)


@pytest.mark.parametrize(("cccd", "password", "message"), [
    ("001234567890", CITIZEN_DEMO_PASSWORD, "không đúng"),
    ("__real__", "sai-mat-khau", "Số định danh hoặc mật khẩu VNeID không đúng."),
    ("motcua", "demo2026", "dành cho công dân"),
    ("", "", "Vui lòng nhập"),
])  # fmt: skip
def test_a_failed_vneid_sign_in_says_why_and_keeps_what_was_typed(client: FlaskClient, db: Session, cccd: str,
                                                                   password: str, message: str) -> None:  # fmt: skip
    if cccd == "__real__":
        cccd = a_citizen_with_dossiers(db).cccd
    resp = vneid(client, cccd, password)
    html = resp.get_data(as_text=True)
    assert 400 <= resp.status_code < 500 and message in html and f'value="{cccd}"' in html
    assert client.get("/dich-vu-cong/").status_code == 302  # still signed out


def test_citizens_and_officers_each_land_in_their_own_place(client: FlaskClient, db: Session) -> None:
    citizen = a_citizen_with_dossiers(db)
    assert client.get("/dich-vu-cong/").headers["Location"].startswith("/dich-vu-cong/dang-nhap")
    assert sign_in(client, citizen.cccd, CITIZEN_DEMO_PASSWORD).endswith("/dich-vu-cong/")  # via the officers' page
    assert client.get("/motcua/").headers["Location"].endswith("/dich-vu-cong/")
    sign_in(client, "motcua")
    assert client.get("/dich-vu-cong/").headers["Location"].startswith("/dich-vu-cong/dang-nhap")


def test_the_catalogue_is_public_and_searches_whatever_the_case(client: FlaskClient, db: Session) -> None:
    from sandbox.store.models import Procedure

    everything = client.get("/dich-vu-cong/thu-tuc").get_data(as_text=True)
    total = db.scalar(select(func.count()).select_from(Procedure))
    assert f"{total} thủ tục" in everything
    name = db.scalar(select(Procedure.name).where(Procedure.code == "2.002131"))
    for typed in (name, name.lower(), name.upper()):
        html = client.get("/dich-vu-cong/thu-tuc", query_string={"q": typed}).get_data(as_text=True)
        assert "2.002131" in html and "thủ tục khớp" in html
    khcn = client.get("/dich-vu-cong/thu-tuc?linh_vuc=khcn&cap=province").get_data(as_text=True)
    codes = set(re.findall(r"<code>(\d\.\d{6})</code>", khcn))
    assert codes == set(db.scalars(select(Procedure.code).where(Procedure.sector_id == "khcn",
                                                                Procedure.level == "province")))  # fmt: skip


@pytest.mark.parametrize("query", ["linh_vuc=yte", "cap=huyen", "q=" + "x" * 101])
def test_the_catalogue_refuses_bad_filters_in_vietnamese(client: FlaskClient, query: str) -> None:
    resp = client.get(f"/dich-vu-cong/thu-tuc?{query}")
    assert 400 <= resp.status_code < 500 and any(w in resp.get_data(as_text=True) for w in ("không tồn tại", "chỉ là",
                                                                                         "tối đa 100 ký tự"))  # fmt: skip
