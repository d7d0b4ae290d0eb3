"""The facts the lifecycle rules look at: a dossier's snapshot, its procedure, and the situation of an action.

A :class:`Snapshot` holds a dossier's lifecycle fields; the store keeps the same fields on the
dossier row, and the event log records each change of them (``encode_changes``), so replaying
the log gives the row back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, Protocol

from sandbox.domain.vocabulary import Role, State


class Calendar(Protocol):
    """What the lifecycle needs of :class:`sandbox.domain.calendar.WorkingCalendar`."""

    def due_at(self, received_at: datetime, deadline_days: float, pauses: Sequence[Any] = ()) -> datetime | None: ...
    def office_hours_between(self, a: datetime, b: datetime) -> float: ...
    def add_office_hours(self, start: datetime, hours: float) -> datetime: ...
    def is_working_day(self, d: date) -> bool: ...


@dataclass(frozen=True, slots=True)
class ProcedureFacts:
    """The parts of a procedure the rules look at."""

    code: str
    deadline_days: float
    fee: int = 0
    payment_required: bool = False
    document_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The lifecycle fields of one dossier. Replaying its events must give the stored row."""

    state: State | None = None
    version: int = 0
    submitted_at: datetime | None = None
    received_at: datetime | None = None
    due_at: datetime | None = None
    original_due_at: datetime | None = None
    paused_at: datetime | None = None
    supplement_count: int = 0
    supplement_submitted: bool = False  # the applicant has sent what the last supplement request asked for
    apology_count: int = 0
    fee_amount: int = 0
    fee_paid: bool = False
    payment_method: str | None = None
    assignee_id: int | None = None
    result_signed: bool = False
    result_number: str | None = None
    finished_at: datetime | None = None
    returned_at: datetime | None = None
    closed_at: datetime | None = None

    def is_overdue(self, now: datetime) -> bool:
        """True when the appointed time has passed and no result was produced by then."""
        if self.due_at is None:
            return False
        # while the applicant supplements, the legal clock is stopped at the pause
        end = self.finished_at or self.closed_at or self.paused_at or now
        return end > self.due_at


DATETIME_FIELDS = frozenset(f.name for f in fields(Snapshot) if "datetime" in str(f.type))


@dataclass(frozen=True, slots=True)
class Situation:
    """Everything a guard may look at besides the action's own inputs."""

    snapshot: Snapshot
    procedure: ProcedureFacts
    role: Role
    now: datetime
    calendar: Calendar
    channel: int | None = None  # national channel code of the dossier (1 counter, 2 online, 3 postal)


def encode_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Make field changes JSON-safe for the event log."""
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if isinstance(value, datetime):
            out[key] = value.isoformat()  # full precision: replay must give the stored value exactly
        elif isinstance(value, State):
            out[key] = value.value
        else:
            out[key] = value
    return out


def decode_changes(data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "state":
            out[key] = State(value)
        elif key in DATETIME_FIELDS and value is not None:
            out[key] = datetime.fromisoformat(value)
        else:
            out[key] = value
    return out
