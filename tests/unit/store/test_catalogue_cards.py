"""The per-process catalogue cards say what the procedures in the database say, and are read again when told."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, event, select, update
from sqlalchemy.orm import Session

from sandbox.store import catalogue
from sandbox.store.models import Dossier, Procedure


def test_every_card_matches_its_procedure(db: Session) -> None:
    procedures = db.scalars(select(Procedure)).all()
    assert procedures
    for p in procedures:
        card = catalogue.procedure_card(db, p.id)
        assert (card.code, card.name, card.facts) == (p.code, p.name, p.facts())
        assert list(card.document_names.items()) == [(d.code, d.name) for d in p.documents]
        assert catalogue.procedure_card_by_code(db, p.code) is card
    assert catalogue.procedure_card_by_code(db, "9.999999") is None


def test_a_dossier_reads_its_card_without_a_query(db: Session, engine: Engine) -> None:
    dossier = db.scalars(select(Dossier).limit(1)).one()
    catalogue.procedure_card(db, dossier.procedure_id)  # the process reads the catalogue once
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        card = dossier.card
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert statements == []
    assert (card.code, card.name) == (dossier.procedure.code, dossier.procedure.name)


def test_the_cards_are_read_again_after_the_seeder_rewrites_the_catalogue(db: Session, engine: Engine) -> None:
    p = db.scalars(select(Procedure).order_by(Procedure.id).limit(1)).one()
    old = p.name
    assert catalogue.procedure_card(db, p.id).name == old
    try:
        db.execute(update(Procedure).where(Procedure.id == p.id).values(name="Thủ tục đã đổi tên"))
        assert catalogue.procedure_card(db, p.id).name == old  # a copy: no query per read
        catalogue.forget(engine)
        assert catalogue.procedure_card(db, p.id).name == "Thủ tục đã đổi tên"
    finally:
        db.execute(update(Procedure).where(Procedure.id == p.id).values(name=old))
        catalogue.forget(engine)


def test_an_unknown_procedure_is_a_lookup_error(db: Session) -> None:
    with pytest.raises(LookupError):
        catalogue.procedure_card(db, 10**9)
