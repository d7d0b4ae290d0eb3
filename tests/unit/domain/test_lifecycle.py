"""The transition table's structure, its guards, and apply/replay."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

import pytest

from sandbox.domain import lifecycle
from sandbox.domain.calendar import WorkingCalendar
from sandbox.domain.errors import Forbidden, InvalidInput, TransitionRefused
from sandbox.domain.lifecycle import ProcedureFacts, RecordedEvent, Situation, Snapshot, apply, replay
from sandbox.domain.vocabulary import Action, Form, Role, State, Status

CAL = WorkingCalendar.default()
PROC = ProcedureFacts(
    code="1.005442", deadline_days=7, fee=500_000, payment_required=True, document_codes=("TP1", "TP2")
)
MONDAY = datetime(2026, 11, 23, 9, 0)


def situation(state: State | None, role: Role, *, now: datetime = MONDAY, **snap: object) -> Situation:
    return Situation(Snapshot(state=state, **snap), PROC, role, now, CAL)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- structure


def test_no_duplicate_state_action_pairs() -> None:
    keys = Counter((t.source, t.action) for t in lifecycle.TRANSITIONS)
    assert [k for k, n in keys.items() if n > 1] == []


def test_every_state_is_reachable_from_submission() -> None:
    reached: set[State] = set()
    frontier: list[State | None] = [None]
    while frontier:
        state = frontier.pop()
        for t in lifecycle.transitions_from(state):
            if t.target not in reached:
                reached.add(t.target)
                frontier.append(t.target)
    assert reached == set(State)


def test_all_ten_national_statuses_are_covered_with_their_exact_names() -> None:
    assert {s.status for s in State} == set(Status)
    assert [(s.value, s.label) for s in Status] == [
        (1, "Mới đăng ký"), (2, "Được tiếp nhận"), (3, "Không được tiếp nhận"), (4, "Đang xử lý"),
        (5, "Yêu cầu bổ sung giấy tờ"), (6, "Yêu cầu thực hiện nghĩa vụ tài chính"),
        (7, "Công dân yêu cầu rút hồ sơ"), (8, "Dừng xử lý"), (9, "Đã xử lý xong"), (10, "Đã trả kết quả"),
    ]  # fmt: skip


def test_end_states_are_final() -> None:
    # FINAL_STATES is derived from the table: this pins the table to the four end states of domain.md §2.3
    assert lifecycle.FINAL_STATES == {State.NOT_RECEIVED, State.WITHDRAWN, State.STOPPED, State.RETURNED}
    assert State.DONE not in lifecycle.FINAL_STATES  # a result still has to be handed over


def test_every_non_final_state_can_reach_a_final_state() -> None:
    for start in set(State) - lifecycle.FINAL_STATES:
        seen, frontier = {start}, [start]
        while frontier:
            for t in lifecycle.transitions_from(frontier.pop()):
                if t.target not in seen:
                    seen.add(t.target)
                    frontier.append(t.target)
        assert seen & lifecycle.FINAL_STATES, start


def test_every_transition_names_roles_and_forms_match_the_law() -> None:
    forms = {(t.source, t.action): t.form for t in lifecycle.TRANSITIONS}
    assert forms[(State.NEW, Action.ACCEPT)] is Form.RECEIPT
    assert forms[(State.NEW, Action.REQUEST_SUPPLEMENT)] is Form.SUPPLEMENT_REQUEST
    assert forms[(State.NEW, Action.REFUSE)] is Form.REFUSAL
    assert forms[(State.APPRAISING, Action.STOP)] is Form.STOP_NOTICE
    assert forms[(State.APPRAISING, Action.APOLOGISE)] is Form.APOLOGY
    assert all(t.roles for t in lifecycle.TRANSITIONS)


def test_withdrawal_is_possible_from_every_open_state_before_the_result() -> None:
    sources = {t.source for t in lifecycle.TRANSITIONS if t.action is Action.WITHDRAW}
    assert {s.status for s in sources} == {Status.NEW, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT,
                                          Status.FINANCIAL}  # fmt: skip


# --------------------------------------------------------------------------- decisions and guards


def test_wrong_role_is_forbidden_with_a_vietnamese_reason() -> None:
    with pytest.raises(Forbidden, match="Cán bộ một cửa"):
        apply(situation(State.NEW, Role.SPECIALIST), Action.ACCEPT)


def test_action_not_allowed_in_state_is_refused() -> None:
    with pytest.raises(TransitionRefused, match="Mới đăng ký"):
        apply(situation(State.NEW, Role.DESK), Action.RETURN_RESULT)


def test_accept_sets_the_due_date_from_the_procedure_deadline() -> None:
    out = apply(situation(State.NEW, Role.DESK), Action.ACCEPT)
    assert out.snapshot.state is State.RECEIVED
    assert out.snapshot.received_at == MONDAY
    # 7 working days from Monday 23/11; Tuesday 24/11/2026 is Ngày Văn hóa Việt Nam, a day off from 2026.
    assert out.snapshot.due_at == CAL.due_at(MONDAY, 7) == datetime(2026, 12, 3, 9, 0)
    assert out.snapshot.version == 1
    assert out.form is Form.RECEIPT


def test_supplement_may_only_name_the_procedures_documents() -> None:
    with pytest.raises(InvalidInput, match="không thuộc thành phần hồ sơ") as info:
        apply(
            situation(State.NEW, Role.DESK),
            Action.REQUEST_SUPPLEMENT,
            {"documents": ["TP9"], "reason": "Thiếu giấy tờ"},
        )
    assert info.value.field == "documents"
    out = apply(situation(State.NEW, Role.DESK), Action.REQUEST_SUPPLEMENT,
                {"documents": ["TP2", "TP1", "TP2"], "reason": "Bản sao chưa chứng thực"})  # fmt: skip
    assert out.params["documents"] == ["TP1", "TP2"]


@pytest.mark.parametrize("reason", [None, "", "   ", "ab"])
def test_refusal_needs_a_real_reason(reason: object) -> None:
    with pytest.raises(InvalidInput) as info:
        apply(situation(State.NEW, Role.DESK), Action.REFUSE, {"reason": reason})
    assert info.value.field == "reason"


def test_supplement_during_appraisal_pauses_and_completion_extends_the_due_date() -> None:
    due = datetime(2026, 11, 27, 9, 0)
    requested = apply(situation(State.APPRAISING, Role.SPECIALIST, due_at=due), Action.REQUEST_SUPPLEMENT,
                      {"documents": ["TP1"], "reason": "Bổ sung bản chính"})  # fmt: skip
    assert requested.snapshot.paused_at == MONDAY
    later = datetime(2026, 11, 25, 9, 0)  # Wednesday; Tuesday 24/11 is a day off: 8 office hours paused
    done = apply(Situation(requested.snapshot, PROC, Role.DESK, later, CAL), Action.COMPLETE_SUPPLEMENT)
    assert done.snapshot.state is State.APPRAISING
    assert done.snapshot.paused_at is None
    assert done.snapshot.due_at == datetime(2026, 11, 30, 9, 0)  # one working day later than before


def test_appraisal_refused_until_the_required_fee_is_paid() -> None:
    snap = dict(fee_amount=500_000, fee_paid=False)
    with pytest.raises(TransitionRefused, match="nghĩa vụ tài chính"):
        apply(situation(State.APPRAISING, Role.SPECIALIST, **snap), Action.APPRAISE, {"opinion": "Đủ điều kiện"})
    paid = apply(situation(State.APPRAISING, Role.SPECIALIST, fee_amount=500_000, fee_paid=True), Action.APPRAISE,
                 {"opinion": "Đủ điều kiện"})  # fmt: skip
    assert paid.snapshot.state is State.AWAITING_APPROVAL


def test_citizen_may_only_confirm_an_online_payment() -> None:
    with pytest.raises(TransitionRefused, match="trực tuyến"):
        apply(situation(State.FINANCIAL_OBLIGATION, Role.CITIZEN), Action.CONFIRM_PAYMENT, {"method": "cash"})
    out = apply(situation(State.FINANCIAL_OBLIGATION, Role.CITIZEN), Action.CONFIRM_PAYMENT, {"method": "online"})
    assert out.snapshot.fee_paid and out.snapshot.payment_method == "online"


def test_result_cannot_be_returned_unsigned() -> None:
    with pytest.raises(TransitionRefused, match="chưa được ký số"):
        apply(situation(State.DONE, Role.DESK, result_signed=False), Action.RETURN_RESULT)


def test_apology_only_when_late_or_due_soon_and_with_a_later_working_day() -> None:
    far = datetime(2026, 12, 10, 9, 0)
    with pytest.raises(TransitionRefused, match="quá hạn"):
        apply(situation(State.APPRAISING, Role.DESK, due_at=far), Action.APOLOGISE,
              {"reason": "Chưa kịp thẩm định", "new_due_date": "2026-12-15"})  # fmt: skip
    past = datetime(2026, 11, 20, 9, 0)
    with pytest.raises(TransitionRefused, match="không phải ngày làm việc"):
        apply(
            situation(State.APPRAISING, Role.DESK, due_at=past),
            Action.APOLOGISE,
            {"reason": "Chưa kịp thẩm định", "new_due_date": "2026-11-28"},
        )  # fmt: skip  (a Saturday)
    out = apply(situation(State.APPRAISING, Role.DESK, due_at=past), Action.APOLOGISE,
                {"reason": "Chưa kịp thẩm định", "new_due_date": "2026-11-27"})  # fmt: skip
    assert out.snapshot.due_at == datetime(2026, 11, 27, 17, 0)
    assert out.snapshot.apology_count == 1 and out.snapshot.state is State.APPRAISING


def test_allowed_actions_hide_what_a_guard_already_refuses() -> None:
    unpaid = situation(State.APPRAISING, Role.SPECIALIST, fee_amount=500_000)
    assert Action.APPRAISE not in lifecycle.allowed_actions(unpaid)
    assert Action.REQUEST_FEE in lifecycle.allowed_actions(unpaid)
    assert lifecycle.allowed_actions(situation(State.RETURNED, Role.DESK)) == []


# --------------------------------------------------------------------------- replay


def test_replay_rebuilds_the_snapshot_and_rejects_impossible_histories() -> None:
    events, sit = [], situation(None, Role.CITIZEN)
    for action, role, params in [
        (Action.SUBMIT_ONLINE, Role.CITIZEN, {}),
        (Action.ACCEPT, Role.DESK, {}),
        (Action.FORWARD, Role.DESK, {}),
        (Action.ASSIGN, Role.DEPT_LEADER, {"assignee_id": 7}),
    ]:
        out = apply(Situation(sit.snapshot, PROC, role, MONDAY, CAL), action, params)
        events.append(RecordedEvent(action, sit.snapshot.state, out.snapshot.state,  # type: ignore[arg-type]
                                    lifecycle.encode_changes(out.changes)))  # fmt: skip
        sit = Situation(out.snapshot, PROC, role, MONDAY, CAL)
    assert replay(events) == sit.snapshot
    bad = [*events[:1], RecordedEvent(Action.ASSIGN, State.NEW, State.APPRAISING, {})]
    with pytest.raises(lifecycle.ReplayError):
        replay(bad)


def test_new_due_date_accepts_date_objects() -> None:
    past = datetime(2026, 11, 20, 9, 0)
    out = apply(situation(State.RECEIVED, Role.DESK, due_at=past), Action.APOLOGISE,
                {"reason": "Chờ ý kiến cơ quan liên quan", "new_due_date": date(2026, 11, 30)})  # fmt: skip
    assert out.snapshot.due_at == datetime(2026, 11, 30, 17, 0)
