"""Engine and session setup.

On SQLite: WAL, ``synchronous=NORMAL``, a ``busy_timeout`` and foreign keys on (LOADTESTING.md
§2: WAL writes are 2-3x faster with much shorter tails), and the two hooks that let
SQLAlchemy own BEGIN/SAVEPOINT so nested transactions behave the same in the app and in
the tests (CONVENTIONS.md §6: without them test data leaked). Listeners are registered on
our engine only, never on the global ``Engine`` class.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=30000",
    "PRAGMA foreign_keys=ON",
    "PRAGMA cache_size=-32000",
    "PRAGMA temp_store=MEMORY",
)


def _unicode(fold: Any) -> Any:
    return lambda value: fold(value) if isinstance(value, str) else value


def make_engine(database_url: str, **kw: Any) -> Engine:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kw)
    lock_file = None
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        lock_file = Path(f"{url.database}-writer")
    kw.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
    engine = create_engine(url, **kw)

    @event.listens_for(engine, "connect")
    def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # stop pysqlite from managing BEGIN itself
        # SQLite's own lower()/upper() (and so ILIKE) fold ASCII only: «Cấp» would never match «cấp».
        # Replace them with Python's Unicode-aware versions; PostgreSQL's already are.
        # (So never build an index on lower(...): other SQLite clients would compute it differently.)
        dbapi_conn.create_function("lower", 1, _unicode(str.lower), deterministic=True)
        dbapi_conn.create_function("upper", 1, _unicode(str.upper), deterministic=True)
        cur = dbapi_conn.cursor()
        for pragma in SQLITE_PRAGMAS:
            cur.execute(pragma)
        cur.close()

    gate = WriteGate(lock_file)

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn: Any) -> None:
        # Let SQLAlchemy own BEGIN / SAVEPOINT. Write use cases ask for IMMEDIATE so that two
        # writers queue on the lock rather than one failing on a stale snapshot; they queue on the gate
        # first (see WriteGate), in this process and then across processes.
        immediate = conn.get_execution_options().get("immediate", False)
        if immediate:
            gate.enter(conn.info)
        dbapi = conn.connection.dbapi_connection
        if not immediate:  # a deferred BEGIN takes no lock: said to SQLite directly (no events, no statement)
            try:
                dbapi.execute("BEGIN")
            except sqlite3.Error:  # (a disk error): said again through SQLAlchemy, which raises it wrapped
                conn.exec_driver_sql("BEGIN")
        else:
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")  # may time out on the lock: a wrapped OperationalError
            except BaseException:
                gate.leave(conn.info)
                raise
        conn.info["changes_at_begin"] = dbapi.total_changes  # see wrote_nothing

    # The transaction ends: the gate opens once SQLite has committed or rolled back. (The engine's own
    # "commit" event fires just before the DBAPI call, so the next writer would meet SQLite's lock still
    # held and sleep in its busy handler.) The dialect is this engine's own instance.
    dialect = engine.dialect
    dialect.do_commit = _then_leave(gate, dialect.do_commit)  # type: ignore[method-assign]
    dialect.do_rollback = _then_leave(gate, dialect.do_rollback)  # type: ignore[method-assign]
    event.listen(engine.pool, "reset", lambda _dbapi, record, _state: gate.leave(record.info))
    for name in ("checkin", "close"):  # and whatever ends it otherwise: never left held
        event.listen(engine.pool, name, lambda _dbapi, record: gate.leave(record.info))
    event.listen(engine.pool, "invalidate", lambda _dbapi, record, _exc: gate.leave(record.info))
    return engine


def wrote_nothing(session: Session) -> bool:
    """Whether the session's open transaction has written nothing, flushed or pending (known on SQLite only).

    SQLite counts the rows a connection has changed; the count at BEGIN is kept on the connection. On
    another database the answer is False (unknown), so a caller falls back to what is always safe."""
    if session.new or session.dirty or session.deleted or not session.in_transaction():
        return False
    conn = session.connection()
    before = conn.info.get("changes_at_begin")
    dbapi = conn.connection.dbapi_connection
    return before is not None and getattr(dbapi, "total_changes", None) == before


def _then_leave(gate: WriteGate, end: Any) -> Any:
    def ended(connection: Any) -> None:  # the pool's proxy of the DBAPI connection: .info is the record's
        try:
            end(connection)
        finally:
            with contextlib.suppress(NotImplementedError):  # an ad-hoc proxy (first connect) has no .info
                gate.leave(connection.info)

    return ended


class WriteGate:
    """One writer at a time, waiting on a lock, before SQLite's own lock: in this process, then across processes.

    SQLite makes a second writer poll: its busy handler sleeps 1, 2, 5 … 100 ms between tries, so
    under a steady stream of short writes an unlucky writer keeps missing the lock while others
    get in. Waiting here instead, the lock goes to a waiting thread as soon as it is released.
    Measured with bench/api.py (waitress, 8 threads, 10 users writing without pause): p95 of an
    online filing 270 → 98 ms, an acceptance 150 → 69 ms, a counter receipt 370 → 130 ms, with
    the same or slightly higher throughput (p50 rises: everyone now waits their turn).

    The writers of several processes (``sandbox run --workers N``) meet on an advisory lock of a file
    beside the database (``<database>-writer``, POSIX ``flock``). One thread of a process at a time
    waits there, so the wait is a short poll (50 µs doubling to 1 ms) instead of SQLite's 1–100 ms
    sleeps; the kernel drops the lock of a process that dies. Measured with bench/api.py (gunicorn,
    2 processes): see docs/PERFORMANCE.md. A writer that waits longer than SQLite would (30 s) goes on to
    SQLite's lock, so the gate makes nothing fail that did not fail before; without ``fcntl``
    (Windows: one process anyway) or if the file cannot be opened, SQLite's lock alone decides.
    """

    TIMEOUT_S = 30.0
    POLL_S = (0.00005, 0.001)  # first and longest pause between tries of the file lock

    def __init__(self, lock_file: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._path = lock_file if lock_file is not None and fcntl is not None else None
        self._fd: int | None = None
        self._pid = 0  # the process that opened _fd: a forked child opens its own (a shared fd shares the lock)

    def enter(self, info: dict[str, Any]) -> None:
        if info.get("write_gate"):
            return
        deadline = time.monotonic() + self.TIMEOUT_S
        if not self._lock.acquire(timeout=self.TIMEOUT_S):
            return
        info["write_gate"] = True
        fd = self._file()
        if fd is None:
            return
        pause = self.POLL_S[0]
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return
                time.sleep(pause)
                pause = min(pause * 2, self.POLL_S[1])
            except OSError:
                return
            else:
                info["write_gate_file"] = fd
                return

    def leave(self, info: dict[str, Any]) -> None:
        fd = info.pop("write_gate_file", None)
        if fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
        if info.pop("write_gate", False):
            self._lock.release()

    def _file(self) -> int | None:
        if self._path is None:
            return None
        if self._fd is None or self._pid != os.getpid():
            if self._fd is not None:  # the parent's, inherited by a fork: shares its lock, so never used here
                with contextlib.suppress(OSError):
                    os.close(self._fd)
                self._fd = None
            try:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                self._path = None
                return None
            self._pid = os.getpid()
        return self._fd


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
