"""The trainer's console and the trainee's entry: workshops, seats with join codes, progress, class clock.

A trainee joins with a join code printed by the trainer (no e-mail needed), or starts self-paced
practice under a name. Each (trainee, scenario) gets its own workspace on first start.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.domain.errors import InvalidInput, NotFound
from sandbox.domain.inputs import is_clean_text
from sandbox.services.context import begin_write, vietnam_now
from sandbox.store.models import Attempt, Trainee, Workshop, Workspace
from sandbox.training.scenarios import Scenario
from sandbox.training.workspaces import WorldIndex, advance_clock, create_workspace, reset_workspace

# Join codes avoid letters and digits that look alike (0/O, 1/I/L) so they can be read off a printed slip.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_SEATS = 500


def _code(n: int) -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(n))


_LABELS = {"name": "Tên lớp", "trainer": "Giảng viên", "trainee_name": "Họ và tên"}


def _clean_name(raw: Any, field: str, *, limit: int = 120) -> str:
    if not isinstance(raw, str) or not raw.strip() or len(raw.strip()) > limit or not is_clean_text(raw):
        raise InvalidInput(f"«{_LABELS.get(field, field)}» phải có từ 1 đến {limit} ký tự.", field=field)
    return raw.strip()


def parse_trainee_csv(text: str) -> list[tuple[str, str | None]]:
    """Rows ``họ tên[,email]`` (a header row is skipped); errors name the line."""
    rows: list[tuple[str, str | None]] = []
    try:
        lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"),
                                            newline="")))  # fmt: skip
    except csv.Error as exc:
        raise InvalidInput(f"Tệp danh sách không đọc được như CSV ({exc}).", field="trainees_csv") from None
    for n, row in enumerate(lines, start=1):
        if not row or not any(cell.strip() for cell in row):
            continue
        name = row[0].strip()
        email = row[1].strip() if len(row) > 1 and row[1].strip() else None
        if n == 1 and name.lower() in ("họ tên", "ho ten", "họ và tên", "name"):
            continue
        if not name or len(name) > 120 or not is_clean_text(name):
            raise InvalidInput(f"Dòng {n}: họ tên trống, quá dài hoặc có ký tự không hợp lệ.", field="trainees_csv")
        if email and (len(email) > 200 or not _EMAIL.match(email) or not is_clean_text(email)):
            raise InvalidInput(f"Dòng {n}: thư điện tử «{email}» không hợp lệ.", field="trainees_csv")
        rows.append((name, email))
    if len(rows) > MAX_SEATS:
        raise InvalidInput(f"Tối đa {MAX_SEATS} học viên mỗi lớp.", field="trainees_csv")
    return rows


def _new_trainee(session: Session, name: str, email: str | None, workshop: Workshop | None) -> Trainee:
    while True:
        code = _code(8)
        if session.scalar(select(Trainee.id).where(Trainee.join_code == code)) is None:
            break
    trainee = Trainee(workshop=workshop, name=name, email=email, join_code=code,
                      seed=secrets.randbelow(2**31), created_at=vietnam_now())  # fmt: skip
    session.add(trainee)
    return trainee


def create_workshop(session: Session, *, name: str, trainer: str, scenario_ids: list[str], known: set[str],
                    trainees: list[tuple[str, str | None]] | None = None, seats: int = 0,
                    trainer_id: int | None = None) -> Workshop:  # fmt: skip
    """A workshop with named trainees (from a CSV) or ``seats`` anonymous seats, each with a join code."""
    name, trainer = _clean_name(name, "name", limit=200), _clean_name(trainer, "trainer")
    chosen = [s for s in dict.fromkeys(scenario_ids) if s]
    if not chosen:
        raise InvalidInput("Chọn ít nhất một kịch bản cho lớp.", field="scenario_ids")
    unknown = [s for s in chosen if s not in known]
    if unknown:
        raise InvalidInput(f"Không có kịch bản: {', '.join(unknown)}.", field="scenario_ids")
    people = list(trainees or [])
    if not isinstance(seats, int) or isinstance(seats, bool) or not 0 <= seats <= MAX_SEATS:
        raise InvalidInput(f"Số chỗ ẩn danh phải từ 0 đến {MAX_SEATS}.", field="seats")
    people += [(f"Học viên {n:03d}", None) for n in range(len(people) + 1, len(people) + seats + 1)]
    if len(people) > MAX_SEATS:
        raise InvalidInput(
            f"Một lớp có tối đa {MAX_SEATS} học viên (danh sách và chỗ ẩn danh cộng lại).", field="seats"
        )
    if not people:
        raise InvalidInput("Nhập danh sách học viên hoặc số chỗ ẩn danh.", field="seats")
    begin_write(session)
    try:
        workshop = Workshop(code=_code(6), name=name, trainer=trainer, trainer_id=trainer_id, scenario_ids=chosen,
                            created_at=vietnam_now())  # fmt: skip
        session.add(workshop)
        for person, email in people:
            _new_trainee(session, person, email, workshop)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return workshop


def self_paced_trainee(session: Session, name: str) -> Trainee:
    """A learner practising alone (no workshop): every scenario is open to them."""
    clean = _clean_name(name, "trainee_name")
    begin_write(session)
    try:
        trainee = _new_trainee(session, clean, None, None)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return trainee


def trainee_by_code(session: Session, code: str) -> Trainee:
    normalized = (code or "").strip().upper().replace("-", "").replace(" ", "") if isinstance(code, str) else ""
    trainee = session.scalar(select(Trainee).where(Trainee.join_code == normalized)) if normalized else None
    if trainee is None:
        raise NotFound("Mã tham gia không đúng. Kiểm tra lại mã in trên phiếu của giảng viên.")
    return trainee


def workspace_id_for(trainee: Trainee, scenario: Scenario) -> str:
    digest = hashlib.sha1(scenario.id.encode(), usedforsecurity=False).hexdigest()[:8]
    return f"t{trainee.id}-{digest}"


def start_scenario(session: Session, trainee: Trainee, scenario: Scenario, index: WorldIndex) -> Workspace:
    """The trainee's workspace for ``scenario``, created on first start (same trainee, same world)."""
    if trainee.workshop is not None and scenario.id not in trainee.workshop.scenario_ids:
        raise NotFound("Kịch bản này không thuộc lớp học của bạn.")
    ws_id = workspace_id_for(trainee, scenario)
    existing = session.get(Workspace, ws_id)
    if existing is not None:
        return existing
    try:
        ws = create_workspace(session, scenario, workspace_id=ws_id, name=f"{trainee.name} — {scenario.title}",
                              trainee_seed=trainee.seed, index=index, trainee_id=trainee.id)  # fmt: skip
    except InvalidInput as exc:
        if exc.code != "workspace_exists":  # a double click: the first request created it, continue there
            raise
        return session.get(Workspace, ws_id)  # type: ignore[return-value]
    return _on_class_clock(session, ws, trainee)


def _on_class_clock(session: Session, ws: Workspace, trainee: Trainee) -> Workspace:
    """A workspace joining a class late (or reset) catches up with the class clock."""
    days = trainee.workshop.clock_days if trainee.workshop is not None else 0
    return advance_clock(session, ws.id, days) if days else ws


def restart_scenario(session: Session, ws: Workspace, trainee: Trainee, scenario: Scenario,
                     index: WorldIndex) -> Workspace:  # fmt: skip
    """«Làm lại»: the scenario's start again (at the class clock); attempts and hints taken are kept."""
    reset_workspace(session, ws.id, scenario, index=index)
    return _on_class_clock(session, ws, trainee)


@dataclass(frozen=True)
class Cell:
    status: str  # chua-bat-dau | dang-lam | da-nop
    best: float | None = None
    latest: float | None = None
    passed: bool = False
    attempts: int = 0

    @property
    def label(self) -> str:
        if self.status == "chua-bat-dau":
            return "Chưa bắt đầu"
        if self.status == "dang-lam":
            return "Đang làm"
        return f"{self.best:g} %"


def progress(session: Session, workshop: Workshop) -> list[tuple[Trainee, list[Cell]]]:
    """The live grid: one row per trainee, one cell per scenario."""
    workspaces = {
        (ws.trainee_id, ws.scenario_id): ws
        for ws in session.scalars(select(Workspace).where(Workspace.trainee_id.in_([t.id for t in workshop.trainees])))
    }
    attempts: dict[str, list[Attempt]] = {}
    ids = [ws.id for ws in workspaces.values()]
    for a in session.scalars(select(Attempt).where(Attempt.workspace_id.in_(ids)).order_by(Attempt.number)):
        attempts.setdefault(a.workspace_id, []).append(a)
    grid = []
    for trainee in workshop.trainees:
        cells = []
        for sid in workshop.scenario_ids:
            ws = workspaces.get((trainee.id, sid))
            done = attempts.get(ws.id, []) if ws else []
            if ws is None:
                cells.append(Cell("chua-bat-dau"))
            elif not done:
                cells.append(Cell("dang-lam"))
            else:
                best = max(a.percent for a in done)
                cells.append(Cell("da-nop", best, done[-1].percent, any(a.passed for a in done), len(done)))
        grid.append((trainee, cells))
    return grid


def advance_class_clock(session: Session, workshop: Workshop, working_days: int) -> int:
    """Move the class clock: every started workspace now, and those started or reset later on arrival.
    Returns how many workspaces moved now."""
    if not isinstance(working_days, int) or isinstance(working_days, bool) or not 0 < working_days <= 60:
        raise InvalidInput("Số ngày làm việc phải là số nguyên từ 1 đến 60.", field="days")
    begin_write(session)
    workshop.clock_days += working_days
    session.commit()
    ids = list(session.scalars(select(Workspace.id).where(
        Workspace.trainee_id.in_([t.id for t in workshop.trainees]))))  # fmt: skip
    for ws_id in ids:
        advance_clock(session, ws_id, working_days)
    return len(ids)


def export_csv(session: Session, workshop: Workshop, titles: dict[str, str]) -> str:
    """The results for a spreadsheet (UTF-8 with BOM so Excel reads the diacritics)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Họ tên", "Thư điện tử", "Mã tham gia", "Mã kịch bản", "Kịch bản", "Trạng thái",
                     "Số lần nộp", "Điểm cao nhất (%)", "Điểm lần cuối (%)", "Đạt"])  # fmt: skip
    for trainee, cells in progress(session, workshop):
        for sid, cell in zip(workshop.scenario_ids, cells, strict=True):
            writer.writerow([trainee.name, trainee.email or "", trainee.join_code, sid, titles.get(sid, sid),
                             cell.label if cell.status != "da-nop" else "Đã nộp", cell.attempts,
                             "" if cell.best is None else f"{cell.best:g}",
                             "" if cell.latest is None else f"{cell.latest:g}",
                             "Đạt" if cell.passed else ("Chưa đạt" if cell.status == "da-nop" else "")])  # fmt: skip
    return "\ufeff" + out.getvalue()
