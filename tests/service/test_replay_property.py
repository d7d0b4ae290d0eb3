"""Property: whatever sequence of actions officers and citizens fire, replaying the event log gives the stored state."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.domain import lifecycle
from sandbox.domain.errors import DomainError
from sandbox.domain.lifecycle import replay
from sandbox.domain.vocabulary import Action, Role
from sandbox.services import intake
from sandbox.services.actions import run_action
from sandbox.services.dossiers import recorded_transitions
from sandbox.services.eforms import example_form_data
from sandbox.services.reading import allowed_actions, dossier_events
from sandbox.services.routing import get_procedure
from sandbox.store.models import Citizen, Commune, Dossier, Officer
from tests.conftest import username_for

LIFECYCLE_ROLES = sorted({r for t in lifecycle.TRANSITIONS for r in t.roles}, key=lambda r: r.value)
PROCEDURES = ["2.002131", "1.005442", "1.990101"]  # free, fee + payment required, fee


def actor_for(db: Session, ctx_for: Callable, dossier: Dossier, role: Role):
    if role is Role.CITIZEN:
        return ctx_for(db.get(Citizen, dossier.citizen_id))
    if role is Role.SPECIALIST and dossier.assignee_id is not None:
        return ctx_for(db.get(Officer, dossier.assignee_id).username)
    agency = dossier.receiving_agency_id if role is Role.DESK else dossier.deciding_agency_id
    return ctx_for(username_for(db, role, agency))


def draw_params(data: st.DataObject, db: Session, dossier: Dossier, action: Action, role: Role) -> dict:
    t = lifecycle.transition_for(dossier.state, action)
    params: dict = {}
    for p in t.params:
        if p.kind == "text":
            params[p.name] = data.draw(st.sampled_from(["Hồ sơ đầy đủ, hợp lệ.", "Lý do cụ thể theo quy định", "", None]))
        elif p.kind == "documents":
            codes = [d.code for d in dossier.procedure.documents]
            params[p.name] = data.draw(st.lists(st.sampled_from([*codes, "TP9"]), min_size=0, max_size=2))
        elif p.kind == "int":
            specialists = db.scalars(select(Officer.id).where(Officer.agency_id == dossier.deciding_agency_id,
                                                              Officer.role == Role.SPECIALIST)).all()  # fmt: skip
            params[p.name] = data.draw(st.sampled_from([*specialists, 1]))
        elif p.kind == "date":
            params[p.name] = data.draw(st.sampled_from(["2026-12-28", "2026-11-28", "not-a-date"]))
        elif p.kind == "payment_method":
            params[p.name] = data.draw(st.sampled_from(["online", "cash"] if role is not Role.CITIZEN else ["online"]))
    return params


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_action_sequences_replay_to_the_stored_state(data: st.DataObject, db: Session, ctx_for: Callable) -> None:
    citizen = db.scalars(
        select(Citizen).join(Commune, Citizen.commune_code == Commune.code).where(Commune.province_code == "37")
    ).first()
    code = data.draw(st.sampled_from(PROCEDURES))
    procedure = get_procedure(ctx_for("motcua"), code)
    form = example_form_data(procedure.eform)
    required = [d.code for d in procedure.documents if d.required]
    if data.draw(st.booleans()):
        dossier = intake.submit_online(ctx_for(citizen), code, form_data=form, documents=required)
    else:
        dossier = intake.receive_at_counter(ctx_for("motcua"), code, applicant_cccd=citizen.cccd, form_data=form,
                                            documents=required)  # fmt: skip
    for _ in range(data.draw(st.integers(min_value=1, max_value=14))):
        options = []
        for role in LIFECYCLE_ROLES:
            ctx = actor_for(db, ctx_for, dossier, role)
            if ctx is None or ctx.actor.id is None:
                continue
            options += [(a, role, ctx) for a in allowed_actions(ctx, dossier)]
        if not options:
            break
        actions = sorted({a for a, _, _ in options}, key=lambda a: a.value)
        if len(actions) > 1 and Action.WITHDRAW in actions and data.draw(st.integers(0, 9)) > 0:
            actions.remove(Action.WITHDRAW)  # withdrawal is open from almost everywhere; keep it rare
        chosen = data.draw(st.sampled_from(actions))
        action, role, ctx = data.draw(st.sampled_from([o for o in options if o[0] is chosen]))
        params = draw_params(data, db, dossier, action, role)
        version = dossier.version if data.draw(st.booleans()) else data.draw(st.sampled_from([None, 0]))
        try:
            dossier = run_action(ctx, dossier.code, action, params, version)
        except DomainError:
            db.refresh(dossier)
    events = dossier_events(ctx_for("motcua"), dossier)
    assert events[-1].version == dossier.version == len(events)
    rebuilt = replay(recorded_transitions(events))
    assert rebuilt == dossier.snapshot()
    assert dossier.status == dossier.state.status.value
    event(f"final state: {dossier.state.value}")
