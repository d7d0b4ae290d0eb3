"""The dossier lifecycle as data: a table of transitions, their guards, inputs and forms.

One pure function, :func:`apply`, turns (snapshot, action, situation, params) into the next
snapshot and the field changes to record in the event. The services call it inside a
transaction; the bulk seeder calls it in memory; :func:`replay` folds recorded events
back into a snapshot. So the same rules produce, explain and check every dossier.

The table follows domain.md §2.3 (national codes 1–10), with the sub-states real systems
keep inside "Đang xử lý" (see :class:`~sandbox.domain.vocabulary.State`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from sandbox.domain.dossier import (
    DATETIME_FIELDS,
    Calendar,
    ProcedureFacts,
    Situation,
    Snapshot,
    decode_changes,
    encode_changes,
)
from sandbox.domain.errors import Forbidden, TransitionRefused
from sandbox.domain.inputs import Param, clean_params
from sandbox.domain.vocabulary import Action, Form, PaymentMethod, Role, State

__all__ = [  # the facts and inputs are re-exported: callers speak to the lifecycle through this module
    "DATETIME_FIELDS", "FINAL_STATES", "TRANSITIONS", "Calendar", "Outcome", "Param", "ProcedureFacts",
    "RecordedEvent", "ReplayError", "Situation", "Snapshot", "Transition", "allowed_actions", "apply",
    "decide", "decode_changes", "encode_changes", "replay", "transition_for", "transitions_from",
]  # fmt: skip

# --------------------------------------------------------------------------- guards

Guard = Callable[[Situation, Mapping[str, Any]], "str | None"]


def _signed_result(s: Situation, _: Mapping[str, Any]) -> str | None:
    if not s.snapshot.result_signed:
        return "Kết quả chưa được ký số: không thể phát hành hoặc trả kết quả chưa ký."
    return None


def _fee_settled(s: Situation, _: Mapping[str, Any]) -> str | None:
    if s.procedure.payment_required and s.snapshot.fee_amount > 0 and not s.snapshot.fee_paid:
        return (
            "Thủ tục yêu cầu thực hiện nghĩa vụ tài chính trước khi trình phê duyệt: "
            "hãy gửi yêu cầu nộp phí, lệ phí và chờ xác nhận thanh toán."
        )
    return None


def _fee_due(s: Situation, _: Mapping[str, Any]) -> str | None:
    if s.procedure.fee <= 0:
        return "Thủ tục này không thu phí, lệ phí: không có nghĩa vụ tài chính để yêu cầu."
    if s.snapshot.fee_paid:
        return "Phí, lệ phí của hồ sơ đã được nộp."
    return None


def _payment_method_fits_role(s: Situation, p: Mapping[str, Any]) -> str | None:
    """Online payments are confirmed by the applicant's payment on the platform; the desk records cash only."""
    method = p.get("method")
    if s.role is Role.CITIZEN and method not in (None, PaymentMethod.ONLINE):
        return "Công dân chỉ có thể tự xác nhận thanh toán trực tuyến; nộp tiền mặt do cán bộ một cửa xác nhận."
    if s.role is not Role.CITIZEN and method is PaymentMethod.ONLINE:
        return ("Thanh toán trực tuyến do người nộp thực hiện trên nền tảng thanh toán; cán bộ một cửa chỉ ghi nhận "
                "khoản nộp tiền mặt tại quầy.")  # fmt: skip
    return None


def _supplement_not_sent(s: Situation, _: Mapping[str, Any]) -> str | None:
    """A supplement is answered once, fully: a second answer waits for the desk to check the first."""
    if s.snapshot.supplement_submitted:
        return "Đã nộp bổ sung cho yêu cầu này; chờ cán bộ một cửa kiểm tra."
    return None


def _supplement_arrived(s: Situation, _: Mapping[str, Any]) -> str | None:
    """An online applicant supplements on the portal; the desk confirms what arrived, it cannot invent it."""
    if s.channel == 2 and not s.snapshot.supplement_submitted:
        return "Người nộp chưa nộp bổ sung trên Cổng Dịch vụ công: chưa thể xác nhận «Hoàn thành bổ sung»."
    return None


def _late_or_due_soon(s: Situation, _: Mapping[str, Any]) -> str | None:
    due = s.snapshot.due_at
    if due is None:
        return "Hồ sơ chưa có ngày hẹn trả kết quả."
    if s.calendar.office_hours_between(s.now, due) > 8:
        return "Chỉ lập văn bản xin lỗi khi hồ sơ đã quá hạn hoặc còn không quá 1 ngày làm việc."
    return None


def _new_date_valid(s: Situation, p: Mapping[str, Any]) -> str | None:
    new_date: date | None = p.get("new_due_date")
    due = s.snapshot.due_at
    if new_date is None or due is None:
        return None
    base = max(due.date(), s.now.date())
    if new_date <= base:
        return "Ngày hẹn mới phải sau ngày hẹn hiện tại và sau hôm nay."
    if (new_date - base).days > MAX_POSTPONE_DAYS:
        return f"Ngày hẹn mới không được quá {MAX_POSTPONE_DAYS} ngày sau ngày hẹn hiện tại."
    if not s.calendar.is_working_day(new_date):
        return f"Ngày hẹn mới {new_date:%d/%m/%Y} không phải ngày làm việc."
    return None


# An apology may postpone the appointment by at most this many calendar days (a bound, not a rule of
# law: NĐ 118/2025 fixes none; it keeps a typo like 9999-12-31 from becoming the appointment).
MAX_POSTPONE_DAYS = 90


# --------------------------------------------------------------------------- effects

Effect = Callable[[Situation, Mapping[str, Any]], dict[str, Any]]


def _due_from(s: Situation, start: datetime) -> dict[str, Any]:
    due = s.calendar.due_at(start, s.procedure.deadline_days)
    return {"received_at": start, "due_at": due, "original_due_at": due}


def _on_submit(s: Situation, _: Mapping[str, Any]) -> dict[str, Any]:
    return {"submitted_at": s.now, "fee_amount": s.procedure.fee}


def _on_counter(s: Situation, p: Mapping[str, Any]) -> dict[str, Any]:
    return _on_submit(s, p) | _due_from(s, s.now)


def _on_accept(s: Situation, _: Mapping[str, Any]) -> dict[str, Any]:
    return _due_from(s, s.now)


def _on_supplement_request(s: Situation, _: Mapping[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {"supplement_count": s.snapshot.supplement_count + 1, "supplement_submitted": False}
    if s.snapshot.state is State.APPRAISING:
        changes["paused_at"] = s.now  # the legal clock stops while the applicant supplements
    return changes


def _resume_clock(s: Situation) -> dict[str, Any]:
    snap = s.snapshot
    if snap.paused_at is None or snap.due_at is None:
        return {}
    paused = max(0.0, s.calendar.office_hours_between(snap.paused_at, s.now))
    return {"paused_at": None, "due_at": s.calendar.add_office_hours(snap.due_at, paused)}


def _on_supplement_submitted(_: Situation, __: Mapping[str, Any]) -> dict[str, Any]:
    return {"supplement_submitted": True}


def _on_supplement_complete(s: Situation, _: Mapping[str, Any]) -> dict[str, Any]:
    done = {"supplement_submitted": False}
    if s.snapshot.state is State.SUPPLEMENT_AT_DESK:
        return _due_from(s, s.now) | done  # a complete dossier: the legal clock starts now
    return _resume_clock(s) | done


def _on_assign(_: Situation, p: Mapping[str, Any]) -> dict[str, Any]:
    return {"assignee_id": p["assignee_id"]}


def _on_request_fee(s: Situation, _: Mapping[str, Any]) -> dict[str, Any]:
    return {"fee_amount": s.procedure.fee}


def _on_payment(_: Situation, p: Mapping[str, Any]) -> dict[str, Any]:
    return {"fee_paid": True, "payment_method": str(p["method"])}


def _on_sign(_: Situation, __: Mapping[str, Any]) -> dict[str, Any]:
    return {"result_signed": True}


def _on_issue(s: Situation, p: Mapping[str, Any]) -> dict[str, Any]:
    return {"result_number": p["result_number"], "finished_at": s.now}


def _on_return(s: Situation, _: Mapping[str, Any]) -> dict[str, Any]:
    return {"returned_at": s.now}


def _on_close(s: Situation, _: Mapping[str, Any]) -> dict[str, Any]:
    return {"closed_at": s.now} | _resume_clock(s)


def _on_finish(s: Situation, _: Mapping[str, Any]) -> dict[str, Any]:
    return {"finished_at": s.now}


def _on_apologise(s: Situation, p: Mapping[str, Any]) -> dict[str, Any]:
    new_due = datetime.combine(p["new_due_date"], time(17, 0))
    return {"due_at": new_due, "apology_count": s.snapshot.apology_count + 1}


# --------------------------------------------------------------------------- the table

REASON = Param("reason", "text", "Lý do")
NOTE = Param("note", "text", "Ý kiến xử lý", required=False)


@dataclass(frozen=True, slots=True)
class Transition:
    """One row of the table: from ``source`` the ``roles`` may fire ``action`` to reach ``target``."""

    action: Action
    source: State | None
    target: State
    roles: frozenset[Role]
    form: Form | None = None
    params: tuple[Param, ...] = ()
    guards: tuple[Guard, ...] = ()
    effect: Effect | None = None


def _t(action: Action, source: State | None, target: State, *roles: Role, **kw: Any) -> Transition:
    return Transition(action, source, target, frozenset(roles), **kw)


_OPEN_BEFORE_RESULT = (
    State.NEW,
    State.SUPPLEMENT_AT_DESK,
    State.RECEIVED,
    State.AWAITING_ASSIGNMENT,
    State.APPRAISING,
    State.AWAITING_APPROVAL,
    State.AWAITING_SIGNATURE,
    State.SUPPLEMENT_IN_PROCESSING,
    State.FINANCIAL_OBLIGATION,
)
_CLOCK_RUNNING = (
    State.RECEIVED,
    State.AWAITING_ASSIGNMENT,
    State.APPRAISING,
    State.AWAITING_APPROVAL,
    State.AWAITING_SIGNATURE,
    State.AWAITING_ISSUE,
    State.FINANCIAL_OBLIGATION,
)
_STOP_ROLE = {
    State.APPRAISING: Role.SPECIALIST,
    State.SUPPLEMENT_IN_PROCESSING: Role.SPECIALIST,
    State.AWAITING_APPROVAL: Role.DEPT_LEADER,
    State.AWAITING_SIGNATURE: Role.UNIT_LEADER,
}
_SUPPLEMENT_DOCS = Param("documents", "documents", "Giấy tờ cần bổ sung")
# «Kết thúc» exists in real one-stop software and is misused to make late dossiers look done; the sandbox
# offers it so trainees can make that mistake and be scored on it (domain.compliance).
_FINISH_ROLE = {State.AWAITING_APPROVAL: Role.DEPT_LEADER, State.AWAITING_SIGNATURE: Role.UNIT_LEADER}
_FINISH = dict(
    params=(Param("result_file", "text", "Tệp kết quả đính kèm (bản chụp)", required=False),
            Param("reuse_result_of", "text", "Dùng kết quả của hồ sơ (mã hồ sơ)", required=False)),
    effect=_on_finish,
)  # fmt: skip
_APOLOGY = dict(
    form=Form.APOLOGY,
    params=(REASON, Param("new_due_date", "date", "Ngày hẹn trả mới")),
    guards=(_late_or_due_soon, _new_date_valid),
    effect=_on_apologise,
)

A, S, R = Action, State, Role
TRANSITIONS: tuple[Transition, ...] = (
    _t(A.SUBMIT_ONLINE, None, S.NEW, R.CITIZEN, effect=_on_submit),
    _t(A.RECEIVE_AT_COUNTER, None, S.RECEIVED, R.DESK, form=Form.RECEIPT, effect=_on_counter),
    _t(A.ACCEPT, S.NEW, S.RECEIVED, R.DESK, form=Form.RECEIPT, effect=_on_accept),
    _t(A.REFUSE, S.NEW, S.NOT_RECEIVED, R.DESK, form=Form.REFUSAL, params=(REASON,), effect=_on_close),
    _t(A.REFUSE, S.SUPPLEMENT_AT_DESK, S.NOT_RECEIVED, R.DESK, form=Form.REFUSAL, params=(REASON,), effect=_on_close),
    _t(A.REQUEST_SUPPLEMENT, S.NEW, S.SUPPLEMENT_AT_DESK, R.DESK, form=Form.SUPPLEMENT_REQUEST,
       params=(_SUPPLEMENT_DOCS, REASON), effect=_on_supplement_request),
    _t(A.REQUEST_SUPPLEMENT, S.APPRAISING, S.SUPPLEMENT_IN_PROCESSING, R.SPECIALIST, form=Form.SUPPLEMENT_REQUEST,
       params=(_SUPPLEMENT_DOCS, REASON), effect=_on_supplement_request),
    _t(A.SUBMIT_SUPPLEMENT, S.SUPPLEMENT_AT_DESK, S.SUPPLEMENT_AT_DESK, R.CITIZEN, params=(NOTE,),
       guards=(_supplement_not_sent,), effect=_on_supplement_submitted),
    _t(A.SUBMIT_SUPPLEMENT, S.SUPPLEMENT_IN_PROCESSING, S.SUPPLEMENT_IN_PROCESSING, R.CITIZEN, params=(NOTE,),
       guards=(_supplement_not_sent,), effect=_on_supplement_submitted),
    _t(A.COMPLETE_SUPPLEMENT, S.SUPPLEMENT_AT_DESK, S.RECEIVED, R.DESK, form=Form.RECEIPT,
       guards=(_supplement_arrived,), effect=_on_supplement_complete),
    _t(A.COMPLETE_SUPPLEMENT, S.SUPPLEMENT_IN_PROCESSING, S.APPRAISING, R.DESK, guards=(_supplement_arrived,),
       effect=_on_supplement_complete),
    _t(A.FORWARD, S.RECEIVED, S.AWAITING_ASSIGNMENT, R.DESK, form=Form.CONTROL_SLIP),
    _t(A.ASSIGN, S.AWAITING_ASSIGNMENT, S.APPRAISING, R.DEPT_LEADER, form=Form.CONTROL_SLIP,
       params=(Param("assignee_id", "int", "Chuyên viên xử lý"),), effect=_on_assign),
    _t(A.APPRAISE, S.APPRAISING, S.AWAITING_APPROVAL, R.SPECIALIST, form=Form.CONTROL_SLIP,
       params=(Param("opinion", "text", "Ý kiến thẩm định"),), guards=(_fee_settled,)),
    _t(A.RETURN_FOR_REWORK, S.AWAITING_APPROVAL, S.APPRAISING, R.DEPT_LEADER, form=Form.CONTROL_SLIP, params=(REASON,)),
    _t(A.RETURN_FOR_REWORK, S.AWAITING_SIGNATURE, S.AWAITING_APPROVAL, R.UNIT_LEADER, form=Form.CONTROL_SLIP,
       params=(REASON,)),
    _t(A.REQUEST_FEE, S.APPRAISING, S.FINANCIAL_OBLIGATION, R.SPECIALIST, guards=(_fee_due,), effect=_on_request_fee),
    _t(A.CONFIRM_PAYMENT, S.FINANCIAL_OBLIGATION, S.APPRAISING, R.DESK, R.CITIZEN,
       params=(Param("method", "payment_method", "Hình thức nộp"),), guards=(_payment_method_fits_role,),
       effect=_on_payment),
    _t(A.APPROVE, S.AWAITING_APPROVAL, S.AWAITING_SIGNATURE, R.DEPT_LEADER, form=Form.CONTROL_SLIP, params=(NOTE,)),
    _t(A.SIGN, S.AWAITING_SIGNATURE, S.AWAITING_ISSUE, R.UNIT_LEADER, form=Form.CONTROL_SLIP, effect=_on_sign),
    _t(A.ISSUE, S.AWAITING_ISSUE, S.DONE, R.CLERK, form=Form.CONTROL_SLIP, guards=(_signed_result,),
       params=(Param("result_number", "text", "Số văn bản kết quả"),), effect=_on_issue),
    _t(A.RETURN_RESULT, S.DONE, S.RETURNED, R.DESK, guards=(_signed_result,), effect=_on_return),
    *(_t(A.WITHDRAW, s, S.WITHDRAWN, R.CITIZEN, R.DESK, params=(REASON,), effect=_on_close)
      for s in _OPEN_BEFORE_RESULT),
    *(_t(A.STOP, s, S.STOPPED, role, form=Form.STOP_NOTICE, params=(REASON,), effect=_on_close)
      for s, role in _STOP_ROLE.items()),
    *(_t(A.APOLOGISE, s, s, R.DESK, R.DEPT_LEADER, R.UNIT_LEADER, **_APOLOGY)  # type: ignore[arg-type]
      for s in _CLOCK_RUNNING),
    *(_t(A.FINISH, s, S.DONE, role, **_FINISH) for s, role in _FINISH_ROLE.items()),  # type: ignore[arg-type]
)  # fmt: skip

_BY_KEY: dict[tuple[State | None, Action], Transition] = {(t.source, t.action): t for t in TRANSITIONS}
# Actions taken in reaction to something (a deadline, the applicant's wish, a failed appraisal), not the
# next step of the work: they put a dossier in nobody's work queue and make nobody responsible for it.
REACTIVE_ACTIONS = frozenset({Action.APOLOGISE, Action.WITHDRAW, Action.STOP, Action.FINISH})


def next_step_roles(state: State | None) -> frozenset[Role]:
    """Who holds the dossier now: the roles that have its next (non-reactive) step."""
    return frozenset(r for t in TRANSITIONS if t.source is state and t.action not in REACTIVE_ACTIONS for r in t.roles)


FINAL_STATES = frozenset(s for s in State if not any(t.source is s for t in TRANSITIONS))


def transition_for(state: State | None, action: Action) -> Transition | None:
    return _BY_KEY.get((state, action))


def transitions_from(state: State | None) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source is state]


# --------------------------------------------------------------------------- decisions


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an action did: the new snapshot, the recorded field changes, the form it produced."""

    transition: Transition
    snapshot: Snapshot
    changes: dict[str, Any]
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def form(self) -> Form | None:
        return self.transition.form


def decide(situation: Situation, action: Action) -> Transition:
    """Return the transition ``action`` fires now, or raise with a Vietnamese reason."""
    state = situation.snapshot.state
    transition = transition_for(state, action)
    if transition is None:
        where = state.label if state is not None else "chưa có hồ sơ"
        raise TransitionRefused(
            f"Không thể «{action.label}» khi hồ sơ ở trạng thái «{where}».", code="action_not_allowed_in_state"
        )
    if situation.role not in transition.roles:
        allowed = ", ".join(sorted(r.label for r in transition.roles))
        raise Forbidden(f"Vai trò «{situation.role.label}» không được «{action.label}»; chỉ: {allowed}.")
    return transition


def apply(situation: Situation, action: Action, raw_params: Mapping[str, Any] | None = None) -> Outcome:
    """Decide, validate inputs, check guards, and compute the next snapshot. Pure."""
    transition = decide(situation, action)
    params = clean_params(transition.params, raw_params or {}, situation)
    for guard in transition.guards:
        reason = guard(situation, params)
        if reason:
            raise TransitionRefused(reason)
    changes: dict[str, Any] = {"state": transition.target}
    if transition.effect is not None:
        changes.update(transition.effect(situation, params))
    snapshot = replace(situation.snapshot, **changes, version=situation.snapshot.version + 1)
    return Outcome(transition, snapshot, changes, params)


def allowed_actions(situation: Situation) -> list[Action]:
    """Actions this role may fire now (guards that need no input already pass)."""
    result: list[Action] = []
    for t in transitions_from(situation.snapshot.state):
        if situation.role not in t.roles:
            continue
        if any(g(situation, {}) for g in t.guards):
            continue
        result.append(t.action)
    return result


# --------------------------------------------------------------------------- replay


class ReplayError(ValueError):
    """The event log does not describe a path through the transition table."""


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    action: Action
    from_state: State | None
    to_state: State
    changes: Mapping[str, Any]


def replay(events: Iterable[RecordedEvent]) -> Snapshot:
    """Fold a dossier's events (oldest first) into the snapshot they produce."""
    snap = Snapshot()
    for n, event in enumerate(events, start=1):
        if event.from_state is not snap.state:
            raise ReplayError(f"event {n}: recorded from {event.from_state}, but the dossier was {snap.state}")
        transition = transition_for(snap.state, event.action)
        if transition is None or transition.target is not event.to_state:
            raise ReplayError(f"event {n}: {event.action} from {snap.state} to {event.to_state} is not in the table")
        snap = replace(snap, **decode_changes(event.changes), version=snap.version + 1)
    return snap
