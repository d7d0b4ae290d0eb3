"""Seeded dossiers: random plans, played through the real transition table by the stager.

A dossier is planned (target state, channel, procedure, agencies, applicant, the actions that
lead to the target and when each happened); :class:`sandbox.services.staging.Stager` plays it
with this module's :class:`DossierSeeder` as the director (who acted, with which inputs).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from sandbox.domain import lifecycle
from sandbox.domain.calendar import WorkingCalendar
from sandbox.domain.identifiers import TT01_2018, DossierCodeFormat, format_dossier_code
from sandbox.domain.lifecycle import Snapshot
from sandbox.domain.vocabulary import Action, Channel, CompetentLevel, Role, Sector, State
from sandbox.integrations.signing import MockSigningService
from sandbox.seeding.officers import Staff
from sandbox.services.staging import (
    Applicant,
    AttachedDocument,
    Plan,
    ProcedureInfo,
    Rows,
    StagedActor,
    Stager,
    walk,
)

A, S = Action, State
TARGET_WEIGHTS: dict[State, float] = {
    S.NEW: 7, S.SUPPLEMENT_AT_DESK: 3, S.RECEIVED: 4, S.NOT_RECEIVED: 3, S.AWAITING_ASSIGNMENT: 5,
    S.APPRAISING: 10, S.AWAITING_APPROVAL: 5, S.AWAITING_SIGNATURE: 4, S.AWAITING_ISSUE: 3,
    S.SUPPLEMENT_IN_PROCESSING: 4, S.FINANCIAL_OBLIGATION: 3, S.WITHDRAWN: 2, S.STOPPED: 2, S.DONE: 7,
    S.RETURNED: 38,
}  # fmt: skip
ONLINE_ONLY = {S.NEW, S.SUPPLEMENT_AT_DESK, S.NOT_RECEIVED}
COMPANY_SECTORS = {Sector.KHCN, Sector.XAYDUNG, Sector.NNMT}  # sectors where companies often file
FINISHED = {S.DONE, S.RETURNED}
CLOSED_EARLY = {S.NOT_RECEIVED, S.WITHDRAWN, S.STOPPED}
CLOCK_RUNNING = {t.source for t in lifecycle.TRANSITIONS if t.action is A.APOLOGISE}

REASONS = {
    A.REFUSE: ["Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan.", "Người nộp không đủ điều kiện thực hiện thủ tục.",
               "Quá thời hạn bổ sung hồ sơ theo phiếu yêu cầu mà công dân chưa bổ sung."],
    A.REQUEST_SUPPLEMENT: ["Bản sao chưa được chứng thực; đề nghị bổ sung bản sao có chứng thực.",
                           "Tờ khai thiếu chữ ký của người đề nghị.", "Giấy tờ đã hết hiệu lực, đề nghị bổ sung bản còn hiệu lực."],
    A.WITHDRAW: ["Công dân đề nghị rút hồ sơ để điều chỉnh nội dung đề nghị.", "Công dân không còn nhu cầu giải quyết."],
    A.STOP: ["Cơ sở không đáp ứng điều kiện theo quy định sau khi thẩm định thực tế.",
             "Có tranh chấp liên quan, chờ cơ quan có thẩm quyền giải quyết."],
    A.RETURN_FOR_REWORK: ["Dự thảo kết quả còn sai thông tin chủ hồ sơ, đề nghị chỉnh sửa.",
                          "Cần bổ sung căn cứ pháp lý trong tờ trình."],
    A.APOLOGISE: ["Hồ sơ cần xin ý kiến cơ quan liên quan nên chưa kịp trả kết quả đúng hẹn.",
                  "Khối lượng hồ sơ tăng đột biến, chưa hoàn thành thẩm định đúng hạn."],
}  # fmt: skip
OPINIONS = ["Hồ sơ đầy đủ, hợp lệ; đề nghị phê duyệt.", "Đủ điều kiện theo quy định; trình lãnh đạo xem xét, ký duyệt."]


def recipe(rng: random.Random, target: State, channel: Channel, proc: ProcedureInfo) -> list[Action]:
    """The actions that take a new dossier to ``target``, with the usual detours."""
    if target in ONLINE_ONLY:
        if target is S.NEW:
            return [A.SUBMIT_ONLINE]
        if target is S.SUPPLEMENT_AT_DESK:
            return [A.SUBMIT_ONLINE, A.REQUEST_SUPPLEMENT] + ([A.SUBMIT_SUPPLEMENT] if rng.random() < 0.4 else [])
        return [A.SUBMIT_ONLINE] + ([A.REQUEST_SUPPLEMENT] if rng.random() < 0.3 else []) + [A.REFUSE]
    online = channel is Channel.ONLINE
    if not online:
        head = [A.RECEIVE_AT_COUNTER]
    elif rng.random() < 0.1:
        head = [A.SUBMIT_ONLINE, A.REQUEST_SUPPLEMENT, A.SUBMIT_SUPPLEMENT, A.COMPLETE_SUPPLEMENT]
    else:
        head = [A.SUBMIT_ONLINE, A.ACCEPT]
    body = [A.FORWARD, A.ASSIGN]
    if target is S.SUPPLEMENT_IN_PROCESSING or rng.random() < 0.1:
        # an online applicant supplements on the portal before the desk confirms; at the counter they bring papers
        body += [A.REQUEST_SUPPLEMENT] + ([A.SUBMIT_SUPPLEMENT] if online else []) + [A.COMPLETE_SUPPLEMENT]
    if proc.facts.fee > 0 and (proc.facts.payment_required or target is S.FINANCIAL_OBLIGATION):
        body += [A.REQUEST_FEE, A.CONFIRM_PAYMENT]
    body += [A.APPRAISE]
    if rng.random() < 0.07:
        body += [A.RETURN_FOR_REWORK, A.APPRAISE]
    full = head + body + [A.APPROVE, A.SIGN, A.ISSUE, A.RETURN_RESULT]
    states = walk(full)
    if target in (S.WITHDRAWN, S.STOPPED):
        closing = A.WITHDRAW if target is S.WITHDRAWN else A.STOP
        cuts = [i for i, s in enumerate(states) if lifecycle.transition_for(s, closing) is not None]
        k = rng.choice(cuts)
        return full[: k + 1] + [closing]
    return full[: states.index(target) + 1]


class DossierSeeder:
    """Plans dossiers at random and directs their staging (who acted, with which inputs)."""

    def __init__(
        self,
        rng: random.Random,
        *,
        workspace_id: str,
        now: datetime,
        calendar: WorkingCalendar,
        staff: Staff,
        procedures: list[ProcedureInfo],
        venues: dict[CompetentLevel, list[tuple[dict[str, Any], dict[str, Any]]]],
        applicants: dict[str, list[Applicant]],
        companies: dict[str, list[Applicant]],
        online_share: float,
        signing: MockSigningService,
        code_format: DossierCodeFormat = TT01_2018,
    ) -> None:
        self.rng, self.workspace_id, self.now, self.calendar = rng, workspace_id, now, calendar
        self.staff, self.procedures, self.venues, self.applicants = staff, procedures, venues, applicants
        self.companies = companies
        self.online_share, self.signing, self.code_format = online_share, signing, code_format
        self._fee_procedures = [p for p in procedures if p.facts.fee > 0]
        self._targets = list(TARGET_WEIGHTS)
        self._weights = list(TARGET_WEIGHTS.values())
        self._apology_dates: dict[int, date] = {}
        self._pays_online = True  # decided with the payer in actor(), read by params()
        self.stager = Stager(workspace_id=workspace_id, calendar=calendar, signing=signing, director=self)
        # Working days before "now", newest first: a plan steps back through them by index.
        days, day = [], now.date()
        while len(days) < 400:
            day -= timedelta(days=1)
            if calendar.is_working_day(day):
                days.append(day)
        self._days_before: list[date] = days

    # -------------------------------------------------------------- planning

    def _back(self, hours: float) -> datetime:
        """The office instant ``hours`` office hours before now (working days indexed once, see __init__)."""
        cal, now, per_day = self.calendar, self.now, self.calendar.hours_per_day
        remaining = hours - max(0.0, cal.office_hours_between(datetime.combine(now.date(), time(7)), now))
        if remaining <= 0:
            return cal.add_office_hours(datetime.combine(now.date(), time(7)), -remaining)
        days_back = int(-(-remaining // per_day))  # ceil: how many whole working days to step back
        day = self._days_before[min(days_back, len(self._days_before)) - 1]
        return cal.add_office_hours(datetime.combine(day, time(7)), days_back * per_day - remaining)

    def plan(self, index: int) -> Plan:
        rng = self.rng
        target = self._targets[index] if index < len(self._targets) else rng.choices(self._targets, self._weights)[0]
        proc = rng.choice(self._fee_procedures if target is S.FINANCIAL_OBLIGATION else self.procedures)
        channel = Channel.ONLINE if target in ONLINE_ONLY or rng.random() < self.online_share else Channel.COUNTER
        venues = self.venues[proc.level]
        if proc.level is CompetentLevel.PROVINCE:
            venues = [v for v in venues if v[1]["sector_id"] == proc.sector]
        receiving, deciding = rng.choice(venues)
        province = deciding["province_code"]
        by_company = proc.sector in COMPANY_SECTORS and self.companies.get(province) and rng.random() < 0.3
        applicant = rng.choice(self.companies[province] if by_company else self.applicants[province])
        actions = recipe(rng, target, channel, proc)
        times = self._times(target, proc, actions)
        return Plan(channel, proc, receiving, deciding, applicant, actions, times, target=target)

    def _times(self, target: State, proc: ProcedureInfo, actions: list[Action]) -> list[datetime]:
        rng, cal = self.rng, self.calendar
        deadline_h = proc.facts.deadline_days * cal.hours_per_day
        if target in FINISHED:
            span = deadline_h * rng.uniform(0.3, 1.15)
            start = self._back(span + rng.uniform(1, 30 * cal.hours_per_day))
        elif target in CLOSED_EARLY:
            span = rng.uniform(1, max(2.0, deadline_h))
            start = self._back(span + rng.uniform(0, 20 * cal.hours_per_day))
        else:
            start = self._back(max(1.0, deadline_h * rng.uniform(0.05, 1.5)))
            span = cal.office_hours_between(start, self.now) * rng.uniform(0.3, 0.95)
        cuts = sorted(rng.random() for _ in range(len(actions) - 1))
        times, previous = [start], 0.0
        for cut in cuts:  # each step walks on from the previous one (not from the start: linear, not quadratic)
            times.append(cal.add_office_hours(times[-1], span * (cut - previous) + 0.02))
            previous = cut
        return [t.replace(microsecond=0) for t in times]

    def plans(self, count: int) -> list[Plan]:
        """Plan ``count`` dossiers, then number them in arrival order (TT 01/2018 daily sequence)."""
        plans = sorted((self.plan(i) for i in range(count)), key=lambda p: p.times[0])
        counters: dict[tuple[str, date], int] = {}
        for n, p in enumerate(plans, start=1):
            key = (p.receiving["code"], p.times[0].date())
            counters[key] = counters.get(key, 0) + 1
            p.id, p.code = n, format_dossier_code(key[0], key[1], counters[key], self.code_format)
        self.counters = counters
        return plans

    # -------------------------------------------------------------- playing

    # -------------------------------------------------------------- directing (see services.staging.Director)

    def actor(self, plan: Plan, action: Action, snap: Snapshot) -> StagedActor:
        t = lifecycle.transition_for(snap.state, action)
        assert t is not None
        online = plan.channel is Channel.ONLINE
        if action is A.CONFIRM_PAYMENT:  # online payers pay on the platform themselves; others pay cash at the desk
            self._pays_online = online or self.rng.random() < 0.5
            online = self._pays_online
        if Role.CITIZEN in t.roles and (online or Role.DESK not in t.roles):
            return StagedActor("citizen", plan.applicant.id, plan.applicant.name, Role.CITIZEN)
        role = Role.DESK if Role.DESK in t.roles else min(t.roles, key=lambda r: r.value)
        if role is Role.SPECIALIST and snap.assignee_id is not None:
            oid = snap.assignee_id
        else:
            agency = plan.receiving if role is Role.DESK else plan.deciding
            oid = self.rng.choice(self.staff.of(agency["id"], role))
        return StagedActor("officer", oid, self.staff.names[oid], role)

    def params(self, plan: Plan, action: Action, when: datetime, snap: Snapshot) -> dict[str, Any]:
        rng = self.rng
        if action in (A.REFUSE, A.WITHDRAW, A.STOP, A.RETURN_FOR_REWORK):
            return {"reason": rng.choice(REASONS[action])}
        if action is A.REQUEST_SUPPLEMENT:
            docs = [d["code"] for d in plan.procedure.documents]
            return {"documents": rng.sample(docs, k=min(len(docs), rng.choice((1, 1, 2)))),
                    "reason": rng.choice(REASONS[action])}  # fmt: skip
        if action is A.ASSIGN:
            return {"assignee_id": rng.choice(self.staff.of(plan.deciding["id"], Role.SPECIALIST))}
        if action is A.APPRAISE:
            return {"opinion": rng.choice(OPINIONS)}
        if action is A.CONFIRM_PAYMENT:
            return {"method": "online" if self._pays_online else "cash"}
        if action is A.SUBMIT_SUPPLEMENT:
            return {"note": "Đã tải lên giấy tờ bổ sung theo phiếu yêu cầu."}
        if action is A.APOLOGISE:
            return {"reason": rng.choice(REASONS[action]), "new_due_date": self._apology_dates[plan.id]}
        return {}

    def input_documents(self, plan: Plan) -> list[AttachedDocument]:
        """Required documents, some optional ones; a few paper documents were not digitised."""
        rng = self.rng
        return [
            AttachedDocument(d, digitized=d["digitize"] and rng.random() < 0.92, reused=rng.random() < 0.15)
            for d in plan.procedure.documents
            if d["required"] or rng.random() >= 0.6
        ]

    def extend(self, plan: Plan, snap: Snapshot) -> None:
        """Half of the overdue open dossiers already got an apology letter with a new appointment."""
        last = plan.times[-1]
        if snap.state not in CLOCK_RUNNING or snap.due_at is None or snap.due_at >= self.now:
            return
        if self.rng.random() >= 0.5:
            return
        when = self.calendar.add_office_hours(max(last, snap.due_at - timedelta(hours=4)), 0.1).replace(microsecond=0)
        if when >= self.now:
            return
        new_date = self.calendar.add_working_days(self.now.date(), self.rng.randint(2, 5))
        plan.actions.append(A.APOLOGISE)
        plan.times.append(when)
        self._apology_dates[plan.id] = new_date

    def generate(self, plans: list[Plan], chunk: int = 2000) -> Iterator[Rows]:
        """Play the plans in chunks, yielding rows ready for executemany."""
        for start in range(0, len(plans), chunk):
            rows = Rows()
            for plan in plans[start : start + chunk]:
                self.stager.play(plan, rows)
            yield rows
