"""Hệ thống điều phối: the officer's work per sector system, each row leading into that system's queue;
the queue searched by procedure name."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sandbox.domain.vocabulary import Sector
from sandbox.services.coordination import work_by_sector
from sandbox.services.listing import list_dossiers
from sandbox.store.models import Dossier, Procedure
from tests.conftest import sign_in


@pytest.fixture
def desk(client: FlaskClient) -> FlaskClient:
    sign_in(client, "motcua")
    return client


def test_the_sector_rows_add_up_to_what_the_desk_sees(ctx_for, db: Session) -> None:
    ctx = ctx_for("motcua")
    rows = work_by_sector(ctx)
    assert [r.sector for r in rows] == list(Sector)
    assert sum(r.total for r in rows) == list_dossiers(ctx, per_page=1).total
    assert sum(r.waiting for r in rows) == list_dossiers(ctx, queue=True, per_page=1).total
    assert sum(r.overdue for r in rows) == list_dossiers(ctx, queue=True, overdue=True, per_page=1).total
    for r in rows:  # each row is exactly what the sector's queue lists
        assert r.total == list_dossiers(ctx, sector=r.sector, per_page=1).total
        assert r.waiting == list_dossiers(ctx, sector=r.sector, queue=True, per_page=1).total
        assert r.overdue <= r.waiting and r.due_soon <= r.waiting
    assert sum(r.total for r in rows) > 0 and len([r for r in rows if r.total]) >= 2


def test_the_page_links_each_system_to_its_queue(desk: FlaskClient, ctx_for) -> None:
    html = desk.get("/motcua/dieu-phoi").get_data(as_text=True)
    assert "Hệ thống điều phối" in html
    for sector in Sector:
        assert f"Ngành {sector.label}" in html and f"linh_vuc={sector.value}" in html
    busiest = max(work_by_sector(ctx_for("motcua")), key=lambda r: r.total)
    queue = desk.get(f"/motcua/?linh_vuc={busiest.sector.value}&xem=tat-ca").get_data(as_text=True)
    assert f"ngành <strong>{busiest.sector.label}</strong>" in queue
    assert 'Tất cả <span class="badge">' in queue and queue.count("<tr class=") == min(busiest.total, 20)


def test_an_unknown_sector_is_a_clear_400(desk: FlaskClient) -> None:
    resp = desk.get("/motcua/?linh_vuc=yte")
    assert resp.status_code in (400, 422) and "Hệ thống ngành «yte» không tồn tại" in resp.get_data(as_text=True)


def test_the_queue_finds_dossiers_by_procedure_name_or_code(ctx_for, db: Session) -> None:
    ctx = ctx_for("motcua")
    code, name = db.execute(select(Procedure.code, Procedure.name).join(Dossier, Dossier.procedure_id == Procedure.id)
                            .where(Dossier.code.like("000.00.20.H37-%")).limit(1)).one()  # fmt: skip
    by_name = list_dossiers(ctx, q=name[5:40], per_page=200)
    by_code = list_dossiers(ctx, q=code, per_page=200)
    assert by_code.total >= 1 and all(d.procedure.code == code for d in by_code.items)
    assert {d.id for d in by_code.items} <= {d.id for d in by_name.items}


def test_search_ignores_the_case_and_the_unicode_form_of_vietnamese_letters(ctx_for, db: Session) -> None:
    import unicodedata

    ctx = ctx_for("motcua")
    name = db.scalar(select(Dossier.applicant_name).where(Dossier.code.like("000.00.20.H37-%")).limit(1))
    exact = list_dossiers(ctx, q=name, per_page=200)
    assert exact.total >= 1
    for typed in (name.lower(), name.upper(), unicodedata.normalize("NFD", name)):
        assert {d.id for d in list_dossiers(ctx, q=typed, per_page=200).items} == {d.id for d in exact.items}, typed


def test_search_by_a_full_id_number_finds_that_applicants_dossiers_only(ctx_for, db: Session) -> None:
    ctx = ctx_for("motcua")
    number = db.scalar(select(Dossier.applicant_id_number).where(Dossier.code.like("000.00.20.H37-%")).limit(1))
    found = list_dossiers(ctx, q=number, per_page=200)
    assert found.total >= 1 and {d.applicant_id_number for d in found.items} == {number}
    expected = db.scalar(select(func.count()).select_from(Dossier).where(
        Dossier.applicant_id_number == number, Dossier.receiving_agency_id == ctx.actor.agency_id,
        Dossier.workspace_id == ctx.workspace_id))  # fmt: skip
    assert found.total == expected
    # a part of a code (8 digits at most) still searches codes: "260101" finds the dossiers received that day
    day = db.scalar(select(Dossier.code).where(Dossier.code.like("000.00.20.H37-%")).limit(1)).split("-")[1]
    assert list_dossiers(ctx, q=day, per_page=5).total >= 1
