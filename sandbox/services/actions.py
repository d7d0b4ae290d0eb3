"""One entry point for "fire action X on dossier Y with these inputs", used by the web pages and the API.

Each action maps to its use case; creation actions (online submission, counter receipt) have
their own entry points because they take an applicant and a procedure, not a dossier.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import bindparam, select

from sandbox.domain import lifecycle
from sandbox.domain.errors import InvalidInput
from sandbox.domain.vocabulary import Action, PaymentMethod, Role
from sandbox.services import applicants, processing, results
from sandbox.services.context import ServiceContext
from sandbox.services.dossiers import Hook, perform
from sandbox.store.models import Dossier, DossierRecord, Officer

# What happens besides the state change, per action (see each use case); and the inputs the
# system fills in itself rather than the officer.
HOOKS: dict[Action, Hook] = {
    Action.ASSIGN: processing.check_assignee,
    Action.REQUEST_FEE: results.open_fee_order,
    Action.CONFIRM_PAYMENT: results.take_payment,
    Action.SIGN: results.sign_result,
    Action.RETURN_RESULT: results.verify_signature,
    Action.FINISH: results.attach_finish_result,
    Action.SUBMIT_SUPPLEMENT: applicants.declared_supplement,  # the portal attaches files with its own hook
}
SYSTEM_PARAMS: dict[Action, Callable[[ServiceContext, Dossier], Mapping[str, Any]]] = {
    Action.ISSUE: results.next_result_number,
}
SYSTEM_FILLED = {(Action.ISSUE, "result_number")}  # inputs of SYSTEM_PARAMS the officer never types
CREATION = frozenset({Action.SUBMIT_ONLINE, Action.RECEIVE_AT_COUNTER})  # they have their own entry points
ACTIONS = tuple(a for a in Action if a not in CREATION)


def parse_action(name: str) -> Action:
    action = Action.parse(name) if isinstance(name, str) else None
    if not isinstance(action, Action) or action in CREATION:
        raise InvalidInput(f"Thao tác «{name}» không tồn tại.", code="unknown_action")
    return action


def run_action(
    ctx: ServiceContext, code: str, action: Action, params: Mapping[str, Any], expected_version: int | None = None
) -> Dossier:
    if not isinstance(params, Mapping):
        raise InvalidInput("Tham số thao tác phải là một đối tượng JSON.")
    if expected_version is not None and (isinstance(expected_version, bool) or not isinstance(expected_version, int)):
        raise InvalidInput("«version» phải là số nguyên.", field="version")
    if action in CREATION:
        raise InvalidInput(f"Thao tác «{action.label}» tạo hồ sơ mới, không thực hiện trên hồ sơ có sẵn.",
                           code="unknown_action")  # fmt: skip
    source = SYSTEM_PARAMS.get(action, params)
    return perform(ctx, code, action, source, expected_version=expected_version, hook=HOOKS.get(action))


def action_inputs(action: Action, state: Any) -> list[lifecycle.Param]:
    """The inputs the officer fills in for ``action`` from ``state`` (for forms and the API document)."""
    t = lifecycle.transition_for(state, action)
    if t is None:
        return []
    return [p for p in t.params if (action, p.name) not in SYSTEM_FILLED]


def input_choices(
    ctx: ServiceContext, dossier: Dossier | DossierRecord, param: lifecycle.Param
) -> list[dict[str, Any]] | None:
    """The values an input may take, when it is a choice: the agency's specialists, the payment methods."""
    if param.name == "assignee_id":
        return [{"value": o.id, "label": o.full_name} for o in specialists_of(ctx, dossier.deciding_agency_id)]
    if param.kind == "payment_method":
        return [{"value": m.value, "label": m.label} for m in PaymentMethod]
    return None


_SPECIALISTS = (
    select(Officer)
    .where(Officer.agency_id == bindparam("agency_id"), Officer.role == Role.SPECIALIST)
    .order_by(Officer.id)
)


def specialists_of(ctx: ServiceContext, agency_id: int) -> list[Officer]:
    return list(ctx.session.scalars(_SPECIALISTS, {"agency_id": agency_id}))
