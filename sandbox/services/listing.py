"""The lists of dossiers an actor sees: work queues, searches, filters, paging, status counts.

Every list is scoped by :func:`sandbox.services.reading.scope`, the one rule of who sees what, and its
statements are built once per shape of request (:func:`_listing`).
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, false, func, not_, or_, select
from sqlalchemy.orm import defer

from sandbox.domain import lifecycle
from sandbox.domain.errors import InvalidInput
from sandbox.domain.vocabulary import Role, Sector, State
from sandbox.services.context import Actor, ServiceContext
from sandbox.services.reading import scope
from sandbox.store.models import Dossier, Procedure


@dataclass(frozen=True)
class Page:
    items: list[Dossier]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def states_for_role(role: Role) -> list[State]:
    """States in which ``role`` has the next step to take: the officer's work queue, derived from the table."""
    seen: list[State] = []
    for t in lifecycle.TRANSITIONS:
        if (
            t.source is not None
            and role in t.roles
            and t.source not in seen
            and t.action not in lifecycle.REACTIVE_ACTIONS
        ):
            seen.append(t.source)
    return seen


# What a list shows of each dossier: not its eForm values (the procedure's name and code come from its card,
# see ``store.catalogue``). Whatever else is touched loads on access.
LISTED = (defer(Dossier.form_data),)
# What a JSON list shows of each dossier (``web.api.serializers.dossier_json``), read as plain rows.
LIST_COLUMNS = tuple(
    getattr(Dossier, name)
    for name in ("id", "code", "status", "state", "version", "channel", "procedure_id", "applicant_name",
                 "applicant_id_number", "receiving_agency_id", "deciding_agency_id", "submitted_at", "received_at",
                 "due_at", "original_due_at", "paused_at", "finished_at", "returned_at", "fee_amount", "fee_paid",
                 "result_signed", "result_number", "supplement_count")
)  # fmt: skip


def list_dossiers(
    ctx: ServiceContext,
    *,
    status: int | None = None,
    state: State | None = None,
    q: str | None = None,
    procedure_code: str | None = None,
    sector: Sector | None = None,
    queue: bool = False,
    overdue: bool | None = None,
    page: int = 1,
    per_page: int = 20,
    rows: bool = False,
) -> Page:
    """Dossiers of this workspace visible to the actor, filtered and paged (newest first).

    ``rows``: the items are rows of :data:`LIST_COLUMNS` (read by name, as a dossier's attributes are), not
    ORM objects: what a JSON list needs, in a third of the time (no identity map, no instrumented
    attributes; ``bench/api.py``)."""
    if page < 1 or not 1 <= per_page <= 200:
        raise InvalidInput("Tham số phân trang không hợp lệ (page ≥ 1, 1 ≤ per_page ≤ 200).")
    actor = ctx.actor
    params: dict[str, Any] = {**_visible_params(ctx), "status": status, "state": state, "procedure_code": procedure_code,
                              "sector": sector, "offset": (page - 1) * per_page, "limit": per_page}  # fmt: skip
    search = None
    if q:
        needle = unicodedata.normalize("NFC", q.strip())  # some keyboards type combining accents (NFD)
        if len(needle) > 100:
            raise InvalidInput("Từ khóa tìm kiếm quá dài (tối đa 100 ký tự).")
        # a CCCD, an old CMND or a tax code: only an applicant's number can hold 9+ digits in a row (dossier codes
        # have at most 8), so use the index instead of reading every dossier of the unit
        search = "number" if needle.isdigit() and len(needle) >= 9 else "text"
        params.update(needle=needle, like=f"%{needle}%")
    if overdue is not None:
        params["now"] = ctx.now()
    count, listing, listing_rows = _listing(actor.kind, actor.role, queue, status is not None, state is not None,
                                            bool(procedure_code), sector is not None, search, overdue)  # fmt: skip
    items = ctx.session.execute(listing_rows, params).all() if rows else ctx.session.scalars(listing, params).all()
    # a page that is not full is the last one: it says how many there are (same transaction, same rows) without
    # counting them again; a full page or an empty one after the first is counted
    if 0 < len(items) < per_page or (not items and page == 1):
        total = params["offset"] + len(items)
    else:
        total = ctx.session.scalar(count, params) or 0
    return Page(list(items), total, page, per_page)


@functools.lru_cache(maxsize=1024)
def _listing(kind: str, role: Role, queue: bool, by_status: bool, by_state: bool, by_procedure: bool, by_sector: bool,
             search: str | None, overdue: bool | None) -> tuple[Select[Any], Select[Any], Select[Any]]:  # fmt: skip
    """The count and the page of :func:`list_dossiers` for one shape of request (as objects and as rows), built
    once: building them took longer than SQLite takes to answer (every value, the actor's included, is a
    parameter; see :func:`scope`)."""
    stmt = select(Dossier).where(_visible(kind, role))
    if queue:  # equalities, not IN: an IN list is rendered again at every execution (SQLite reads both alike);
        # a role with no step of its own (administrator, trainer) has an empty queue
        stmt = stmt.where(or_(false(), *(Dossier.state == s for s in states_for_role(role))))
    if by_status:
        stmt = stmt.where(Dossier.status == bindparam("status"))
    if by_state:
        stmt = stmt.where(Dossier.state == bindparam("state"))
    if by_procedure:
        stmt = stmt.join(Dossier.procedure).where(Procedure.code == bindparam("procedure_code"))
    if by_sector:
        stmt = stmt.where(
            Dossier.procedure_id.in_(select(Procedure.id).where(Procedure.sector_id == bindparam("sector")))
        )
    if search == "number":
        stmt = stmt.where(Dossier.applicant_id_number == bindparam("needle"))
    elif search == "text":
        needle, like = bindparam("needle"), bindparam("like")
        by_procedure_name = select(Procedure.id).where(or_(Procedure.code == needle, Procedure.name.ilike(like)))
        stmt = stmt.where(
            or_(Dossier.code.like(like), Dossier.applicant_id_number == needle, Dossier.applicant_name.ilike(like),
                Dossier.procedure_id.in_(by_procedure_name))
        )  # fmt: skip
    if overdue is not None:
        open_states = [s for s in State if s not in lifecycle.FINAL_STATES and s is not State.DONE]
        late = and_(Dossier.due_at.is_not(None), Dossier.due_at < bindparam("now"), Dossier.state.in_(open_states),
                    Dossier.paused_at.is_(None))  # fmt: skip
        stmt = stmt.where(late if overdue else not_(late))
    count = select(func.count()).select_from(stmt.subquery())
    # A work queue shows the most urgent first; a search shows the newest first.
    order = (Dossier.due_at.is_(None), Dossier.due_at, Dossier.id) if queue or overdue else (Dossier.id.desc(),)
    page = stmt.order_by(*order).offset(bindparam("offset")).limit(bindparam("limit"))
    return count, page.options(*LISTED), page.with_only_columns(*LIST_COLUMNS)


def status_counts(ctx: ServiceContext) -> dict[int, int]:
    """Number of dossiers per national status code visible to the actor (for queue badges)."""
    statement = _status_counts(ctx.actor.kind, ctx.actor.role)
    return {int(s): n for s, n in ctx.session.execute(statement, _visible_params(ctx))}


@functools.lru_cache(maxsize=64)
def _status_counts(kind: str, role: Role) -> Select[Any]:
    """The statement of :func:`status_counts` for one kind of actor, built once (as ``_listing``)."""
    return select(Dossier.status, func.count()).where(_visible(kind, role)).group_by(Dossier.status)


def _visible(kind: str, role: Role) -> ColumnElement[bool]:
    """The dossiers of the workspace that every actor of this kind and role may see (:func:`scope`), with the
    workspace and the actor as parameters: a statement built with it serves them all (see :func:`_visible_params`)."""
    return and_(Dossier.workspace_id == bindparam("workspace_id"), scope(Actor(kind=kind, id=None, name="", role=role)))


def _visible_params(ctx: ServiceContext) -> dict[str, Any]:
    """The values of :func:`_visible`'s parameters for this request's actor and workspace."""
    return {"workspace_id": ctx.workspace_id, "actor_id": ctx.actor.id, "actor_agency_id": ctx.actor.agency_id}
