"""Clocks: where "now" comes from, injected by callers (the domain never reads the wall clock).

A workspace runs on a :class:`SimulatedClock`: a virtual "now" that is either frozen or runs at
real speed from an anchor, and that a trainer or scenario can move forward (by working days, so
deadlines really pass). The value is immutable: every change returns a new clock, which a
service stores back in the workspace row (:meth:`SimulatedClock.to_dict`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from sandbox.domain.errors import InvalidInput

if TYPE_CHECKING:
    from sandbox.domain.calendar import WorkingCalendar

__all__ = ["Clock", "FixedClock", "SimulatedClock"]


class Clock(Protocol):
    """Anything that can tell the current (naive, Vietnam local) time."""

    def now(self) -> datetime:
        """Return the current instant."""
        ...


@dataclass(frozen=True, slots=True)
class FixedClock:
    """A clock that always says ``at`` (for tests and replays)."""

    at: datetime

    def now(self) -> datetime:
        """Return ``at``."""
        return self.at


@dataclass(frozen=True, slots=True)
class _BoundClock:
    simulated: SimulatedClock
    real_time: Callable[[], datetime]

    def now(self) -> datetime:
        return self.simulated.now_at(self.real_time())


@dataclass(frozen=True, slots=True)
class SimulatedClock:
    """A workspace's virtual time: ``anchor_virtual`` was "now" at real instant ``anchor_real``.

    Frozen, it stays at ``anchor_virtual``; running, it advances with real time from the anchor.
    Every method that takes ``real_now`` re-anchors at that real instant.
    """

    anchor_virtual: datetime
    anchor_real: datetime
    frozen: bool = False

    def now_at(self, real_now: datetime) -> datetime:
        """Return the virtual instant at real instant ``real_now``.

        A ``real_now`` earlier than the anchor (clock skew) gives ``anchor_virtual``: virtual time
        never runs backwards.
        """
        if self.frozen:
            return self.anchor_virtual
        return self.anchor_virtual + max(real_now - self.anchor_real, timedelta(0))

    def bound(self, real_time: Callable[[], datetime]) -> Clock:
        """Return a :class:`Clock` whose ``now()`` reads the virtual time at ``real_time()``."""
        return _BoundClock(self, real_time)

    def set(self, virtual: datetime, real_now: datetime) -> SimulatedClock:
        """Return this clock moved to ``virtual`` at real instant ``real_now`` (frozen/running kept)."""
        return replace(self, anchor_virtual=virtual, anchor_real=real_now)

    def advance(self, delta: timedelta, real_now: datetime) -> SimulatedClock:
        """Return this clock moved ``delta`` forward from its current virtual instant.

        :raises InvalidInput: ``delta`` is negative (use :meth:`set` to go back).
        """
        if delta < timedelta(0):
            raise InvalidInput(
                "Chỉ được đưa đồng hồ mô phỏng tiến lên; hãy dùng chức năng đặt lại thời gian để lùi.",
                code="clock_backwards",
            )
        return self.set(self.now_at(real_now) + delta, real_now)

    def advance_working_days(self, n: int, calendar: WorkingCalendar, real_now: datetime) -> SimulatedClock:
        """Return this clock moved to the same time of day ``n`` working days later.

        A virtual instant on a non-working day first moves to the next working day, then ``n``
        working days on (so ``n == 0`` just skips to the next working day).

        :raises InvalidInput: ``n`` is negative.
        """
        if n < 0:
            raise InvalidInput(f"Số ngày làm việc phải không âm, nhận được {n}.", code="invalid_duration")
        current = self.now_at(real_now)
        start = calendar.add_working_days(current.date(), 0)  # itself, or the next working day
        target = calendar.add_working_days(start, n)
        return self.set(datetime.combine(target, current.time()), real_now)

    def freeze(self, real_now: datetime) -> SimulatedClock:
        """Return this clock stopped at its current virtual instant."""
        return SimulatedClock(self.now_at(real_now), real_now, frozen=True)

    def resume(self, real_now: datetime) -> SimulatedClock:
        """Return this clock running again from its current virtual instant."""
        return SimulatedClock(self.now_at(real_now), real_now, frozen=False)

    def to_dict(self) -> dict[str, str | bool]:
        """Return a JSON-friendly dict (ISO 8601 strings) for a DB row."""
        return {
            "anchor_virtual": self.anchor_virtual.isoformat(),
            "anchor_real": self.anchor_real.isoformat(),
            "frozen": self.frozen,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> SimulatedClock:
        """Rebuild a clock from :meth:`to_dict` output.

        :raises InvalidInput: a key is missing or a value has the wrong type or format.
        """
        try:
            virtual, real, frozen = data["anchor_virtual"], data["anchor_real"], data["frozen"]
            if not (isinstance(virtual, str) and isinstance(real, str) and isinstance(frozen, bool)):
                raise TypeError
            clock = cls(datetime.fromisoformat(virtual), datetime.fromisoformat(real), frozen)
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput("Dữ liệu đồng hồ mô phỏng không hợp lệ.", code="invalid_clock") from exc
        if clock.anchor_virtual.tzinfo is not None or clock.anchor_real.tzinfo is not None:
            raise InvalidInput("Dữ liệu đồng hồ mô phỏng không được kèm múi giờ.", code="invalid_clock")
        return clock
