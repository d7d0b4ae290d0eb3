"""Working days, office hours and due dates (domain.md §2.2 step 3, §2.4)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.domain.calendar import KNOWN_GOVERNMENT_BREAKS, WorkingCalendar
from sandbox.domain.errors import InvalidInput

CAL = WorkingCalendar.default()

# Instants across 2025–2027, minute resolution (the calendar works to the microsecond, but minutes
# keep the float round-trips exact).
instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0)
)


# -- working days -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 1, 1), "Tết Dương lịch"),
        (date(2026, 2, 17), "Tết Nguyên Đán"),
        (date(2026, 4, 27), "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
        (date(2026, 4, 30), "Ngày Chiến thắng"),
        (date(2026, 5, 1), "Ngày Quốc tế Lao động"),
        (date(2026, 9, 2), "Quốc khánh"),
        (date(2026, 9, 1), "Quốc khánh"),
        (date(2025, 5, 2), "Ngày nghỉ (thay cho ngày 26/04/2025)"),
        (date(2026, 2, 14), "Nghỉ Tết Nguyên đán Bính Ngọ"),  # a Saturday, from KNOWN_GOVERNMENT_BREAKS
        (date(2026, 2, 22), "Nghỉ Tết Nguyên đán Bính Ngọ"),
    ],
)
def test_holidays_have_vietnamese_names_and_are_days_off(day: date, name: str) -> None:
    assert CAL.holiday_name(day) == name
    assert not CAL.is_working_day(day)


def test_tet_2026_break_comes_from_the_known_breaks_table() -> None:
    assert WorkingCalendar().holiday_name(date(2026, 2, 14)) is None  # a plain Saturday without the table
    assert [b.first for b in KNOWN_GOVERNMENT_BREAKS] == [date(2026, 2, 14)]
    assert list(KNOWN_GOVERNMENT_BREAKS[0].days())[-1] == date(2026, 2, 22)


def test_whole_tet_2026_break_is_off_and_work_resumes_monday_23() -> None:
    off = [date(2026, 2, 14) + timedelta(days=i) for i in range(9)]
    assert not any(CAL.is_working_day(d) for d in off)
    assert CAL.is_working_day(date(2026, 2, 13))
    assert CAL.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)


def test_make_up_saturdays_from_holidays_package_are_working_days() -> None:
    assert CAL.is_working_day(date(2025, 4, 26))
    assert CAL.is_working_day(date(2026, 8, 22))
    assert CAL.holiday_name(date(2026, 8, 22)) is None
    assert not CAL.is_working_day(date(2026, 8, 31))
    assert not CAL.is_working_day(date(2026, 8, 29))  # an ordinary Saturday


def test_plain_weekdays_and_weekends() -> None:
    assert CAL.is_working_day(date(2026, 3, 10))
    assert not CAL.is_working_day(date(2026, 3, 14))
    assert not CAL.is_working_day(date(2026, 3, 15))
    assert CAL.holiday_name(date(2026, 3, 14)) is None
    assert CAL.is_working_day(datetime(2026, 3, 10, 20, 0))  # a datetime is read as its date


def test_years_are_loaded_lazily_far_ahead() -> None:
    assert CAL.holiday_name(date(2035, 9, 2)) == "Quốc khánh"
    assert not CAL.is_working_day(date(2035, 9, 2))


def test_extra_holidays_and_working_days() -> None:
    cal = WorkingCalendar(
        extra_holidays={date(2026, 3, 10): "Nghỉ bầu cử"}, extra_working_days=[date(2026, 3, 14), date(2026, 9, 2)]
    )
    assert cal.holiday_name(date(2026, 3, 10)) == "Nghỉ bầu cử"
    assert cal.is_working_day(date(2026, 3, 14))
    assert cal.is_working_day(date(2026, 9, 2))  # an explicit working day beats a holiday
    assert WorkingCalendar(extra_holidays=[date(2026, 3, 11)]).holiday_name(date(2026, 3, 11)) == "Ngày nghỉ bổ sung"


def test_a_day_both_off_and_working_is_refused() -> None:
    with pytest.raises(InvalidInput, match="vừa là ngày nghỉ vừa là ngày làm việc bù") as exc:
        WorkingCalendar(extra_holidays=[date(2026, 3, 10)], extra_working_days=[date(2026, 3, 10)])
    assert exc.value.code == "calendar_conflict"


def test_disordered_office_hours_are_refused() -> None:
    with pytest.raises(InvalidInput, match="Giờ hành chính"):
        WorkingCalendar(morning=(time(11, 0), time(8, 0)))


def test_add_working_days_across_30_4_and_1_5_2026() -> None:
    assert CAL.add_working_days(date(2026, 4, 29), 1) == date(2026, 5, 4)
    assert CAL.add_working_days(date(2026, 4, 29), 0) == date(2026, 4, 29)
    assert CAL.add_working_days(date(2026, 5, 2), 0) == date(2026, 5, 4)
    assert CAL.add_working_days(date(2026, 5, 2), 1) == date(2026, 5, 4)
    assert CAL.add_working_days(date(2026, 5, 2), 2) == date(2026, 5, 5)


def test_add_working_days_refuses_negative() -> None:
    with pytest.raises(InvalidInput, match="không âm"):
        CAL.add_working_days(date(2026, 3, 10), -1)


def test_working_days_between_around_30_4_2025_with_make_up_saturday() -> None:
    # Sat 26/4 (make-up), Mon 28/4, Tue 29/4, Mon 5/5; 30/4, 1/5 and 2/5 are off.
    assert CAL.working_days_between(date(2025, 4, 25), date(2025, 5, 5)) == 4
    assert CAL.working_days_between(date(2025, 5, 5), date(2025, 4, 25)) == -4
    assert CAL.working_days_between(date(2025, 5, 5), date(2025, 5, 5)) == 0


@settings(deadline=None)
@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)), st.integers(0, 40))
def test_add_working_days_and_working_days_between_agree(day: date, n: int) -> None:
    target = CAL.add_working_days(day, n)
    assert CAL.is_working_day(target)
    # From a day off, even n == 0 lands on the next working day, one working day later.
    expected = n if CAL.is_working_day(day) else max(n, 1)
    assert CAL.working_days_between(day, target) == expected


# -- office hours and the start of the legal clock ---------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 3, 10, 7, 0), True),
        (datetime(2026, 3, 10, 11, 29), True),
        (datetime(2026, 3, 10, 11, 30), False),
        (datetime(2026, 3, 10, 12, 0), False),
        (datetime(2026, 3, 10, 13, 30), True),
        (datetime(2026, 3, 10, 17, 0), False),
        (datetime(2026, 3, 10, 6, 59), False),
        (datetime(2026, 3, 14, 9, 0), False),  # Saturday
        (datetime(2026, 9, 2, 9, 0), False),  # Quốc khánh
    ],
)
def test_is_office_hours(moment: datetime, expected: bool) -> None:
    assert CAL.is_office_hours(moment) is expected


@pytest.mark.parametrize(
    ("received", "start"),
    [
        (datetime(2026, 3, 10, 9, 15), datetime(2026, 3, 10, 9, 15)),  # in office hours
        (datetime(2026, 3, 10, 12, 0), datetime(2026, 3, 10, 13, 30)),  # lunch break
        (datetime(2026, 3, 10, 14, 59, 59), datetime(2026, 3, 10, 14, 59, 59)),
        (datetime(2026, 3, 10, 15, 0), datetime(2026, 3, 11, 7, 0)),  # the after-15:00 rule
        (datetime(2026, 3, 10, 16, 30), datetime(2026, 3, 11, 7, 0)),
        (datetime(2026, 3, 10, 21, 0), datetime(2026, 3, 11, 7, 0)),
        (datetime(2026, 3, 10, 6, 30), datetime(2026, 3, 10, 7, 0)),  # before opening: same day
        (datetime(2026, 3, 13, 15, 30), datetime(2026, 3, 16, 7, 0)),  # Friday after 15:00 → Monday
        (datetime(2026, 3, 15, 10, 0), datetime(2026, 3, 16, 7, 0)),  # Sunday
        (datetime(2026, 2, 13, 16, 0), datetime(2026, 2, 23, 7, 0)),  # before the Tết break
    ],
)
def test_start_of_count(received: datetime, start: datetime) -> None:
    assert CAL.start_of_count(received) == start


def test_custom_cutoff() -> None:
    cal = WorkingCalendar(cutoff=time(16, 0))
    assert cal.start_of_count(datetime(2026, 3, 10, 15, 30)) == datetime(2026, 3, 10, 15, 30)


def test_aware_datetimes_are_refused() -> None:
    with pytest.raises(InvalidInput, match="không kèm múi giờ"):
        CAL.start_of_count(datetime(2026, 3, 10, 9, 0, tzinfo=timezone(timedelta(hours=7))))


def test_add_office_hours_skips_lunch_nights_and_weekends() -> None:
    assert CAL.add_office_hours(datetime(2026, 3, 10, 10, 0), 2) == datetime(2026, 3, 10, 14, 0)
    assert CAL.add_office_hours(datetime(2026, 3, 13, 16, 0), Decimal("1.5")) == datetime(2026, 3, 16, 7, 30)
    assert CAL.add_office_hours(datetime(2026, 3, 10, 7, 0), 4.5) == datetime(2026, 3, 10, 11, 30)
    assert CAL.add_office_hours(datetime(2026, 3, 14, 9, 0), 0) == datetime(2026, 3, 14, 9, 0)
    with pytest.raises(InvalidInput):
        CAL.add_office_hours(datetime(2026, 3, 10, 10, 0), -1)


def test_hours_per_day_defaults_to_eight() -> None:
    assert CAL.hours_per_day == 8.0
    assert WorkingCalendar(afternoon=(time(13, 0), time(17, 0))).hours_per_day == 8.5


# -- due dates ---------------------------------------------------------------------------------


def test_due_date_across_tet_2026() -> None:
    # Fri 13/02 10:00 → 5 h that day; Mon 23 and Tue 24 → 16 h; 3 h on Wed 25/02.
    assert CAL.due_at(datetime(2026, 2, 13, 10, 0), 3) == datetime(2026, 2, 25, 10, 0)


def test_due_date_after_15_00_across_30_4_2026_ends_exactly_at_17_00() -> None:
    assert CAL.due_at(datetime(2026, 4, 29, 16, 0), 1) == datetime(2026, 5, 4, 17, 0)


def test_due_date_across_2_9_2026() -> None:
    # Fri 28/08 09:00 → 6 h; Mon 31/08–Wed 02/09 off; Thu 03/09 8 h; 2 h on Fri 04/09.
    assert CAL.due_at(datetime(2026, 8, 28, 9, 0), 2) == datetime(2026, 9, 4, 9, 0)


def test_due_date_from_lunch_break_and_exact_day_end() -> None:
    assert CAL.due_at(datetime(2026, 3, 10, 12, 15), Decimal("0.4375")) == datetime(2026, 3, 10, 17, 0)
    assert CAL.due_at(datetime(2026, 3, 10, 7, 0), 1) == datetime(2026, 3, 10, 17, 0)
    assert CAL.due_at(datetime(2026, 3, 10, 7, 0), 2) == datetime(2026, 3, 11, 17, 0)


def test_pauses_extend_the_due_date_by_their_office_hours() -> None:
    received = datetime(2026, 3, 2, 8, 0)
    assert CAL.due_at(received, 2) == datetime(2026, 3, 4, 8, 0)
    pause = (datetime(2026, 3, 3, 13, 30), datetime(2026, 3, 4, 13, 30))  # 3.5 h + 4.5 h = 8 office hours
    assert CAL.due_at(received, 2, [pause]) == datetime(2026, 3, 5, 8, 0)
    overlapping = [pause, (datetime(2026, 3, 3, 14, 0), datetime(2026, 3, 3, 16, 0))]
    assert CAL.due_at(received, 2, overlapping) == datetime(2026, 3, 5, 8, 0)
    weekend_only = [(datetime(2026, 3, 6, 17, 0), datetime(2026, 3, 9, 7, 0))]
    assert CAL.due_at(received, 2, weekend_only) == datetime(2026, 3, 4, 8, 0)


def test_pause_before_the_clock_starts_does_not_count() -> None:
    received = datetime(2026, 3, 2, 16, 0)  # clock starts Tue 03/03 07:00
    early = [(datetime(2026, 3, 2, 9, 0), datetime(2026, 3, 3, 9, 0))]  # only 2 h after the start
    assert CAL.due_at(received, 1) == datetime(2026, 3, 3, 17, 0)
    assert CAL.due_at(received, 1, early) == datetime(2026, 3, 4, 9, 0)


def test_open_pause_means_no_due_date_yet() -> None:
    assert CAL.due_at(datetime(2026, 3, 2, 8, 0), 5, [(datetime(2026, 3, 3, 9, 0), None)]) is None


def test_pause_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidInput, match="kết thúc") as exc:
        CAL.due_at(datetime(2026, 3, 2, 8, 0), 5, [(datetime(2026, 3, 3, 9, 0), datetime(2026, 3, 3, 8, 0))])
    assert exc.value.code == "invalid_pause"


def test_negative_deadline_is_refused() -> None:
    with pytest.raises(InvalidInput):
        CAL.due_at(datetime(2026, 3, 2, 8, 0), -1)


# -- remaining time ------------------------------------------------------------------------------


def test_office_hours_between_and_remaining_days_sign() -> None:
    due = datetime(2026, 3, 9, 17, 0)  # Monday
    assert CAL.office_hours_between(datetime(2026, 3, 6, 16, 0), due) == 9.0  # Fri 1 h + Mon 8 h
    assert CAL.remaining_working_days(datetime(2026, 3, 9, 11, 0), due) == 0.5  # 0.5 h + 3.5 h
    assert CAL.remaining_working_days(datetime(2026, 3, 9, 12, 0), due) == 0.4375  # lunch does not count
    assert CAL.remaining_working_days(due, due) == 0.0
    assert CAL.remaining_working_days(datetime(2026, 3, 10, 11, 0), due) == -0.5
    assert CAL.office_hours_between(due, datetime(2026, 3, 6, 16, 0)) == -9.0


@settings(deadline=None, max_examples=60)
@given(instants, st.integers(0, 8 * 20 * 60))
def test_add_office_hours_inverts_office_hours_between(start: datetime, minutes: int) -> None:
    counted_from = CAL.start_of_count(start)
    due = CAL.add_office_hours(counted_from, minutes / 60)
    assert round(CAL.office_hours_between(counted_from, due) * 60) == minutes
    assert CAL.is_office_hours(due) or due.time() in (time(11, 30), time(17, 0)) or minutes == 0


@settings(deadline=None, max_examples=60)
@given(instants, instants)
def test_office_hours_between_is_antisymmetric(a: datetime, b: datetime) -> None:
    assert CAL.office_hours_between(a, b) == -CAL.office_hours_between(b, a)


def test_subtract_office_hours_is_the_inverse_of_add() -> None:
    cal = WorkingCalendar.default()

    @given(st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=8 * 60 * 40))
    def check(day_offset: int, minutes: int) -> None:
        start = cal.start_of_count(datetime(2025, 12, 1, 7, 0) + timedelta(days=day_offset, hours=3))
        hours = minutes / 60
        end = cal.add_office_hours(start, hours)
        back = cal.subtract_office_hours(end, hours)
        assert abs(cal.office_hours_between(back, start)) < 1e-6

    check()
    # across Tết 2026: 16 office hours before Monday 23/02/2026 10:00 is Thursday 12/02 (Fri 13/02 is a working day)
    assert cal.subtract_office_hours(datetime(2026, 2, 23, 10, 0), 16) == datetime(2026, 2, 12, 10, 0)
