"""Writers in one process queue on the write gate before SQLite's lock; nothing ever leaves it held."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from sandbox.services.context import begin_write
from sandbox.store.session import make_engine


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
