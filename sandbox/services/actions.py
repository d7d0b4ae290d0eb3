"""One entry point for "fire action X on dossier Y with these inputs", used by the web pages and the API.

Each action maps to its use case; creation actions (online submission, counter receipt) have
their own entry points because they take an applicant and a procedure, not a dossier.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select

from sandbox.domain import lifecycle
from sandbox.domain.errors import InvalidInput
from sandbox.domain.vocabulary import Action, Role
from sandbox.services import intake, processing, results
from sandbox.services.context import ServiceContext
from sandbox.store.models import Dossier, Officer

Handler = Callable[[ServiceContext, str, Mapping[str, Any], "int | None"], Dossier]

HANDLERS: dict[Action, Handler] = {
    Action.ACCEPT: lambda c, code, p, v: intake.accept(c, code, expected_version=v),
    Action.REFUSE: lambda c, code, p, v: intake.refuse(c, code, reason=p.get("reason"), expected_version=v),
    Action.REQUEST_SUPPLEMENT: lambda c, code, p, v: intake.request_supplement(
        c, code, documents=p.get("documents") or [], reason=p.get("reason"), expected_version=v
    ),
    Action.SUBMIT_SUPPLEMENT: lambda c, code, p, v: intake.submit_supplement(c, code, note=p.get("note")),
    Action.COMPLETE_SUPPLEMENT: lambda c, code, p, v: intake.complete_supplement(c, code, expected_version=v),
    Action.WITHDRAW: lambda c, code, p, v: intake.withdraw(c, code, reason=p.get("reason"), expected_version=v),
    Action.FORWARD: lambda c, code, p, v: processing.forward(c, code, expected_version=v),
    Action.ASSIGN: lambda c, code, p, v: processing.assign(c, code, assignee_id=p.get("assignee_id"), expected_version=v),
    Action.APPRAISE: lambda c, code, p, v: processing.appraise(c, code, opinion=p.get("opinion"), expected_version=v),
    Action.RETURN_FOR_REWORK: lambda c, code, p, v: processing.return_for_rework(
        c, code, reason=p.get("reason"), expected_version=v
    ),
    Action.APPROVE: lambda c, code, p, v: processing.approve(c, code, note=p.get("note"), expected_version=v),
    Action.STOP: lambda c, code, p, v: processing.stop(c, code, reason=p.get("reason"), expected_version=v),
    Action.APOLOGISE: lambda c, code, p, v: processing.apologise(
        c, code, reason=p.get("reason"), new_due_date=p.get("new_due_date"), expected_version=v
    ),
    Action.REQUEST_FEE: lambda c, code, p, v: results.request_fee(c, code, expected_version=v),
    Action.CONFIRM_PAYMENT: lambda c, code, p, v: results.confirm_payment(
        c, code, method=p.get("method"), expected_version=v
    ),
    Action.SIGN: lambda c, code, p, v: results.sign(c, code, expected_version=v),
    Action.ISSUE: lambda c, code, p, v: results.issue(c, code, expected_version=v),
    Action.RETURN_RESULT: lambda c, code, p, v: results.return_result(c, code, expected_version=v),
}

# Inputs the officer does not type: the service fills them in.
SYSTEM_FILLED = {(Action.ISSUE, "result_number")}


def parse_action(name: str) -> Action:
    action = Action.parse(name)
    if not isinstance(action, Action) or action not in HANDLERS:
        raise InvalidInput(f"Thao tác «{name}» không tồn tại.", code="unknown_action")
    return action


def run_action(
    ctx: ServiceContext, code: str, action: Action, params: Mapping[str, Any], expected_version: int | None = None
) -> Dossier:
    if not isinstance(params, Mapping):
        raise InvalidInput("Tham số thao tác phải là một đối tượng JSON.")
    if expected_version is not None and (isinstance(expected_version, bool) or not isinstance(expected_version, int)):
        raise InvalidInput("«version» phải là số nguyên.", field="version")
    return HANDLERS[action](ctx, code, params, expected_version)


def action_inputs(action: Action, state: Any) -> list[lifecycle.Param]:
    """The inputs the officer fills in for ``action`` from ``state`` (for forms and the API document)."""
    t = lifecycle.transition_for(state, action)
    if t is None:
        return []
    return [p for p in t.params if (action, p.name) not in SYSTEM_FILLED]


def specialists_of(ctx: ServiceContext, agency_id: int) -> list[Officer]:
    return list(
        ctx.session.scalars(
            select(Officer).where(Officer.agency_id == agency_id, Officer.role == Role.SPECIALIST).order_by(Officer.id)
        )
    )
