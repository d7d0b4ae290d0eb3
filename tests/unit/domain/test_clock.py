"""Fixed and simulated clocks (DESIGN.md "The simulated clock")."""

from __future__ import annotations

import ast
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.domain.calendar import WorkingCalendar
from sandbox.domain.clock import Clock, FixedClock, SimulatedClock
from sandbox.domain.errors import InvalidInput

CAL = WorkingCalendar.default()
REAL = datetime(2030, 1, 7, 8, 0)  # some real instant; virtual time lives in 2026
VIRTUAL = datetime(2026, 2, 13, 10, 0)  # Friday before the Tết 2026 break


def test_fixed_clock_always_says_the_same() -> None:
    clock: Clock = FixedClock(VIRTUAL)
    assert clock.now() == VIRTUAL
    assert clock.now() == VIRTUAL


def test_frozen_clock_ignores_real_time() -> None:
    clock = SimulatedClock(VIRTUAL, REAL, frozen=True)
    assert clock.now_at(REAL) == VIRTUAL
    assert clock.now_at(REAL + timedelta(hours=5)) == VIRTUAL


def test_running_clock_follows_real_time_from_its_anchor() -> None:
    clock = SimulatedClock(VIRTUAL, REAL, frozen=False)
    assert clock.now_at(REAL + timedelta(minutes=90)) == VIRTUAL + timedelta(minutes=90)
    assert clock.now_at(REAL - timedelta(minutes=5)) == VIRTUAL  # never before the anchor


def test_bound_clock_reads_the_callable_each_time() -> None:
    reals = iter([REAL + timedelta(minutes=1), REAL + timedelta(minutes=2)])
    clock = SimulatedClock(VIRTUAL, REAL).bound(lambda: next(reals))
    assert clock.now() == VIRTUAL + timedelta(minutes=1)
    assert clock.now() == VIRTUAL + timedelta(minutes=2)


def test_advance_by_working_days_skips_the_tet_break() -> None:
    clock = SimulatedClock(VIRTUAL, REAL, frozen=True)
    moved = clock.advance_working_days(1, CAL, REAL)
    assert moved.now_at(REAL) == datetime(2026, 2, 23, 10, 0)
    assert moved.frozen
    assert clock.now_at(REAL) == VIRTUAL  # the original value is unchanged


def test_advance_by_working_days_from_a_day_off_first_moves_to_a_working_day() -> None:
    on_holiday = SimulatedClock(datetime(2026, 2, 17, 9, 30), REAL, frozen=True)
    assert on_holiday.advance_working_days(0, CAL, REAL).now_at(REAL) == datetime(2026, 2, 23, 9, 30)
    assert on_holiday.advance_working_days(2, CAL, REAL).now_at(REAL) == datetime(2026, 2, 25, 9, 30)


def test_advance_working_days_keeps_a_running_clock_running() -> None:
    running = SimulatedClock(VIRTUAL, REAL, frozen=False)
    later = REAL + timedelta(minutes=30)  # virtual now is 10:30 when the trainer clicks
    moved = running.advance_working_days(1, CAL, later)
    assert not moved.frozen
    assert moved.now_at(later) == datetime(2026, 2, 23, 10, 30)
    assert moved.now_at(later + timedelta(minutes=15)) == datetime(2026, 2, 23, 10, 45)


def test_advance_working_days_refuses_negative() -> None:
    with pytest.raises(InvalidInput, match="không âm"):
        SimulatedClock(VIRTUAL, REAL).advance_working_days(-1, CAL, REAL)


def test_advance_by_a_timedelta() -> None:
    running = SimulatedClock(VIRTUAL, REAL)
    moved = running.advance(timedelta(days=2, hours=1), REAL + timedelta(minutes=10))
    assert moved.now_at(REAL + timedelta(minutes=10)) == datetime(2026, 2, 15, 11, 10)
    with pytest.raises(InvalidInput, match="tiến lên") as exc:
        running.advance(timedelta(seconds=-1), REAL)
    assert exc.value.code == "clock_backwards"


def test_set_keeps_frozen_flag() -> None:
    target = datetime(2026, 5, 4, 7, 0)
    assert SimulatedClock(VIRTUAL, REAL, frozen=True).set(target, REAL).now_at(REAL + timedelta(hours=3)) == target
    running = SimulatedClock(VIRTUAL, REAL).set(target, REAL)
    assert running.now_at(REAL + timedelta(hours=3)) == target + timedelta(hours=3)


def test_freeze_then_resume() -> None:
    running = SimulatedClock(VIRTUAL, REAL)
    frozen = running.freeze(REAL + timedelta(hours=1))
    assert frozen.frozen
    assert frozen.now_at(REAL + timedelta(hours=5)) == VIRTUAL + timedelta(hours=1)
    resumed = frozen.resume(REAL + timedelta(hours=5))
    assert not resumed.frozen
    assert resumed.now_at(REAL + timedelta(hours=6)) == VIRTUAL + timedelta(hours=2)


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    st.booleans(),
)
def test_to_dict_round_trip(virtual: datetime, real: datetime, frozen: bool) -> None:
    clock = SimulatedClock(virtual, real, frozen)
    data = clock.to_dict()
    assert isinstance(data["anchor_virtual"], str)
    assert SimulatedClock.from_dict(data) == clock


def test_to_dict_shape() -> None:
    assert SimulatedClock(VIRTUAL, REAL, frozen=True).to_dict() == {
        "anchor_virtual": "2026-02-13T10:00:00",
        "anchor_real": "2030-01-07T08:00:00",
        "frozen": True,
    }


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"anchor_virtual": "2026-02-13T10:00:00", "anchor_real": "2030-01-07T08:00:00"},
        {"anchor_virtual": "hôm qua", "anchor_real": "2030-01-07T08:00:00", "frozen": True},
        {"anchor_virtual": "2026-02-13T10:00:00", "anchor_real": "2030-01-07T08:00:00", "frozen": "yes"},
        {"anchor_virtual": "2026-02-13T10:00:00+07:00", "anchor_real": "2030-01-07T08:00:00", "frozen": True},
    ],
)
def test_from_dict_refuses_bad_data(data: dict[str, object]) -> None:
    with pytest.raises(InvalidInput, match="đồng hồ mô phỏng") as exc:
        SimulatedClock.from_dict(data)
    assert exc.value.code == "invalid_clock"


def test_clock_uses_the_calendar_it_is_given() -> None:
    cal = WorkingCalendar(extra_holidays=[date(2026, 3, 10)])
    clock = SimulatedClock(datetime(2026, 3, 9, 9, 0), REAL, frozen=True)
    assert clock.advance_working_days(1, cal, REAL).now_at(REAL) == datetime(2026, 3, 11, 9, 0)
    assert clock.advance_working_days(1, CAL, REAL).now_at(REAL) == datetime(2026, 3, 10, 9, 0)


@pytest.mark.parametrize("module", ["calendar", "clock", "identifiers"])
def test_domain_time_modules_never_read_the_wall_clock(module: str) -> None:
    source = Path(__file__).parents[3] / "sandbox" / "domain" / f"{module}.py"
    calls = {
        f"{node.func.value.id}.{node.func.attr}"
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
    }
    assert not calls & {"datetime.now", "datetime.utcnow", "datetime.today", "date.today", "time.time"}
