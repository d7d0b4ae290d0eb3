"""Writers queue on the write gate before SQLite's lock, in one process and across processes; nothing ever leaves it
held."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from sandbox.services.context import begin_write
from sandbox.store.session import fcntl, make_engine


def _engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'gate.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT)")
    return engine


def _write(engine: Engine, who: str, *, fail: bool = False, close_only: bool = False) -> None:
    with Session(engine) as s:
        begin_write(s)
        s.execute(text("INSERT INTO t (who) VALUES (:w)"), {"w": who})
        if fail:
            raise RuntimeError("a use case failed half-way")
        if not close_only:
            s.commit()


def _quick(engine: Engine) -> float:
    started = time.monotonic()
    _write(engine, "next")
    return time.monotonic() - started


def test_a_failed_or_abandoned_write_hands_the_gate_on(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    try:
        _write(engine, "boom", fail=True)
    except RuntimeError:
        pass
    assert _quick(engine) < 1.0  # the rollback released it (it would wait 30 s otherwise)
    _write(engine, "left open", close_only=True)  # closed without commit: the pool's reset releases it
    assert _quick(engine) < 1.0
    with engine.connect() as conn:
        assert [r[0] for r in conn.execute(text("SELECT who FROM t ORDER BY id"))] == ["next", "next"]


def test_concurrent_writers_all_get_in_and_nothing_is_lost(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(25):
                _write(engine, f"{n}-{i}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 200


# --------------------------------------------------------------------------- across processes

HOLDER = """
import sys, time
from sqlalchemy.orm import Session
from sqlalchemy import text
from sandbox.services.context import begin_write
from sandbox.store.session import make_engine
engine = make_engine(sys.argv[1])
with Session(engine) as s:
    begin_write(s)
    s.execute(text("INSERT INTO t (who) VALUES ('other process')"))
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
    s.commit()
"""


@contextlib.contextmanager
def _holder(tmp_path: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holding a write transaction for ``seconds`` (killed when the block ends, whatever happens)."""
    with subprocess.Popen([sys.executable, "-c", HOLDER, f"sqlite:///{tmp_path / 'gate.db'}", str(seconds)],
                          stdout=subprocess.PIPE, text=True) as proc:  # fmt: skip
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
            yield proc
        finally:
            if proc.poll() is None:
                proc.kill()


def _file_is_locked(path: Path) -> bool:
    with path.open("a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(f, fcntl.LOCK_UN)
        return False


posix_only = pytest.mark.skipif(fcntl is None, reason="advisory file locks are POSIX")


@posix_only
def test_a_write_holds_the_file_lock_beside_the_database_until_it_commits(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    lock = tmp_path / "gate.db-writer"
    with Session(engine) as s:
        begin_write(s)
        assert _file_is_locked(lock)  # another process (here: another open file) must wait
        s.execute(text("INSERT INTO t (who) VALUES ('me')"))
        s.commit()
    assert not _file_is_locked(lock)
    with Session(engine) as s:  # reads do not take it
        s.execute(text("SELECT count(*) FROM t")).scalar()
        assert not _file_is_locked(lock)


@posix_only
def test_a_writer_of_another_process_waits_its_turn_and_both_rows_land(tmp_path: Path) -> None:
    engine = _engine(tmp_path)

    @event.listens_for(engine, "connect")
    def _impatient(dbapi_conn, _record) -> None:  # noqa: ANN001
        # SQLite alone would now give up at once («database is locked»): the wait must be the gate's
        dbapi_conn.execute("PRAGMA busy_timeout=1")

    engine.dispose()
    with _holder(tmp_path, 0.6) as proc:
        started = time.monotonic()
        _write(engine, "this process")
        waited = time.monotonic() - started
        assert proc.wait(timeout=30) == 0
    assert 0.3 < waited < 10  # it waited for the other process's commit, then got in
    with engine.connect() as conn:
        assert [r[0] for r in conn.execute(text("SELECT who FROM t ORDER BY id"))] == ["other process", "this process"]


@posix_only
def test_a_process_that_dies_holding_the_gate_does_not_block_the_others(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    with _holder(tmp_path, 600) as proc:
        assert _file_is_locked(tmp_path / "gate.db-writer")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert _quick(engine) < 5.0  # the kernel dropped its lock (and SQLite's); nothing of it was written
    with engine.connect() as conn:
        assert [r[0] for r in conn.execute(text("SELECT who FROM t"))] == ["next"]
