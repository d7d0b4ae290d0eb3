"""What a dossier read needs of its procedure, kept once per process: the catalogue never changes at run time.

Loading a dossier with its procedure joined, and the procedure's documents after it, cost 330 µs of
the 420 µs of a dossier look-up in SQLAlchemy (measured: ``bench/api.py``, docs/PERFORMANCE.md). Procedures
are reference data, written only by the seeder, so each process reads the whole catalogue (two
queries, about a millisecond) and answers from memory. The seeder's own process drops its copy when
the new world is committed (:func:`forget`); a server that another process reseeds under its feet
reads the catalogue again within :data:`MAX_AGE_S`, and at once when asked for a procedure it does not
know (at most once a second, so a stream of wrong codes costs no more than it did before the cards).

The cards are immutable values, never ORM objects: a shared ORM instance would be attached to one
session by a cascade and then refused by every other thread's session. Pages that need more of a
procedure (its eForm, its result template) still load it through ``Dossier.procedure``.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from sandbox.domain.lifecycle import ProcedureFacts
from sandbox.domain.vocabulary import CopyType
from sandbox.store.models.catalogue import Procedure, ProcedureDocument


@dataclass(frozen=True, slots=True)
class DocumentCard:
    """One document of a procedure's dossier (thành phần hồ sơ), as a dossier's page lists it."""

    code: str
    name: str
    copy_type: CopyType
    required: bool
    digitize: bool


@dataclass(frozen=True, slots=True)
class ProcedureCard:
    id: int
    code: str
    name: str
    facts: ProcedureFacts
    documents: tuple[DocumentCard, ...] = ()  # in the procedure's order

    @property
    def document_names(self) -> Mapping[str, str]:
        """Code -> name, in the procedure's order."""
        return {d.code: d.name for d in self.documents}

    @classmethod
    def of(cls, p: Procedure) -> ProcedureCard:
        return cls(p.id, p.code, p.name, p.facts(), tuple(_document_card(d) for d in p.documents))


def _document_card(d: Any) -> DocumentCard:
    return DocumentCard(d.code, d.name, d.copy_type, d.required, d.digitize)


MAX_AGE_S = 10.0
RETRY_AFTER_S = 1.0


@dataclass(frozen=True, slots=True)
class _Catalogue:
    by_id: Mapping[int, ProcedureCard]
    by_code: Mapping[str, ProcedureCard]
    loaded_at: float = field(default_factory=time.monotonic)

    def age(self) -> float:
        return time.monotonic() - self.loaded_at


_catalogues: weakref.WeakKeyDictionary[Engine, _Catalogue] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _engine_of(session: Session) -> Engine:
    bind: Any = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine  # a session bound to a connection (tests)


def _catalogue(session: Session, *, missed: bool = False) -> _Catalogue:
    """This process's copy of the catalogue, read again when old, or when it ``missed`` a procedure."""
    engine = _engine_of(session)
    catalogue = _catalogues.get(engine)
    if catalogue is None or catalogue.age() > MAX_AGE_S or (missed and catalogue.age() > RETRY_AFTER_S):
        catalogue = _load(session)
        with _lock:
            _catalogues[engine] = catalogue
    return catalogue


def procedure_card(session: Session, procedure_id: int) -> ProcedureCard:
    """The card of procedure ``procedure_id`` (:class:`LookupError` if the catalogue has no such procedure)."""
    card = _catalogue(session).by_id.get(procedure_id)
    if card is None:  # perhaps seeded after this process read the catalogue
        card = _catalogue(session, missed=True).by_id.get(procedure_id)
    if card is None:
        raise LookupError(f"procedure {procedure_id} is not in the catalogue")
    return card


def procedure_card_by_code(session: Session, code: str) -> ProcedureCard | None:
    """The card of the procedure with national code ``code``, or None."""
    card = _catalogue(session).by_code.get(code)
    return card if card is not None else _catalogue(session, missed=True).by_code.get(code)


def forget(bind: Engine | Session) -> None:
    """Drop this process's copy of the catalogue of ``bind``'s database (the seeder has rewritten it)."""
    engine = _engine_of(bind) if isinstance(bind, Session) else bind
    with _lock:
        _catalogues.pop(engine, None)


def _load(session: Session) -> _Catalogue:
    documents: dict[int, list[DocumentCard]] = {}
    columns = (ProcedureDocument.procedure_id, ProcedureDocument.code, ProcedureDocument.name,
               ProcedureDocument.copy_type, ProcedureDocument.required, ProcedureDocument.digitize)  # fmt: skip
    rows = session.execute(select(*columns).order_by(ProcedureDocument.procedure_id, ProcedureDocument.position))
    for row in rows:
        documents.setdefault(row.procedure_id, []).append(_document_card(row))
    cards = {}
    columns = (Procedure.id, Procedure.code, Procedure.name, Procedure.deadline_days, Procedure.fee,
               Procedure.payment_required)  # fmt: skip
    for pid, code, name, deadline_days, fee, payment_required in session.execute(select(*columns)):
        docs = tuple(documents.get(pid, ()))
        facts = ProcedureFacts(code=code, deadline_days=deadline_days, fee=fee, payment_required=payment_required,
                               document_codes=tuple(d.code for d in docs))  # fmt: skip
        cards[pid] = ProcedureCard(pid, code, name, facts, docs)
    return _Catalogue(MappingProxyType(cards), MappingProxyType({c.code: c for c in cards.values()}))
