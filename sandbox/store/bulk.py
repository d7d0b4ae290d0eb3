"""Fast bulk inserts (the seeder and the workspace builder).

``Connection.execute(insert(table), rows)`` spends most of its time building per-row
parameters (LOADTESTING.md §4: Core executemany reaches about a quarter of raw sqlite3). Here
each column's own bind processor (the same conversion SQLAlchemy applies: datetimes, JSON,
enums by value) runs once per value and the tuples go straight to the driver's executemany.
Only for drivers with positional ``qmark`` parameters (pysqlite); others use Core as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text


def bulk_insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in one executemany."""
    if not rows:
        return
    dialect = conn.dialect
    if dialect.paramstyle != "qmark":
        conn.execute(insert(table), list(rows))
        return
    keys = list(rows[0])
    processors: list[Callable[[Any], Any] | None] = [
        table.c[k].type.dialect_impl(dialect).bind_processor(dialect) for k in keys
    ]
    columns = ", ".join(dialect.identifier_preparer.quote(k) for k in keys)
    sql = f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({columns}) VALUES ({', '.join('?' * len(keys))})"
    pairs = list(zip(keys, processors, strict=True))
    params = [tuple(p(row[k]) if p is not None else row[k] for k, p in pairs) for row in rows]
    conn.exec_driver_sql(sql, params)


def reserve_ids(conn: Connection, table: Table, count: int) -> list[int]:
    """``count`` fresh primary keys for ``table``, to give rows ids before a bulk insert.

    PostgreSQL draws them from the serial sequence; SQLite continues after the current maximum,
    which is safe because writers hold the database lock (``BEGIN IMMEDIATE``) until commit.
    """
    if count <= 0:
        return []
    pk = next(iter(table.primary_key.columns))
    if conn.dialect.name == "postgresql":
        rows = conn.execute(
            text(f"SELECT nextval(pg_get_serial_sequence('{table.name}', '{pk.name}')) FROM generate_series(1, :n)"),
            {"n": count},
        )
        return [int(r[0]) for r in rows]
    start = conn.execute(select(func.coalesce(func.max(pk), 0))).scalar_one()
    return list(range(start + 1, start + 1 + count))
