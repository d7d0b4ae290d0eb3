"""The officer as they are now, read with their workspace's clock in one statement."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from sandbox.services.auth import current_officer, current_officer_in
from sandbox.store.models import Officer, Workspace


def test_the_officer_and_the_clock_as_the_database_has_them_and_a_locked_officer_is_nobody(
    db: Session, officer: Callable[[str], Officer]
) -> None:
    desk = officer("motcua")
    ws = db.get(Workspace, "demo")
    actor, clock = current_officer_in(db, desk.id, "demo")
    assert actor == current_officer(db, desk.id) and actor is not None and actor.role is desk.role
    assert clock == ws.clock  # the workspace's own clock
    desk.active = False
    db.flush()
    actor, clock = current_officer_in(db, desk.id, "demo")
    assert actor is None and clock == ws.clock  # locked: nobody, but the workspace is still there
    desk.active = True
    db.flush()
    actor, clock = current_officer_in(db, desk.id, "no-such-workspace")
    assert actor == current_officer(db, desk.id) and clock is None  # the use case will say the workspace is missing
    assert current_officer_in(db, 10**9, "demo")[0] is None
