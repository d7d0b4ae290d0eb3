"""A trainee's path through the pages: join, start, act as the officer, use a hint, submit, read the ledger, retry."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from sandbox.paths import SCENARIOS_DIR
from sandbox.training.scenarios import load_all
from sandbox.training.workshops import create_workshop
from tests.web.test_pages import csrf


def test_trainee_joins_works_and_reads_an_explained_score(client: FlaskClient, db: Session) -> None:
    known = {s.id for s in load_all(SCENARIOS_DIR)}
    shop = create_workshop(db, name="Lớp thử", trainer="GV", scenario_ids=["khcn-tiep-nhan-truc-tuyen"], known=known,
                           seats=1)  # fmt: skip
    code = shop.trainees[0].join_code
    page = client.get("/hoc-vien/tham-gia").get_data(as_text=True)
    wrong = client.post("/hoc-vien/tham-gia", data={"csrf_token": csrf(page), "kind": "ma", "code": "SAI-MA00"})
    assert wrong.status_code == 422 and "Mã tham gia không đúng" in wrong.get_data(as_text=True)
    client.post("/hoc-vien/tham-gia", data={"csrf_token": csrf(page), "kind": "ma", "code": f"{code[:4]}-{code[4:]}"})
    home = client.get("/hoc-vien/").get_data(as_text=True)
    assert "Tiếp nhận hồ sơ khai báo thiết bị X-quang" in home and "Chưa bắt đầu" in home
    task = client.get("/hoc-vien/kich-ban/khcn-tiep-nhan-truc-tuyen").get_data(as_text=True)
    assert "Nhiệm vụ" in task and "<strong>cán bộ một cửa</strong>" in task
    resp = client.post("/hoc-vien/kich-ban/khcn-tiep-nhan-truc-tuyen/bat-dau", data={"csrf_token": csrf(task)})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/motcua/")
    queue = client.get("/motcua/").get_data(as_text=True)
    assert "Kịch bản:" in queue and "Vai: Cán bộ một cửa" in queue
    dossier_code = re.search(r'/motcua/ho-so/([^"]+)"', queue).group(1)
    page = client.get(f"/motcua/ho-so/{dossier_code}").get_data(as_text=True)
    for action in ("accept", "forward"):
        assert client.post(f"/motcua/ho-so/{dossier_code}/thao-tac/{action}",
                           data={"csrf_token": csrf(page)}).status_code == 303  # fmt: skip
    client.post("/hoc-vien/kich-ban/khcn-tiep-nhan-truc-tuyen/goi-y/0", data={"csrf_token": csrf(page)})
    resp = client.post("/hoc-vien/kich-ban/khcn-tiep-nhan-truc-tuyen/nop-bai", data={"csrf_token": csrf(page)})
    ledger = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "95 % — Đạt" in ledger and "Đã xem gợi ý" in ledger and dossier_code in ledger
    client.post("/hoc-vien/kich-ban/khcn-tiep-nhan-truc-tuyen/lam-lai", data={"csrf_token": csrf(page)})
    again = client.get("/hoc-vien/kich-ban/khcn-tiep-nhan-truc-tuyen").get_data(as_text=True)
    assert "Lần 1: 95 %" in again
    assert client.get("/motcua/ho-so/" + dossier_code).get_data(as_text=True).count("Mới đăng ký") >= 1


def test_other_trainees_ledgers_are_not_visible(client: FlaskClient) -> None:
    page = client.get("/hoc-vien/tham-gia").get_data(as_text=True)
    client.post("/hoc-vien/tham-gia", data={"csrf_token": csrf(page), "kind": "tu-luyen", "name": "Lê Văn Tự Học"})
    assert client.get("/hoc-vien/lan-nop/999999").status_code == 404
    assert client.get("/hoc-vien/kich-ban/khong-co").status_code == 404
