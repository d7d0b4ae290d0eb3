"""The coordination view (Hệ thống điều phối): one officer's work across the four sector systems.

Since 2026 each ministry runs its own system; a provincial centre's desk works in all four. The
coordination page answers "where is my work waiting, and where is it late" with one grouped query.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from sandbox.domain.vocabulary import Sector
from sandbox.services.context import ServiceContext
from sandbox.services.listing import states_for_role
from sandbox.services.reading import scope
from sandbox.store.models import Dossier, Procedure

RUNNING_STATUSES = (2, 4, 6)  # Được tiếp nhận, Đang xử lý, Yêu cầu NVTC: the clock runs, lateness counts


@dataclass(frozen=True)
class SectorWork:
    sector: Sector
    waiting: int  # in this officer's queue (states their role acts on)
    overdue: int  # of those, past the appointment
    due_soon: int  # of those, at most one working day left
    total: int  # every dossier of the sector the officer may see


def work_by_sector(ctx: ServiceContext) -> list[SectorWork]:
    now = ctx.now()
    soon = ctx.calendar.add_office_hours(now, ctx.calendar.hours_per_day)
    mine = Dossier.state.in_(states_for_role(ctx.actor.role))
    running = and_(mine, Dossier.status.in_(RUNNING_STATUSES), Dossier.due_at.is_not(None),
                   Dossier.paused_at.is_(None))  # fmt: skip
    count_if = lambda cond: func.coalesce(func.sum(case((cond, 1), else_=0)), 0)  # noqa: E731
    stmt = (
        select(
            Procedure.sector_id,
            count_if(mine),
            count_if(and_(running, Dossier.due_at < now)),
            count_if(and_(running, Dossier.due_at >= now, Dossier.due_at <= soon)),
            func.count(),
        )  # fmt: skip
        .join(Dossier.procedure)
        .where(Dossier.workspace_id == ctx.workspace_id, scope(ctx.actor))
        .group_by(Procedure.sector_id)
    )
    found = {Sector(row[0]): row for row in ctx.session.execute(stmt)}
    return [SectorWork(s, *(int(v) for v in found[s][1:])) if s in found else SectorWork(s, 0, 0, 0, 0) for s in Sector]
