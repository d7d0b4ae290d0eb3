"""A work queue holds the states in which the role has the next step; a role with none has an empty queue."""

from __future__ import annotations

import warnings
from collections.abc import Callable

from sandbox.domain.vocabulary import Role
from sandbox.services import listing
from sandbox.services.context import ServiceContext


def test_the_administrator_has_no_work_queue_but_sees_the_units_dossiers(
    ctx_for: Callable[[str], ServiceContext],
) -> None:
    admin = ctx_for("quantri")
    assert admin.actor.role is Role.ADMIN and listing.states_for_role(Role.ADMIN) == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an empty or_() is deprecated by SQLAlchemy (and matched everything)
        for rows in (False, True):
            assert listing.list_dossiers(admin, queue=True, rows=rows).total == 0
    assert listing.list_dossiers(admin).total > 0


def test_the_desk_queue_holds_only_the_desks_states(ctx_for: Callable[[str], ServiceContext]) -> None:
    desk = ctx_for("motcua")
    page = listing.list_dossiers(desk, queue=True, per_page=200, rows=True)
    assert page.total > 0 and {r.state for r in page.items} <= set(listing.states_for_role(Role.DESK))
    assert page.total < listing.list_dossiers(desk).total
