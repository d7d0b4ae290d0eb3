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

from sqlalchemy import Connection, Table, insert


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
