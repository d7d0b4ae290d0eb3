"""Checks: named predicates a scenario awards points for, each a pure function of the workspace facts.

A scenario names a predicate and gives its parameters (validated on load against
:attr:`Predicate.params`); no scenario text is ever evaluated as code (CTFd's registry by name).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sandbox.domain.scoring import DossierFact, EventFact, WorkspaceFacts
from sandbox.domain.vocabulary import Action, Form, State, Status

# Parameter kinds a predicate can declare; the scenario loader checks values against them.
DOSSIER, STATES, ACTION, INT, FORM, DOCUMENTS, TEXT = "dossier", "states", "action", "int", "form", "documents", "text"


@dataclass(frozen=True, slots=True)
class Verdict:
    passed: bool
    detail: str  # Vietnamese: what was found
    event: EventFact | None = None


@dataclass(frozen=True)
class Predicate:
    name: str
    title: str  # Vietnamese, for the scenario editor and the ledger
    required: Mapping[str, str]
    optional: Mapping[str, str]
    fn: Callable[[WorkspaceFacts, Mapping[str, Any]], Verdict]


REGISTRY: dict[str, Predicate] = {}


def predicate(name: str, title: str, required: Mapping[str, str], optional: Mapping[str, str] | None = None):
    def register(fn: Callable[[WorkspaceFacts, Mapping[str, Any]], Verdict]):
        REGISTRY[name] = Predicate(name, title, required, optional or {}, fn)
        return fn

    return register


def _dossier(facts: WorkspaceFacts, p: Mapping[str, Any]) -> DossierFact:
    d = facts.dossier(p["dossier"])
    if d is None:  # the loader guarantees the key exists in the setup; a missing row is a runner bug
        raise LookupError(f"dossier {p['dossier']!r} is not in the workspace")
    return d


def _states(raw: str | list[str]) -> set[State]:
    values = [raw] if isinstance(raw, str) else raw
    out: set[State] = set()
    for v in values:
        state = State.parse(v)
        if isinstance(state, State):
            out.add(state)
        else:  # a national status code: every fine state of it
            status = Status.parse(v)
            out |= {s for s in State if s.status is status}
    return out


def _actions(facts: WorkspaceFacts, d: DossierFact | None, action: str) -> list[EventFact]:
    return [e for e in facts.events_of(d) if e.action == action]


@predicate("dossier_state", "Hồ sơ ở đúng trạng thái", {"dossier": DOSSIER, "state": STATES})
def dossier_state(facts: WorkspaceFacts, p: Mapping[str, Any]) -> Verdict:
    d = _dossier(facts, p)
    assert d.state is not None
    ok = d.state in _states(p["state"])
    return Verdict(ok, f"Hồ sơ {d.code} đang ở trạng thái «{d.state.status.label}» ({d.state.label}).")


@predicate("event_happened", "Đã thực hiện thao tác", {"action": ACTION},
           {"dossier": DOSSIER, "min": INT, "max": INT})  # fmt: skip
def event_happened(facts: WorkspaceFacts, p: Mapping[str, Any]) -> Verdict:
    d = _dossier(facts, p) if "dossier" in p else None
    events = _actions(facts, d, p["action"])
    low, high = p.get("min", 1), p.get("max")
    ok = len(events) >= low and (high is None or len(events) <= high)
    label = Action(p["action"]).label
    return Verdict(ok, f"Thao tác «{label}» được thực hiện {len(events)} lần.", events[-1] if events else None)


@predicate("event_not_happened", "Không thực hiện thao tác", {"action": ACTION}, {"dossier": DOSSIER})
def event_not_happened(facts: WorkspaceFacts, p: Mapping[str, Any]) -> Verdict:
    d = _dossier(facts, p) if "dossier" in p else None
    events = _actions(facts, d, p["action"])
    label = Action(p["action"]).label
    if events:
        return Verdict(False, f"Đã thực hiện «{label}» ({len(events)} lần).", events[0])
    return Verdict(True, f"Không thực hiện «{label}».")


@predicate("result_signed", "Kết quả được ký số", {"dossier": DOSSIER})
def result_signed(facts: WorkspaceFacts, p: Mapping[str, Any]) -> Verdict:
    d = _dossier(facts, p)
    signs = _actions(facts, d, Action.SIGN.value)
    ok = d.snapshot.result_signed
    return Verdict(ok, "Kết quả đã được ký số." if ok else "Kết quả chưa được ký số.", signs[-1] if signs else None)


@predicate("documents_digitized", "Thành phần hồ sơ được số hóa", {"dossier": DOSSIER})
def documents_digitized(facts: WorkspaceFacts, p: Mapping[str, Any]) -> Verdict:
    d = _dossier(facts, p)
    inputs = [doc for doc in d.documents if doc.kind == "input"]
    needed = [doc for doc in inputs if doc.code in d.digitize_documents]
    missing = sorted(doc.code for doc in needed if not doc.digitized)
    if not inputs:
        return Verdict(False, "Hồ sơ chưa có thành phần nào được tiếp nhận.")
    if not needed:
        return Verdict(True, "Thủ tục không yêu cầu số hóa thành phần nào đã nộp.")
    if missing:
        return Verdict(False, f"Giấy tờ chưa số hóa: {', '.join(missing)}.")
    return Verdict(True, f"Đã số hóa {len(needed)} thành phần hồ sơ.")


@predicate("fee_paid_online", "Phí, lệ phí nộp trực tuyến", {"dossier": DOSSIER})
def fee_paid_online(facts: WorkspaceFacts, p: Mapping[str, Any]) -> Verdict:
    d = _dossier(facts, p)
    payments = _actions(facts, d, Action.CONFIRM_PAYMENT.value) or [
        e for e in facts.events_of(d, trainee_only=False) if e.action == Action.CONFIRM_PAYMENT.value
    ]
    if not d.snapshot.fee_paid:
        return Verdict(False, "Phí, lệ phí chưa được nộp.")
    ok = d.snapshot.payment_method == "online"
    method = "trực tuyến" if ok else "tiền mặt"
    return Verdict(ok, f"Phí, lệ phí đã nộp bằng hình thức {method}.", payments[-1] if payments else None)


@predicate("finished_on_time", "Có kết quả đúng hạn", {"dossier": DOSSIER})
def finished_on_time(facts: WorkspaceFacts, p: Mapping[str, Any]) -> Verdict:
    d = _dossier(facts, p)
    snap = d.snapshot
    due = snap.original_due_at
    if snap.finished_at is None:
        return Verdict(False, "Hồ sơ chưa có kết quả.")
    if due is None:
        return Verdict(False, "Hồ sơ không có ngày hẹn trả.")
    ok = snap.finished_at <= due
    return Verdict(ok, f"Có kết quả lúc {snap.finished_at:%H:%M %d/%m/%Y}, hẹn trả {due:%H:%M %d/%m/%Y}.")


@predicate("supplement_requested_once", "Yêu cầu bổ sung một lần, đúng giấy tờ thủ tục yêu cầu",
           {"dossier": DOSSIER}, {"documents": DOCUMENTS})  # fmt: skip
def supplement_requested_once(facts: WorkspaceFacts, p: Mapping[str, Any]) -> Verdict:
    d = _dossier(facts, p)
    requests = _actions(facts, d, Action.REQUEST_SUPPLEMENT.value)
    if len(requests) != 1:
        return Verdict(
            False, f"Số lần yêu cầu bổ sung: {len(requests)} (phải đúng 1 lần).", requests[-1] if requests else None
        )
    asked = set(requests[0].params.get("documents") or [])
    optional = sorted(c for c in asked if not d.procedure_documents.get(c, False))
    if optional:
        return Verdict(False, f"Đã yêu cầu cả giấy tờ không bắt buộc: {', '.join(optional)}.", requests[0])
    expected = set(p.get("documents") or [])
    missing = sorted(expected - asked)
    if missing:
        return Verdict(False, f"Phiếu yêu cầu bổ sung còn thiếu: {', '.join(missing)}.", requests[0])
    return Verdict(True, f"Yêu cầu bổ sung một lần: {', '.join(sorted(asked))}.", requests[0])


@predicate("apology_before_due", "Xin lỗi, hẹn lại trước khi quá hạn", {"dossier": DOSSIER})
def apology_before_due(facts: WorkspaceFacts, p: Mapping[str, Any]) -> Verdict:
    d = _dossier(facts, p)
    apologies = _actions(facts, d, Action.APOLOGISE.value)
    due = d.snapshot.original_due_at
    if not apologies:
        return Verdict(False, "Chưa lập văn bản xin lỗi và hẹn lại ngày trả kết quả.")
    first = apologies[0]
    ok = due is not None and first.at <= due
    when = f"{first.at:%H:%M %d/%m/%Y}"
    return Verdict(ok, f"Văn bản xin lỗi lập lúc {when}" + ("" if ok else ", sau thời hạn hẹn trả") + ".", first)


@predicate("form_issued", "Đã lập biểu mẫu", {"dossier": DOSSIER, "form": FORM})
def form_issued(facts: WorkspaceFacts, p: Mapping[str, Any]) -> Verdict:
    d = _dossier(facts, p)
    form = Form(p["form"])
    ok = form.value in d.forms
    return Verdict(ok, f"{form.label}: {'đã lập' if ok else 'chưa lập'}.")


@predicate("routed_to_competent_agency", "Chuyển đúng cơ quan có thẩm quyền", {"dossier": DOSSIER})
def routed_to_competent_agency(facts: WorkspaceFacts, p: Mapping[str, Any]) -> Verdict:
    d = _dossier(facts, p)
    expected = facts.competent_agency.get(d.key)
    ok = expected is not None and d.deciding_agency_code == expected
    return Verdict(ok, f"Hồ sơ {d.code} được chuyển tới cơ quan mã {d.deciding_agency_code}"
                       + ("." if ok else f", trong khi cơ quan có thẩm quyền là {expected}."))  # fmt: skip


def validate_value(kind: str, value: Any, dossier_keys: set[str]) -> str | None:
    """Why ``value`` is not a valid parameter of ``kind`` (Vietnamese), or None."""
    if kind == DOSSIER:
        return None if value in dossier_keys else f"hồ sơ «{value}» không có trong setup.dossiers"
    if kind == STATES:
        values = [value] if isinstance(value, str | int) else value
        if not isinstance(values, list) or not values:
            return "phải là một trạng thái hoặc danh sách trạng thái"
        bad = [v for v in values if State.parse(v) is None and Status.parse(v) is None]
        return f"trạng thái không tồn tại: {bad}" if bad else None
    if kind == ACTION:
        return None if isinstance(Action.parse(value), Action) else f"thao tác «{value}» không tồn tại"
    if kind == INT:
        return (
            None if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else "phải là số nguyên ≥ 0"
        )
    if kind == FORM:
        return None if Form.parse(value) is not None else f"biểu mẫu «{value}» không tồn tại (mau_01 … mau_07)"
    if kind == DOCUMENTS:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return None if ok else "phải là danh sách mã giấy tờ"
    return None if isinstance(value, str) else "phải là văn bản"
