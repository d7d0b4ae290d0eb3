"""Create or upgrade the database schema with Alembic (the migrations are the schema's source)."""

from __future__ import annotations

import contextlib

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Integer, text

from sandbox.paths import PACKAGE_DIR
from sandbox.store.base import Base

MIGRATIONS = PACKAGE_DIR / "store" / "migrations"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (creates every table on an empty database)."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def refresh_statistics(engine: Engine) -> None:
    """Give the query planner the shape of the data (run after a bulk load, and when the server starts).

    Without statistics SQLite prefers an index that avoids a sort: on the 200,000-dossier world, a
    search by CCCD walked the whole workspace in id order (153 ms) instead of the applicant-number
    index (0.09 ms). ``analysis_limit`` samples each index, so this takes milliseconds even there.
    """
    import sqlite3

    from sqlalchemy.exc import OperationalError

    if engine.dialect.name == "sqlite" and sqlite3.sqlite_version_info < (3, 32):
        return  # no analysis_limit before 3.32: a full ANALYZE of a large world at every start is not worth it
    with contextlib.suppress(OperationalError), engine.begin() as conn:  # busy elsewhere: the next start does it
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA analysis_limit=1000")
            conn.exec_driver_sql("ANALYZE")
        else:  # our tables only: the database may be shared
            for table in Base.metadata.sorted_tables:
                conn.exec_driver_sql(f'ANALYZE "{table.name}"')


def sync_sequences(conn: Connection) -> None:
    """After a bulk load with explicit ids, move PostgreSQL's serial sequences past the highest id.

    SQLite needs nothing (its rowid follows the table's maximum); other dialects are untouched.
    """
    if conn.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and isinstance(pk[0].type, Integer) and pk[0].autoincrement in (True, "auto"):
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                    f"COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"
                )
            )
