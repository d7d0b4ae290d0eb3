"""Working days, office hours and legal due dates for Vietnamese public bodies.

Public holidays come from the `holidays` package (``VN``, Vietnamese names), which already knows the
Labour Code days, their observed/compensatory days and the government's announced day swaps (for
example the make-up working Saturdays 26/04/2025 and 22/08/2026). Breaks the government announces
for public employees on top of that are kept as data in :data:`KNOWN_GOVERNMENT_BREAKS`.

All datetimes are naive and in Vietnam local time (UTC+7, no DST). Nothing here reads the clock.
Deadline arithmetic follows domain.md §2.4: the legal clock starts at valid receipt (with the
"after 15:00 → next working day" rule, §2.2 step 3), runs through office hours only
(07:00–11:30 and 13:30–17:00 by default, 8 hours a day) and stops during supplement pauses.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import holidays

from sandbox.domain.errors import InvalidInput

__all__ = ["KNOWN_GOVERNMENT_BREAKS", "GovernmentBreak", "Pause", "WorkingCalendar"]

Pause = tuple[datetime, datetime | None]
"""A supplement pause: (start, end); ``end`` is None while the dossier is still paused."""

_ONE_DAY = timedelta(days=1)
_MICROS_PER_HOUR = 3_600_000_000
_EXTRA_HOLIDAY_NAME = "Ngày nghỉ bổ sung"


@dataclass(frozen=True, slots=True)
class GovernmentBreak:
    """A break announced for public employees (days off beyond the `holidays` package's list)."""

    first: date
    last: date
    name: str
    source: str
    make_up_days: tuple[date, ...] = ()

    def days(self) -> Iterator[date]:
        """Yield every day of the break, ``first`` to ``last`` inclusive."""
        day = self.first
        while day <= self.last:
            yield day
            day += _ONE_DAY


KNOWN_GOVERNMENT_BREAKS: tuple[GovernmentBreak, ...] = (
    # `holidays` 0.109 lists Mon 16/02–Fri 20/02/2026 (the five Labour Code days of Tết); the announced
    # break runs from Saturday 27 tháng Chạp to Sunday mùng 6, with no make-up working day.
    GovernmentBreak(
        first=date(2026, 2, 14),
        last=date(2026, 2, 22),
        name="Nghỉ Tết Nguyên đán Bính Ngọ",
        source=(
            "Phương án nghỉ Tết Âm lịch 2026 được Thủ tướng đồng ý: công chức, viên chức nghỉ từ "
            "thứ Bảy 14/02/2026 đến hết Chủ nhật 22/02/2026 "
            "(http://www.congan.com.vn/?catid=702&id=388656&mod=detnews)"
        ),
    ),
)


def _as_date(day: date) -> date:
    return day.date() if isinstance(day, datetime) else day


def _naive(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        raise InvalidInput("Thời điểm phải là giờ Việt Nam không kèm múi giờ (naive datetime).", code="aware_datetime")
    return moment


def _hours_to_delta(hours: float | Decimal, *, unit_micros: int = _MICROS_PER_HOUR) -> timedelta:
    amount = Decimal(str(hours))
    if not amount.is_finite() or amount < 0:
        raise InvalidInput(f"Số giờ/ngày phải là số không âm, nhận được {hours!r}.", code="invalid_duration")
    return timedelta(microseconds=round(amount * unit_micros))


class WorkingCalendar:
    """Working days and office hours of a Vietnamese agency.

    :param extra_holidays: more days off; a ``Mapping[date, str]`` also gives their Vietnamese names.
    :param extra_working_days: make-up working days (usually Saturdays); they beat any holiday.
    :param breaks: announced government breaks (see :data:`KNOWN_GOVERNMENT_BREAKS`).
    :param morning: first office session, ``(start, end)``.
    :param afternoon: second office session, ``(start, end)``.
    :param cutoff: a dossier received at or after this time counts from the next working day.
    :raises InvalidInput: a day is both a holiday and a working day, or the office hours are disordered.
    """

    __slots__ = (
        "_explicit_holidays",
        "_explicit_workdays",
        "_lib_holidays",
        "_lib_workdays",
        "_lock",
        "_sessions",
        "_verdicts",
        "_years",
        "cutoff",
    )

    def __init__(
        self,
        extra_holidays: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
        *,
        breaks: Iterable[GovernmentBreak] = (),
        morning: tuple[time, time] = (time(7, 0), time(11, 30)),
        afternoon: tuple[time, time] = (time(13, 30), time(17, 0)),
        cutoff: time = time(15, 0),
    ) -> None:
        named: dict[date, str] = {}
        workdays: set[date] = set()
        for gov_break in breaks:
            named.update(dict.fromkeys(gov_break.days(), gov_break.name))
            workdays.update(gov_break.make_up_days)
        if isinstance(extra_holidays, Mapping):
            named.update({_as_date(d): str(n) for d, n in extra_holidays.items()})
        else:
            named.update(dict.fromkeys(map(_as_date, extra_holidays), _EXTRA_HOLIDAY_NAME))
        workdays.update(map(_as_date, extra_working_days))
        clash = sorted(workdays & named.keys())
        if clash:
            raise InvalidInput(
                f"Ngày {clash[0]:%d/%m/%Y} vừa là ngày nghỉ vừa là ngày làm việc bù.", code="calendar_conflict"
            )
        if not (morning[0] < morning[1] <= afternoon[0] < afternoon[1]):
            raise InvalidInput("Giờ hành chính buổi sáng và buổi chiều không hợp lệ.", code="invalid_office_hours")
        self._explicit_holidays = named
        self._explicit_workdays = frozenset(workdays)
        self._sessions = (morning, afternoon)
        self.cutoff = cutoff
        self._lib_holidays: dict[date, str] = {}
        self._lib_workdays: set[date] = set()
        self._years: set[int] = set()
        self._verdicts: dict[date, bool] = {}  # memo of is_working_day: the calendar never changes
        self._lock = threading.Lock()

    @classmethod
    def default(cls) -> WorkingCalendar:
        """Return the calendar with the `holidays` list plus :data:`KNOWN_GOVERNMENT_BREAKS`."""
        return cls(breaks=KNOWN_GOVERNMENT_BREAKS)

    @property
    def hours_per_day(self) -> float:
        """Office hours in one working day (8.0 by default)."""
        return self._day_span().total_seconds() / 3600

    # -- days ---------------------------------------------------------------------------------

    def _ensure_year(self, year: int) -> None:
        if year in self._years:
            return
        with self._lock:
            if year in self._years:
                return
            # A swap may put next year's make-up Saturday in this year (e.g. 27/12/2014 for 02/01/2015).
            lib = holidays.country_holidays("VN", years=(year, year + 1), language="vi")
            self._lib_holidays.update({d: n for d, n in lib.items() if d.year == year})
            self._lib_workdays.update(d for d in lib.weekend_workdays if d.year == year)
            self._years.add(year)

    def is_working_day(self, day: date) -> bool:
        """Tell whether public bodies work on ``day`` (a weekday that is not a holiday, or a make-up day)."""
        day = _as_date(day)
        verdict = self._verdicts.get(day)
        if verdict is None:
            verdict = self._verdicts[day] = self._decide_working_day(day)
        return verdict

    def _decide_working_day(self, day: date) -> bool:
        if day in self._explicit_workdays:
            return True
        if day in self._explicit_holidays:
            return False
        self._ensure_year(day.year)
        if day in self._lib_workdays:
            return True
        return day not in self._lib_holidays and day.weekday() < 5

    def holiday_name(self, day: date) -> str | None:
        """Return the Vietnamese name of the holiday or break on ``day`` (None on working days and plain weekends)."""
        day = _as_date(day)
        if self.is_working_day(day):
            return None
        return self._lib_holidays.get(day) or self._explicit_holidays.get(day)

    def next_working_day(self, day: date) -> date:
        """Return the first working day strictly after ``day``."""
        day = _as_date(day) + _ONE_DAY
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def add_working_days(self, day: date, n: int) -> date:
        """Return the working day ``n`` working days after ``day``.

        ``n == 0`` gives ``day`` itself when it is a working day, else the next working day.

        :raises InvalidInput: ``n`` is negative.
        """
        if n < 0:
            raise InvalidInput(f"Số ngày làm việc phải không âm, nhận được {n}.", code="invalid_duration")
        day = _as_date(day)
        if n == 0:
            return day if self.is_working_day(day) else self.next_working_day(day)
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Count the working days in ``(a, b]``; negative (the count in ``(b, a]``) when ``b < a``."""
        a, b = _as_date(a), _as_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        return sum(self.is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))

    # -- office hours -------------------------------------------------------------------------

    def _day_span(self) -> timedelta:
        return sum(
            (datetime.combine(date.min, end) - datetime.combine(date.min, start) for start, end in self._sessions),
            timedelta(0),
        )

    def is_office_hours(self, moment: datetime) -> bool:
        """Tell whether ``moment`` falls inside an office session of a working day (end excluded)."""
        moment = _naive(moment)
        clock = moment.time()
        return self.is_working_day(moment.date()) and any(s <= clock < e for s, e in self._sessions)

    def start_of_count(self, received_at: datetime) -> datetime:
        """Return when the legal clock starts for a dossier received at ``received_at``.

        On a working day before the cutoff: that instant, moved to the next session start when it
        falls before opening (→ 07:00 the same day) or in the lunch break (→ 13:30). At or after the
        cutoff, after closing, or on a non-working day: the opening of the next working day.
        """
        received_at = _naive(received_at)
        day, clock = received_at.date(), received_at.time()
        if self.is_working_day(day) and clock < self.cutoff:
            for start, end in self._sessions:
                if clock < end:
                    return received_at if clock >= start else datetime.combine(day, start)
        return datetime.combine(self.next_working_day(day), self._sessions[0][0])

    def add_office_hours(self, start: datetime, hours: float | Decimal) -> datetime:
        """Walk ``hours`` office hours forward from ``start``, skipping nights, lunch and days off.

        An instant that lands exactly on a session end stays there (17:00, not 07:00 next day).
        ``hours == 0`` returns ``start`` unchanged.

        :raises InvalidInput: ``hours`` is negative or not finite.
        """
        return self._add_office_time(_naive(start), _hours_to_delta(hours))

    def _add_office_time(self, start: datetime, remaining: timedelta) -> datetime:
        cursor = start
        while remaining > timedelta(0):
            day = cursor.date()
            if self.is_working_day(day):
                for session_start, session_end in self._sessions:
                    lo = max(cursor, datetime.combine(day, session_start))
                    hi = datetime.combine(day, session_end)
                    if lo < hi:
                        if remaining <= hi - lo:
                            return lo + remaining
                        remaining -= hi - lo
            cursor = datetime.combine(self.next_working_day(day), time.min)
        return cursor

    def subtract_office_hours(self, end: datetime, hours: float | Decimal) -> datetime:
        """Walk ``hours`` office hours backward from ``end`` (the inverse of :meth:`add_office_hours`).

        An instant that lands exactly on a session start stays there (07:00, not 17:00 the day before).

        :raises InvalidInput: ``hours`` is negative or not finite.
        """
        remaining = _hours_to_delta(hours)
        cursor = _naive(end)
        while remaining > timedelta(0):
            day = cursor.date()
            if self.is_working_day(day):
                for session_start, session_end in reversed(self._sessions):
                    lo = datetime.combine(day, session_start)
                    hi = min(cursor, datetime.combine(day, session_end))
                    if lo < hi:
                        if remaining <= hi - lo:
                            return hi - remaining
                        remaining -= hi - lo
            cursor = datetime.combine(day - _ONE_DAY, time.max)
        return cursor

    def office_hours_between(self, a: datetime, b: datetime) -> float:
        """Return the office hours from ``a`` to ``b`` (negative when ``b < a``)."""
        a, b = _naive(a), _naive(b)
        if b < a:
            return -self.office_hours_between(b, a)
        return self._office_time_between(a, b).total_seconds() / 3600

    def _office_time_between(self, a: datetime, b: datetime) -> timedelta:
        total = timedelta(0)
        day = a.date()
        while day <= b.date():
            if self.is_working_day(day):
                for start, end in self._sessions:
                    lo = max(a, datetime.combine(day, start))
                    hi = min(b, datetime.combine(day, end))
                    if lo < hi:
                        total += hi - lo
            day += _ONE_DAY
        return total

    def remaining_working_days(self, now: datetime, due: datetime) -> float:
        """Return the working days left until ``due`` (office hours / hours per day; negative when overdue)."""
        return self.office_hours_between(now, due) / self.hours_per_day

    def due_at(
        self, received_at: datetime, deadline_days: float | Decimal, pauses: Iterable[Pause] = ()
    ) -> datetime | None:
        """Return the legal due instant of a dossier.

        The clock starts at :meth:`start_of_count`, runs ``deadline_days`` × :attr:`hours_per_day`
        office hours, and is extended by the office hours inside every supplement pause (overlapping
        pauses count once; time before the clock started does not count).

        :returns: the due instant, or None while a pause is still open (``end is None``): the due date
            is not defined until the applicant supplements.
        :raises InvalidInput: a negative deadline, or a pause that ends before it starts.
        """
        start = self.start_of_count(received_at)
        per_day = round(self._day_span() / timedelta(microseconds=1))
        total = _hours_to_delta(deadline_days, unit_micros=per_day)
        intervals: list[tuple[datetime, datetime]] = []
        for pause_start, pause_end in pauses:
            if pause_end is None:
                return None
            if _naive(pause_end) < _naive(pause_start):
                raise InvalidInput(
                    f"Khoảng tạm dừng kết thúc ({pause_end:%d/%m/%Y %H:%M}) trước khi bắt đầu "
                    f"({pause_start:%d/%m/%Y %H:%M}).",
                    code="invalid_pause",
                )
            if pause_end > start:
                intervals.append((max(pause_start, start), pause_end))
        intervals.sort()
        merged: list[tuple[datetime, datetime]] = []
        for lo, hi in intervals:
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
            else:
                merged.append((lo, hi))
        for lo, hi in merged:
            total += self._office_time_between(lo, hi)
        return self._add_office_time(start, total)
