"""The Alembic migrations are the schema's source: upgrading an empty database gives exactly the models."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from sandbox.store import schema
from sandbox.store.base import Base
from sandbox.store.session import make_engine


def test_migrations_match_the_models(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    schema.upgrade(engine)
    assert schema.current_revision(engine) == schema.head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    engine.dispose()


def test_upgrading_an_older_database_keeps_its_rows(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import text

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = schema.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO workspaces (id, name, kind, profile, seed, clock_virtual, clock_real, "
                          "clock_frozen, created_at) VALUES ('demo', 'Cũ', 'demo', 'tiny', 1, '2026-11-23 08:30:00', "
                          "'2026-11-23 08:30:00', 1, '2026-11-23 08:30:00')"))  # fmt: skip
    schema.upgrade(engine)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT name, setup_event_id, briefing, hints_used FROM workspaces")).one()
    assert tuple(row) == ("Cũ", 0, "{}", "[]")
    engine.dispose()
