"""The procedure catalogue as the public sees it: search by name or code, filter by sector and level."""

from __future__ import annotations

import unicodedata

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sandbox.domain.errors import InvalidInput
from sandbox.domain.vocabulary import CompetentLevel, Sector
from sandbox.store.models import Procedure


def search_procedures(session: Session, *, sector: Sector | None = None, level: CompetentLevel | None = None,
                      q: str | None = None) -> list[Procedure]:  # fmt: skip
    """Procedures matching every given filter, by sector then code. ``q`` matches a code exactly or any part
    of a name, whatever the case or Unicode form of its Vietnamese letters."""
    stmt = select(Procedure).order_by(Procedure.sector_id, Procedure.code)
    if sector is not None:
        stmt = stmt.where(Procedure.sector_id == sector)
    if level is not None:
        stmt = stmt.where(Procedure.level == level)
    if q and (needle := unicodedata.normalize("NFC", q.strip())):
        if len(needle) > 100:
            raise InvalidInput("Từ khóa tìm kiếm quá dài (tối đa 100 ký tự).", field="q")
        stmt = stmt.where(or_(Procedure.name.ilike(f"%{needle}%"), Procedure.code == needle))
    return list(session.scalars(stmt))
