"""The shared machinery of every dossier use case: the one write path (reads: ``services.reading``; lists: ``listing``).

:func:`perform` is the one path by which a dossier changes: load it (scoped to the workspace,
locked for update), check the actor's jurisdiction and the client's version, let the domain
table decide (:func:`sandbox.domain.lifecycle.apply`), run the action's side effects (signing,
payment, …), store the new state with a version check, append one event, issue the form, and
notify the applicant. All in one transaction: a refusal anywhere leaves nothing written.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm.exc import StaleDataError

from sandbox.domain import lifecycle
from sandbox.domain.clock import SimulatedClock
from sandbox.domain.errors import Conflict, DomainError
from sandbox.domain.lifecycle import Outcome
from sandbox.domain.vocabulary import Action, Activity, Form, State
from sandbox.services.context import ServiceContext
from sandbox.services.notices import notice_for
from sandbox.services.reading import check_jurisdiction, get_dossier, situation_of
from sandbox.store.models import Dossier, Event, IssuedForm

Hook = Callable[[ServiceContext, Dossier, Outcome], "dict[str, Any] | None"]
ParamSource = Mapping[str, Any] | Callable[[ServiceContext, Dossier], Mapping[str, Any]] | None


_PLAIN = (str, int, float, bool, type(None))


def json_safe(value: Any) -> Any:
    """Make params and payloads JSON-serialisable (dates, enums by their code)."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    return value


# --------------------------------------------------------------------------- writes


def record_event(
    ctx: ServiceContext,
    dossier: Dossier,
    action: Action,
    from_state: State | None,
    changes: Mapping[str, Any],
    params: Mapping[str, Any],
    now: datetime,
    extra: Mapping[str, Any] | None = None,
) -> Event:
    payload = {"changes": lifecycle.encode_changes(changes), "params": json_safe(dict(params))}
    if extra:
        payload.update(json_safe(dict(extra)))
    event = Event(
        workspace_id=ctx.workspace_id,
        dossier_id=dossier.id,
        actor_kind=ctx.actor.kind,
        actor_id=ctx.actor.id,
        actor_name=ctx.actor.name,
        role=ctx.actor.role,
        action=action.value,
        from_state=from_state.value if from_state else None,
        to_state=dossier.state.value,
        version=dossier.version,
        payload=payload,
        virtual_at=now,
        real_at=ctx.real_time(),
    )
    ctx.session.add(event)
    return event


def record_activity(ctx: ServiceContext, dossier: Dossier, activity: Activity, params: Mapping[str, Any],
                    now: datetime) -> Event:  # fmt: skip
    """Log something done to a dossier that does not move it (a scan, a vote): no state, not replayed."""
    event = Event(
        workspace_id=ctx.workspace_id, dossier_id=dossier.id, actor_kind=ctx.actor.kind, actor_id=ctx.actor.id,
        actor_name=ctx.actor.name, role=ctx.actor.role, action=activity.value, from_state=None, to_state=None,
        version=dossier.version, payload={"params": json_safe(dict(params))}, virtual_at=now,
        real_at=ctx.real_time(),
    )  # fmt: skip
    ctx.session.add(event)
    return event


def recorded_transitions(events: Iterable[Event]) -> list[lifecycle.RecordedEvent]:
    """The events that moved the dossier, as the domain's replay reads them (activities left out)."""
    return [
        lifecycle.RecordedEvent(Action(e.action), State(e.from_state) if e.from_state else None,
                                State(e.to_state), e.payload["changes"])
        for e in events if e.to_state is not None
    ]  # fmt: skip


def form_data(
    base: Mapping[str, Any], document_names: Mapping[str, str], officer: str, params: Mapping[str, Any]
) -> dict[str, Any]:
    """The data a form is filled with: the dossier as it is now, the officer, the action's inputs.

    ``base`` holds the dossier's fields (see :func:`dossier_fields`); the seeder passes plain dicts.
    """
    # the action's "documents" are codes of what is requested; the base "documents" (what was received) stay
    inputs = {k: v for k, v in params.items() if v is not None and k != "documents"}
    data = {**base, "officer": officer, **inputs}
    if params.get("documents"):
        data["requested_documents"] = [document_names.get(c, c) for c in params["documents"]]
    return json_safe(data)


def dossier_fields(dossier: Dossier) -> dict[str, Any]:
    return {
        "code": dossier.code,
        "applicant_name": dossier.applicant_name,
        "applicant_id_number": dossier.applicant_id_number,
        "applicant_address": dossier.applicant_address,
        "applicant_phone": dossier.applicant_phone,
        "procedure_code": dossier.card.code,
        "procedure_name": dossier.card.name,
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "original_due_at": dossier.original_due_at,
        "documents": [d.name for d in dossier.documents if d.kind == "input"],
    }


def issue_form(
    ctx: ServiceContext, dossier: Dossier, form: Form, now: datetime, params: Mapping[str, Any]
) -> IssuedForm:
    """Fill a form from the dossier as it is now (printing comes from this data)."""
    names = dossier.card.document_names
    row = IssuedForm(
        workspace_id=ctx.workspace_id,
        dossier_id=dossier.id,
        kind=form,
        issued_at=now,
        issued_by=ctx.actor.name,
        data=form_data(dossier_fields(dossier), names, ctx.actor.name, params),
    )
    ctx.session.add(row)
    return row


def notify_applicant(ctx: ServiceContext, dossier: Dossier, action: Action, now: datetime) -> None:
    """Tell the applicant by SMS (and e-mail when known). Best-effort: failures are recorded, not raised."""
    text = notice_for(action, dossier)
    if text is None:
        return
    messaging = ctx.integrations.messaging
    kw = dict(workspace_id=ctx.workspace_id, dossier_id=dossier.id, body=text, now=now)
    messaging.send(ctx.session, channel="sms", recipient=dossier.applicant_phone, **kw)
    if dossier.applicant_email:
        messaging.send(
            ctx.session, channel="email", recipient=dossier.applicant_email, subject=f"Hồ sơ {dossier.code}", **kw
        )


def perform(
    ctx: ServiceContext,
    code: str,
    action: Action,
    params: ParamSource = None,
    *,
    expected_version: int | None = None,
    hook: Hook | None = None,
) -> Dossier:
    """Fire ``action`` on dossier ``code``: one transaction, one event, or nothing at all."""
    try:
        return _perform(ctx, code, action, params, expected_version, hook)
    except StaleDataError:
        raise Conflict(
            f"Hồ sơ {code} vừa được người khác cập nhật. Vui lòng tải lại rồi thao tác lại.", code="stale_version"
        ) from None


@dataclass
class _Decision:
    dossier: Dossier
    version: int  # the dossier's version the decision was taken on
    clock: SimulatedClock  # and the workspace's clock
    outcome: Outcome
    now: datetime


def _decide(ctx: ServiceContext, code: str, action: Action, params: ParamSource, expected_version: int | None, *,
            locked: bool) -> _Decision:  # fmt: skip
    """Take the decision on the dossier read afresh (a copy this session holds from an earlier transaction is read
    again); ``locked``: under the write lock (SQLite renders no FOR UPDATE: its write lock is the lock)."""
    dossier = get_dossier(ctx, code, for_update=True)
    check_jurisdiction(ctx, dossier)
    if expected_version is not None and expected_version != dossier.version:
        raise Conflict(
            f"Hồ sơ {dossier.code} vừa được người khác cập nhật (phiên bản {dossier.version}, "
            f"bạn đang xem phiên bản {expected_version}). Vui lòng tải lại rồi thao tác lại.",
            code="stale_version",
        )
    now = ctx.now()
    raw = params(ctx, dossier) if callable(params) else (params or {})
    outcome = lifecycle.apply(situation_of(ctx, dossier, now), action, raw)
    return _Decision(dossier, dossier.version, ctx.clock, outcome, now)


_VERSION = select(Dossier.version).where(Dossier.id == bindparam("id"))


def _perform(ctx: ServiceContext, code: str, action: Action, params: ParamSource, expected_version: int | None,
             hook: Hook | None) -> Dossier:  # fmt: skip
    # The decision is taken on the dossier as read now, before the write lock (SQLite has one for the whole
    # database), and written under the lock if nothing it rests on has moved since: the dossier's version and the
    # workspace's clock are the same, and what was read is still loaded. Otherwise, and for a refusal (said only on
    # the row as it is under the lock), the decision is taken again under the lock. An action with side effects (a
    # hook: a signature, a payment) or inputs the system fills in (a result number) decides under the lock only.
    # (On PostgreSQL, where writers do not wait for each other, the row is locked and read once, as always.)
    early = None
    if hook is None and not callable(params) and ctx.session.get_bind().dialect.name == "sqlite":
        try:
            early = _decide(ctx, code, action, params, expected_version, locked=False)
        except DomainError:
            early = None
        else:
            if early.outcome.form is not None:  # the documents a form names, read now too: a scan adds a
                early.dossier.documents  # noqa: B018 - document's file, never a name; actions add documents
    with ctx.transaction(keep_reads=early is not None) as session:
        decision = early
        if decision is not None and (
            inspect(decision.dossier).expired  # the reads were not kept (the transaction before had written)
            or ctx.clock != decision.clock  # read again under the lock (see ServiceContext.transaction)
            or session.scalar(_VERSION, {"id": decision.dossier.id}) != decision.version
        ):
            decision = None
        if decision is None:
            decision = _decide(ctx, code, action, params, expected_version, locked=True)
        dossier, outcome, now = decision.dossier, decision.outcome, decision.now
        extra = hook(ctx, dossier, outcome) if hook is not None else None
        from_state = dossier.state
        dossier.load_snapshot(outcome.snapshot)
        record_event(ctx, dossier, action, from_state, outcome.changes, outcome.params, now, extra)
        if outcome.form is not None:
            issue_form(ctx, dossier, outcome.form, now, outcome.params)
        notify_applicant(ctx, dossier, action, now)
    session.expire(dossier, ["documents", "forms"])  # rows added by hooks and forms: reload on next access
    return dossier


def dump_json(value: Any) -> str:
    return json.dumps(json_safe(value), ensure_ascii=False)
