"""Compliance rules on hand-built facts: who is to blame, and when an apology counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sandbox.domain.compliance import RULES
from sandbox.domain.dossier import Snapshot
from sandbox.domain.scoring import DocumentFact, DossierFact, EventFact, WorkspaceFacts
from sandbox.domain.vocabulary import Role, State

DUE = datetime(2026, 11, 25, 9, 0)


def dossier(state: State, **snap: object) -> DossierFact:
    return DossierFact(key="hs1", id=1, code="000.00.20.H37-261123-0001", procedure_code="2.002131",
                       online_level="toan_trinh", channel=2,
                       snapshot=Snapshot(state=state, original_due_at=DUE, due_at=DUE, **snap),  # type: ignore[arg-type]
                       procedure_documents={"TP1": True, "TP2": False}, digitize_documents=frozenset({"TP1"}),
                       documents=(DocumentFact("TP1", "input", True, False),))  # fmt: skip


def event(n: int, action: str, at: datetime, *, trainee: bool = True, role: Role = Role.DESK, **params: object) -> EventFact:
    return EventFact(n, 1, action, role, "trainee" if trainee else "officer", at, None, None, params, trainee)


def findings(rule: str, facts: WorkspaceFacts) -> list:
    return list(RULES[rule].find(facts))


def test_lateness_is_not_blamed_on_the_trainee_when_colleagues_hold_the_dossier() -> None:
    d = dossier(State.AWAITING_ASSIGNMENT)
    facts = WorkspaceFacts(now=datetime(2026, 11, 30, 9), dossiers=(d,), trainee_roles=frozenset({Role.DESK}),
                           events=(event(1, "accept", datetime(2026, 11, 23, 9)),
                                   event(2, "forward", datetime(2026, 11, 23, 10))))  # fmt: skip
    assert findings("late_without_apology", facts) == []  # forwarded on time; the leader did not assign


def test_lateness_on_the_trainees_watch_is_blamed() -> None:
    holding = dossier(State.RECEIVED)  # the next step (forward) belongs to the desk trainee
    facts = WorkspaceFacts(now=datetime(2026, 11, 30, 9), dossiers=(holding,), trainee_roles=frozenset({Role.DESK}),
                           events=())  # fmt: skip
    assert len(findings("late_without_apology", facts)) == 1
    finished_late = dossier(State.RETURNED, finished_at=datetime(2026, 11, 26, 9))
    acted_late = WorkspaceFacts(now=datetime(2026, 11, 30, 9), dossiers=(finished_late,),
                                trainee_roles=frozenset({Role.UNIT_LEADER}),
                                events=(event(7, "sign", datetime(2026, 11, 26, 8), role=Role.UNIT_LEADER),))  # fmt: skip
    [found] = findings("late_without_apology", acted_late)
    assert found.event is not None and found.event.id == 7


def test_only_an_apology_before_the_deadline_excuses_lateness() -> None:
    d = dossier(State.RECEIVED)
    late_apology = event(3, "apologise", datetime(2026, 11, 26, 9))
    timely = event(4, "apologise", datetime(2026, 11, 24, 16), trainee=False)
    base = dict(now=datetime(2026, 11, 30, 9), dossiers=(d,), trainee_roles=frozenset({Role.DESK}))
    assert len(findings("late_without_apology", WorkspaceFacts(events=(late_apology,), **base))) == 1
    assert findings("late_without_apology", WorkspaceFacts(events=(timely,), **base)) == []


def test_supplement_rules_look_at_the_trainees_requests_not_the_setup() -> None:
    d = dossier(State.SUPPLEMENT_AT_DESK)
    setup = event(1, "request_supplement", datetime(2026, 11, 20, 9), trainee=False, documents=["TP2"])
    facts = WorkspaceFacts(now=DUE, dossiers=(d,), events=(setup,))
    assert findings("supplement_not_required", facts) == [] and findings("supplement_more_than_once", facts) == []
    again = event(2, "request_supplement", datetime(2026, 11, 24, 9), documents=["TP1"])
    facts = WorkspaceFacts(now=DUE, dossiers=(d,), events=(setup, again))
    assert [f.event.id for f in findings("supplement_more_than_once", facts)] == [2]


def test_cash_is_fine_for_a_partial_service_filed_at_the_counter() -> None:
    d = replace(dossier(State.APPRAISING), channel=1, online_level="mot_phan")
    facts = WorkspaceFacts(now=DUE, dossiers=(d,), events=(event(1, "confirm_payment", DUE, method="cash"),))
    assert findings("cash_where_online_possible", facts) == []


def test_the_newest_filing_of_a_walk_in_is_the_one_scored() -> None:
    first = dossier(State.AWAITING_ASSIGNMENT)
    second = replace(first, id=2, code="000.00.20.H37-261123-0002")
    assert WorkspaceFacts(now=DUE, dossiers=(first, second), events=()).dossier("hs1") is second
