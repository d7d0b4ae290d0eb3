"""Every use case, on a real session: what it changes, what it refuses, and that a refusal writes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sandbox.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, TransitionRefused
from sandbox.domain.lifecycle import replay
from sandbox.domain.vocabulary import Action, Channel, Form, Role, State
from sandbox.integrations.faults import FaultPlan, IntegrationUnavailable
from sandbox.services import intake, processing, results
from sandbox.services.context import ServiceContext
from sandbox.services.dossiers import recorded_transitions
from sandbox.services.reading import dossier_events
from sandbox.store.models import Citizen, Dossier, Event, IssuedForm, Notification, Officer, Payment, Signature
from tests.conftest import username_for

TABLES = (Dossier, Event, IssuedForm, Notification, Payment, Signature)
LY_DO_1005442 = {"ly_do": "Bị hư hỏng", "so_van_ban_cu": "12/XN-SKHCN"}


def row_counts(db: Session) -> dict[str, int]:
    return {m.__tablename__: db.scalar(select(func.count()).select_from(m)) or 0 for m in TABLES}


def replayed(ctx: ServiceContext, dossier: Dossier):
    events = dossier_events(ctx, dossier)
    return replay(recorded_transitions(events))


def a_citizen(db: Session, province: str = "37") -> Citizen:
    """A citizen living in the demo province (where the demo officers work)."""
    from sandbox.store.models import Commune

    stmt = select(Citizen).join(Commune, Citizen.commune_code == Commune.code).where(Commune.province_code == province)
    return db.scalars(stmt.order_by(Citizen.id)).first()  # type: ignore[return-value]


def test_online_dossier_goes_from_submission_to_returned_result(db: Session, ctx_for: Callable) -> None:
    citizen = a_citizen(db)
    ctx = ctx_for(citizen)
    dossier = intake.submit_online(
        ctx, "2.002131",
        form_data={"ten_co_so": "Phòng khám Đa khoa An Bình", "dia_diem_dat_thiet_bi": "Phòng X-quang tầng 1",
                   "so_luong_thiet_bi": 1, "loai_thiet_bi": "X-quang răng"},
        documents=["TP1"],
    )  # fmt: skip
    assert dossier.state is State.NEW and dossier.status == 1 and dossier.channel is Channel.ONLINE
    assert dossier.code.startswith(dossier.receiving_agency.code + "-261123-")
    assert [d.digitized for d in dossier.documents] == [True]
    code = dossier.code
    desk = username_for(db, Role.DESK, dossier.receiving_agency_id)
    leader = username_for(db, Role.DEPT_LEADER, dossier.deciding_agency_id)
    specialist_name = username_for(db, Role.SPECIALIST, dossier.deciding_agency_id)
    specialist = db.scalars(select(Officer).where(Officer.username == specialist_name)).one()

    intake.accept(ctx_for(desk), code, expected_version=1)
    processing.forward(ctx_for(desk), code)
    processing.assign(ctx_for(leader), code, assignee_id=specialist.id)
    processing.appraise(ctx_for(specialist_name), code, opinion="Hồ sơ đầy đủ, hợp lệ; đề nghị xác nhận.")
    processing.approve(ctx_for(leader), code)
    results.sign(ctx_for(username_for(db, Role.UNIT_LEADER, dossier.deciding_agency_id)), code)
    results.issue(ctx_for(username_for(db, Role.CLERK, dossier.deciding_agency_id)), code)
    done = results.return_result(ctx_for(desk), code)

    assert done.state is State.RETURNED and done.status == 10 and done.version == 9  # nine actions
    assert done.result_signed and done.result_number is not None and done.result_number.endswith(done.deciding_agency.code)
    kinds = [f.kind for f in done.forms]
    assert kinds[0] is Form.RECEIPT and Form.CONTROL_SLIP in kinds
    assert [d.kind for d in done.documents].count("result") == 1
    assert replayed(ctx, done) == done.snapshot()
    sms = db.scalars(select(Notification).where(Notification.dossier_id == done.id, Notification.channel == "sms")).all()
    assert any("đã được tiếp nhận" in n.body for n in sms) and all(n.status == "sent" for n in sms)


def test_counter_receipt_takes_identity_from_the_population_registry(db: Session, ctx_for: Callable) -> None:
    citizen = a_citizen(db)
    dossier = intake.receive_at_counter(
        ctx_for("motcua"), "1.005442", applicant_cccd=citizen.cccd,
        form_data=LY_DO_1005442,
        documents=[{"code": "TP1", "digitized": True}],
    )  # fmt: skip
    assert dossier.state is State.RECEIVED and dossier.channel is Channel.COUNTER
    assert dossier.applicant_name == citizen.full_name and dossier.applicant_phone == citizen.phone
    assert dossier.due_at is not None and dossier.forms[0].kind is Form.RECEIPT


@pytest.mark.parametrize(
    ("cccd", "error"),
    [("123", InvalidInput), ("001099000000", NotFound), ("999099012345", InvalidInput)],
)
def test_counter_receipt_refuses_unknown_or_malformed_identity(db: Session, ctx_for: Callable, cccd: str, error: type) -> None:
    before = row_counts(db)
    with pytest.raises(error):
        intake.receive_at_counter(ctx_for("motcua"), "1.005442", applicant_cccd=cccd, documents=["TP1"])
    assert row_counts(db) == before


def test_eform_validation_names_the_field(db: Session, ctx_for: Callable) -> None:
    ctx = ctx_for(a_citizen(db))
    with pytest.raises(InvalidInput) as info:
        intake.submit_online(ctx, "2.002131", form_data={"so_luong_thiet_bi": "hai"})
    assert "Tên cơ sở" in info.value.message or info.value.field in ("ten_co_so", "so_luong_thiet_bi")
    with pytest.raises(InvalidInput, match="không có trường"):
        intake.submit_online(ctx, "2.002131", form_data={"bogus": 1})


def test_only_citizens_submit_online_and_only_desks_receive(db: Session, ctx_for: Callable) -> None:
    with pytest.raises(Forbidden):
        intake.submit_online(ctx_for("motcua"), "2.002131")
    with pytest.raises(Forbidden):
        intake.receive_at_counter(ctx_for("chuyenvien.khcn"), "2.002131", applicant_cccd=a_citizen(db).cccd)


def test_refusals_leave_nothing_written(db: Session, ctx_for: Callable, dossier_in: Callable) -> None:
    new = dossier_in(State.NEW)
    before = row_counts(db)
    with pytest.raises(InvalidInput):
        intake.refuse(ctx_for("motcua"), new.code, reason="")
    with pytest.raises(InvalidInput):
        intake.request_supplement(ctx_for("motcua"), new.code, documents=["TP99"], reason="Thiếu giấy tờ")
    with pytest.raises(Forbidden):
        intake.accept(ctx_for("chuyenvien.khcn"), new.code)
    with pytest.raises(TransitionRefused):
        results.return_result(ctx_for("motcua"), new.code)
    assert row_counts(db) == before
    db.refresh(new)
    assert new.state is State.NEW and new.version == 1


def test_signing_outage_changes_nothing_and_a_retry_succeeds(db: Session, ctx_for: Callable, dossier_in: Callable,
                                                           integrations) -> None:  # fmt: skip
    dossier = dossier_in(State.AWAITING_SIGNATURE)
    leader = username_for(db, Role.UNIT_LEADER, dossier.deciding_agency_id)
    version, before = dossier.version, row_counts(db)
    integrations.signing.faults = FaultPlan(outage=True)
    with pytest.raises(IntegrationUnavailable, match="Dịch vụ ký số"):
        results.sign(ctx_for(leader), dossier.code)
    assert row_counts(db) == before
    db.refresh(dossier)
    assert dossier.state is State.AWAITING_SIGNATURE and dossier.version == version and not dossier.result_signed
    integrations.signing.faults = FaultPlan()
    signed = results.sign(ctx_for(leader), dossier.code)
    assert signed.result_signed and signed.version == version + 1


def test_stale_version_is_refused_never_lost(db: Session, ctx_for: Callable, dossier_in: Callable) -> None:
    dossier = dossier_in(State.NEW)
    intake.accept(ctx_for("motcua"), dossier.code, expected_version=dossier.version)
    with pytest.raises(Conflict, match="vừa được người khác cập nhật"):
        intake.refuse(ctx_for("motcua.2"), dossier.code, reason="Không đủ điều kiện", expected_version=1)
    db.refresh(dossier)
    assert dossier.state is State.RECEIVED


def test_tampered_result_cannot_be_returned(db: Session, ctx_for: Callable, dossier_in: Callable) -> None:
    dossier = dossier_in(State.DONE)
    dossier.applicant_name = "Người Khác"  # a result changed after signing (written and committed)
    db.commit()
    with pytest.raises(TransitionRefused, match="Chữ ký số"):
        results.return_result(ctx_for("motcua"), dossier.code)


def test_fee_round_trip_online_and_cash(db: Session, ctx_for: Callable, dossier_in: Callable) -> None:
    dossier = dossier_in(State.FINANCIAL_OBLIGATION)
    citizen = db.get(Citizen, dossier.citizen_id)
    paid = results.confirm_payment(ctx_for(citizen), dossier.code, method="online")
    assert paid.state is State.APPRAISING and paid.fee_paid and paid.payment_method == "online"
    order = db.scalars(select(Payment).where(Payment.dossier_id == dossier.id, Payment.status == "paid")).one()
    assert order.amount == paid.fee_amount > 0


def test_payment_platform_decline_leaves_the_dossier_waiting(db: Session, ctx_for: Callable, dossier_in: Callable,
                                                            integrations) -> None:  # fmt: skip
    dossier = dossier_in(State.FINANCIAL_OBLIGATION)
    integrations.payment.faults = FaultPlan(fail_rate=1.0)
    with pytest.raises(TransitionRefused, match="không thành công"):
        results.confirm_payment(ctx_for(db.get(Citizen, dossier.citizen_id)), dossier.code, method="online")
    db.refresh(dossier)
    assert dossier.state is State.FINANCIAL_OBLIGATION and not dossier.fee_paid


def test_assign_only_to_a_specialist_of_the_deciding_agency(db: Session, ctx_for: Callable, dossier_in: Callable) -> None:
    dossier = dossier_in(State.AWAITING_ASSIGNMENT)
    leader = username_for(db, Role.DEPT_LEADER, dossier.deciding_agency_id)
    desk = db.scalars(select(Officer).where(Officer.username == "motcua")).one()
    with pytest.raises(InvalidInput, match="chuyên viên"):
        processing.assign(ctx_for(leader), dossier.code, assignee_id=desk.id)
    with pytest.raises(InvalidInput, match="phải là số"):
        processing.assign(ctx_for(leader), dossier.code, assignee_id="abc")  # type: ignore[arg-type]


def test_other_agencies_cannot_touch_a_dossier(db: Session, ctx_for: Callable, dossier_in: Callable) -> None:
    dossier = dossier_in(State.NEW)
    with pytest.raises(Forbidden, match="đơn vị của bạn"):
        intake.accept(ctx_for("motcua.xa1"), dossier.code)


def test_supplement_withdraw_stop_return_for_rework_and_apology(db: Session, ctx_for: Callable,
                                                               dossier_in: Callable) -> None:  # fmt: skip
    new = dossier_in(State.NEW)
    doc = new.procedure.documents[0].code
    sup = intake.request_supplement(ctx_for("motcua"), new.code, documents=[doc], reason="Bản sao chưa chứng thực")
    assert sup.state is State.SUPPLEMENT_AT_DESK and sup.supplement_count == 1
    assert sup.forms[-1].kind is Form.SUPPLEMENT_REQUEST and sup.forms[-1].data["requested_documents"]
    intake.submit_supplement(ctx_for(db.get(Citizen, sup.citizen_id)), sup.code, note="Đã nộp bản có chứng thực")
    received = intake.complete_supplement(ctx_for("motcua"), sup.code)
    assert received.state is State.RECEIVED and received.due_at is not None

    approval = dossier_in(State.AWAITING_APPROVAL)
    leader = username_for(db, Role.DEPT_LEADER, approval.deciding_agency_id)
    back = processing.return_for_rework(ctx_for(leader), approval.code, reason="Dự thảo còn sai tên chủ hồ sơ")
    assert back.state is State.APPRAISING
    specialist = db.get(Officer, back.assignee_id)
    stopped = processing.stop(ctx_for(specialist.username), back.code, reason="Cơ sở không đáp ứng điều kiện sau thẩm định")
    assert stopped.state is State.STOPPED and stopped.forms[-1].kind is Form.STOP_NOTICE

    received_2 = dossier_in(State.RECEIVED)
    gone = intake.withdraw(ctx_for("motcua"), received_2.code, reason="Công dân không còn nhu cầu")
    assert gone.state is State.WITHDRAWN and gone.closed_at is not None

    for d in (received, back, gone):
        assert replayed(ctx_for("motcua"), d) == d.snapshot()


def test_workspace_isolation_through_services(db: Session, ctx_for: Callable, dossier_in: Callable) -> None:
    from datetime import datetime

    from sandbox.store.models import Workspace

    dossier = dossier_in(State.NEW)
    db.add(Workspace(id="other", name="Khác", kind="trainee", clock_virtual=datetime(2026, 11, 23, 9),
                     clock_real=datetime(2026, 11, 23, 9), clock_frozen=True, created_at=datetime(2026, 11, 23, 9)))  # fmt: skip
    db.flush()
    other = ctx_for("motcua").in_workspace("other")
    with pytest.raises(NotFound):
        intake.accept(other, dossier.code)
    from sandbox.services.listing import list_dossiers

    assert list_dossiers(other).total == 0


def test_refusal_issues_mau_03_and_tells_the_applicant(db: Session, ctx_for: Callable, dossier_in: Callable) -> None:
    new = dossier_in(State.NEW)
    refused = intake.refuse(ctx_for("motcua"), new.code, reason="Hồ sơ không thuộc thẩm quyền giải quyết của Sở")
    assert refused.state is State.NOT_RECEIVED and refused.status == 3 and refused.closed_at is not None
    form = refused.forms[-1]
    assert form.kind is Form.REFUSAL and form.data["reason"] == "Hồ sơ không thuộc thẩm quyền giải quyết của Sở"
    notes = db.scalars(select(Notification).where(Notification.dossier_id == refused.id)).all()
    assert any("không được tiếp nhận" in n.body for n in notes)


def test_fee_request_opens_an_order_and_cash_at_the_counter_settles_it(db: Session, ctx_for: Callable,
                                                                       dossier_in: Callable) -> None:  # fmt: skip
    appraising = next(
        d for d in db.scalars(select(Dossier).where(Dossier.state == State.APPRAISING)).all()
        if d.procedure.fee > 0 and not d.fee_paid and d.assignee_id is not None
    )  # fmt: skip
    specialist = db.get(Officer, appraising.assignee_id).username
    asked = results.request_fee(ctx_for(specialist), appraising.code)
    assert asked.state is State.FINANCIAL_OBLIGATION and asked.fee_amount == asked.procedure.fee
    order = db.scalars(select(Payment).where(Payment.dossier_id == asked.id, Payment.status == "pending")).one()
    assert order.amount == asked.fee_amount
    desk = username_for(db, Role.DESK, asked.receiving_agency_id)
    paid = results.confirm_payment(ctx_for(desk), asked.code, method="cash")
    assert paid.state is State.APPRAISING and paid.payment_method == "cash"
    assert db.scalars(select(Payment).where(Payment.dossier_id == asked.id, Payment.method == "cash")).one().status == "paid"
    with pytest.raises(TransitionRefused):
        results.request_fee(ctx_for(specialist), asked.code)  # already paid


def test_late_dossier_gets_an_apology_and_a_new_appointment(db: Session, ctx_for: Callable) -> None:
    from tests.conftest import WORLD_NOW

    running = [State.RECEIVED, State.AWAITING_ASSIGNMENT, State.APPRAISING, State.AWAITING_APPROVAL,
               State.AWAITING_SIGNATURE, State.AWAITING_ISSUE, State.FINANCIAL_OBLIGATION]  # fmt: skip
    late = next(
        d for d in db.scalars(select(Dossier).where(Dossier.state.in_(running)).order_by(Dossier.id)).all()
        if d.due_at and d.due_at < WORLD_NOW
    )  # fmt: skip
    state, apologies = late.state, late.apology_count
    desk = username_for(db, Role.DESK, late.receiving_agency_id)
    with pytest.raises(TransitionRefused, match="không phải ngày làm việc"):
        processing.apologise(ctx_for(desk), late.code, reason="Chờ ý kiến cơ quan liên quan", new_due_date="2026-11-29")
    sorry = processing.apologise(ctx_for(desk), late.code, reason="Chờ ý kiến cơ quan liên quan",
                                 new_due_date="2026-11-30")  # fmt: skip
    assert sorry.state is state and sorry.apology_count == apologies + 1
    assert str(sorry.due_at) == "2026-11-30 17:00:00"
    assert sorry.forms[-1].kind is Form.APOLOGY
    notes = db.scalars(select(Notification).where(Notification.dossier_id == sorry.id)).all()
    assert any("Xin lỗi" in n.body and "30/11/2026" in n.body for n in notes)


def test_apology_is_refused_for_a_dossier_well_within_its_deadline(db: Session, ctx_for: Callable) -> None:
    from tests.conftest import WORLD_NOW

    on_time = next(
        d for d in db.scalars(select(Dossier).where(Dossier.state == State.APPRAISING).order_by(Dossier.id)).all()
        if d.due_at and ctx_for("motcua").calendar.office_hours_between(WORLD_NOW, d.due_at) > 8
    )  # fmt: skip
    before = row_counts(db)
    with pytest.raises(TransitionRefused, match="quá hạn"):
        processing.apologise(ctx_for(username_for(db, Role.DESK, on_time.receiving_agency_id)), on_time.code,
                             reason="Xin lỗi trước cho chắc", new_due_date="2026-12-30")  # fmt: skip
    assert row_counts(db) == before


def test_a_use_case_never_commits_pending_changes_it_did_not_make(db: Session, ctx_for: Callable,
                                                                   dossier_in: Callable) -> None:  # fmt: skip
    new = dossier_in(State.NEW)
    other = dossier_in(State.RECEIVED)
    other.applicant_name = "Sửa dở dang"  # flushed but never committed by anyone
    db.flush()
    intake.accept(ctx_for("motcua"), new.code)
    db.refresh(other)
    assert other.applicant_name != "Sửa dở dang"


def test_a_stale_object_in_a_long_lived_session_is_refused_not_a_500(tmp_path) -> None:
    """Two sessions on one database: B changes the dossier A still holds; A's action sees the real row."""
    from sandbox.paths import SEED_DIR
    from sandbox.seeding.world import DEMO_WORKSPACE, build_world
    from sandbox.services.auth import officer_actor
    from sandbox.services.context import ServiceContext
    from sandbox.store.session import make_engine, make_session_factory

    engine = make_engine(f"sqlite:///{tmp_path / 'two.db'}")
    build_world(engine, profile="tiny", seed=5, seed_dir=SEED_DIR, progress=False, password_hash="x")
    factory = make_session_factory(engine)
    a, b = factory(), factory()
    try:
        desk = a.scalars(select(Officer).where(Officer.username == "motcua")).one()
        held = a.scalars(select(Dossier).where(Dossier.state == State.NEW,
                                               Dossier.receiving_agency_id == desk.agency_id)).first()  # fmt: skip
        assert held is not None and held.version == 1
        a.commit()
        ctx_b = ServiceContext(b, DEMO_WORKSPACE, officer_actor(b.get(Officer, desk.id)))
        intake.accept(ctx_b, held.code)
        ctx_a = ServiceContext(a, DEMO_WORKSPACE, officer_actor(desk))
        with pytest.raises(TransitionRefused, match="Đã tiếp nhận"):
            intake.refuse(ctx_a, held.code, reason="Không thuộc thẩm quyền")
        with pytest.raises(Conflict):
            intake.withdraw(ctx_a, held.code, reason="Công dân rút hồ sơ", expected_version=1)
    finally:
        a.close()
        b.close()
        engine.dispose()


def test_overdue_filter_splits_every_dossier_into_exactly_two_groups(db: Session, ctx_for: Callable) -> None:
    from sandbox.services.listing import list_dossiers

    ctx = ctx_for("motcua")
    total = list_dossiers(ctx, per_page=200).total
    late, not_late = list_dossiers(ctx, overdue=True, per_page=200), list_dossiers(ctx, overdue=False, per_page=200)
    assert late.total + not_late.total == total
    assert any(d.due_at is None for d in not_late.items)


def test_unit_admin_sees_only_their_unit(db: Session, ctx_for: Callable) -> None:
    from sandbox.services.listing import list_dossiers

    admin = ctx_for("quantri")
    seen = list_dossiers(admin, per_page=200).items
    everything = db.scalar(select(func.count()).select_from(Dossier))
    assert seen and len(seen) < everything
    assert all(admin.actor.agency_id in (d.receiving_agency_id, d.deciding_agency_id) for d in seen)


def test_desk_queue_holds_only_the_desks_next_steps(db: Session, ctx_for: Callable) -> None:
    from sandbox.services.listing import list_dossiers

    queue = list_dossiers(ctx_for("motcua"), queue=True, per_page=200).items
    assert queue and {d.state for d in queue} <= {State.NEW, State.SUPPLEMENT_AT_DESK, State.RECEIVED,
                                                  State.SUPPLEMENT_IN_PROCESSING, State.FINANCIAL_OBLIGATION,
                                                  State.DONE}  # fmt: skip


def test_citizen_supplement_respects_the_version(db: Session, ctx_for: Callable, dossier_in: Callable) -> None:
    waiting = dossier_in(State.SUPPLEMENT_AT_DESK)
    with pytest.raises(Conflict):
        intake.submit_supplement(ctx_for(db.get(Citizen, waiting.citizen_id)), waiting.code, note="Đã bổ sung",
                                 expected_version=waiting.version - 1)  # fmt: skip


def test_fee_notice_formats_only_the_amount(db: Session) -> None:
    from sandbox.services.notices import notice_for

    d = db.scalars(select(Dossier).where(Dossier.fee_amount >= 1000)).first()
    text = notice_for(Action.REQUEST_FEE, d)
    assert "phí, lệ phí" in text and f"{d.fee_amount:,}".replace(",", ".") in text


def test_specialists_list_only_their_own_or_unassigned_work(db: Session, ctx_for: Callable) -> None:
    from sandbox.services.listing import list_dossiers

    ctx = ctx_for("chuyenvien.khcn")
    rows = list_dossiers(ctx, per_page=200).items
    assert rows and all(d.assignee_id in (None, ctx.actor.id) for d in rows)
    others = db.scalar(select(func.count()).select_from(Dossier).where(
        Dossier.deciding_agency_id == ctx.actor.agency_id, Dossier.assignee_id.is_not(None),
        Dossier.assignee_id != ctx.actor.id))  # fmt: skip
    assert others > 0  # there is something to hide


def test_manual_entry_is_refused_with_field_messages_and_recorded_when_accepted(db: Session, ctx_for: Callable) -> None:
    from sandbox.store.models import Commune

    commune = db.scalars(select(Commune.code).where(Commune.province_code == "37")).first()
    base = dict(full_name="Đỗ Văn Nhập", address="Thôn Đông 3", phone="0912345678", commune_code=commune)
    for key, bad, field in (("full_name", "X", "full_name"), ("phone", "123", "phone"),
                            ("commune_code", "99999", "residence_commune_code")):  # fmt: skip
        with pytest.raises(InvalidInput) as info:
            intake.receive_at_counter(ctx_for("motcua"), "1.005442", applicant_cccd="037199000123",
                                      form_data=LY_DO_1005442, documents=["TP1"],
                                      manual_applicant={**base, key: bad})  # fmt: skip
        assert info.value.field == field
    d = intake.receive_at_counter(ctx_for("motcua"), "1.005442", applicant_cccd="037199000123",
                                  form_data=LY_DO_1005442, documents=["TP1"], manual_applicant=base)  # fmt: skip
    assert d.citizen_id is None and d.applicant_name == "Đỗ Văn Nhập" and d.applicant_id_number == "037199000123"
    event = db.scalars(select(Event).where(Event.dossier_id == d.id)).one()
    assert event.payload["params"]["manual_entry"] is True


def test_the_desk_cannot_complete_a_supplement_the_online_applicant_never_sent(db: Session, ctx_for: Callable) -> None:
    citizen = a_citizen(db)
    d = intake.submit_online(ctx_for(citizen), "2.002131", form_data={"ten_co_so": "Phòng khám A",
                             "dia_diem_dat_thiet_bi": "Tầng 1", "so_luong_thiet_bi": 1, "loai_thiet_bi": "Khác"},
                             documents=["TP1"])  # fmt: skip
    desk = username_for(db, Role.DESK, d.receiving_agency_id)
    intake.request_supplement(ctx_for(desk), d.code, documents=["TP1"], reason="Phiếu khai báo chưa ký")
    with pytest.raises(TransitionRefused, match="chưa nộp bổ sung"):
        intake.complete_supplement(ctx_for(desk), d.code)
    intake.submit_supplement(ctx_for(citizen), d.code, note="Đã nộp phiếu có chữ ký")
    assert intake.complete_supplement(ctx_for(desk), d.code).state is State.RECEIVED
