"""The shared machinery of every dossier use case, and the reads of one dossier (lists: ``services.listing``).

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
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, bindparam, false, inspect, or_, select, true
from sqlalchemy.orm import defer, joinedload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from sandbox.domain import lifecycle
from sandbox.domain.clock import SimulatedClock
from sandbox.domain.errors import Conflict, DomainError, Forbidden, NotFound
from sandbox.domain.lifecycle import Outcome, Situation
from sandbox.domain.vocabulary import Action, Activity, Form, Role, State
from sandbox.services.context import Actor, ServiceContext
from sandbox.services.notices import notice_for
from sandbox.store.models import Dossier, DossierDocument, DossierRecord, Event, IssuedForm

D = TypeVar("D", Dossier, DossierRecord)
Hook = Callable[[ServiceContext, Dossier, Outcome], "dict[str, Any] | None"]
ParamSource = Mapping[str, Any] | Callable[[ServiceContext, Dossier], Mapping[str, Any]] | None

DECIDING_SIDE = frozenset({Role.SPECIALIST, Role.DEPT_LEADER, Role.UNIT_LEADER, Role.CLERK})


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


# --------------------------------------------------------------------------- reads


# Built once: building a select costs more than SQLite takes to answer it.
_DOSSIER = select(Dossier).where(Dossier.workspace_id == bindparam("workspace_id"), Dossier.code == bindparam("code"))
# lock the dossier row, and read it afresh even if this session already holds the object: decisions are taken on
# the row as it is now
_DOSSIER_FOR_UPDATE = _DOSSIER.with_for_update(of=Dossier).execution_options(populate_existing=True)
# A dossier's page shows both agencies, its documents and forms: the agencies joined, the documents and forms by two
# statements built once and set as the loaded collections (a selectin load builds its statement at every page:
# 1.27 → 0.60 ms measured side by side); its procedure's documents come from its card (``store.catalogue``).
_DOSSIER_PAGE = _DOSSIER.options(joinedload(Dossier.receiving_agency), joinedload(Dossier.deciding_agency))
_PAGE_DOCUMENTS = (
    select(DossierDocument).where(DossierDocument.dossier_id == bindparam("dossier_id")).order_by(DossierDocument.id)
)
_PAGE_FORMS = (  # the page lists the forms; their data is for printing
    select(IssuedForm)
    .options(defer(IssuedForm.data))
    .where(IssuedForm.dossier_id == bindparam("dossier_id"))
    .order_by(IssuedForm.id)
)


# The same dossier as a plain row (see DossierRecord).
_DOSSIER_ROW = select(*Dossier.__table__.c).where(
    Dossier.workspace_id == bindparam("workspace_id"), Dossier.code == bindparam("code")
)


def get_dossier(ctx: ServiceContext, code: str, *, for_update: bool = False, page: bool = False) -> Dossier:
    """The dossier with ``code`` in this workspace, or :class:`NotFound` (never another workspace's)."""
    stmt = _DOSSIER_FOR_UPDATE if for_update else _DOSSIER_PAGE if page else _DOSSIER
    dossier = _found(ctx.session.scalars(stmt, _by_code(ctx, code)).first(), code)
    if page:  # as their relationships would load them (same order), without their history
        ids = {"dossier_id": dossier.id}
        set_committed_value(dossier, "documents", list(ctx.session.scalars(_PAGE_DOCUMENTS, ids)))
        set_committed_value(dossier, "forms", list(ctx.session.scalars(_PAGE_FORMS, ids)))
    return dossier


def get_record(ctx: ServiceContext, code: str) -> DossierRecord:
    """:func:`get_dossier`, as a :class:`DossierRecord`: for reading only."""
    row = ctx.session.connection().execute(_DOSSIER_ROW, _by_code(ctx, code)).first()
    return _found(DossierRecord(ctx.session, row) if row is not None else None, code)


def _by_code(ctx: ServiceContext, code: str) -> dict[str, str]:
    if not isinstance(code, str) or not code or len(code) > 40:
        raise NotFound("Mã hồ sơ không hợp lệ.")
    return {"workspace_id": ctx.workspace_id, "code": code}


def _found(dossier: D | None, code: str) -> D:
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ có mã {code}.")
    return dossier


def scope(actor: Actor) -> ColumnElement[bool]:
    """Which dossiers of the workspace ``actor`` may see and act on (one rule for lists, counts and actions).

    Desk: received at their centre. Specialist: decided by their agency, assigned to them or not yet
    assigned. Other officers: decided by their agency. Unit administrator: received or decided by their
    unit. Applicant: their own dossiers. A system actor (seeding, scenario runs): everything.
    """
    if actor.kind == "system":
        return true()
    # Named parameters, so that _listing can build a statement once and bind each actor's values at execution.
    # (So one statement cannot hold the scopes of two different actors: they would share these names.)
    me, unit = bindparam("actor_id", actor.id), bindparam("actor_agency_id", actor.agency_id)
    if actor.role is Role.CITIZEN:
        return Dossier.citizen_id == me
    if actor.role is Role.DESK:
        return Dossier.receiving_agency_id == unit
    if actor.role is Role.SPECIALIST:
        mine = or_(Dossier.assignee_id == me, Dossier.assignee_id.is_(None))
        return and_(Dossier.deciding_agency_id == unit, mine)
    if actor.role in DECIDING_SIDE:
        return Dossier.deciding_agency_id == unit
    if actor.role is Role.ADMIN:
        return or_(Dossier.receiving_agency_id == unit, Dossier.deciding_agency_id == unit)
    return false()


def check_jurisdiction(ctx: ServiceContext, dossier: Dossier | DossierRecord) -> None:
    """Raise :class:`Forbidden` (with the reason) unless ``dossier`` is within the actor's :func:`scope`."""
    actor = ctx.actor
    if actor.kind == "system":
        return
    if actor.role is Role.CITIZEN:
        ok, reason = dossier.citizen_id == actor.id, "Hồ sơ này không phải của bạn."
    elif actor.role is Role.DESK:
        ok, reason = dossier.receiving_agency_id == actor.agency_id, "Hồ sơ không được tiếp nhận tại đơn vị của bạn."
    elif actor.role in DECIDING_SIDE:
        ok, reason = (dossier.deciding_agency_id == actor.agency_id,
                      "Hồ sơ không thuộc thẩm quyền giải quyết của đơn vị bạn.")  # fmt: skip
        if ok and actor.role is Role.SPECIALIST and dossier.assignee_id not in (None, actor.id):
            ok, reason = False, "Hồ sơ đã được phân công cho chuyên viên khác."
    elif actor.role is Role.ADMIN:
        ok = actor.agency_id in (dossier.receiving_agency_id, dossier.deciding_agency_id)
        reason = "Hồ sơ không thuộc đơn vị bạn quản trị."
    else:
        ok, reason = False, "Vai trò của bạn không được xem hồ sơ."
    if not ok:
        raise Forbidden(reason)


def visible_dossier(ctx: ServiceContext, code: str, *, page: bool = False) -> Dossier:
    """The dossier ``code`` for reading, if the actor may see it (:class:`NotFound`, then :class:`Forbidden`).

    ``page``: with what its page shows (see ``_DOSSIER_PAGE``)."""
    dossier = get_dossier(ctx, code, page=page)
    check_jurisdiction(ctx, dossier)
    return dossier


def visible_record(ctx: ServiceContext, code: str) -> DossierRecord:
    """:func:`visible_dossier` as a :class:`DossierRecord` (the API's look-up: it only reads)."""
    record = get_record(ctx, code)
    check_jurisdiction(ctx, record)
    return record


def situation_of(ctx: ServiceContext, dossier: Dossier | DossierRecord, now: datetime | None = None) -> Situation:
    return Situation(
        snapshot=dossier.snapshot(),
        procedure=dossier.card.facts,
        role=ctx.actor.role,
        now=now or ctx.now(),
        calendar=ctx.calendar,
        channel=int(dossier.channel),
    )


def allowed_actions(ctx: ServiceContext, dossier: Dossier | DossierRecord) -> list[Action]:
    """What the current actor may do to this dossier now (empty outside their jurisdiction)."""
    try:
        check_jurisdiction(ctx, dossier)
    except Forbidden:
        return []
    return lifecycle.allowed_actions(situation_of(ctx, dossier))


_EVENTS = (
    select(Event)
    .where(Event.workspace_id == bindparam("workspace_id"), Event.dossier_id == bindparam("dossier_id"))
    .order_by(Event.id)
)


def dossier_events(ctx: ServiceContext, dossier: Dossier | DossierRecord) -> list[Event]:
    return list(ctx.session.scalars(_EVENTS, {"workspace_id": ctx.workspace_id, "dossier_id": dossier.id}))


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
