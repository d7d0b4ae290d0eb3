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


def test_every_page_says_the_same_total_as_counting_the_whole_list(ctx_for: Callable[[str], ServiceContext]) -> None:
    """A page that is not full gives the total without a count; it must be the count all the same."""
    desk = ctx_for("motcua")
    for queue in (True, False):
        everything = listing.list_dossiers(desk, queue=queue, per_page=200, rows=True)
        n = len(everything.items)
        assert 0 < n < 200  # the tiny world: one page holds them all
        for per_page in (1, 7, n - 1, n, n + 1):
            for page in range(1, n // per_page + 3):  # up to a page past the last
                got = listing.list_dossiers(desk, queue=queue, per_page=per_page, page=page, rows=True)
                assert got.total == n, (queue, per_page, page)
                assert [r.code for r in got.items] == [r.code for r in everything.items][(page - 1) * per_page:][:per_page]
    assert listing.list_dossiers(desk, q="không-có-hồ-sơ-nào").total == 0
