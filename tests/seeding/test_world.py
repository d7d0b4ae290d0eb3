"""The generated world: complete reference data, realistic people, deterministic, and histories that replay."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from sandbox.domain.identifiers import check_cccd_matches, is_valid_agency_code, validate_mobile, validate_tax_code
from sandbox.domain.lifecycle import replay
from sandbox.domain.vocabulary import OFFICER_ROLES, Sector, State
from sandbox.paths import SEED_DIR
from sandbox.seeding.providers import SURNAMES
from sandbox.seeding.reference import CatalogueError, load_catalogue
from sandbox.seeding.world import DEMO_WORKSPACE, WorldExists, build_world, world_counts
from sandbox.services.dossiers import recorded_transitions
from sandbox.store.models import Agency, Business, Citizen, Dossier, Event, Officer, Procedure
from sandbox.store.session import make_engine


def test_reference_data_is_complete(engine: Engine) -> None:
    counts = world_counts(engine)
    assert counts["provinces"] == 34 and counts["communes"] == 3321
    assert counts["procedures"] >= 40
    assert all(counts["dossiers_per_status"][str(s)] > 0 for s in range(1, 11)), counts["dossiers_per_status"]


def test_commune_kinds_and_known_units(db: Session) -> None:
    kinds = dict(db.execute(text("SELECT kind, count(*) FROM communes GROUP BY kind")).all())
    assert kinds == {"Xã": 2621, "Phường": 687, "Đặc khu": 13}
    assert db.execute(text("SELECT name FROM provinces WHERE code = '79'")).scalar() == "Thành phố Hồ Chí Minh"
    assert db.execute(text("SELECT count(*) FROM communes WHERE province_code = '79'")).scalar() == 168


def test_agencies_cover_sectors_and_centres(db: Session) -> None:
    kinds = Counter(db.scalars(select(Agency.kind)).all())
    assert kinds["ttpvhcc_tinh"] == 34 and kinds["so"] == 34 * 4
    assert kinds["ubnd_xa"] == kinds["ttpvhcc_xa"] == 3321
    assert all(is_valid_agency_code(c) for c in db.scalars(select(Agency.code)).all())
    assert set(db.scalars(select(Agency.sector_id).where(Agency.kind == "so"))) == set(Sector)


def test_catalogue_spans_sectors_levels_and_online_kinds(db: Session) -> None:
    procs = db.scalars(select(Procedure)).all()
    assert {p.sector_id for p in procs} == set(Sector)
    assert {(p.level.value, p.online.value) for p in procs} >= {("province", "toan_trinh"), ("province", "mot_phan"),
                                                                 ("commune", "toan_trinh"), ("commune", "mot_phan")}  # fmt: skip
    assert all(re.fullmatch(r"\d\.\d{6}", p.code) and p.documents for p in procs)
    assert any(p.fee > 0 and p.payment_required for p in procs) and any(p.fee == 0 for p in procs)


def test_every_officer_role_has_a_demo_login(db: Session) -> None:
    roles = set(db.scalars(select(Officer.role).where(Officer.is_demo.is_(True))))
    assert roles == set(OFFICER_ROLES)
    assert db.scalar(select(Officer.id).where(Officer.username == "motcua")) is not None


def test_people_look_real(db: Session) -> None:
    citizens = db.scalars(select(Citizen).limit(400)).all()
    for c in citizens:
        check_cccd_matches(c.cccd, c.birth_date, c.sex)
        validate_mobile(c.phone)
        surname, *middle, given = c.full_name.split()
        assert surname in SURNAMES and middle and given
    share_nguyen = sum(c.full_name.startswith("Nguyễn ") for c in citizens) / len(citizens)
    assert 0.25 < share_nguyen < 0.5
    female = [c for c in citizens if c.sex == "female"]
    assert sum(" Thị " in c.full_name for c in female) > len(female) / 4
    assert not any(" Thị " in c.full_name for c in citizens if c.sex == "male")
    for b in db.scalars(select(Business).limit(100)):
        validate_tax_code(b.tax_code)
        assert re.match(r"^(Công ty TNHH|Công ty Cổ phần|Doanh nghiệp tư nhân|Hộ kinh doanh) ", b.name)


def test_seeded_histories_replay_to_the_stored_dossiers(db: Session) -> None:
    events = db.scalars(select(Event).where(Event.workspace_id == DEMO_WORKSPACE).order_by(Event.dossier_id, Event.id))
    by_dossier: dict[int, list[Event]] = {}
    for e in events:
        by_dossier.setdefault(e.dossier_id, []).append(e)
    dossiers = db.scalars(select(Dossier).where(Dossier.workspace_id == DEMO_WORKSPACE)).all()
    assert len(by_dossier) == len(dossiers) > 0
    for d in dossiers:
        rebuilt = replay(recorded_transitions(by_dossier[d.id]))
        assert rebuilt == d.snapshot(), d.code
        assert d.status == d.state.status.value


def test_dossiers_have_late_and_due_soon_cases_and_dates_before_now(db: Session) -> None:
    from tests.conftest import WORLD_NOW

    open_states = [State.RECEIVED, State.AWAITING_ASSIGNMENT, State.APPRAISING, State.AWAITING_APPROVAL,
                   State.AWAITING_SIGNATURE, State.AWAITING_ISSUE, State.FINANCIAL_OBLIGATION]  # fmt: skip
    rows = db.execute(select(Dossier.due_at).where(Dossier.state.in_(open_states))).scalars().all()
    assert any(d < WORLD_NOW for d in rows), "some open dossiers must be late"
    assert any(WORLD_NOW <= d for d in rows), "some open dossiers must still be in time"
    latest = db.scalar(select(func.max(Event.virtual_at)).where(Event.workspace_id == DEMO_WORKSPACE))
    assert latest <= WORLD_NOW
    codes = db.scalars(select(Dossier.code)).all()
    assert all(re.fullmatch(r"[\d.A-Z]+-\d{6}-\d{4}", c) for c in codes) and len(set(codes)) == len(codes)


@pytest.mark.slow
def test_same_profile_and_seed_give_the_same_world(tmp_path: Path) -> None:
    def snapshot(seed: int, name: str) -> list[tuple]:
        eng = make_engine(f"sqlite:///{tmp_path / name}")
        build_world(eng, profile="tiny", seed=seed, seed_dir=SEED_DIR, progress=False, password_hash="x")
        with eng.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT d.code, d.state, d.due_at, c.cccd, c.full_name FROM dossiers d JOIN citizens c ON c.id = d.citizen_id "
                    "ORDER BY d.id"
                )
            ).all()
            rows += conn.execute(text("SELECT action, actor_name, virtual_at FROM events ORDER BY id")).all()
        eng.dispose()
        return rows

    first, again, other = snapshot(3, "a.db"), snapshot(3, "b.db"), snapshot(4, "c.db")
    assert first == again
    assert first != other


@pytest.mark.slow
def test_rebuilding_a_world_drops_this_processs_copy_of_its_catalogue(tmp_path: Path) -> None:
    from sqlalchemy.orm import Session as PlainSession

    from sandbox.store import catalogue

    eng = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    build_world(eng, profile="tiny", seed=1, seed_dir=SEED_DIR, progress=False, password_hash="x")
    with PlainSession(eng) as session:
        catalogue.procedure_card(session, 1)
    assert eng in catalogue._catalogues
    build_world(eng, profile="tiny", seed=1, seed_dir=SEED_DIR, progress=False, password_hash="x", force=True)
    assert eng not in catalogue._catalogues
    eng.dispose()


def test_an_existing_world_is_not_overwritten_without_force(engine: Engine) -> None:
    with pytest.raises(WorldExists):
        build_world(engine, profile="tiny", seed=7, seed_dir=SEED_DIR, progress=False)


def test_catalogue_validation_names_file_entry_and_field(tmp_path: Path) -> None:
    (tmp_path / "procedures").mkdir()
    bad = (
        (SEED_DIR / "procedures" / "khcn.yaml")
        .read_text(encoding="utf-8")
        .replace("deadline_days: 5", "deadline_day: 5", 1)
    )
    (tmp_path / "procedures" / "khcn.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"khcn\.yaml: procedure #1: missing field\(s\) deadline_days"):
        load_catalogue(tmp_path)


def test_codes_are_stored_as_the_real_systems_codes(db: Session) -> None:
    """Channel 1–3, copy type 0–2, status 1–10 and state names go into the database as codes, not Python names."""
    assert set(db.execute(text("SELECT DISTINCT channel FROM dossiers")).scalars()) <= {1, 2, 3}
    assert set(db.execute(text("SELECT DISTINCT copy_type FROM dossier_documents")).scalars()) <= {0, 1, 2}
    assert set(db.execute(text("SELECT DISTINCT copy_type FROM procedure_documents")).scalars()) <= {0, 1}
    assert set(db.execute(text("SELECT DISTINCT status FROM dossiers")).scalars()) == set(range(1, 11))
    assert "returned" in set(db.execute(text("SELECT DISTINCT state FROM dossiers")).scalars())


def test_companies_file_through_their_legal_representative(db: Session) -> None:
    from sandbox.domain.vocabulary import ApplicantKind

    filed = db.scalars(select(Dossier).where(Dossier.applicant_kind == ApplicantKind.BUSINESS)).all()
    assert filed, "some seeded dossiers are filed by companies"
    for d in filed:
        assert d.business is not None and d.applicant_id_number == d.business.tax_code
        assert d.applicant_name == d.business.name and d.citizen_id == d.business.representative_id
        if d.business.kind == "Hộ kinh doanh":
            assert d.business.name == f"Hộ kinh doanh {d.business.representative.full_name}"


def test_seeded_eforms_pass_the_same_validation_as_the_services(db: Session) -> None:
    from sandbox.services.eforms import clean_form_data

    for d in db.scalars(select(Dossier).limit(60)):
        assert clean_form_data(d.procedure.eform, d.form_data) == d.form_data


def test_a_new_world_gives_the_planner_its_statistics(engine: Engine) -> None:
    """Without them SQLite searched a CCCD by walking the workspace in id order (153 ms on the load world)."""
    with engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            pytest.skip("PostgreSQL keeps its own statistics (ANALYZE runs too)")
        assert conn.execute(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'dossiers'")).scalar() > 0
        plan = conn.execute(text(
            "EXPLAIN QUERY PLAN SELECT * FROM dossiers WHERE workspace_id = 'demo' AND receiving_agency_id = 1 "
            "AND applicant_id_number = '001099012345' ORDER BY id DESC LIMIT 20")).all()  # fmt: skip
        assert "ix_dossiers_applicant_id_number" in " ".join(str(row[-1]) for row in plan)
