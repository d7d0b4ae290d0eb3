"""Views for trainees."""

from __future__ import annotations

from functools import wraps
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, session, url_for
from sqlalchemy import select

from sandbox.domain.errors import DomainError, Forbidden
from sandbox.domain.inputs import MAX_ID
from sandbox.domain.vocabulary import Action, Role
from sandbox.learning.render import render_markdown
from sandbox.services import reading
from sandbox.services.actions import run_action
from sandbox.services.auth import citizen_actor
from sandbox.services.context import SYSTEM_ACTOR, ServiceContext, begin_write, vietnam_now
from sandbox.store.models import Attempt, Citizen, Dossier, Workspace
from sandbox.training.attempts import attempts_of, best_and_latest, submit_attempt
from sandbox.training.runner import trainee_context
from sandbox.training.scenarios import Scenario
from sandbox.training.workshops import (
    restart_scenario,
    self_paced_trainee,
    start_scenario,
    trainee_by_code,
    workspace_id_for,
)
from sandbox.web.auth import actor_to_dict, fresh_session
from sandbox.web.db import get_db
from sandbox.web.learn import bp
from sandbox.web.training_state import current_trainee, integrations_for, scenario, scenarios, world_index


def trainee_required(view: Any) -> Any:
    """Pages of a signed-in trainee; others are sent to the join page. The trainee is on ``g.trainee``."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        g.trainee = current_trainee()
        if g.trainee is None:
            return redirect(url_for("learn.join"))
        return view(*args, **kwargs)

    return wrapped


def _open_scenario(sid: str) -> Scenario:
    """The scenario ``sid`` if it is open to the trainee (their class's, or any for self-paced practice)."""
    sc = scenario(sid)
    if sc not in _open_to(g.trainee):
        raise Forbidden("Kịch bản này không thuộc lớp học của bạn.")
    return sc


def _started(sid: str) -> Workspace:
    ws = get_db().get(Workspace, workspace_id_for(g.trainee, _open_scenario(sid)))
    if ws is None:
        raise Forbidden("Bạn chưa bắt đầu kịch bản này.")
    return ws


def _open_to(trainee: Any) -> list[Any]:
    if trainee.workshop is not None:
        return [scenarios()[s] for s in trainee.workshop.scenario_ids if s in scenarios()]
    return sorted(scenarios().values(), key=lambda s: (s.sector.value, s.level, s.id))


@bp.route("/tham-gia", methods=["GET", "POST"])
def join() -> Any:
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            if request.form.get("kind") == "tu-luyen":
                trainee = self_paced_trainee(get_db(), request.form.get("name", ""))
            else:
                trainee = trainee_by_code(get_db(), request.form.get("code", ""))
        except DomainError as exc:
            errors["tu-luyen" if request.form.get("kind") == "tu-luyen" else "ma"] = exc.message
        else:
            fresh_session(trainee_id=trainee.id)
            return redirect(url_for("learn.home"))
    return render_template("learn/join.html", errors=errors, form=request.form), 422 if errors else 200


@bp.get("/")
@trainee_required
def home() -> Any:
    trainee = g.trainee
    rows = []
    for sc in _open_to(trainee):
        ws = get_db().get(Workspace, workspace_id_for(trainee, sc))
        best, latest = best_and_latest(get_db(), ws.id) if ws else (None, None)
        rows.append({"scenario": sc, "started": ws is not None, "best": best, "latest": latest})
    return render_template("learn/home.html", trainee=trainee, rows=rows)


@bp.get("/kich-ban/<sid>")
@trainee_required
def task(sid: str) -> Any:
    trainee, sc = g.trainee, _open_scenario(sid)
    ws = get_db().get(Workspace, workspace_id_for(trainee, sc))
    attempts = attempts_of(get_db(), ws.id) if ws else []
    now = ws.clock.now_at(vietnam_now()) if ws else None
    return render_template("learn/task.html", trainee=trainee, sc=sc, ws=ws, attempts=attempts,
                           task_html=render_markdown(sc.task), hints_used=set(ws.hints_used if ws else []),
                           active=session.get("scenario") == sid, now=now)  # fmt: skip


def _enter(trainee: Any, sid: str, role: Role) -> None:
    sc = scenario(sid)
    ws = start_scenario(get_db(), trainee, sc, world_index())
    ctx = trainee_context(get_db(), ws, sc, role, trainee.name, index=world_index())
    session["workspace"], session["scenario"] = ws.id, sc.id
    session["actor"] = actor_to_dict(ctx.actor)


@bp.post("/kich-ban/<sid>/bat-dau")
@trainee_required
def start(sid: str) -> Any:
    _enter(g.trainee, sid, _open_scenario(sid).roles[0])
    return redirect(url_for("motcua.queue"))


@bp.post("/kich-ban/<sid>/vai-tro")
@trainee_required
def switch_role(sid: str) -> Any:
    if session.get("scenario") != sid:
        return redirect(url_for("learn.home"))
    role = Role.parse(request.form.get("role", ""))
    if not isinstance(role, Role) or role not in _open_scenario(sid).roles:
        raise Forbidden("Kịch bản không có vai trò này.")
    _enter(g.trainee, sid, role)
    flash(f"Bạn đang đóng vai {role.label}.", "info")
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("motcua.queue"))


@bp.post("/kich-ban/<sid>/goi-y/<int:n>")
@trainee_required
def hint(sid: str, n: int) -> Any:
    ws = _started(sid)
    if not 0 <= n < len(scenario(sid).hints):
        abort(404)
    if n not in ws.hints_used:
        begin_write(get_db())
        ws.hints_used = sorted({*ws.hints_used, n})
        get_db().commit()
    return redirect(url_for("learn.task", sid=sid) + f"#goi-y-{n + 1}")


@bp.post("/kich-ban/<sid>/nop-bai")
@trainee_required
def submit(sid: str) -> Any:
    ws = _started(sid)
    attempt = submit_attempt(get_db(), ws, scenario(sid), trainee=g.trainee.name, hints_used=ws.hints_used)
    return redirect(url_for("learn.ledger", attempt_id=attempt.id))


@bp.post("/kich-ban/<sid>/lam-lai")
@trainee_required
def retry(sid: str) -> Any:
    ws = _started(sid)
    restart_scenario(get_db(), ws, g.trainee, scenario(sid), world_index())
    flash("Không gian làm việc đã trở về lúc bắt đầu; các lần nộp trước và gợi ý đã xem vẫn được giữ.", "success")
    return redirect(url_for("learn.task", sid=sid))


@bp.get("/lan-nop/<int:attempt_id>")
@trainee_required
def ledger(attempt_id: int) -> Any:
    trainee = g.trainee
    attempt = get_db().get(Attempt, attempt_id) if attempt_id <= MAX_ID else None
    ws = get_db().get(Workspace, attempt.workspace_id) if attempt else None
    if ws is None or ws.trainee_id != trainee.id:
        abort(404)
    others = get_db().scalars(select(Attempt).where(Attempt.workspace_id == ws.id).order_by(Attempt.number)).all()
    return render_template("learn/ledger.html", attempt=attempt, sc=scenario(attempt.scenario_id), trainee=trainee,
                           attempts=others)  # fmt: skip


# What the simulated applicant may do when a trainee asks (their answers to the officer's requests).
APPLICANT_RESPONSES = {
    Action.CONFIRM_PAYMENT: {"method": "online"},
    Action.SUBMIT_SUPPLEMENT: {"note": "Người nộp đã nộp bổ sung giấy tờ theo phiếu yêu cầu."},
}


def applicant_context(sid: str, dossier: Dossier) -> ServiceContext | None:
    """The dossier's applicant, simulated, in the trainee's workspace (None when typed in by hand)."""
    citizen = get_db().get(Citizen, dossier.citizen_id) if dossier.citizen_id else None
    if citizen is None:
        return None
    return ServiceContext(get_db(), dossier.workspace_id, citizen_actor(citizen), integrations=integrations_for(sid))


def applicant_responses(sid: str, dossier: Dossier) -> list[Action]:
    ctx = applicant_context(sid, dossier)
    if ctx is None:
        return []
    return [a for a in reading.allowed_actions(ctx, dossier) if a in APPLICANT_RESPONSES]


@bp.post("/kich-ban/<sid>/nguoi-nop/<code>/<name>")
@trainee_required
def applicant_responds(sid: str, code: str, name: str) -> Any:
    """The simulated applicant answers: pays online, or submits the requested documents."""
    ws = _started(sid)
    if session.get("workspace") != ws.id:
        raise Forbidden("Hãy vào làm bài trước khi mô phỏng phản hồi của người nộp.")
    action = Action.parse(name)
    if not isinstance(action, Action) or action not in APPLICANT_RESPONSES:
        raise Forbidden("Người nộp không thực hiện thao tác này.")
    dossier = reading.get_dossier(ServiceContext(get_db(), ws.id, SYSTEM_ACTOR), code)
    ctx = applicant_context(sid, dossier)
    if ctx is None:
        raise Forbidden("Hồ sơ không gắn với công dân trong CSDL nên không mô phỏng được người nộp.")
    try:
        run_action(ctx, code, action, APPLICANT_RESPONSES[action])
        flash(f"Người nộp đã thực hiện «{action.label}».", "success")
    except DomainError as exc:
        if exc.http_status == 404:
            raise
        flash(exc.message, "error")
    return redirect(url_for("motcua.dossier", code=code)), 303


@bp.post("/thoat")
def leave() -> Any:
    session.clear()
    return redirect(url_for("learn.join"))
