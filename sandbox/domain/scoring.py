"""Explainable scores: a ledger where every line names its check or rule, its points and its cause.

Everything here is pure: the training runner gathers :class:`WorkspaceFacts` from a workspace,
then checks (``training.checks``) and compliance rules (``domain.compliance``) turn the facts
into :class:`ScoreLine` s, and :func:`total` adds them up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sandbox.domain.dossier import Snapshot
from sandbox.domain.vocabulary import Role, State

# --------------------------------------------------------------------------- facts


@dataclass(frozen=True, slots=True)
class DocumentFact:
    code: str
    kind: str  # input | supplement | result
    digitized: bool
    reused: bool
    sha256: str | None = None


@dataclass(frozen=True, slots=True)
class DossierFact:
    """One dossier of the workspace, as the checks and rules see it."""

    key: str  # the scenario's name for it ("" for dossiers the trainee created)
    id: int
    code: str
    procedure_code: str
    online_level: str  # toan_trinh | mot_phan
    channel: int
    snapshot: Snapshot
    procedure_documents: Mapping[str, bool]  # code -> required
    digitize_documents: frozenset[str]  # codes the procedure wants digitised at intake
    documents: tuple[DocumentFact, ...] = ()
    forms: tuple[str, ...] = ()  # form codes issued, in order (mau_01, …)
    applicant_id_number: str = ""
    deciding_agency_code: str = ""

    @property
    def state(self) -> State | None:
        return self.snapshot.state


@dataclass(frozen=True, slots=True)
class EventFact:
    id: int
    dossier_id: int | None
    action: str
    role: Role
    actor_kind: str
    at: datetime
    from_state: str | None
    to_state: str | None
    params: Mapping[str, Any]
    by_trainee: bool  # False for the scenario's setup and for simulated colleagues


@dataclass(frozen=True)
class WorkspaceFacts:
    now: datetime
    dossiers: tuple[DossierFact, ...]
    events: tuple[EventFact, ...]
    registry_ids: frozenset[str] = frozenset()  # id numbers of applicants the population registry knows
    registry_available: bool = True  # False when the scenario takes the population registry down
    competent_agency: Mapping[str, str] = field(default_factory=dict)  # dossier key -> competent agency code
    trainee_roles: frozenset[Role] = frozenset()  # the roles the trainee plays in the scenario

    def dossier(self, key_or_code: str) -> DossierFact | None:
        """The dossier with this key or code; the newest when a walk-in was filed twice."""
        for d in reversed(self.dossiers):
            if key_or_code in (d.key, d.code):
                return d
        return None

    def events_of(self, dossier: DossierFact | None = None, *, trainee_only: bool = True) -> list[EventFact]:
        return [
            e for e in self.events
            if (dossier is None or e.dossier_id == dossier.id) and (e.by_trainee or not trainee_only)
        ]  # fmt: skip


# --------------------------------------------------------------------------- the ledger

LineKind = Literal["check", "rule", "hint"]


@dataclass(frozen=True, slots=True)
class ScoreLine:
    """One line of a score: what it is about, the points, what caused it, and what to do."""

    kind: LineKind
    name: str  # check id, rule id, or hint number
    title: str  # Vietnamese: what was checked
    points: int  # earned (≥ 0) for a check, lost (≤ 0) for a rule or a hint
    possible: int  # the check's maximum (0 for rules and hints)
    passed: bool
    explanation: str  # Vietnamese: what the trainee did and, when it went wrong, what they should have done
    event_id: int | None = None
    at: datetime | None = None
    dossier: str | None = None  # the dossier code concerned

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "name": self.name, "title": self.title, "points": self.points,
            "possible": self.possible, "passed": self.passed, "explanation": self.explanation,
            "event_id": self.event_id, "at": self.at.isoformat(timespec="seconds") if self.at else None,
            "dossier": self.dossier,
        }  # fmt: skip


@dataclass(frozen=True)
class Score:
    lines: tuple[ScoreLine, ...]
    earned: int
    possible: int
    pass_mark: int = field(default=70)

    @property
    def percent(self) -> float:
        return round(100.0 * self.earned / self.possible, 1) if self.possible else 0.0

    @property
    def passed(self) -> bool:
        return self.percent >= self.pass_mark

    def lost(self) -> list[ScoreLine]:
        """Lines that cost points: failed checks, broken rules, hints used."""
        return [line for line in self.lines if not line.passed or line.points < 0]

    def as_dict(self) -> dict[str, Any]:
        return {
            "earned": self.earned, "possible": self.possible, "percent": self.percent,
            "pass_mark": self.pass_mark, "passed": self.passed, "lines": [line.as_dict() for line in self.lines],
        }  # fmt: skip


def total(lines: Iterable[ScoreLine], pass_mark: int) -> Score:
    """Add the ledger up: checks give points, rules and hints take them; never below zero."""
    items = tuple(lines)
    possible = sum(line.possible for line in items)
    earned = max(0, sum(line.points for line in items))
    return Score(items, min(earned, possible), possible, pass_mark)
