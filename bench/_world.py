"""A world for benchmarks: a fresh one in a temporary folder (not timed), or the one DATABASE_URL names."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from sqlalchemy import Engine

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
    path = Path(tempfile.mkdtemp(prefix="sandbox-bench-")) / "bench.db"
    engine = make_engine(f"sqlite:///{path}")
    build_world(engine, profile=profile, seed=2026, seed_dir=SEED_DIR, progress=False)
    with engine.connect() as conn:  # fold the WAL into the file, so the file is the whole world
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return engine, path
