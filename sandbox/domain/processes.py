"""A procedure's internal process (quy trình nội bộ): the steps of a unit, who does each, in how many working days.

The steps' days must add up to the legal deadline (the catalogue's ``deadline_days``): a unit may split
the time differently, never lengthen it. Days are counted in halves (a morning or an afternoon); a step
of 0 days is done the same day as the one before it (receipt, hand-back).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sandbox.domain.errors import InvalidInput
from sandbox.domain.inputs import is_clean_text
from sandbox.domain.vocabulary import Role

STEP_ROLES = (Role.DESK, Role.DEPT_LEADER, Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK)
MAX_STEPS = 12
HALF = Decimal("0.5")


@dataclass(frozen=True)
class Step:
    name: str
    role: Role
    days: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role.value, "days": str(self.days)}


def steps_from(rows: Sequence[Mapping[str, Any]]) -> list[Step]:
    """Stored steps (as written by :meth:`Step.as_dict`) back into steps."""
    return [Step(r["name"], Role(r["role"]), Decimal(str(r["days"]))) for r in rows]


def default_steps(deadline_days: float | Decimal) -> list[Step]:
    """The usual split when a unit has not configured its own: half a day for each hand-over step while the
    appraisal keeps at least half a day, the rest to the specialist's appraisal."""
    total = Decimal(str(deadline_days))
    names = [(Role.DESK, "Tiếp nhận, chuyển hồ sơ"), (Role.DEPT_LEADER, "Phân công xử lý"),
             (Role.SPECIALIST, "Thẩm định hồ sơ"), (Role.DEPT_LEADER, "Phê duyệt kết quả"),
             (Role.UNIT_LEADER, "Ký số kết quả"), (Role.CLERK, "Cấp số, phát hành"), (Role.DESK, "Trả kết quả")]  # fmt: skip
    days = [Decimal(0)] * len(names)
    for i in (4, 3, 1, 5):  # sign, approve, assign, issue: in this order while time is left
        if total - sum(days) - HALF >= HALF:
            days[i] = HALF
    days[2] = total - sum(days)
    return [Step(name, role, d) for (role, name), d in zip(names, days, strict=True)]


def clean_steps(raw: Sequence[Mapping[str, Any]], deadline_days: float | Decimal) -> list[Step]:
    """Validate a unit's steps; raise :class:`InvalidInput` naming the field (``buoc_<n>_<part>`` or ``tong``)."""
    rows = [r for r in raw if any(str(r.get(k) or "").strip() for k in ("name", "role", "days"))]
    if not rows:
        raise InvalidInput("Quy trình phải có ít nhất một bước.", field="tong")
    if len(rows) > MAX_STEPS:
        raise InvalidInput(f"Quy trình có tối đa {MAX_STEPS} bước.", field="tong")
    steps = []
    for n, row in enumerate(rows, start=1):
        name = row.get("name")
        if not isinstance(name, str) or not 2 <= len(name.strip()) <= 120 or not is_clean_text(name):
            raise InvalidInput(f"Bước {n}: tên bước phải có từ 2 đến 120 ký tự.", field=f"buoc_{n}_name")
        role = Role.parse(row.get("role")) if isinstance(row.get("role"), str) else None
        if role not in STEP_ROLES:
            raise InvalidInput(f"Bước {n}: chọn vai trò thực hiện (" + ", ".join(r.label for r in STEP_ROLES) + ").",
                               field=f"buoc_{n}_role")  # fmt: skip
        try:
            days = Decimal(str(row.get("days")).strip().replace(",", "."))
        except InvalidOperation:
            days = Decimal(-1)
        if not days.is_finite() or days < 0 or days > 365 or days % HALF != 0:
            raise InvalidInput(f"Bước {n}: số ngày làm việc là bội của 0,5 (ví dụ 0; 0,5; 1; 2,5).",
                               field=f"buoc_{n}_days")  # fmt: skip
        steps.append(Step(name.strip(), role, days.normalize() if days else Decimal(0)))  # type: ignore[arg-type]
    total, deadline = sum((s.days for s in steps), Decimal(0)), Decimal(str(deadline_days))
    if total != deadline:
        raise InvalidInput(f"Tổng thời gian các bước là {format_days(total)} ngày làm việc, phải bằng thời hạn "
                           f"giải quyết theo quy định: {format_days(deadline)} ngày làm việc.", field="tong")  # fmt: skip
    return steps


def format_days(days: Decimal) -> str:
    """Vietnamese decimal: 2,5 — not 2.5."""
    return f"{days.normalize():f}".replace(".", ",")
