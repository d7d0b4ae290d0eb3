"""Processing use cases: forward, assign, appraise, approve, return for rework, stop, apologise."""

from __future__ import annotations

from datetime import date
from typing import Any

from sandbox.domain.errors import InvalidInput
from sandbox.domain.lifecycle import Outcome
from sandbox.domain.vocabulary import Action, Role
from sandbox.services.context import ServiceContext
from sandbox.services.dossiers import perform
from sandbox.store.models import Dossier, Officer


def forward(ctx: ServiceContext, code: str, *, expected_version: int | None = None) -> Dossier:
    return perform(ctx, code, Action.FORWARD, expected_version=expected_version)


def check_assignee(ctx: ServiceContext, dossier: Dossier, outcome: Outcome) -> dict[str, Any]:
    officer = ctx.session.get(Officer, outcome.params["assignee_id"])
    if officer is None or officer.role is not Role.SPECIALIST or officer.agency_id != dossier.deciding_agency_id:
        raise InvalidInput(
            "Người được phân công phải là chuyên viên của cơ quan giải quyết hồ sơ.", field="assignee_id"
        )
    return {"assignee_name": officer.full_name}


def assign(ctx: ServiceContext, code: str, *, assignee_id: int, expected_version: int | None = None) -> Dossier:
    return perform(
        ctx, code, Action.ASSIGN, {"assignee_id": assignee_id}, expected_version=expected_version, hook=check_assignee
    )


def appraise(ctx: ServiceContext, code: str, *, opinion: str, expected_version: int | None = None) -> Dossier:
    return perform(ctx, code, Action.APPRAISE, {"opinion": opinion}, expected_version=expected_version)


def return_for_rework(ctx: ServiceContext, code: str, *, reason: str, expected_version: int | None = None) -> Dossier:
    return perform(ctx, code, Action.RETURN_FOR_REWORK, {"reason": reason}, expected_version=expected_version)


def approve(ctx: ServiceContext, code: str, *, note: str | None = None, expected_version: int | None = None) -> Dossier:
    return perform(ctx, code, Action.APPROVE, {"note": note}, expected_version=expected_version)


def stop(ctx: ServiceContext, code: str, *, reason: str, expected_version: int | None = None) -> Dossier:
    return perform(ctx, code, Action.STOP, {"reason": reason}, expected_version=expected_version)


def apologise(
    ctx: ServiceContext, code: str, *, reason: str, new_due_date: date | str, expected_version: int | None = None
) -> Dossier:
    """Issue the apology letter (Mẫu 04) with a new appointment for a late dossier."""
    return perform(
        ctx, code, Action.APOLOGISE, {"reason": reason, "new_due_date": new_due_date}, expected_version=expected_version
    )
