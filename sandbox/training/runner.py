"""Play and score scenarios: facts from a workspace, the trainee's context, steps, the ledger, self-tests."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from sandbox.domain import lifecycle
from sandbox.domain.calendar import WorkingCalendar
from sandbox.domain.compliance import findings_as_lines
from sandbox.domain.errors import DomainError, InvalidInput, NotFound
from sandbox.domain.scoring import DocumentFact, DossierFact, EventFact, Score, ScoreLine, WorkspaceFacts, total
from sandbox.domain.vocabulary import Action, Role
from sandbox.integrations.faults import FaultPlan
from sandbox.integrations.registry import Integrations
from sandbox.services import intake, routing
from sandbox.services.actions import run_action
from sandbox.services.auth import citizen_actor
from sandbox.services.context import Actor, ServiceContext, vietnam_now
from sandbox.services.eforms import example_form_data
from sandbox.store.models import Citizen, Dossier, DossierDocument, Event, IssuedForm, Procedure, Workspace
from sandbox.training.checks import REGISTRY
from sandbox.training.scenarios import Scenario, Step
from sandbox.training.workspaces import WorldIndex, advance_clock, create_workspace

# --------------------------------------------------------------------------- facts


def gather_facts(session: Session, ws: Workspace) -> WorkspaceFacts:
    """Everything the checks and rules look at, read from one workspace."""
    dossiers = session.scalars(
        select(Dossier)
        .where(Dossier.workspace_id == ws.id)
        .order_by(Dossier.id)
        .options(selectinload(Dossier.procedure))
    ).all()
    docs: dict[int, list[DocumentFact]] = {}
    for d in session.scalars(select(DossierDocument).where(DossierDocument.workspace_id == ws.id)):
        docs.setdefault(d.dossier_id, []).append(DocumentFact(d.doc_code, d.kind, d.digitized, d.reused, d.sha256))
    forms: dict[int, list[str]] = {}
    for f in session.scalars(select(IssuedForm).where(IssuedForm.workspace_id == ws.id).order_by(IssuedForm.id)):
        forms.setdefault(f.dossier_id, []).append(f.kind.value)
    walk_ins = {(b["id_number"], b["procedure"]): key for key, b in (ws.briefing or {}).items()}
    facts = []
    for d in dossiers:
        key = d.key or walk_ins.get((d.applicant_id_number, d.procedure.code), "")
        facts.append(
            DossierFact(
                key=key, id=d.id, code=d.code, procedure_code=d.procedure.code, online_level=d.procedure.online.value,
                channel=int(d.channel), snapshot=d.snapshot(),
                procedure_documents={p.code: p.required for p in d.procedure.documents},
                digitize_documents=frozenset(p.code for p in d.procedure.documents if p.digitize),
                documents=tuple(docs.get(d.id, [])), forms=tuple(forms.get(d.id, [])),
                applicant_id_number=d.applicant_id_number, deciding_agency_code=d.deciding_agency.code,
            )
        )  # fmt: skip
    events = tuple(
        EventFact(
            id=e.id, dossier_id=e.dossier_id, action=e.action, role=e.role, actor_kind=e.actor_kind, at=e.virtual_at,
            from_state=e.from_state, to_state=e.to_state, params=e.payload.get("params", {}),
            by_trainee=e.actor_kind == "trainee" and e.id > ws.setup_event_id,
        )
        for e in session.scalars(select(Event).where(Event.workspace_id == ws.id).order_by(Event.id))
    )  # fmt: skip
    known = frozenset(
        session.scalars(select(Citizen.cccd).where(Citizen.cccd.in_([d.applicant_id_number for d in facts])))
    )
    competent = {
        key: b["competent_agency_code"] for key, b in (ws.briefing or {}).items() if "competent_agency_code" in b
    }
    return WorkspaceFacts(now=ws.clock.now_at(vietnam_now()), dossiers=tuple(facts), events=events, registry_ids=known,
                          competent_agency=competent)  # fmt: skip


def evaluate(facts: WorkspaceFacts, scenario: Scenario, hints_used: Iterable[int] = ()) -> Score:
    """The ledger: one line per check, one per rule broken, one per hint taken."""
    facts = dataclasses.replace(
        facts, trainee_roles=frozenset(scenario.roles),
        registry_available=not FaultPlan.parse(scenario.setup.faults.get("population", "mock")).outage,
    )  # fmt: skip
    lines: list[ScoreLine] = []
    for check in scenario.checks:
        pred = REGISTRY[check.predicate]
        target = facts.dossier(check.params["dossier"]) if "dossier" in check.params else None
        if "dossier" in check.params and target is None:  # a walk-in the trainee never filed
            verdict_passed, detail, event = False, "Hồ sơ này chưa được tạo trên hệ thống.", None
        else:
            verdict = pred.fn(facts, check.params)
            verdict_passed, detail, event = verdict.passed, verdict.detail, verdict.event
        explanation = detail if verdict_passed else f"{detail} {check.feedback}"
        lines.append(
            ScoreLine(kind="check", name=check.id, title=pred.title, points=check.points if verdict_passed else 0,
                      possible=check.points, passed=verdict_passed, explanation=explanation.strip(),
                      event_id=event.id if event else None, at=event.at if event else None,
                      dossier=target.code if target else None)
        )  # fmt: skip
    lines += findings_as_lines(facts, dict(scenario.rules))
    for n in sorted(set(hints_used)):
        if 0 <= n < len(scenario.hints):
            hint = scenario.hints[n]
            lines.append(ScoreLine(kind="hint", name=f"goi-y-{n + 1}", title="Dùng gợi ý", points=-hint.cost,
                                   possible=0, passed=True, explanation=f"Đã xem gợi ý: {hint.text}"))  # fmt: skip
    return total(lines, scenario.pass_mark)


# --------------------------------------------------------------------------- acting as the trainee


def trainee_context(session: Session, ws: Workspace, scenario: Scenario, role: Role, trainee: str, *,
                    index: WorldIndex, calendar: WorkingCalendar | None = None,
                    integrations: Integrations | None = None) -> ServiceContext:  # fmt: skip
    """A context in which the trainee acts as the scenario's officer of ``role``."""
    setup = scenario.setup.dossiers[0]
    receiving, deciding = index.venue(setup, index.procedures[setup.procedure])
    agency = receiving if role is Role.DESK else deciding
    officer_id, _ = index.officer(agency["id"], role)
    actor = Actor(kind="trainee", id=officer_id, name=trainee, role=role, agency_id=agency["id"])
    return ServiceContext(session, ws.id, actor, calendar or WorkingCalendar.default(),
                          integrations or scenario_integrations(scenario))  # fmt: skip


def scenario_integrations(scenario: Scenario) -> Integrations:
    """The external systems as the scenario wants them (e.g. the signing service down)."""
    integrations = Integrations()
    for system, spec in scenario.setup.faults.items():
        mock = getattr(integrations, system, None)
        if mock is None or not hasattr(mock, "faults"):
            raise InvalidInput(f"Kịch bản {scenario.id}: không có hệ thống «{system}» để gây lỗi.")
        mock.faults = FaultPlan.parse(spec)
    return integrations


def dossier_code(session: Session, ws: Workspace, key: str) -> str:
    """The code of the workspace's dossier named ``key`` (staged, or filed by the trainee for a walk-in)."""
    code = session.scalar(select(Dossier.code).where(Dossier.workspace_id == ws.id, Dossier.key == key))
    if code is None and key in (ws.briefing or {}):
        b = ws.briefing[key]
        code = session.scalar(
            select(Dossier.code).join(Procedure, Dossier.procedure_id == Procedure.id)
            .where(Dossier.workspace_id == ws.id, Dossier.applicant_id_number == b["id_number"],
                   Procedure.code == b["procedure"]).order_by(Dossier.id.desc())
        )  # fmt: skip
    if code is None:
        raise NotFound(f"Không có hồ sơ «{key}» trong không gian làm việc.")
    return code


@dataclass
class StepOutcome:
    step: Step
    ok: bool
    message: str = ""


def play_steps(session: Session, ws: Workspace, scenario: Scenario, steps: Sequence[Step], *, index: WorldIndex,
               trainee: str = "Học viên", calendar: WorkingCalendar | None = None) -> list[StepOutcome]:  # fmt: skip
    """Fire a solution's or a mistake's steps as the trainee; a refused step is recorded, not raised."""
    calendar = calendar or WorkingCalendar.default()
    integrations = scenario_integrations(scenario)
    outcomes = []
    for step in steps:
        try:
            if step.action is None:
                advance_clock(session, ws.id, step.days, calendar)
                session.refresh(ws)
            elif step.role is Role.CITIZEN:  # the applicant answers (pays, supplements): a simulated colleague
                citizen = session.get(Citizen, _dossier(session, ws, step).citizen_id)
                if citizen is None:
                    raise NotFound("Hồ sơ không có công dân đứng tên để thực hiện thao tác.")
                ctx = ServiceContext(session, ws.id, citizen_actor(citizen), calendar, integrations)
                run_action(ctx, dossier_code(session, ws, step.dossier or ""), step.action, dict(step.params))
            else:
                role = step.role or _default_role(scenario, step.action)
                ctx = trainee_context(session, ws, scenario, role, trainee, index=index, calendar=calendar,
                                      integrations=integrations)  # fmt: skip
                params = _resolve_refs(session, ws, step.params, scenario, index)
                if step.action is Action.RECEIVE_AT_COUNTER:
                    _file_walk_in(ctx, ws, step, params)
                else:
                    run_action(ctx, dossier_code(session, ws, step.dossier or ""), step.action, params)
            outcomes.append(StepOutcome(step, True))
        except DomainError as exc:
            outcomes.append(StepOutcome(step, False, exc.message))
    return outcomes


def _resolve_refs(session: Session, ws: Workspace, params: Mapping[str, Any], scenario: Scenario,
                  index: WorldIndex) -> dict[str, Any]:  # fmt: skip
    """Authors know neither officer ids nor per-trainee codes: ``"@specialist"`` is the scenario's officer of
    that role, ``"@dossier:hs2"`` the code of the workspace's dossier ``hs2``."""
    out = dict(params)
    setup = scenario.setup.dossiers[0]
    _, deciding = index.venue(setup, index.procedures[setup.procedure])
    for key, value in params.items():
        if isinstance(value, dict):  # nested inputs (a typed-in applicant) may refer too
            out[key] = _resolve_refs(session, ws, value, scenario, index)
        elif value == "@commune":  # the commune the scenario's applicants live in
            out[key] = deciding["commune_code"] or receiving_commune(index)
        elif isinstance(value, str) and value.startswith("@dossier:"):
            out[key] = dossier_code(session, ws, value.removeprefix("@dossier:"))
        elif isinstance(value, str) and value.startswith("@"):
            role = Role.parse(value[1:])
            if not isinstance(role, Role):
                raise InvalidInput(f"Tham chiếu cán bộ «{value}» không hợp lệ (ví dụ @specialist).")
            out[key] = index.officer(deciding["id"], role)[0]
    return out


def receiving_commune(index: WorldIndex) -> str:
    """The demo commune (the first staffed one), for provincial scenarios that need a commune code."""
    _, ubnd = index.venues[("commune", None)]
    return str(ubnd["commune_code"])


def _default_role(scenario: Scenario, action: Action) -> Role:
    for role in scenario.roles:
        if any(t.action is action and role in t.roles for t in lifecycle.TRANSITIONS):
            return role
    return scenario.roles[0]


def _dossier(session: Session, ws: Workspace, step: Step) -> Dossier:
    code = dossier_code(session, ws, step.dossier or "")
    return session.scalars(select(Dossier).where(Dossier.workspace_id == ws.id, Dossier.code == code)).one()


def _file_walk_in(ctx: ServiceContext, ws: Workspace, step: Step, params: Mapping[str, Any]) -> Dossier:
    brief = (ws.briefing or {}).get(step.dossier or "")
    if brief is None:
        raise NotFound(f"Không có người nộp «{step.dossier}» trong kịch bản.")
    procedure = routing.get_procedure(ctx, brief["procedure"])
    documents = params.get("documents", [{"code": c, "digitized": True} for c in brief["documents"]])
    return intake.receive_at_counter(
        ctx, brief["procedure"], applicant_cccd=params.get("applicant_cccd", brief["id_number"]),
        form_data=params.get("form_data", example_form_data(procedure.eform)), documents=documents,
        manual_applicant=params.get("manual_applicant"), commune_code=params.get("commune_code"),
    )  # fmt: skip


# --------------------------------------------------------------------------- self-tests


@dataclass
class MistakeReport:
    name: str
    expected: list[str]
    lost: list[str]
    as_expected: bool
    refused_steps: list[str] = field(default_factory=list)


@dataclass
class ScenarioReport:
    id: str
    sector: str
    level: int
    solution_percent: float
    solution_errors: list[str]
    mistakes: list[MistakeReport]

    @property
    def ok(self) -> bool:
        return self.solution_percent == 100.0 and not self.solution_errors and all(m.as_expected for m in self.mistakes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "sector": self.sector, "level": self.level, "solution_percent": self.solution_percent,
            "solution_errors": self.solution_errors, "ok": self.ok,
            "mistakes": [{"name": m.name, "expected": m.expected, "lost": m.lost, "as_expected": m.as_expected,
                          "refused_steps": m.refused_steps} for m in self.mistakes],
        }  # fmt: skip


def _fresh(session: Session, scenario: Scenario, index: WorldIndex, label: str, seed: int) -> Workspace:
    digest = hashlib.sha1(f"{scenario.id}:{label}".encode(), usedforsecurity=False).hexdigest()[:12]
    return create_workspace(session, scenario, workspace_id=f"verify-{digest}", name=f"Tự kiểm tra {label}",
                            trainee_seed=seed, index=index, kind="verify")  # fmt: skip


def verify_scenario(engine: Engine, scenario: Scenario, *, seed: int = 1) -> ScenarioReport:
    """Run the solution (must score 100 %) and each mistake (must lose exactly its named lines) in fresh
    workspaces, inside a transaction that is rolled back: verification leaves nothing behind."""
    with engine.connect() as conn:
        outer = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            index = WorldIndex.load(session)
            ws = _fresh(session, scenario, index, "solution", seed)
            outcomes = play_steps(session, ws, scenario, scenario.solution, index=index)
            errors = [
                f"{o.step.action.value if o.step.action else 'advance'}: {o.message}" for o in outcomes if not o.ok
            ]
            score = evaluate(gather_facts(session, ws), scenario)
            mistakes = []
            for m in scenario.mistakes:
                mws = _fresh(session, scenario, index, f"mistake-{m.name}", seed)
                played = play_steps(session, mws, scenario, m.steps, index=index)
                lost = sorted({line.name for line in evaluate(gather_facts(session, mws), scenario).lost()})
                mistakes.append(MistakeReport(m.name, sorted(m.expect), lost, set(lost) == set(m.expect),
                                              [o.message for o in played if not o.ok]))  # fmt: skip
        finally:
            session.close()
            outer.rollback()
    return ScenarioReport(scenario.id, scenario.sector.value, scenario.level, score.percent, errors, mistakes)
