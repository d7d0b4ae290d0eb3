"""Compliance rules: what the ministries tell officers never to do, found in a workspace's event log.

Each rule is a pure function of :class:`~sandbox.domain.scoring.WorkspaceFacts` that returns
one :class:`Finding` per breach, registered by name in :data:`RULES`. A scenario may change a
rule's penalty or switch it off; the ledger shows every finding with the event that caused it
and what the officer should have done (DESIGN.md, Training: scenarios and scoring).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sandbox.domain.lifecycle import next_step_roles
from sandbox.domain.scoring import DocumentFact, DossierFact, EventFact, ScoreLine, WorkspaceFacts
from sandbox.domain.vocabulary import Action, Channel, State


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    dossier: DossierFact
    explanation: str  # Vietnamese: what happened and what should have been done
    event: EventFact | None = None


@dataclass(frozen=True)
class Rule:
    name: str
    title: str  # Vietnamese
    penalty: int
    find: Callable[[WorkspaceFacts], Iterable[Finding]]


def _trainee_actions(facts: WorkspaceFacts, dossier: DossierFact, action: Action) -> list[EventFact]:
    return [e for e in facts.events_of(dossier) if e.action == action.value]


def supplement_more_than_once(facts: WorkspaceFacts) -> Iterable[Finding]:
    for d in facts.dossiers:
        requests = [e for e in facts.events_of(d, trainee_only=False) if e.action == Action.REQUEST_SUPPLEMENT.value]
        trainee_requests = [e for e in requests if e.by_trainee]
        if len(requests) > 1 and trainee_requests:
            yield Finding(
                "supplement_more_than_once", d,
                f"Hồ sơ {d.code} bị yêu cầu bổ sung {len(requests)} lần. Phải hướng dẫn một lần, đầy đủ, bằng văn "
                "bản (Mẫu 02) mọi giấy tờ còn thiếu; hồ sơ bị yêu cầu bổ sung quá một lần bị tính là trễ hạn "
                "(QĐ 766, chỉ số 2.1).",
                trainee_requests[-1],
            )  # fmt: skip


def supplement_not_required(facts: WorkspaceFacts) -> Iterable[Finding]:
    for d in facts.dossiers:
        for e in _trainee_actions(facts, d, Action.REQUEST_SUPPLEMENT):
            optional = [c for c in e.params.get("documents") or [] if not d.procedure_documents.get(c, False)]
            if optional:
                yield Finding(
                    "supplement_not_required", d,
                    f"Đã yêu cầu bổ sung {', '.join(optional)} — giấy tờ thủ tục không bắt buộc. Chỉ được yêu cầu "
                    "những thành phần hồ sơ mà thủ tục quy định bắt buộc.",
                    e,
                )  # fmt: skip


def input_not_digitized(facts: WorkspaceFacts) -> Iterable[Finding]:
    for d in facts.dossiers:
        moved_on = _trainee_actions(facts, d, Action.FORWARD)
        if not moved_on:
            continue
        missing = sorted(
            doc.code for doc in d.documents
            if doc.kind == "input" and doc.code in d.digitize_documents and not doc.digitized
        )  # fmt: skip
        if missing:
            yield Finding(
                "input_not_digitized", d,
                f"Hồ sơ {d.code} được chuyển xử lý khi giấy tờ {', '.join(missing)} chưa được số hóa. Hồ sơ giấy "
                "phải được số hóa thành phần khi tiếp nhận (QĐ 766, nhóm chỉ số số hóa).",
                moved_on[0],
            )  # fmt: skip


def cash_where_online_possible(facts: WorkspaceFacts) -> Iterable[Finding]:
    for d in facts.dossiers:
        online_possible = d.channel == Channel.ONLINE.value or d.online_level == "toan_trinh"
        for e in _trainee_actions(facts, d, Action.CONFIRM_PAYMENT):
            if e.params.get("method") == "cash" and online_possible:
                yield Finding(
                    "cash_where_online_possible", d,
                    f"Đã thu tiền mặt cho hồ sơ {d.code} trong khi người nộp có thể thanh toán trực tuyến. Hãy "
                    "hướng dẫn thanh toán trực tuyến trên Cổng Dịch vụ công (QĐ 766, chỉ số 3.6).",
                    e,
                )  # fmt: skip


def late_without_apology(facts: WorkspaceFacts) -> Iterable[Finding]:
    """Late, with no apology made before the deadline, and late on the trainee's watch: they acted on the
    dossier after it fell due, or its next step is theirs now. Colleagues' delays are not theirs."""
    for d in facts.dossiers:
        snap = d.snapshot
        due = snap.original_due_at
        if due is None or d.state in (State.NOT_RECEIVED, State.WITHDRAWN):
            continue
        end = snap.finished_at or snap.closed_at or facts.now
        timely = [
            e for e in facts.events_of(d, trainee_only=False) if e.action == Action.APOLOGISE.value and e.at <= due
        ]
        if end <= due or timely:
            continue
        after_due = [e for e in facts.events_of(d) if e.at > due]
        holding = snap.finished_at is None and bool(next_step_roles(d.state) & facts.trainee_roles)
        if not (after_due or holding):
            continue
        yield Finding(
            "late_without_apology", d,
            f"Hồ sơ {d.code} quá hạn (hẹn {due:%H:%M %d/%m/%Y}) mà không có văn bản xin lỗi và hẹn lại trước hạn. "
            "Khi hồ sơ có nguy cơ trễ hạn, phải lập Mẫu 04 và gửi người nộp trước thời hạn hẹn trả.",
            after_due[0] if after_due else None,
        )  # fmt: skip


def _results(d: DossierFact) -> list[DocumentFact]:
    return [doc for doc in d.documents if doc.kind == "result"]


def closed_without_result(facts: WorkspaceFacts) -> Iterable[Finding]:
    for d in facts.dossiers:
        for e in _trainee_actions(facts, d, Action.FINISH):
            if not _results(d):
                yield Finding(
                    "closed_without_result", d,
                    f"Hồ sơ {d.code} bị «Kết thúc» khi chưa có kết quả giải quyết. Hồ sơ chỉ được coi là đã xử lý "
                    "xong khi có kết quả được ký số, cấp số và phát hành.",
                    e,
                )  # fmt: skip


def unsigned_result(facts: WorkspaceFacts) -> Iterable[Finding]:
    for d in facts.dossiers:
        if d.state in (State.DONE, State.RETURNED) and _results(d) and not d.snapshot.result_signed:
            finish = _trainee_actions(facts, d, Action.FINISH)
            if finish:
                yield Finding(
                    "unsigned_result", d,
                    f"Kết quả của hồ sơ {d.code} không được ký số. Kết quả giải quyết phải được lãnh đạo có thẩm "
                    "quyền ký số trên hệ thống trước khi phát hành.",
                    finish[0],
                )  # fmt: skip


def foreign_result(facts: WorkspaceFacts) -> Iterable[Finding]:
    owners: dict[str, set[int]] = {}
    for d in facts.dossiers:
        for doc in _results(d):
            if doc.sha256:
                owners.setdefault(doc.sha256, set()).add(d.id)
    for d in facts.dossiers:
        finish = _trainee_actions(facts, d, Action.FINISH)
        if finish and any(len(owners.get(doc.sha256 or "", set())) > 1 for doc in _results(d)):
            yield Finding(
                "foreign_result", d,
                f"Hồ sơ {d.code} được đính kèm kết quả của một hồ sơ khác để kết thúc. Mỗi hồ sơ phải có kết quả "
                "giải quyết của chính nó; dùng kết quả hồ sơ khác để tránh quá hạn là vi phạm.",
                finish[0],
            )  # fmt: skip


def retyped_registry_data(facts: WorkspaceFacts) -> Iterable[Finding]:
    if not facts.registry_available:
        return  # typing in is the right fallback while the registry is down
    for d in facts.dossiers:
        for e in _trainee_actions(facts, d, Action.RECEIVE_AT_COUNTER):
            if e.params.get("manual_entry") and d.applicant_id_number in facts.registry_ids:
                yield Finding(
                    "retyped_registry_data", d,
                    f"Thông tin người nộp hồ sơ {d.code} được nhập tay trong khi CSDL quốc gia về dân cư đã có. "
                    "Hãy tra cứu bằng số định danh để hệ thống tự điền; chỉ nhập tay khi CSDL không truy cập được.",
                    e,
                )  # fmt: skip


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule("supplement_more_than_once", "Yêu cầu bổ sung hồ sơ quá một lần", 15, supplement_more_than_once),
        Rule("supplement_not_required", "Yêu cầu giấy tờ mà thủ tục không bắt buộc", 15, supplement_not_required),
        Rule("input_not_digitized", "Chuyển xử lý khi thành phần hồ sơ chưa được số hóa", 10, input_not_digitized),
        Rule(
            "cash_where_online_possible",
            "Thu tiền mặt khi có thể thanh toán trực tuyến",
            10,
            cash_where_online_possible,
        ),  # fmt: skip
        Rule("late_without_apology", "Trễ hạn mà không xin lỗi, hẹn lại", 20, late_without_apology),
        Rule("closed_without_result", "Kết thúc hồ sơ khi chưa có kết quả", 30, closed_without_result),
        Rule("unsigned_result", "Kết quả không được ký số", 20, unsigned_result),
        Rule("foreign_result", "Dùng kết quả của hồ sơ khác", 30, foreign_result),
        Rule("retyped_registry_data", "Nhập lại dữ liệu CSDL dân cư đã có", 10, retyped_registry_data),
    )
}


def findings_as_lines(facts: WorkspaceFacts, penalties: dict[str, int] | None = None) -> list[ScoreLine]:
    """Run every rule (``penalties`` may override or, with 0, switch one off) and turn findings into lines."""
    lines: list[ScoreLine] = []
    for rule in RULES.values():
        penalty = (penalties or {}).get(rule.name, rule.penalty)
        if penalty <= 0:
            continue
        for f in rule.find(facts):
            lines.append(
                ScoreLine(
                    kind="rule", name=rule.name, title=rule.title, points=-penalty, possible=0, passed=False,
                    explanation=f.explanation, event_id=f.event.id if f.event else None,
                    at=f.event.at if f.event else None, dossier=f.dossier.code,
                )
            )  # fmt: skip
    return lines
