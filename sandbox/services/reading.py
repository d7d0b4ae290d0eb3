"""The reads of one dossier, and the one rule of who may see it: scoped to the workspace, checked against the actor.

:func:`scope` is the rule for lists and counts (``services.listing``, ``statistics``), :func:`check_jurisdiction`
the same rule for one dossier; :func:`get_dossier` reads a dossier (locked for an update, or with what its page
shows), :func:`get_record` reads it as a plain record for the API's look-up. The write path is
``services.dossiers``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlalchemy import ColumnElement, and_, bindparam, false, or_, select, true
from sqlalchemy.orm import defer, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from sandbox.domain import lifecycle
from sandbox.domain.errors import Forbidden, NotFound
from sandbox.domain.lifecycle import Situation
from sandbox.domain.vocabulary import Action, Role
from sandbox.services.context import Actor, ServiceContext
from sandbox.store.models import Dossier, DossierDocument, DossierRecord, Event, IssuedForm

D = TypeVar("D", Dossier, DossierRecord)
DECIDING_SIDE = frozenset({Role.SPECIALIST, Role.DEPT_LEADER, Role.UNIT_LEADER, Role.CLERK})

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


# The same dossier as a plain row (see DossierRecord). Its own Core select, not ``_DOSSIER.with_only_columns``: that
# keeps the ORM's compile plugin and cost 20-25 µs more per execution (measured side by side).
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
