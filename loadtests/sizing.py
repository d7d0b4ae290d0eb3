"""From stated assumptions (``assumptions.toml``, domain.md §9.2) to load shapes: users, pacing, stages.

Every rate scales with one *load factor* f (1 = the average working hour). For one province:

* dossiers per hour at f:  A·f, with A = dossiers_per_day / working_hours;
* citizen tasks per second: A·f·online_share·(1 + status_checks + fee_share) / 3600
  (file one dossier, check it some times, pay when a fee is asked);
* officer writes per second by role: A·f·actions[role] / 3600; each write comes with
  ``reads_per_write`` reads (queue, dossier, searches), so an officer makes
  1 + (reads_per_write - 2) / 2 tasks per write (a work step = 2 reads + 1 write, a browse = 2 reads);
* managers read their statistics every ``manager_pace_s`` seconds.

Officers are real seeded accounts, one per Locust user, so their number is fixed by the world: at the
shape's highest factor every officer of the province is on, and the pacing (seconds between two
tasks of one user) follows from the rate; at lower factors fewer officers are on, at the same pace.
Citizens have a fixed pace and their number follows from the rate.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROLES = ("desk", "specialist", "dept_leader", "unit_leader", "clerk")
ROLE_VI = {"desk": "cán bộ một cửa", "specialist": "chuyên viên", "dept_leader": "lãnh đạo phòng",
           "unit_leader": "lãnh đạo đơn vị", "clerk": "văn thư", "admin": "quản trị đơn vị (xem thống kê)",
           "citizen": "công dân"}  # fmt: skip


@dataclass(frozen=True)
class Stage:
    """Until ``until_s`` seconds into the run: this load factor, reached within ``ramp_s`` seconds."""

    until_s: float
    factor: float
    label: str
    ramp_s: float = 1.0


@dataclass(frozen=True)
class ShapeSpec:
    name: str
    title: str
    stages: tuple[Stage, ...]

    @property
    def duration_s(self) -> float:
        return self.stages[-1].until_s

    @property
    def top(self) -> float:
        return max(s.factor for s in self.stages)


@dataclass
class Assumptions:
    dossiers_per_day: float
    working_hours: float
    online_share: float
    fee_share: float
    status_checks: float
    reads_per_write: float
    actions: dict[str, float]
    factors: dict[str, float]
    citizen_pace_s: float
    manager_pace_s: float
    sources: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = HERE / "assumptions.toml") -> Assumptions:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        v = data["volume"]
        return cls(
            dossiers_per_day=float(v["dossiers_per_day"]),
            working_hours=float(v["working_hours"]),
            online_share=float(v["online_share"]),
            fee_share=float(v["fee_share"]),
            status_checks=float(v["status_checks_per_dossier"]),
            reads_per_write=float(v["reads_per_write"]),
            actions={r: float(data["officer_actions_per_dossier"][r]) for r in ROLES},
            factors={k: float(x) for k, x in data["load_factors"].items()},
            citizen_pace_s=float(data["pacing"]["citizen_s"]),
            manager_pace_s=float(data["pacing"]["manager_s"]),
            sources={k: str(x) for k, x in data.get("sources", {}).items()},
        )

    @property
    def per_hour(self) -> float:
        return self.dossiers_per_day / self.working_hours

    def citizen_tasks_per_s(self, f: float) -> float:
        return self.per_hour * f * self.online_share * (1 + self.status_checks + self.fee_share) / 3600

    def officer_tasks_per_s(self, role: str, f: float) -> float:
        writes = self.per_hour * f * self.actions[role] / 3600
        return writes * (1 + max(0.0, self.reads_per_write - 2) / 2)


def shapes(a: Assumptions, *, minutes: float | None = None) -> dict[str, ShapeSpec]:
    """The named shapes; ``minutes`` stretches or shortens the steady part (for a quick or a long look)."""
    fa = a.factors

    def hold(default_min: float) -> float:
        return 60 * (minutes if minutes is not None else default_min)

    smoke = hold(0.2)
    morning, peak, soak = hold(15), hold(15), hold(120)
    return {
        "smoke": ShapeSpec("smoke", "Khói (kiểm tra nhanh vài giây)", (Stage(5 + smoke, fa["average"], "ổn định", 5),)),
        "golive-morning": ShapeSpec("golive-morning", "Sáng ngày đầu vận hành (tăng dần tới cao điểm buổi sáng)", (
            Stage(300, fa["morning"], "mở cửa, cán bộ và người dân vào dần (5 phút)", 300),
            Stage(300 + morning, fa["morning"], "cao điểm buổi sáng"),
        )),
        "peak-hour": ShapeSpec("peak-hour", "Giờ cao điểm", (
            Stage(120, fa["peak"], "tăng tải (2 phút)", 120),
            Stage(120 + peak, fa["peak"], "giữ cao điểm"),
        )),
        "soak": ShapeSpec("soak", "Chạy bền (tải trung bình, kéo dài)", (
            Stage(120, fa["average"], "tăng tải (2 phút)", 120),
            Stage(120 + soak, fa["average"], "giữ tải trung bình"),
        )),
        "spike": ShapeSpec("spike", "Đột biến (trước giờ chốt 15:00, trước kỳ nghỉ)", (
            Stage(180, fa["average"], "tải trung bình (3 phút)", 30),
            Stage(180 + hold(2), fa["spike"], "đột biến trong 10 giây, giữ", 10),
            Stage(360 + hold(2), fa["average"], "trở lại trung bình (3 phút)", 10),
        )),
    }  # fmt: skip


@dataclass
class Plan:
    """Users and pacing per class at the shape's top factor; stages in users."""

    shape: ShapeSpec
    users_at_top: dict[str, int]
    pace_s: dict[str, float]
    rates_at_top: dict[str, float]  # tasks per second by class at the top factor

    def stage_at(self, t: float) -> Stage | None:
        return next((st for st in self.shape.stages if t < st.until_s), None)

    def spawn_rate(self, stage: Stage, before: int) -> float:
        """Users per second so that the stage's user count is reached within its ramp."""
        change = abs(sum(self.users_at(stage.factor).values()) - before)
        return max(1.0, change / max(stage.ramp_s, 1.0))

    def users_at(self, factor: float) -> dict[str, int]:
        share = factor / self.shape.top
        return {k: (max(1, round(n * share)) if n else 0) for k, n in self.users_at_top.items()}

    def as_dict(self) -> dict[str, Any]:
        return {"shape": self.shape.name, "users_at_top": self.users_at_top, "pace_s": self.pace_s,
                "rates_at_top": self.rates_at_top}  # fmt: skip


def plan(a: Assumptions, shape: ShapeSpec, accounts: dict[str, int], citizens: int, managers: int) -> Plan:
    """Users per class: every officer of the province at the top factor, citizens by their pace."""
    users: dict[str, int] = {}
    pace: dict[str, float] = {}
    rates: dict[str, float] = {}
    for role in ROLES:
        rate = a.officer_tasks_per_s(role, shape.top)
        n = accounts.get(role, 0)
        rates[role] = rate
        users[role] = n if rate > 0 else 0
        pace[role] = n / rate if rate > 0 and n else 0.0
    rate = a.citizen_tasks_per_s(shape.top)
    rates["citizen"] = rate
    users["citizen"] = min(citizens, max(1, math.ceil(rate * a.citizen_pace_s)))
    pace["citizen"] = users["citizen"] / rate if rate else a.citizen_pace_s
    users["admin"] = min(managers, accounts.get("admin", 0))
    pace["admin"] = a.manager_pace_s
    rates["admin"] = users["admin"] / a.manager_pace_s if users["admin"] else 0.0
    return Plan(shape, users, pace, rates)


def describe(a: Assumptions, p: Plan) -> str:
    """What the run will do and why, in Vietnamese, printed at its start."""
    s = p.shape
    lines = [
        f"Kịch bản tải «{s.name}»: {s.title}; {s.duration_s / 60:.1f} phút.",
        "Giả định (loadtests/assumptions.toml, domain.md §9.2):",
        f"  • {a.dossiers_per_day:,.0f} hồ sơ/ngày làm việc của một tỉnh, {a.working_hours:g} giờ làm việc "
        f"→ trung bình {a.per_hour:,.0f} hồ sơ/giờ; {a.online_share:.0%} nộp trực tuyến, {a.fee_share:.0%} có phí.",
        f"  • Mỗi hồ sơ: {sum(a.actions.values()):g} thao tác của cán bộ, mỗi thao tác kèm {a.reads_per_write:g} "
        f"lượt xem/tra cứu; công dân xem lại hồ sơ {a.status_checks:g} lần.",
        "  • Hệ số tải: " + ", ".join(f"{k} = {v:g}×" for k, v in a.factors.items()) + " (1× = giờ trung bình).",
        "Các giai đoạn:",
    ]
    start = 0.0
    for st in s.stages:
        users = p.users_at(st.factor)
        lines.append(f"  • {start / 60:5.1f}–{st.until_s / 60:5.1f} phút: {st.factor:g}× "
                     f"({a.per_hour * st.factor:,.0f} hồ sơ/giờ), {sum(users.values())} người dùng — {st.label}")  # fmt: skip
        start = st.until_s
    lines.append(f"Người dùng ở mức cao nhất ({s.top:g}×), mỗi người một tài khoản riêng:")
    for k, n in p.users_at_top.items():
        if n:
            lines.append(f"  • {n:4d} {ROLE_VI[k]}: mỗi người một lượt thao tác mỗi {p.pace_s[k]:.1f} giây "
                         f"(tổng {p.rates_at_top[k]:.2f} lượt/giây)")  # fmt: skip
    return "\n".join(lines)
