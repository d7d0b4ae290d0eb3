"""A filing holds SQLite's write lock for its writes only; what it read before is kept only if nothing was written.

These run on a copy of the test world with a real session (as the app has one), not in the suite's
SAVEPOINT: a transaction that is already writing, as a test's is, never keeps its reads.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from sandbox.config import Settings
from sandbox.domain.vocabulary import State
from sandbox.seeding.world import DEMO_WORKSPACE
from sandbox.services import intake
from sandbox.services.auth import citizen_actor
from sandbox.services.context import ServiceContext, begin_write
from sandbox.store.models import Citizen, Dossier, Event, Procedure
from sandbox.store.session import make_engine, make_session_factory, wrote_nothing
from tests.conftest import WORLD_NOW


@pytest.fixture
def copy(engine: Engine, settings: Settings, tmp_path: Path) -> Iterator[Engine]:
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite":
        pytest.skip("SQLite's write lock and change counter")
    with contextlib.closing(sqlite3.connect(url.database)) as src, \
            contextlib.closing(sqlite3.connect(tmp_path / "copy.db")) as dst:  # fmt: skip
        src.backup(dst)
    eng = make_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    yield eng
    eng.dispose()


def _statements_under_the_lock(eng: Engine) -> list[str]:
    seen: list[str] = []
    inside = [False]

    @event.listens_for(eng, "before_cursor_execute")
    def _watch(_conn, _cur, statement: str, *_args) -> None:  # noqa: ANN001
        if statement.startswith("BEGIN IMMEDIATE"):
            inside[0] = True
        elif inside[0]:
            words = statement.replace("\n", " ").split()
            at = {"INSERT": 2, "UPDATE": 1, "DELETE": 2}.get(words[0])
            seen.append(f"{words[0]} {words[at] if at else words[words.index('FROM') + 1]}")

    @event.listens_for(eng, "commit")
    def _done(_conn) -> None:  # noqa: ANN001
        inside[0] = False

    return seen


def test_an_online_filing_reads_the_catalogue_and_agencies_before_it_takes_the_write_lock(copy: Engine) -> None:
    session = make_session_factory(copy)()
    citizen = session.scalars(select(Citizen).order_by(Citizen.id)).first()
    procedure = session.scalars(select(Procedure).where(Procedure.code == "1.005442")).one()
    ctx = ServiceContext(session, DEMO_WORKSPACE, citizen_actor(citizen), real_time=lambda: WORLD_NOW)
    under_lock = _statements_under_the_lock(copy)

    dossier = intake.submit_online(ctx, procedure.code, form_data={"ly_do": "Bị mất"}, documents=["TP1"])

    address = citizen.full_address
    tables = {s.split()[-1].strip('"') for s in under_lock}
    assert not tables & {"procedures", "procedure_documents", "agencies", "communes", "provinces", "citizens"}, under_lock
    assert {"dossiers", "dossier_documents", "events"} <= tables
    assert "process_definitions" in tables  # the unit's process, which can change, is read under the lock
    session.close()
    with Session(copy) as fresh:  # what was kept from before the lock is what a fresh read gives
        stored = fresh.scalars(select(Dossier).where(Dossier.code == dossier.code)).one()
        assert stored.state is State.NEW and stored.applicant_address == address
        assert (stored.procedure.code, [d.doc_code for d in stored.documents]) == (procedure.code, ["TP1"])
        assert fresh.scalars(select(Event.action).where(Event.dossier_id == stored.id)).all() == ["submit_online"]


@pytest.fixture
def table(tmp_path: Path) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{tmp_path / 'kept.db'}")
    with eng.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT)")
        conn.exec_driver_sql("INSERT INTO t (who) VALUES ('seeded')")
    yield eng
    eng.dispose()


def test_reads_are_kept_only_when_nothing_was_written(copy: Engine) -> None:
    factory = make_session_factory(copy)
    with factory() as s:  # read only: the objects stay loaded into the write transaction
        p = s.scalars(select(Procedure).order_by(Procedure.id)).first()
        assert wrote_nothing(s)
        begin_write(s, keep_reads=True)
        assert not inspect(p).expired
        s.rollback()
    with factory() as s:  # without keep_reads they are read again under the lock, as always
        p = s.scalars(select(Procedure).order_by(Procedure.id)).first()
        begin_write(s)
        assert inspect(p).expired
        s.rollback()


def test_a_write_made_before_is_rolled_back_never_committed_by_keep_reads(table: Engine) -> None:
    factory = make_session_factory(table)
    with factory() as s:  # flushed but not committed
        s.execute(text("INSERT INTO t (who) VALUES ('stray')"))
        assert not wrote_nothing(s)
        begin_write(s, keep_reads=True)
        s.execute(text("INSERT INTO t (who) VALUES ('use case')"))
        s.commit()
    with table.connect() as conn:
        assert [r[0] for r in conn.execute(text("SELECT who FROM t ORDER BY id"))] == ["seeded", "use case"]


def test_a_pending_change_counts_as_a_write(copy: Engine) -> None:
    with make_session_factory(copy)() as s:
        p = s.scalars(select(Procedure).order_by(Procedure.id)).first()
        name = p.name
        p.name = "đổi tên mà chưa ghi"
        assert not wrote_nothing(s)
        begin_write(s, keep_reads=True)
        assert p.name == name  # rolled back, read again: the stray change is gone
        s.rollback()


# --------------------------------------------------------------------------- actions on a dossier


def _desk_ctx(session: Session) -> tuple[ServiceContext, Dossier]:
    from sandbox.services.auth import officer_actor
    from sandbox.store.models import Officer

    desk = session.scalars(select(Officer).where(Officer.username == "motcua")).one()
    dossier = session.scalars(select(Dossier).where(Dossier.workspace_id == DEMO_WORKSPACE, Dossier.state == State.NEW,
                                                    Dossier.receiving_agency_id == desk.agency_id)).first()  # fmt: skip
    assert dossier is not None
    return ServiceContext(session, DEMO_WORKSPACE, officer_actor(desk), real_time=lambda: WORLD_NOW), dossier


def test_an_action_is_decided_before_the_lock_and_written_under_it(copy: Engine) -> None:
    session = make_session_factory(copy)()
    ctx, dossier = _desk_ctx(session)
    code, version = dossier.code, dossier.version
    session.commit()
    under_lock = _statements_under_the_lock(copy)

    accepted = intake.accept(ctx, code)

    # under the lock: the clock and the version, to see that nothing moved, then the writes (no decision read)
    assert under_lock[:3] == ["SELECT workspaces", "SELECT dossiers", "UPDATE dossiers"], under_lock
    assert "SELECT dossier_documents" not in under_lock  # the receipt's documents were read with the decision
    session.close()
    with Session(copy) as fresh:
        stored = fresh.scalars(select(Dossier).where(Dossier.code == code)).one()
        assert (stored.state, stored.version) == (State.RECEIVED, version + 1) == (accepted.state, accepted.version)
        assert fresh.scalars(select(Event.action).where(Event.dossier_id == stored.id)).all()[-1] == "accept"


def _meanwhile(monkeypatch: pytest.MonkeyPatch, then: Callable[[], None]) -> list[bool]:
    """Run ``then`` (another connection's work) right after the first decision taken before the lock; the
    ``locked`` flag of every decision taken is recorded in the list returned."""
    from sandbox.services import dossiers

    real_decide = dossiers._decide
    calls: list[bool] = []

    def decide(*args, locked: bool, **kw):  # noqa: ANN002, ANN003
        calls.append(locked)
        decision = real_decide(*args, locked=locked, **kw)
        if calls == [False]:
            then()
        return decision

    monkeypatch.setattr(dossiers, "_decide", decide)
    return calls


def test_a_dossier_moved_between_the_decision_and_the_lock_is_decided_again_under_the_lock(
    copy: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sandbox.domain.errors import TransitionRefused

    session = make_session_factory(copy)()
    ctx, dossier = _desk_ctx(session)
    code = dossier.code
    session.commit()

    def another_desk_refuses() -> None:
        with make_session_factory(copy)() as other:
            other_ctx, _ = _desk_ctx(other)
            intake.refuse(other_ctx, code, reason="Hồ sơ không thuộc thẩm quyền tiếp nhận.")

    calls = _meanwhile(monkeypatch, another_desk_refuses)
    with pytest.raises(TransitionRefused):  # decided again on the refused dossier: it cannot be accepted now
        intake.accept(ctx, code)
    assert calls == [False, False, True]  # ours, the other desk's, ours again under the lock
    session.close()
    with Session(copy) as fresh:
        stored = fresh.scalars(select(Dossier).where(Dossier.code == code)).one()
        actions = fresh.scalars(select(Event.action).where(Event.dossier_id == stored.id)).all()
        assert stored.state is State.NOT_RECEIVED and "accept" not in actions


def test_a_copy_held_from_an_earlier_transaction_is_read_again_before_deciding(copy: Engine) -> None:
    """An old copy in the session (objects outlive their transaction) must not refuse what the row allows."""
    from sandbox.services import processing

    session = make_session_factory(copy)()
    ctx, dossier = _desk_ctx(session)
    code = dossier.code
    session.commit()  # the copy stays loaded at version 1
    with make_session_factory(copy)() as other:
        other_ctx, _ = _desk_ctx(other)
        assert intake.accept(other_ctx, code).version == 2
    forwarded = processing.forward(ctx, code, expected_version=2)  # what the officer sees now
    assert (forwarded.state, forwarded.version) == (State.AWAITING_ASSIGNMENT, 3)
    session.close()


def test_a_clock_moved_between_the_decision_and_the_lock_is_decided_again(
    copy: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sandbox.training.workspaces import advance_clock

    session = make_session_factory(copy)()
    ctx, dossier = _desk_ctx(session)
    code = dossier.code
    session.commit()

    def the_trainer_moves_the_clock() -> None:
        with make_session_factory(copy)() as other:
            advance_clock(other, DEMO_WORKSPACE, 3)

    calls = _meanwhile(monkeypatch, the_trainer_moves_the_clock)
    before = ctx.now()
    accepted = intake.accept(ctx, code)
    assert calls == [False, True]
    assert accepted.received_at > before  # stamped on the clock as it is now, three working days on
    session.close()
