"""Workshops: seats and join codes, the live progress grid, the class clock, the CSV export."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy.orm import Session

from sandbox.domain.errors import InvalidInput, NotFound
from sandbox.domain.vocabulary import Role
from sandbox.paths import SCENARIOS_DIR
from sandbox.services import intake
from sandbox.store.models import Workspace
from sandbox.training.attempts import submit_attempt
from sandbox.training.runner import dossier_code, trainee_context
from sandbox.training.scenarios import load_all
from sandbox.training.workshops import (
    advance_class_clock,
    create_workshop,
    export_csv,
    parse_trainee_csv,
    progress,
    self_paced_trainee,
    start_scenario,
    trainee_by_code,
)
from sandbox.training.workspaces import WorldIndex

SCENARIOS = {s.id: s for s in load_all(SCENARIOS_DIR)}
TWO = ["khcn-tiep-nhan-truc-tuyen", "noivu-tu-choi-tiep-nhan"]


def test_csv_of_trainees_with_errors_by_line() -> None:
    rows = parse_trainee_csv("\ufeffHọ tên,Email\nNguyễn Văn An,an@example.vn\nTrần Thị Bình,\n\n")
    assert rows == [("Nguyễn Văn An", "an@example.vn"), ("Trần Thị Bình", None)]
    with pytest.raises(InvalidInput, match="Dòng 3: thư điện tử «sai@» không hợp lệ"):
        parse_trainee_csv("Họ tên,Email\nA,a@b.vn\nB,sai@\n")


def test_workshop_with_named_trainees_and_anonymous_seats(db: Session) -> None:
    ws = create_workshop(db, name="Lớp tập huấn Sở KH&CN", trainer="Giảng viên A", scenario_ids=TWO,
                         known=set(SCENARIOS), trainees=[("Nguyễn Văn An", None)], seats=3)  # fmt: skip
    names = [t.name for t in ws.trainees]
    assert names == ["Nguyễn Văn An", "Học viên 002", "Học viên 003", "Học viên 004"]
    codes = [t.join_code for t in ws.trainees]
    assert len(set(codes)) == 4 and all(len(c) == 8 and not set(c) & set("01OIL") for c in codes)
    assert trainee_by_code(db, f" {codes[1][:4].lower()}-{codes[1][4:]} ").id == ws.trainees[1].id
    with pytest.raises(NotFound):
        trainee_by_code(db, "KHONGCO1")
    for bad in (dict(scenario_ids=[]), dict(scenario_ids=["khong-co"]), dict(seats=0), dict(seats=501)):
        kwargs = dict(name="Lớp", trainer="GV", scenario_ids=TWO, known=set(SCENARIOS), seats=2) | bad
        with pytest.raises(InvalidInput):
            create_workshop(db, **kwargs)


def test_progress_grid_class_clock_and_export(db: Session) -> None:
    index = WorldIndex.load(db)
    shop = create_workshop(db, name="Lớp thử", trainer="GV", scenario_ids=TWO, known=set(SCENARIOS), seats=2)
    first, second = shop.trainees
    scenario = SCENARIOS[TWO[0]]
    ws = start_scenario(db, first, scenario, index)
    assert start_scenario(db, first, scenario, index).id == ws.id  # continuing, not a new world
    assert [c.status for c in progress(db, shop)[0][1]] == ["dang-lam", "chua-bat-dau"]
    ctx = trainee_context(db, ws, scenario, Role.DESK, first.name, index=index)
    code = dossier_code(db, ws, "hs1")
    intake.accept(ctx, code)
    from sandbox.services import processing

    processing.forward(ctx, code)
    submit_attempt(db, ws, scenario, trainee=first.name)
    row = progress(db, shop)[0][1][0]
    assert (row.status, row.best, row.passed, row.attempts) == ("da-nop", 100.0, True, 1)
    assert progress(db, shop)[1][1][0].status == "chua-bat-dau"
    before = db.get(Workspace, ws.id).clock_virtual
    assert advance_class_clock(db, shop, 2) == 1
    assert db.get(Workspace, ws.id).clock_virtual > before
    table = list(csv.reader(io.StringIO(export_csv(db, shop, {s: SCENARIOS[s].title for s in TWO}).lstrip("\ufeff"))))
    assert table[0][:3] == ["Họ tên", "Thư điện tử", "Mã tham gia"] and len(table) == 1 + 2 * 2
    assert table[1][5:10] == ["Đã nộp", "1", "100", "100", "Đạt"]
    with pytest.raises(NotFound):
        start_scenario(db, first, SCENARIOS["nnmt-cung-cap-thong-tin"], index)


def test_self_paced_trainee_may_start_any_scenario(db: Session) -> None:
    learner = self_paced_trainee(db, "Lê Thị Hoa")
    ws = start_scenario(db, learner, SCENARIOS["nnmt-cung-cap-thong-tin"], WorldIndex.load(db))
    assert ws.trainee_id == learner.id and ws.scenario_id == "nnmt-cung-cap-thong-tin"
    with pytest.raises(InvalidInput):
        self_paced_trainee(db, "   ")


def test_the_class_clock_reaches_trainees_who_start_or_reset_later(db: Session) -> None:
    from datetime import datetime

    index = WorldIndex.load(db)
    shop = create_workshop(db, name="Lớp đồng hồ", trainer="GV", scenario_ids=TWO, known=set(SCENARIOS), seats=2)
    early, late = shop.trainees
    scenario = SCENARIOS[TWO[0]]
    first = start_scenario(db, early, scenario, index)
    assert advance_class_clock(db, shop, 1) == 1 and shop.clock_days == 1
    moved = datetime(2026, 11, 25, 8, 30)  # Monday + one working day; Tuesday 24/11 is a day off
    assert db.get(Workspace, first.id).clock_virtual == moved
    assert start_scenario(db, late, scenario, index).clock_virtual == moved
    from sandbox.training.workshops import restart_scenario

    assert restart_scenario(db, first, early, scenario, index).clock_virtual == moved
    with pytest.raises(InvalidInput):
        advance_class_clock(db, shop, 0)
