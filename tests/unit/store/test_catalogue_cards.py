"""The per-process catalogue cards say what the procedures in the database say, and are read again when told."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, event, select, update
from sqlalchemy.orm import Session

from sandbox.store import catalogue
from sandbox.store.catalogue import ProcedureCard
from sandbox.store.models import Dossier, Procedure


def test_every_card_matches_its_procedure(db: Session) -> None:
    procedures = db.scalars(select(Procedure)).all()
    assert procedures
    for p in procedures:
        card = catalogue.procedure_card(db, p.id)
        assert (card.code, card.name, card.facts) == (p.code, p.name, p.facts())
        assert list(card.document_names.items()) == [(d.code, d.name) for d in p.documents]
        assert [(d.code, d.name, d.copy_type, d.required, d.digitize) for d in card.documents] == [
            (d.code, d.name, d.copy_type, d.required, d.digitize) for d in p.documents
        ]  # what a dossier's page lists, in the procedure's order
        assert card == ProcedureCard.of(p)
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


def test_an_old_copy_is_read_again(db: Session, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process may reseed the world under a running server: its copy is read again when old."""
    p = db.scalars(select(Procedure).order_by(Procedure.id).limit(1)).one()
    old = p.name
    catalogue.procedure_card(db, p.id)
    try:
        db.execute(update(Procedure).where(Procedure.id == p.id).values(name="Tên mới sau khi tạo lại thế giới"))
        monkeypatch.setattr(catalogue, "MAX_AGE_S", 0.0)
        assert catalogue.procedure_card(db, p.id).name == "Tên mới sau khi tạo lại thế giới"
    finally:
        db.execute(update(Procedure).where(Procedure.id == p.id).values(name=old))
        catalogue.forget(engine)


def test_an_unknown_code_makes_it_look_again_at_most_once_a_second(
    db: Session, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = db.scalars(select(Procedure).order_by(Procedure.id.desc()).limit(1)).one()
    catalogue.forget(engine)
    catalogue.procedure_card(db, p.id)  # a copy read just now
    reads: list[int] = []
    real_load = catalogue._load
    monkeypatch.setattr(catalogue, "_load", lambda session: reads.append(1) or real_load(session))
    try:
        db.execute(update(Procedure).where(Procedure.id == p.id).values(code="9.999998"))
        assert catalogue.procedure_card_by_code(db, "9.999998") is None  # read less than a second ago
        assert reads == []
        monkeypatch.setattr(catalogue, "RETRY_AFTER_S", 0.0)
        assert catalogue.procedure_card_by_code(db, "9.999998").id == p.id
        assert reads == [1]
    finally:
        db.execute(update(Procedure).where(Procedure.id == p.id).values(code=p.code))
        catalogue.forget(engine)


def test_a_procedure_is_found_by_its_code_even_if_the_copy_has_other_ids(db: Session, engine: Engine, ctx_for) -> None:
    """Reseeded under a running server with ids in another order: the dossier gets the procedure it names."""
    from sandbox.services import routing

    a, b = db.scalars(select(Procedure).order_by(Procedure.id).limit(2)).all()
    code_a, code_b = a.code, b.code
    catalogue.procedure_card(db, a.id)  # this process's copy: code_a -> a.id
    try:
        db.execute(update(Procedure).where(Procedure.id == a.id).values(code="9.999997"))
        db.execute(update(Procedure).where(Procedure.id == b.id).values(code=code_a))
        db.execute(update(Procedure).where(Procedure.id == a.id).values(code=code_b))
        db.expire_all()
        got = routing.get_procedure(ctx_for("motcua"), code_a)
        assert (got.id, got.code) == (b.id, code_a)
    finally:
        db.execute(update(Procedure).where(Procedure.id == a.id).values(code="9.999997"))
        db.execute(update(Procedure).where(Procedure.id == b.id).values(code=code_b))
        db.execute(update(Procedure).where(Procedure.id == a.id).values(code=code_a))
        db.expire_all()
        catalogue.forget(engine)
