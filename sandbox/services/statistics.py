"""A manager's statistics: the QĐ 766 indicators the dossier record supports (domain.md §5.2).

One aggregate query over the dossiers the actor may see (:func:`reading.scope`) received in a period
(by ``submitted_at``, the receipt time the 766 specification calls ``NgayTiepNhan``), plus the counts
of the dossiers open right now. Rates are percentages with two decimals, ``None`` when the
denominator is 0 (the specification's «N/A»).

Simplifications, stated: the on-time rule of indicator 2.1 is applied with the dossier's own
``finished_at`` / ``paused_at`` / ``due_at`` (pauses already moved the due date), so a dossier waiting
for a supplement is judged at the request time; more than one supplement request counts late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select

from sandbox.domain import lifecycle
from sandbox.domain.errors import Forbidden, InvalidInput
from sandbox.domain.vocabulary import Channel, PaymentMethod, Role, State
from sandbox.services.context import ServiceContext
from sandbox.services.reading import scope
from sandbox.store.models import Dossier, DossierDocument, Rating

MANAGERS = frozenset({Role.UNIT_LEADER, Role.DEPT_LEADER, Role.ADMIN, Role.DESK})
MAX_PERIOD_DAYS = 366


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return datetime.combine(self.start, time.min), datetime.combine(self.end + timedelta(days=1), time.min)


def period_of(today: date, start: date | None, end: date | None) -> Period:
    """The reporting window: the given dates, by default the current month up to today (virtual time)."""
    end = end or today
    start = start or end.replace(day=1)
    if start > end:
        raise InvalidInput("Ngày bắt đầu kỳ báo cáo phải trước hoặc bằng ngày kết thúc.", field="from")
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise InvalidInput(f"Kỳ báo cáo dài tối đa {MAX_PERIOD_DAYS} ngày.", field="from")
    return Period(start, end)


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 2) if whole else None


def indicators(ctx: ServiceContext, period: Period) -> dict[str, Any]:
    """The period's figures for the actor's unit (received, channels, on time, payment, digitisation, votes)."""
    if ctx.actor.kind != "system" and ctx.actor.role not in MANAGERS:
        raise Forbidden("Chỉ lãnh đạo, quản trị đơn vị và cán bộ một cửa được xem số liệu thống kê.")
    start, end = period.bounds
    now = ctx.now()
    d = Dossier
    finished = d.finished_at.is_not(None)
    end_time = case((finished, d.finished_at), (d.paused_at.is_not(None), d.paused_at), else_=min(now, end))
    on_time = and_(d.supplement_count <= 1, or_(d.due_at.is_(None), end_time <= d.due_at))
    open_states = [s for s in State if s not in lifecycle.FINAL_STATES and s is not State.DONE]
    has_file = exists().where(DossierDocument.dossier_id == d.id, DossierDocument.kind != "result",
                              or_(DossierDocument.sha256.is_not(None), DossierDocument.digitized.is_(True)))  # fmt: skip
    reused = exists().where(DossierDocument.dossier_id == d.id, DossierDocument.reused.is_(True))

    def count(cond: Any) -> Any:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    in_scope = and_(d.workspace_id == ctx.workspace_id, scope(ctx.actor))
    row = ctx.session.execute(
        select(
            func.count(),
            count(d.channel == Channel.ONLINE),
            count(d.channel == Channel.COUNTER),
            count(d.channel == Channel.POSTAL),
            count(finished),
            count(on_time),
            count(d.fee_amount > 0),
            count(and_(d.fee_amount > 0, d.payment_method == PaymentMethod.ONLINE.value)),
            count(has_file),
            count(reused),
            count(d.result_signed.is_(True)),
        ).where(in_scope, d.submitted_at >= start, d.submitted_at < end)
    ).one()
    received, online, counter, postal, done, timely, fee_bearing, paid_online, with_files, with_reuse, signed = row
    by_status = dict(
        ctx.session.execute(
            select(d.status, func.count())
            .where(in_scope, d.submitted_at >= start, d.submitted_at < end)
            .group_by(d.status)
        ).all()
    )
    open_now, overdue_now = ctx.session.execute(
        select(func.count(), count(and_(d.due_at.is_not(None), d.due_at < now, d.paused_at.is_(None))))
        .where(in_scope, d.state.in_(open_states))
    ).one()  # fmt: skip
    votes = dict(
        ctx.session.execute(
            select(Rating.level, func.count())
            .join(d, d.id == Rating.dossier_id)
            .where(in_scope, Rating.rated_at >= start, Rating.rated_at < end)
            .group_by(Rating.level)
        ).all()
    )
    rated = sum(votes.values())
    return {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "as_of": now.isoformat(),
        "received": received,
        "by_channel": {"counter": counter, "online": online, "postal": postal},
        "by_status": {str(k): v for k, v in sorted(by_status.items())},
        "finished": done,
        "open_now": open_now,
        "overdue_now": overdue_now,
        "indicators": {
            "on_time_rate": _rate(timely, received),  # 766 §2.1
            "online_rate": _rate(online, received),  # 766 §3.3 (without the sync factor)
            "online_payment_rate": _rate(paid_online, fee_bearing),  # 766 §3.6
            "digitised_input_rate": _rate(with_files, received),  # the input half of 766 §4.2
            "reuse_rate": _rate(with_reuse, received),  # 766 §4.3
            "signed_result_rate": _rate(signed, done),  # 766 §4.1, over finished dossiers
            "dissatisfied_vote_rate": _rate(votes.get("khong_hai_long", 0), rated),  # part of 766 §5.4
        },
        "votes": votes,
    }
