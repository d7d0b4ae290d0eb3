"""The context every use case receives explicitly: session, workspace, actor, clock, integrations.

Use cases never read Flask globals or the wall clock; the web layer, the CLI, the seeder and
the tests all build a :class:`ServiceContext` and pass it in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from sandbox.domain.calendar import WorkingCalendar
from sandbox.domain.clock import SimulatedClock
from sandbox.domain.errors import NotFound
from sandbox.domain.vocabulary import Role
from sandbox.integrations.registry import Integrations
from sandbox.store.models import Workspace
from sandbox.store.session import wrote_nothing

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def vietnam_now() -> datetime:
    """The real wall-clock time in Vietnam, naive (the one place the wall clock is read)."""
    return datetime.now(VN_TZ).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class Actor:
    """Who is acting: an officer (with role and agency) or an applicant."""

    kind: str  # officer | citizen | system
    id: int | None
    name: str
    role: Role
    agency_id: int | None = None


def begin_write(session: Session, *, keep_reads: bool = False) -> None:
    """Start a write transaction (IMMEDIATE on SQLite, see ``store.session``).

    A transaction left open by earlier reads is rolled back first, never committed: a use case
    commits its own work and nothing else that might be pending in the session. The rollback expires
    every object read so far, so that a decision is taken on rows read again under the write lock.

    ``keep_reads``: what was read before is still good (reference data, the inputs checked against it),
    so keep it: if the open transaction wrote nothing (:func:`~sandbox.store.session.wrote_nothing`),
    it is ended by a commit of nothing, which leaves the objects loaded, and the use case holds the
    write lock only for its writes. Otherwise, as above.
    """
    if session.in_transaction():
        if keep_reads and wrote_nothing(session):
            session.commit()  # a read-only transaction: nothing to commit, the objects stay loaded
        else:
            session.rollback()
    session.connection(execution_options={"immediate": True})


_CLOCK = select(Workspace.clock_virtual, Workspace.clock_real, Workspace.clock_frozen).where(
    Workspace.id == bindparam("workspace_id")
)
SYSTEM_ACTOR = Actor(kind="system", id=None, name="Hệ thống", role=Role.ADMIN)


@dataclass
class ServiceContext:
    session: Session
    workspace_id: str
    actor: Actor
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar.default)
    integrations: Integrations = field(default_factory=Integrations)
    real_time: Callable[[], datetime] = vietnam_now
    dossier_code_format: str = "tt01_2018"
    _workspace: Workspace | None = field(default=None, repr=False)
    _clock: SimulatedClock | None = field(default=None, repr=False)

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            ws = self.session.get(Workspace, self.workspace_id)
            if ws is None:
                raise NotFound(f"Không tìm thấy không gian làm việc «{self.workspace_id}».")
            self._workspace = ws
        return self._workspace

    @property
    def clock(self) -> SimulatedClock:
        """This workspace's simulated clock: three columns read once, not the workspace and its briefing."""
        if self._workspace is not None:
            return self._workspace.clock
        if self._clock is None:
            row = self.session.connection().execute(_CLOCK, {"workspace_id": self.workspace_id}).first()
            if row is None:
                raise NotFound(f"Không tìm thấy không gian làm việc «{self.workspace_id}».")
            self._clock = SimulatedClock(anchor_virtual=row[0], anchor_real=row[1], frozen=row[2])
        return self._clock

    def now(self) -> datetime:
        """Virtual "now" of this workspace's simulated clock."""
        return self.clock.now_at(self.real_time()).replace(microsecond=0)

    def with_actor(self, actor: Actor) -> ServiceContext:
        return replace(self, actor=actor)

    def in_workspace(self, workspace_id: str) -> ServiceContext:
        """The same actor in another workspace (its own clock and workspace, read afresh)."""
        return replace(self, workspace_id=workspace_id, _workspace=None, _clock=None)

    @contextmanager
    def transaction(self, *, keep_reads: bool = False) -> Iterator[Session]:
        """One write transaction: commit on success, roll back everything on any error.

        On SQLite the transaction begins IMMEDIATE (see ``store.session``): writers queue on
        the lock instead of failing with a stale snapshot, so no update is ever lost.
        ``keep_reads``: see :func:`begin_write` (the workspace's clock is read again all the same).
        """
        session = self.session
        begin_write(session, keep_reads=keep_reads)
        self._clock = None  # read again inside the transaction, as the workspace would be
        if self._workspace is not None:
            session.expire(self._workspace)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
