"""Training workspaces: one isolated copy of a scenario's world per trainee, with its own clock.

A scenario's setup is a template: which dossiers exist, how far each has gone, how old it is.
:func:`create_workspace` instantiates it for one trainee, deterministically from
``(scenario, trainee_seed)``: the same difficulty for everybody, but different applicants,
CCCD numbers and dossier codes, so answers cannot be copied from a neighbour, and any trainee's
world can be rebuilt exactly. Histories are staged through the lifecycle table
(:mod:`sandbox.services.staging`) and written with one bulk insert per table.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sandbox.domain import lifecycle
from sandbox.domain.calendar import WorkingCalendar
from sandbox.domain.errors import InvalidInput, NotFound
from sandbox.domain.identifiers import format_dossier_code
from sandbox.domain.lifecycle import ProcedureFacts, Snapshot
from sandbox.domain.vocabulary import Action, Channel, CompetentLevel, Role
from sandbox.integrations.signing import MockSigningService
from sandbox.services.context import begin_write, vietnam_now
from sandbox.services.staging import (
    Applicant,
    AttachedDocument,
    Plan,
    ProcedureInfo,
    Rows,
    StagedActor,
    Stager,
)
from sandbox.store.bulk import reserve_ids
from sandbox.store.models import (
    Agency,
    Business,
    Citizen,
    Commune,
    Dossier,
    DossierCounter,
    DossierDocument,
    Event,
    FeeAccount,
    IssuedForm,
    Notification,
    Officer,
    Payment,
    Procedure,
    ProcessDefinition,
    Province,
    Rating,
    Signature,
    Workspace,
)
from sandbox.training.scenarios import DossierSetup, Scenario

WORKSPACE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
POOL_SIZE = 2000
SETUP_REASONS = {
    Action.REFUSE: "Hồ sơ không thuộc thẩm quyền giải quyết.",
    Action.REQUEST_SUPPLEMENT: "Bản sao chưa được chứng thực; đề nghị bổ sung bản có chứng thực.",
    Action.APPRAISE: "Hồ sơ đầy đủ, hợp lệ; đề nghị phê duyệt.",
    Action.STOP: "Cơ sở không đáp ứng điều kiện theo quy định.",
    Action.WITHDRAW: "Công dân đề nghị rút hồ sơ.",
    Action.RETURN_FOR_REWORK: "Dự thảo kết quả cần chỉnh sửa.",
}


@dataclass
class WorldIndex:
    """The reference data a workspace builder needs, read once per process (it never changes)."""

    procedures: dict[str, ProcedureInfo]
    venues: dict[tuple[str, Any], tuple[dict[str, Any], dict[str, Any]]]  # (level, sector) -> (receiving, deciding)
    officers: dict[tuple[int, Role], list[tuple[int, str]]]  # (agency id, role) -> [(officer id, name)]
    citizens: list[Applicant]
    companies: list[Applicant]
    province_centre: dict[str, Any]

    @classmethod
    def load(cls, session: Session) -> WorldIndex:
        demo = session.execute(
            select(Agency.province_code).join(Officer, Officer.agency_id == Agency.id).where(Officer.is_demo.is_(True))
        ).scalar()
        if demo is None:
            raise NotFound("Chưa có thế giới dữ liệu mẫu (không có cán bộ mẫu). Chạy: sandbox seed")
        procedures = {}
        for p in session.scalars(select(Procedure)):
            docs = [dict(code=d.code, name=d.name, copy_type=d.copy_type, required=d.required, digitize=d.digitize)
                    for d in p.documents]  # fmt: skip
            facts = ProcedureFacts(p.code, p.deadline_days, p.fee, p.payment_required, tuple(d["code"] for d in docs))
            procedures[p.code] = ProcedureInfo(p.id, p.code, p.name, p.result, p.level, p.sector_id, facts, docs,
                                               p.eform)  # fmt: skip
        officers: dict[tuple[int, Role], list[tuple[int, str]]] = {}
        for oid, agency_id, role, name in session.execute(
            select(Officer.id, Officer.agency_id, Officer.role, Officer.full_name)
            .where(Officer.is_demo.is_(True))
            .order_by(Officer.id)
        ):
            officers.setdefault((agency_id, role), []).append((oid, name))
        staffed = {agency_id for agency_id, _ in officers}
        agencies = [_agency_dict(a) for a in session.scalars(select(Agency).where(Agency.id.in_(staffed)))]
        by_kind = {a["kind"]: a for a in sorted(agencies, key=lambda a: a["id"], reverse=True)}
        venues: dict[tuple[str, Any], tuple[dict[str, Any], dict[str, Any]]] = {}
        for a in agencies:
            if a["kind"] == "so":
                venues[("province", a["sector_id"])] = (by_kind["ttpvhcc_tinh"], a)
        communes = sorted((a for a in agencies if a["kind"] == "ubnd_xa"), key=lambda a: a["id"])
        centres = {a["commune_code"]: a for a in agencies if a["kind"] == "ttpvhcc_xa"}
        if communes:
            venues[("commune", None)] = (centres[communes[0]["commune_code"]], communes[0])
        return cls(procedures, venues, officers, _citizen_pool(session, demo), _company_pool(session, demo),
                   by_kind["ttpvhcc_tinh"])  # fmt: skip

    def venue(self, setup: DossierSetup, procedure: ProcedureInfo) -> tuple[dict[str, Any], dict[str, Any]]:
        """(receiving centre, competent agency). The competent agency follows the procedure; a commune-level
        dossier received at the provincial centre (``venue: province``) is a boundary-free receipt."""
        level = "province" if procedure.level is CompetentLevel.PROVINCE else "commune"
        key = (level, procedure.sector if level == "province" else None)
        if key not in self.venues:
            raise InvalidInput(f"Không có đơn vị mẫu giải quyết thủ tục {procedure.code} ({level}).")
        receiving, deciding = self.venues[key]
        if setup.venue == "province" and level == "commune":
            receiving = self.province_centre
        return receiving, deciding

    def officer(self, agency_id: int, role: Role) -> tuple[int, str]:
        found = self.officers.get((agency_id, role))
        if not found:
            raise NotFound(f"Đơn vị {agency_id} không có cán bộ mẫu vai trò «{role.label}».")
        return found[0]


def _agency_dict(a: Agency) -> dict[str, Any]:
    return dict(id=a.id, code=a.code, name=a.name, kind=a.kind, level=a.level, province_code=a.province_code,
                commune_code=a.commune_code, sector_id=a.sector_id)  # fmt: skip


def _citizen_pool(session: Session, province: str) -> list[Applicant]:
    rows = session.execute(
        select(Citizen.id, Citizen.full_name, Citizen.cccd, Citizen.phone, Citizen.email, Citizen.address,
               Commune.name, Province.name)
        .join(Commune, Citizen.commune_code == Commune.code).join(Province, Commune.province_code == Province.code)
        .where(Commune.province_code == province).order_by(Citizen.id).limit(POOL_SIZE)
    )  # fmt: skip
    return [Applicant(i, n, c, ph, em, f"{ad}, {cn}, {pn}") for i, n, c, ph, em, ad, cn, pn in rows]


def _company_pool(session: Session, province: str) -> list[Applicant]:
    rows = session.execute(
        select(Business.id, Business.name, Business.tax_code, Business.phone, Business.email, Business.address,
               Business.representative_id, Commune.name, Province.name)
        .join(Commune, Business.commune_code == Commune.code).join(Province, Commune.province_code == Province.code)
        .where(Commune.province_code == province).order_by(Business.id).limit(POOL_SIZE)
    )  # fmt: skip
    return [
        Applicant(rep, n, t, ph, em, f"{ad}, {cn}, {pn}", business_id=i) for i, n, t, ph, em, ad, rep, cn, pn in rows
    ]


class ScenarioDirector:
    """Directs a scenario's setup: the first demo officer of each role acted, with standard inputs."""

    def __init__(self, index: WorldIndex, setups: dict[str, DossierSetup]) -> None:
        self.index, self.setups = index, setups

    def actor(self, plan: Plan, action: Action, snap: Snapshot) -> StagedActor:
        t = lifecycle.transition_for(snap.state, action)
        assert t is not None
        paying_online = action is Action.CONFIRM_PAYMENT  # staged payments are made online by the applicant
        if Role.CITIZEN in t.roles and (plan.channel is Channel.ONLINE or paying_online or Role.DESK not in t.roles):
            return StagedActor("citizen", plan.applicant.id, plan.applicant.name, Role.CITIZEN)
        role = Role.DESK if Role.DESK in t.roles else min(t.roles, key=lambda r: r.value)
        agency = plan.receiving if role is Role.DESK else plan.deciding
        oid, name = self.index.officer(agency["id"], role)
        return StagedActor("officer", oid, name, role)

    def params(self, plan: Plan, action: Action, when: datetime, snap: Snapshot) -> dict[str, Any]:
        if action is Action.ASSIGN:
            return {"assignee_id": self.index.officer(plan.deciding["id"], Role.SPECIALIST)[0]}
        if action is Action.REQUEST_SUPPLEMENT:
            required = [d["code"] for d in plan.procedure.documents if d["required"]]
            return {"documents": required[:1], "reason": SETUP_REASONS[action]}
        if action is Action.APPRAISE:
            return {"opinion": SETUP_REASONS[action]}
        if action in SETUP_REASONS:
            return {"reason": SETUP_REASONS[action]}
        if action is Action.CONFIRM_PAYMENT:
            return {"method": "online"}
        return {}

    def input_documents(self, plan: Plan) -> list[AttachedDocument]:
        setup = self.setups[plan.key]
        wanted = setup.documents if setup.documents is not None else [
            d["code"] for d in plan.procedure.documents if d["required"]
        ]  # fmt: skip
        by_code = {d["code"]: d for d in plan.procedure.documents}
        unknown = sorted((set(wanted) | set(setup.undigitized)) - set(by_code))
        if unknown:
            raise InvalidInput(f"Kịch bản: thủ tục {plan.procedure.code} không có giấy tờ {', '.join(unknown)}.")
        return [AttachedDocument(by_code[c], digitized=c not in setup.undigitized) for c in wanted]

    def extend(self, plan: Plan, snap: Snapshot) -> None:
        return None


def _plans(scenario: Scenario, index: WorldIndex, calendar: WorkingCalendar,
           rng: random.Random) -> tuple[list[Plan], dict[str, Any]]:  # fmt: skip
    """The staged dossiers, and the briefing of walk-ins (setups with no path: the trainee files them)."""
    start = scenario.setup.clock
    plans, briefing = [], {}
    for setup in scenario.setup.dossiers:
        procedure = index.procedures.get(setup.procedure)
        if procedure is None:
            raise InvalidInput(f"Kịch bản {scenario.id}: không có thủ tục {setup.procedure} trong danh mục.")
        receiving, deciding = index.venue(setup, procedure)
        pool = index.companies if setup.applicant == "business" and index.companies else index.citizens
        applicant = rng.choice(pool)
        if not setup.path:
            briefing[setup.key] = {
                "procedure": procedure.code, "procedure_name": procedure.name, "channel": setup.channel.value,
                "applicant_name": applicant.name, "id_number": applicant.cccd, "address": applicant.address,
                "documents": list(setup.documents or [d["code"] for d in procedure.documents if d["required"]]),
                "business": applicant.business_id is not None,
                "competent_agency_code": deciding["code"], "competent_agency_name": deciding["name"],
                "matter_commune_code": deciding["commune_code"] or "",
            }  # fmt: skip
            continue
        hours = setup.age_days * calendar.hours_per_day
        submitted = calendar.subtract_office_hours(start, max(hours, 0.1))
        steps = len(setup.path)
        # the colleagues' steps are spread between submission and a little before the start
        span = max(0.0, calendar.office_hours_between(submitted, start) - 0.05)
        times = [calendar.add_office_hours(submitted, span * i / max(steps, 1)).replace(microsecond=0)
                 for i in range(steps)]  # fmt: skip
        plans.append(Plan(setup.channel, procedure, receiving, deciding, applicant, list(setup.path), times,
                          key=setup.key))  # fmt: skip
    return plans, briefing


def _number(plans: list[Plan], rng: random.Random, ids: list[int]) -> dict[tuple[str, Any], int]:
    """Dossier codes: the real agency and date, a sequence number drawn per trainee (unique per day)."""
    used: dict[tuple[str, Any], set[int]] = {}
    for plan, pid in zip(plans, ids, strict=True):
        day = plan.times[0].date()
        taken = used.setdefault((plan.receiving["code"], day), set())
        seq = rng.randint(1, 9999)  # wide, so neighbours rarely share a code
        while seq in taken:
            seq = rng.randint(1, 9999)
        taken.add(seq)
        plan.id, plan.code = pid, format_dossier_code(plan.receiving["code"], day, seq)
    return {key: max(seqs) for key, seqs in used.items()}


def _stage(session: Session, workspace_id: str, scenario: Scenario, seed: int, index: WorldIndex,
           calendar: WorkingCalendar, signing: MockSigningService) -> tuple[int, dict[str, Any]]:  # fmt: skip
    """Stage the scenario's dossiers; return the id of the last setup event and the walk-ins' briefing."""
    rng = random.Random(f"{scenario.id}:{seed}")
    plans, briefing = _plans(scenario, index, calendar, rng)
    conn = session.connection()
    counters = _number(plans, rng, reserve_ids(conn, Dossier.__table__, len(plans)))  # type: ignore[arg-type]
    stager = Stager(workspace_id=workspace_id, calendar=calendar, signing=signing,
                    director=ScenarioDirector(index, {d.key: d for d in scenario.setup.dossiers}))  # fmt: skip
    rows = Rows()
    for plan in plans:
        stager.play(plan, rows)
    rows.insert(conn)
    session.add_all(DossierCounter(workspace_id=workspace_id, agency_code=a, day=d, last_seq=n)
                    for (a, d), n in counters.items())  # fmt: skip
    session.add_all(DossierCounter(**row) for row in stager.counter_rows())
    session.flush()
    last = session.scalar(select(func.coalesce(func.max(Event.id), 0)).where(Event.workspace_id == workspace_id))
    return last or 0, briefing


def create_workspace(
    session: Session, scenario: Scenario, *, workspace_id: str, name: str, trainee_seed: int, index: WorldIndex,
    calendar: WorkingCalendar | None = None, signing: MockSigningService | None = None, kind: str = "trainee",
    trainee_id: int | None = None,
) -> Workspace:  # fmt: skip
    """Build a trainee's workspace for ``scenario`` (one transaction). Same inputs, same world."""
    if not WORKSPACE_ID.match(workspace_id):
        raise InvalidInput("Mã không gian làm việc chỉ gồm chữ thường không dấu, số, «.», «-», «_» (tối đa 64 ký tự).")
    calendar = calendar or WorkingCalendar.default()
    begin_write(session)
    try:
        if session.get(Workspace, workspace_id) is not None:
            raise InvalidInput(f"Không gian làm việc «{workspace_id}» đã tồn tại.", code="workspace_exists")
        real = vietnam_now()
        ws = Workspace(id=workspace_id, name=name, kind=kind, profile="scenario", seed=trainee_seed,
                       clock_virtual=scenario.setup.clock, clock_real=real, clock_frozen=True, created_at=real,
                       scenario_id=scenario.id, trainee_seed=trainee_seed, trainee_id=trainee_id)  # fmt: skip
        session.add(ws)
        session.flush()
        ws.setup_event_id, ws.briefing = _stage(session, workspace_id, scenario, trainee_seed, index, calendar,
                                                signing or MockSigningService())  # fmt: skip
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return ws


def reset_workspace(session: Session, workspace_id: str, scenario: Scenario, *, index: WorldIndex,
                    calendar: WorkingCalendar | None = None) -> Workspace:  # fmt: skip
    """Back to the scenario's start: the same world as when created. Attempts are kept."""
    calendar = calendar or WorkingCalendar.default()
    begin_write(session)
    try:
        ws = session.get(Workspace, workspace_id)
        if ws is None or ws.scenario_id != scenario.id:
            raise NotFound(f"Không tìm thấy không gian làm việc «{workspace_id}» của kịch bản {scenario.id}.")
        for model in _MUTABLE:
            session.execute(delete(model).where(model.workspace_id == workspace_id))
        ws.clock_virtual, ws.clock_real, ws.clock_frozen = scenario.setup.clock, vietnam_now(), True
        ws.setup_event_id, ws.briefing = _stage(session, workspace_id, scenario, ws.trainee_seed, index, calendar,
                                                MockSigningService())  # fmt: skip
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return ws


def advance_clock(session: Session, workspace_id: str, working_days: int,
                  calendar: WorkingCalendar | None = None) -> Workspace:  # fmt: skip
    """Move a workspace's clock forward by whole working days (deadlines really pass)."""
    if not isinstance(working_days, int) or isinstance(working_days, bool) or not 0 < working_days <= 60:
        raise InvalidInput("Số ngày làm việc phải là số nguyên từ 1 đến 60.", field="days")
    calendar = calendar or WorkingCalendar.default()
    begin_write(session)
    try:
        ws = session.get(Workspace, workspace_id)
        if ws is None:
            raise NotFound(f"Không tìm thấy không gian làm việc «{workspace_id}».")
        ws.set_clock(ws.clock.advance_working_days(working_days, calendar, vietnam_now()))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return ws


# Every workspace-scoped table, children first so foreign keys hold while deleting.
_MUTABLE = (
    Rating,
    Signature,
    Payment,
    Notification,
    IssuedForm,
    Event,
    DossierDocument,
    DossierCounter,
    Dossier,
    ProcessDefinition,
    FeeAccount,
)
