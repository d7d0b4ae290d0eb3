"""Stage dossiers with their whole history in memory, ready for one bulk insert.

A :class:`Plan` says which procedure, agencies and applicant a dossier has and which actions
were taken when. :class:`Stager` plays the plan through :func:`sandbox.domain.lifecycle.apply`,
exactly as the use cases would, and collects every row the history produced: the dossier,
one event per action, documents, forms, payment orders and signatures. A :class:`Director`
decides the details the plan leaves open (who acted, with which inputs, which documents were
attached). The world seeder directs at random; a training scenario directs from its script.
Either way no staged history can be one the rules would refuse, and each one replays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Connection

from sandbox.domain import lifecycle
from sandbox.domain.lifecycle import ProcedureFacts, Situation, Snapshot
from sandbox.domain.vocabulary import Action, ApplicantKind, Channel, CompetentLevel, CopyType, Role, State
from sandbox.integrations.signing import MockSigningService
from sandbox.services import counters
from sandbox.services.dossiers import form_data, json_safe
from sandbox.services.eforms import example_form_data
from sandbox.services.results import canonical_result
from sandbox.store.bulk import bulk_insert
from sandbox.store.models import Dossier, DossierDocument, Event, IssuedForm, Payment, Signature


@dataclass
class ProcedureInfo:
    id: int
    code: str
    name: str
    result: str
    level: CompetentLevel
    sector: Any
    facts: ProcedureFacts
    documents: list[dict[str, Any]]
    eform: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Applicant:
    """Who files: a person, or a company (``business_id``) acting through its representative (``id``)."""

    id: int
    name: str
    cccd: str  # the id number on the dossier: CCCD of a person, tax code of a company
    phone: str
    email: str | None
    address: str
    business_id: int | None = None


@dataclass
class Plan:
    channel: Channel
    procedure: ProcedureInfo
    receiving: dict[str, Any]
    deciding: dict[str, Any]
    applicant: Applicant
    actions: list[Action]
    times: list[datetime]
    target: State | None = None
    code: str = ""
    id: int = 0
    key: str = ""  # a scenario's name for this dossier
    form_data: dict[str, Any] = field(default_factory=dict)


class StagedActor(NamedTuple):
    kind: str  # officer | citizen
    id: int | None
    name: str
    role: Role


class AttachedDocument(NamedTuple):
    doc: dict[str, Any]  # a procedure document: code, name, copy_type, digitize, required
    digitized: bool
    reused: bool = False


class Director(Protocol):
    """Decides what a plan leaves open, step by step."""

    def actor(self, plan: Plan, action: Action, snap: Snapshot) -> StagedActor: ...
    def params(self, plan: Plan, action: Action, when: datetime, snap: Snapshot) -> dict[str, Any]: ...
    def input_documents(self, plan: Plan) -> list[AttachedDocument]: ...
    def extend(self, plan: Plan, snap: Snapshot) -> None:
        """Append more steps to ``plan`` after its last one (optional: do nothing)."""


@dataclass
class Rows:
    dossiers: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    forms: list[dict[str, Any]] = field(default_factory=list)
    payments: list[dict[str, Any]] = field(default_factory=list)
    signatures: list[dict[str, Any]] = field(default_factory=list)

    def insert(self, conn: Connection) -> None:
        """Write everything, parents first."""
        for model, items in (
            (Dossier, self.dossiers), (DossierDocument, self.documents), (Event, self.events),
            (IssuedForm, self.forms), (Payment, self.payments), (Signature, self.signatures),
        ):  # fmt: skip
            bulk_insert(conn, model.__table__, items)  # type: ignore[arg-type]


def walk(actions: Sequence[Action]) -> list[State]:
    """The states after each action (table look-ups only; guards are checked when played)."""
    state: State | None = None
    out: list[State] = []
    for action in actions:
        t = lifecycle.transition_for(state, action)
        if t is None:
            raise ValueError(f"{action} is not allowed from {state}")
        state = t.target
        out.append(state)
    return out


class Stager:
    """Plays plans for one workspace into :class:`Rows`."""

    def __init__(self, *, workspace_id: str, calendar: lifecycle.Calendar, signing: MockSigningService,
                 director: Director) -> None:  # fmt: skip
        self.workspace_id, self.calendar, self.signing, self.director = workspace_id, calendar, signing, director
        self._input_names: list[str] = []
        self._results: dict[tuple[str, int], int] = {}  # (agency code, year) -> last result number

    def _result_number(self, plan: Plan, when: datetime) -> str:
        key = (plan.deciding["code"], when.year)
        self._results[key] = self._results.get(key, 0) + 1
        return counters.result_number(self._results[key], when.year, plan.deciding["code"])

    def counter_rows(self) -> list[dict[str, Any]]:
        """The result-number sequences the staged history used, so the services continue after them."""
        return [
            dict(workspace_id=self.workspace_id, agency_code=counters.result_scope(code), day=date(year, 1, 1),
                 last_seq=n)
            for (code, year), n in self._results.items()
        ]  # fmt: skip

    def play(self, plan: Plan, rows: Rows) -> Snapshot:
        snap = Snapshot()
        self._input_names = []
        names = {d["code"]: d["name"] for d in plan.procedure.documents}
        i = 0
        while i < len(plan.actions):
            action, when = plan.actions[i], plan.times[i]
            actor = self.director.actor(plan, action, snap)
            sit = Situation(snap, plan.procedure.facts, actor.role, when, self.calendar, int(plan.channel))
            params = self.director.params(plan, action, when, snap)
            if action is Action.ISSUE:
                params = {**params, "result_number": self._result_number(plan, when)}
            outcome = lifecycle.apply(sit, action, params)
            before, snap = snap, outcome.snapshot
            rows.events.append(
                dict(workspace_id=self.workspace_id, dossier_id=plan.id, actor_kind=actor.kind, actor_id=actor.id,
                     actor_name=actor.name, role=actor.role, action=action.value,
                     from_state=before.state.value if before.state else None,
                     to_state=snap.state.value if snap.state else None, version=snap.version,
                     payload={"changes": lifecycle.encode_changes(outcome.changes),
                              "params": json_safe(outcome.params)},
                     virtual_at=when, real_at=when)
            )  # fmt: skip
            self._side_rows(plan, action, outcome, when, actor, rows, names)
            i += 1
            if i == len(plan.actions):
                self.director.extend(plan, snap)
        rows.dossiers.append(self._dossier_row(plan, snap))
        return snap

    def _document_row(self, plan: Plan, kind: str, code: str, name: str, copy: CopyType, digitized: bool,
                      when: datetime, *, reused: bool = False, sha256: str | None = None) -> dict[str, Any]:  # fmt: skip
        file_name = f"{plan.code}-ket-qua.pdf" if kind == "result" else f"{kind}-{code.lower()}.pdf"
        return dict(workspace_id=self.workspace_id, dossier_id=plan.id, kind=kind, doc_code=code, name=name,
                    copy_type=copy, digitized=digitized, reused=reused, file_name=file_name, sha256=sha256,
                    size=None, added_at=when)  # fmt: skip

    def _side_rows(self, plan: Plan, action: Action, outcome: lifecycle.Outcome, when: datetime,
                   actor: StagedActor, rows: Rows, names: dict[str, str]) -> None:  # fmt: skip
        ws, did, snap = self.workspace_id, plan.id, outcome.snapshot
        if action in (Action.SUBMIT_ONLINE, Action.RECEIVE_AT_COUNTER):
            online = plan.channel is Channel.ONLINE
            for att in self.director.input_documents(plan):
                d = att.doc
                self._input_names.append(d["name"])
                copy = CopyType.ELECTRONIC if online else d["copy_type"]
                rows.documents.append(self._document_row(plan, "input", d["code"], d["name"], copy,
                                                         online or att.digitized, when, reused=att.reused))  # fmt: skip
        if action is Action.COMPLETE_SUPPLEMENT:
            for code in self._last_requested(rows, did):
                rows.documents.append(self._document_row(plan, "supplement", code, names.get(code, code),
                                                         CopyType.ELECTRONIC, True, when))  # fmt: skip
        if action is Action.REQUEST_FEE:
            rows.payments.append(
                dict(workspace_id=ws, dossier_id=did, reference=f"TT{when:%y%m%d}{did:010d}", amount=snap.fee_amount,
                     method="online", status="pending", failure=None, created_at=when, paid_at=None)
            )  # fmt: skip
        if action is Action.CONFIRM_PAYMENT:
            rows.payments[-1].update(method=str(outcome.params["method"]), status="paid", paid_at=when)
        if action is Action.SIGN:
            assert actor.id is not None
            content = canonical_result(
                code=plan.code, procedure_code=plan.procedure.code, result=plan.procedure.result,
                applicant_name=plan.applicant.name, id_number=plan.applicant.cccd, agency_id=plan.deciding["id"],
            )  # fmt: skip
            digest, signature = self.signing.signature_values(actor.id, content)
            rows.signatures.append(
                dict(workspace_id=ws, dossier_id=did, signer_id=actor.id,
                     certificate_serial=self.signing.certificate_serial(actor.id), digest=digest,
                     signature=signature, signed_at=when)
            )  # fmt: skip
            rows.documents.append(self._document_row(plan, "result", "KQ", plan.procedure.result,
                                                     CopyType.ELECTRONIC, True, when, sha256=digest))  # fmt: skip
        if outcome.form is not None:
            rows.forms.append(
                dict(workspace_id=ws, dossier_id=did, kind=outcome.form, issued_at=when, issued_by=actor.name,
                     data=form_data(self._base(plan, snap), names, actor.name, outcome.params))
            )  # fmt: skip

    @staticmethod
    def _last_requested(rows: Rows, dossier_id: int) -> list[str]:
        for event in reversed(rows.events):
            if event["dossier_id"] == dossier_id and event["action"] == Action.REQUEST_SUPPLEMENT.value:
                return list(event["payload"]["params"].get("documents") or [])
        return []

    def _base(self, plan: Plan, snap: Snapshot) -> dict[str, Any]:
        return {
            "code": plan.code, "applicant_name": plan.applicant.name, "applicant_id_number": plan.applicant.cccd,
            "applicant_address": plan.applicant.address, "applicant_phone": plan.applicant.phone,
            "procedure_code": plan.procedure.code, "procedure_name": plan.procedure.name,
            "received_at": snap.received_at, "due_at": snap.due_at, "original_due_at": snap.original_due_at,
            "documents": list(self._input_names),
        }  # fmt: skip

    def _dossier_row(self, plan: Plan, snap: Snapshot) -> dict[str, Any]:
        assert snap.state is not None
        a = plan.applicant
        return dict(
            id=plan.id, workspace_id=self.workspace_id, code=plan.code, key=plan.key, procedure_id=plan.procedure.id,
            channel=plan.channel, citizen_id=a.id, business_id=a.business_id,
            applicant_kind=ApplicantKind.BUSINESS if a.business_id else ApplicantKind.CITIZEN,
            applicant_name=a.name, applicant_id_number=a.cccd, applicant_phone=a.phone, applicant_email=a.email,
            applicant_address=a.address, receiving_agency_id=plan.receiving["id"],
            deciding_agency_id=plan.deciding["id"], status=snap.state.status.value,
            form_data=plan.form_data or example_form_data(plan.procedure.eform),
            **{k: getattr(snap, k) for k in Snapshot.__dataclass_fields__},
        )  # fmt: skip
