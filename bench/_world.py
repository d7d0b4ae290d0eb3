"""A world for benchmarks, and a session that leaves nothing behind.

Without ``DATABASE_URL``: a fresh world in a temporary folder (built before timing, removed at exit).
With it: the named database, inside one outer transaction rolled back at the end, so benchmark
workspaces never stay in a real world and a second run does not collide with the first.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from sandbox.paths import SEED_DIR
from sandbox.seeding.world import build_world, world_exists
from sandbox.store.session import make_engine


def bench_engine(profile: str) -> tuple[Engine, Path | None]:
    """The engine and, for a fresh SQLite world, its file (so a benchmark can copy it)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        engine = make_engine(url)
        if not world_exists(engine):
            raise SystemExit("DATABASE_URL has no world; run `sandbox seed` first")
        return engine, None
    folder = Path(tempfile.mkdtemp(prefix="sandbox-bench-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "bench.db"
    engine = make_engine(f"sqlite:///{path}")
    atexit.register(engine.dispose)  # registered last, runs first: close connections, then remove the folder
    build_world(engine, profile=profile, seed=2026, seed_dir=SEED_DIR, progress=False)
    with engine.connect() as conn:  # fold the WAL into the file, so the file is the whole world
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return engine, path


@contextmanager
def scratch_session(engine: Engine) -> Iterator[Session]:
    """A session whose commits go to savepoints of one outer transaction, rolled back at the end."""
    with engine.connect() as conn:
        outer = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            yield session
        finally:
            session.close()
            outer.rollback()
