"""Trainee workspaces: deterministic per trainee, isolated, resettable without losing attempts, with a clock."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.domain.errors import InvalidInput, NotFound
from sandbox.domain.vocabulary import Role, State
from sandbox.paths import SCENARIOS_DIR
from sandbox.services import intake
from sandbox.services.listing import list_dossiers
from sandbox.store.models import Attempt, Dossier, Event, Workspace
from sandbox.training.attempts import best_and_latest, submit_attempt
from sandbox.training.runner import trainee_context
from sandbox.training.scenarios import load_scenario
from sandbox.training.workspaces import WorldIndex, advance_clock, create_workspace, reset_workspace

ONLINE = load_scenario(SCENARIOS_DIR / "khcn" / "khcn-tiep-nhan-truc-tuyen.yaml")
SUPPLEMENT = load_scenario(SCENARIOS_DIR / "khcn" / "khcn-bo-sung-mot-lan.yaml")


@pytest.fixture
def index(db: Session) -> WorldIndex:
    return WorldIndex.load(db)


def make(db: Session, index: WorldIndex, ws_id: str, seed: int, scenario=ONLINE) -> Workspace:
    return create_workspace(db, scenario, workspace_id=ws_id, name=ws_id, trainee_seed=seed, index=index)


def dossiers(db: Session, ws_id: str) -> list[Dossier]:
    return list(db.scalars(select(Dossier).where(Dossier.workspace_id == ws_id).order_by(Dossier.id)))


def test_same_trainee_seed_same_world_other_seed_other_applicants_and_codes(db: Session, index: WorldIndex) -> None:
    a, b, c = make(db, index, "ws-a", 11), make(db, index, "ws-b", 11), make(db, index, "ws-c", 12)
    da, db_, dc = dossiers(db, a.id), dossiers(db, b.id), dossiers(db, c.id)
    assert [(d.code, d.applicant_id_number, d.state) for d in da] == [(d.code, d.applicant_id_number, d.state) for d in db_]
    assert da[0].applicant_id_number != dc[0].applicant_id_number and da[0].code != dc[0].code
    assert da[0].state == dc[0].state == State.NEW  # the same difficulty
    assert a.clock_virtual == datetime(2026, 11, 23, 8, 30) and a.clock_frozen
    assert a.setup_event_id > 0


def test_workspaces_are_isolated(db: Session, index: WorldIndex) -> None:
    one, two = make(db, index, "ws-one", 1), make(db, index, "ws-two", 2)
    ctx_one = trainee_context(db, one, ONLINE, Role.DESK, "Học viên A", index=index)
    ctx_two = trainee_context(db, two, ONLINE, Role.DESK, "Học viên B", index=index)
    code = dossiers(db, one.id)[0].code
    assert code != dossiers(db, two.id)[0].code
    with pytest.raises(NotFound):  # the same officer, but workspace one's real code is not in workspace two
        intake.accept(ctx_two, code)
    intake.accept(ctx_one, code)
    assert dossiers(db, two.id)[0].state is State.NEW
    assert {d.code for d in list_dossiers(ctx_two).items} == {d.code for d in dossiers(db, two.id)}
    assert db.scalars(select(Event).where(Event.workspace_id == two.id, Event.actor_kind == "trainee")).all() == []


def test_reset_restores_the_start_and_keeps_attempts(db: Session, index: WorldIndex) -> None:
    ws = make(db, index, "ws-reset", 5, SUPPLEMENT)
    start = [(d.code, d.state, d.version) for d in dossiers(db, ws.id)]
    ctx = trainee_context(db, ws, SUPPLEMENT, Role.DESK, "Học viên", index=index)
    intake.accept(ctx, start[0][0])
    first = submit_attempt(db, ws, SUPPLEMENT, trainee="Học viên")
    assert first.percent == 0.0 and not first.passed
    reset_workspace(db, ws.id, SUPPLEMENT, index=index)
    assert [(d.code, d.state, d.version) for d in dossiers(db, ws.id)] == start
    ctx = trainee_context(db, ws, SUPPLEMENT, Role.DESK, "Học viên", index=index)
    intake.request_supplement(ctx, start[0][0], documents=["TP4"], reason="Thiếu giấy tờ bắt buộc TP4")
    second = submit_attempt(db, ws, SUPPLEMENT, trainee="Học viên", hints_used=[0])
    assert second.percent == 95.0 and second.passed and second.number == 2
    best, latest = best_and_latest(db, ws.id)
    assert best.id == second.id == latest.id
    assert len(db.scalars(select(Attempt).where(Attempt.workspace_id == ws.id)).all()) == 2
    hint = next(line for line in second.ledger["lines"] if line["kind"] == "hint")
    assert hint["points"] == -5 and "Đã xem gợi ý" in hint["explanation"]


def test_clock_advances_by_working_days_across_a_holiday(db: Session, index: WorldIndex) -> None:
    ws = make(db, index, "ws-clock", 2)
    advance_clock(db, ws.id, 1)
    assert db.get(Workspace, ws.id).clock_virtual == datetime(2026, 11, 25, 8, 30)  # Tuesday 24/11 is a day off
    for bad in (0, 61, True, "2"):
        with pytest.raises(InvalidInput):
            advance_clock(db, ws.id, bad)  # type: ignore[arg-type]


def test_workspace_ids_and_duplicates_are_refused(db: Session, index: WorldIndex) -> None:
    make(db, index, "ws-dup", 1)
    with pytest.raises(InvalidInput, match="đã tồn tại"):
        make(db, index, "ws-dup", 2)
    with pytest.raises(InvalidInput, match="chữ thường"):
        make(db, index, "Có Dấu", 1)


def test_workspaces_are_isolated_through_the_api(app, client, db: Session, index: WorldIndex) -> None:
    from sandbox.web.auth import issue_token

    one, two = make(db, index, "ws-api-1", 3), make(db, index, "ws-api-2", 4)
    code_one, code_two = dossiers(db, one.id)[0].code, dossiers(db, two.id)[0].code
    with app.test_request_context():
        token_two = issue_token(trainee_context(db, two, ONLINE, Role.DESK, "B", index=index).actor, two.id)
    headers = {"Authorization": f"Bearer {token_two}"}
    assert client.get(f"/api/v1/dossiers/{code_two}", headers=headers).status_code == 200
    resp = client.get(f"/api/v1/dossiers/{code_one}", headers=headers)
    assert resp.status_code == 404 and resp.get_json()["code"] == "not_found"
    listed = client.get("/api/v1/dossiers", headers=headers).get_json()
    assert [d["code"] for d in listed["items"]] == [code_two]
    accept = client.post(f"/api/v1/dossiers/{code_one}/actions/accept", json={}, headers=headers)
    assert accept.status_code == 404 and dossiers(db, one.id)[0].state is State.NEW
