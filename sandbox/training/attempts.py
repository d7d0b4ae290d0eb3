"""Attempts: "Nộp bài" scores the workspace as it is now and keeps the ledger, best and latest alike."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sandbox.services.context import begin_write, vietnam_now
from sandbox.store.models import Attempt, Workspace
from sandbox.training.runner import evaluate, gather_facts
from sandbox.training.scenarios import Scenario


def submit_attempt(session: Session, ws: Workspace, scenario: Scenario, *, trainee: str,
                   hints_used: Iterable[int] = ()) -> Attempt:  # fmt: skip
    """Score the workspace now and store the attempt (one transaction)."""
    facts = gather_facts(session, ws)
    score = evaluate(facts, scenario, hints_used)
    begin_write(session)
    try:
        number = (session.scalar(select(func.count()).where(Attempt.workspace_id == ws.id)) or 0) + 1
        attempt = Attempt(
            workspace_id=ws.id, scenario_id=scenario.id, trainee=trainee, number=number,
            submitted_at=vietnam_now(), virtual_at=facts.now, earned=score.earned, possible=score.possible,
            percent=score.percent, passed=score.passed, hints_used=sorted(set(hints_used)), ledger=score.as_dict(),
        )  # fmt: skip
        session.add(attempt)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return attempt


def attempts_of(session: Session, workspace_id: str) -> list[Attempt]:
    return list(session.scalars(select(Attempt).where(Attempt.workspace_id == workspace_id).order_by(Attempt.number)))


def best_and_latest(session: Session, workspace_id: str) -> tuple[Attempt | None, Attempt | None]:
    """The best attempt (highest percent, earliest on a tie) and the latest one."""
    attempts = attempts_of(session, workspace_id)
    if not attempts:
        return None, None
    best = max(attempts, key=lambda a: (a.percent, -a.number))
    return best, attempts[-1]
