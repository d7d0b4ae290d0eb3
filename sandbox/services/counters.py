"""Named sequences (dossier codes per agency and day, result numbers per agency and year).

Taken with one atomic ``INSERT … ON CONFLICT DO UPDATE … RETURNING``, so two first-of-the-day
dossiers, or two clerks numbering results at once, never get the same number on SQLite or
PostgreSQL. The rows live in ``dossier_counters`` (``scope`` is the agency code for dossier
codes, ``KQ:<agency code>`` for result numbers, dated the 1st of January).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sandbox.store.models import DossierCounter


def result_scope(agency_code: str) -> str:
    return f"KQ:{agency_code}"


def result_number(n: int, year: int, agency_code: str) -> str:
    """The number a clerk gives a result: ``12/2026/<agency code>``."""
    return f"{n}/{year}/{agency_code}"


def next_value(session: Session, *, workspace_id: str, scope: str, day: date) -> int:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = DossierCounter.__table__
    stmt = (
        insert(table)
        .values(workspace_id=workspace_id, agency_code=scope, day=day, last_seq=1)
        .on_conflict_do_update(
            index_elements=[table.c.workspace_id, table.c.agency_code, table.c.day],
            set_={"last_seq": table.c.last_seq + 1},
        )
        .returning(table.c.last_seq)
    )
    return int(session.execute(stmt).scalar_one())
