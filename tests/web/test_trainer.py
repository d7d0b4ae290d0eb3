"""The trainer's console through the pages: create a class, see the grid, move the class clock, export."""

from __future__ import annotations

import csv
import io
import re

from flask.testing import FlaskClient

from tests.conftest import csrf, sign_in


def test_trainer_creates_a_class_and_follows_it(client: FlaskClient, db) -> None:
    assert sign_in(client, "giangvien").endswith("/giang-vien/")
    page = client.get("/giang-vien/").get_data(as_text=True)
    assert "Tạo lớp mới" in page and "Tiếp nhận hồ sơ khai báo thiết bị X-quang" in page
    bad = client.post("/giang-vien/lop-hoc", data={"csrf_token": csrf(page), "name": "Lớp A", "seats": "2"})
    assert bad.status_code == 422 and "Chọn ít nhất một kịch bản" in bad.get_data(as_text=True)
    assert 'value="Lớp A"' in bad.get_data(as_text=True)
    bad_csv = client.post("/giang-vien/lop-hoc", data={
        "csrf_token": csrf(page), "name": "Lớp A", "scenario_ids": ["khcn-tiep-nhan-truc-tuyen"],
        "trainees_csv": "Họ tên,Email\nAn,an@\n"})  # fmt: skip
    assert bad_csv.status_code == 422 and "Dòng 2" in bad_csv.get_data(as_text=True)
    resp = client.post("/giang-vien/lop-hoc", data={
        "csrf_token": csrf(page), "name": "Tập huấn cấp xã đợt 1",
        "scenario_ids": ["khcn-tiep-nhan-truc-tuyen", "noivu-tu-choi-tiep-nhan"],
        "trainees_csv": "Họ tên,Email\nNguyễn Văn An,an@example.vn\n", "seats": "2"})  # fmt: skip
    assert resp.status_code == 302
    grid = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Nguyễn Văn An" in grid and "Học viên 003" in grid and grid.count("Chưa bắt đầu") == 6
    code = re.search(r"/giang-vien/lop-hoc/([A-Z0-9]+)/phieu", grid).group(1)
    slips = client.get(f"/giang-vien/lop-hoc/{code}/phieu").get_data(as_text=True)
    assert slips.count('class="slip"') == 3 and "hoc-vien/tham-gia" in slips
    from sqlalchemy import select

    from sandbox.store.models import Trainee, Workshop
    from sandbox.training.workshops import start_scenario
    from sandbox.training.workspaces import WorldIndex
    from sandbox.web.training_state import scenarios

    shop = db.scalars(select(Workshop).where(Workshop.code == code)).one()
    trainee = db.scalars(select(Trainee).where(Trainee.workshop_id == shop.id)).first()
    ws = start_scenario(db, trainee, client.application.extensions["sandbox.scenarios"]["khcn-tiep-nhan-truc-tuyen"],
                        WorldIndex.load(db))  # fmt: skip
    before = ws.clock_virtual
    moved = client.post(f"/giang-vien/lop-hoc/{code}/dong-ho", data={"csrf_token": csrf(grid), "days": "2"},
                        follow_redirects=True)  # fmt: skip
    assert "Đã chuyển đồng hồ cả lớp thêm 2 ngày làm việc (1 không gian làm việc" in moved.get_data(as_text=True)
    db.refresh(ws)
    assert ws.clock_virtual > before and scenarios  # moved by two working days
    export = client.get(f"/giang-vien/lop-hoc/{code}/ket-qua.csv")
    assert export.mimetype == "text/csv" and "attachment" in export.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Họ tên" and len(rows) == 1 + 3 * 2


def test_only_trainers_use_the_console(client: FlaskClient) -> None:
    sign_in(client, "motcua")
    resp = client.get("/giang-vien/")
    assert resp.status_code == 403 and "Chỉ tài khoản giảng viên" in resp.get_data(as_text=True)
    assert client.get("/giang-vien/lop-hoc/KHONGCO").status_code == 403


def test_a_trainer_sees_only_their_own_classes(client: FlaskClient, db) -> None:
    from sqlalchemy import select

    from sandbox.domain.vocabulary import Role
    from sandbox.store.models import Officer

    mine = db.scalars(select(Officer).where(Officer.username == "giangvien")).one()
    db.add(Officer(username="giangvien.khac", password_hash=mine.password_hash, full_name="Giảng Viên Khác",
                   role=Role.TRAINER, agency_id=mine.agency_id, title="Giảng viên", is_demo=False))  # fmt: skip
    db.commit()
    sign_in(client, "giangvien")
    page = client.get("/giang-vien/").get_data(as_text=True)
    created = client.post("/giang-vien/lop-hoc", data={"csrf_token": csrf(page), "name": "Lớp riêng",
                          "scenario_ids": ["khcn-tiep-nhan-truc-tuyen"], "seats": "1"})  # fmt: skip
    url = created.headers["Location"]
    client.post("/dang-xuat", data={"csrf_token": csrf(page)})
    sign_in(client, "giangvien.khac")
    assert "Lớp riêng" not in client.get("/giang-vien/").get_data(as_text=True)
    assert client.get(url).status_code == 404
