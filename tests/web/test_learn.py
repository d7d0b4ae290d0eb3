"""A trainee's path through the pages: join, start, act as the officer, use a hint, submit, read the ledger, retry."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.paths import SCENARIOS_DIR
from sandbox.store.models import Procedure, Workspace
from sandbox.training.scenarios import load_all
from sandbox.training.workshops import create_workshop
from tests.conftest import csrf


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
    after_reset = client.get("/motcua/ho-so/" + dossier_code).get_data(as_text=True)
    assert "Mới đăng ký, chờ tiếp nhận · phiên bản 1" in after_reset  # back at the start, version 1


def test_other_trainees_ledgers_are_not_visible(client: FlaskClient) -> None:
    page = client.get("/hoc-vien/tham-gia").get_data(as_text=True)
    client.post("/hoc-vien/tham-gia", data={"csrf_token": csrf(page), "kind": "tu-luyen", "name": "Lê Văn Tự Học"})
    assert client.get("/hoc-vien/lan-nop/999999").status_code == 404
    assert client.get("/hoc-vien/kich-ban/khong-co").status_code == 404


def test_walk_in_scenario_done_in_the_browser(client: FlaskClient, db: Session) -> None:
    page = client.get("/hoc-vien/tham-gia").get_data(as_text=True)
    client.post("/hoc-vien/tham-gia", data={"csrf_token": csrf(page), "kind": "tu-luyen", "name": "Phạm Thu Hà"})
    sid = "xaydung-tiep-nhan-so-hoa"
    page = client.get(f"/hoc-vien/kich-ban/{sid}").get_data(as_text=True)  # a fresh token: joining renews the session
    client.post(f"/hoc-vien/kich-ban/{sid}/bat-dau", data={"csrf_token": csrf(page)})
    task = client.get(f"/hoc-vien/kich-ban/{sid}").get_data(as_text=True)
    assert "Người đến nộp hồ sơ" in task
    ws = db.scalars(select(Workspace).where(Workspace.scenario_id == sid)).one()
    brief = ws.briefing["hs1"]
    strip = client.get("/motcua/").get_data(as_text=True)  # the task strip of every officer page names the walk-in
    assert f"<strong>Người đến nộp:</strong> {brief['applicant_name']}" in strip and brief["id_number"] in strip
    form = client.get(f"/motcua/tiep-nhan?thu_tuc={brief['procedure']}").get_data(as_text=True)
    assert "không nhập lại" in form
    base = {"csrf_token": csrf(form), "thu_tuc": brief["procedure"], "cccd": brief["id_number"],
            "commune_code": brief["matter_commune_code"]}  # where the house is built: the competent commune
    eform = {"ef_dia_diem_xay_dung": "Thửa 12, tờ bản đồ 5", "ef_dien_tich_xay_dung": "80", "ef_so_tang": "3"}
    short = client.post("/motcua/tiep-nhan", data={**base, "nop_TP1": "on", "so_hoa_TP1": "on"})
    assert short.status_code == 422 and "thiếu giấy tờ bắt buộc" in short.get_data(as_text=True)
    assert brief["id_number"] in short.get_data(as_text=True)
    papers = {f"{k}_{c}": "on" for c in brief["documents"] for k in ("nop", "so_hoa")}
    fields = db.scalars(select(Procedure).where(Procedure.code == brief["procedure"])).one().eform
    data = {**base, **papers, **{f"ef_{f['name']}": eform.get(f"ef_{f['name']}", "Nội dung") for f in fields}}
    done = client.post("/motcua/tiep-nhan", data=data)
    assert done.status_code == 303, done.get_data(as_text=True)[:400]
    dossier_page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Đã tiếp nhận hồ sơ" in dossier_page and brief["applicant_name"] in dossier_page
    code = done.headers["Location"].rsplit("/", 1)[1]
    client.post(f"/motcua/ho-so/{code}/thao-tac/forward", data={"csrf_token": csrf(dossier_page)})
    resp = client.post(f"/hoc-vien/kich-ban/{sid}/nop-bai", data={"csrf_token": csrf(dossier_page)})
    assert "100 % — Đạt" in client.get(resp.headers["Location"]).get_data(as_text=True)


def test_the_applicants_part_is_played_by_the_system_not_faked_by_the_desk(client: FlaskClient, db: Session) -> None:
    page = client.get("/hoc-vien/tham-gia").get_data(as_text=True)
    client.post("/hoc-vien/tham-gia", data={"csrf_token": csrf(page), "kind": "tu-luyen", "name": "Vũ Minh Khoa"})
    sid = "khcn-thu-phi-truc-tuyen"
    page = client.get(f"/hoc-vien/kich-ban/{sid}").get_data(as_text=True)
    client.post(f"/hoc-vien/kich-ban/{sid}/bat-dau", data={"csrf_token": csrf(page)})
    queue = client.get("/motcua/").get_data(as_text=True)
    code = re.search(r'/motcua/ho-so/([^"]+)"', queue).group(1)
    token = csrf(queue)
    assert client.post(f"/motcua/ho-so/{code}/thao-tac/request_fee", data={"csrf_token": token}).status_code == 303
    client.post(f"/hoc-vien/kich-ban/{sid}/vai-tro", data={"csrf_token": token, "role": "desk"})
    faked = client.post(f"/motcua/ho-so/{code}/thao-tac/confirm_payment",
                        data={"csrf_token": token, "method": "online"}, follow_redirects=True)  # fmt: skip
    assert "cán bộ một cửa chỉ ghi nhận khoản nộp tiền mặt" in faked.get_data(as_text=True)
    dossier_page = client.get(f"/motcua/ho-so/{code}").get_data(as_text=True)
    assert "Phản hồi của người nộp (mô phỏng)" in dossier_page
    paid = client.post(f"/hoc-vien/kich-ban/{sid}/nguoi-nop/{code}/confirm_payment", data={"csrf_token": token},
                       follow_redirects=True)  # fmt: skip
    assert "Người nộp đã thực hiện" in paid.get_data(as_text=True)
    client.post(f"/hoc-vien/kich-ban/{sid}/vai-tro", data={"csrf_token": token, "role": "specialist"})
    client.post(f"/motcua/ho-so/{code}/thao-tac/appraise", data={"csrf_token": token, "opinion": "Đủ điều kiện, phí đã nộp"})
    resp = client.post(f"/hoc-vien/kich-ban/{sid}/nop-bai", data={"csrf_token": token})
    assert "100 % — Đạt" in client.get(resp.headers["Location"]).get_data(as_text=True)
    refused = client.post(f"/hoc-vien/kich-ban/{sid}/nguoi-nop/{code}/withdraw", data={"csrf_token": token})
    assert refused.status_code == 403
