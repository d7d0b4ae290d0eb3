"""Build a whole world: ``build_world(engine, profile, seed)``, deterministic for the same inputs.

Reference data (units, sectors, agencies, procedures), the population and business registries,
officer accounts, and the ``demo`` workspace with its dossiers. Rows are inserted with
SQLAlchemy Core ``executemany`` in chunks (LOADTESTING.md §4: about 2x faster than ORM bulk);
data generation, not the database, sets the pace, so the generators are our own.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select
from tqdm import tqdm

from sandbox.domain.calendar import WorkingCalendar
from sandbox.domain.identifiers import generate_mobile
from sandbox.domain.lifecycle import ProcedureFacts
from sandbox.domain.vocabulary import CompetentLevel, CopyType, Role
from sandbox.integrations.signing import MockSigningService
from sandbox.seeding.dossiers import DossierSeeder
from sandbox.seeding.officers import DEMO_PASSWORD, build_staff
from sandbox.seeding.profiles import Profile, load_profile
from sandbox.seeding.providers import EMAIL_DOMAINS, PeopleFactory
from sandbox.seeding.reference import load_reference
from sandbox.services.auth import hash_password
from sandbox.services.context import vietnam_now
from sandbox.services.staging import Applicant, ProcedureInfo
from sandbox.store import catalogue, schema
from sandbox.store.base import Base
from sandbox.store.bulk import bulk_insert
from sandbox.store.models import (
    Business,
    Citizen,
    Dossier,
    DossierCounter,
    Event,
    Officer,
    Province,
    Workspace,
)

DEMO_WORKSPACE = "demo"
CHUNK = 20_000
APPLICANT_POOL = 4_000  # applicants kept in memory per province for dossiers


class WorldExists(RuntimeError):
    pass


@dataclass
class WorldReport:
    profile: str
    seed: int
    seconds: float
    counts: dict[str, int]


def _chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def world_exists(engine: Engine) -> bool:
    if schema.current_revision(engine) is None:
        return False
    with engine.connect() as conn:
        return (conn.scalar(select(func.count()).select_from(Province)) or 0) > 0


def drop_world(engine: Engine) -> None:
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def build_world(
    engine: Engine,
    *,
    profile: str | Profile = "demo",
    seed: int = 2026,
    seed_dir: Path,
    force: bool = False,
    progress: bool = True,
    password_hash: str | None = None,
) -> WorldReport:
    """Create the schema and fill it. Refuses to overwrite an existing world unless ``force``."""
    started = time.perf_counter()
    prof = profile if isinstance(profile, Profile) else load_profile(seed_dir, profile)
    if world_exists(engine):
        if not force:
            raise WorldExists("a world already exists in this database (use --force to rebuild it)")
        drop_world(engine)
    schema.upgrade(engine)
    rng = random.Random(f"{prof.name}:{seed}")
    calendar = WorkingCalendar.default()
    bar = _progress(progress, prof)
    with engine.begin() as conn:
        ref = load_reference(conn, seed_dir)
        bar("Dữ liệu danh mục (tỉnh, xã, cơ quan, thủ tục)", 1)
        communes = [(u.commune_code, u.province_code, u.commune_kind) for u in ref["units"]]
        people = PeopleFactory(rng, communes, today=prof.clock.date())
        applicants, companies = _population(conn, people, prof, rng, bar)
        staffed = _staffed_agencies(ref["agencies"], prof)
        staff = build_staff(
            staffed, people, demo_province=prof.demo_province,
            password_hash=password_hash or hash_password(DEMO_PASSWORD, salt=seed.to_bytes(8, "big") * 2),
        )  # fmt: skip
        for part in _chunks(staff.rows):
            conn.execute(insert(Officer), part)
        bar("Tài khoản cán bộ", 1)
        conn.execute(
            insert(Workspace),
            [dict(id=DEMO_WORKSPACE, name="Không gian mẫu (demo)", kind="demo", profile=prof.name, seed=seed,
                  clock_virtual=prof.clock, clock_real=vietnam_now(), clock_frozen=not prof.clock_running,
                  created_at=vietnam_now())],
        )  # fmt: skip
        seeder = DossierSeeder(
            rng, workspace_id=DEMO_WORKSPACE, now=prof.clock, calendar=calendar, staff=staff,
            procedures=_procedure_infos(ref), venues=_venues(staffed, ref["agencies"]), applicants=applicants, companies=companies,
            online_share=prof.online_share, signing=MockSigningService(),
        )  # fmt: skip
        plans = seeder.plans(prof.dossiers)
        for rows in seeder.generate(plans):
            rows.insert(conn)
            bar("Hồ sơ và lịch sử xử lý", len(rows.dossiers))
        conn.execute(
            insert(DossierCounter),
            [dict(workspace_id=DEMO_WORKSPACE, agency_code=a, day=d, last_seq=n) for (a, d), n in seeder.counters.items()]
            + seeder.stager.counter_rows(),
        )  # fmt: skip
        schema.sync_sequences(conn)
    catalogue.forget(engine)  # this process's cards of an earlier catalogue, once the new one is committed
    schema.refresh_statistics(engine)
    bar.close()  # type: ignore[attr-defined]
    return WorldReport(prof.name, seed, time.perf_counter() - started, world_counts(engine))


def _progress(enabled: bool, prof: Profile) -> Callable[[str, int], None]:
    total = 2 + prof.citizens + prof.businesses + prof.dossiers
    bar = tqdm(total=total, unit=" bản ghi", file=sys.stderr, disable=not enabled, dynamic_ncols=True)

    def step(label: str, n: int) -> None:
        bar.set_description(label)
        bar.update(n)

    step.close = bar.close  # type: ignore[attr-defined]
    return step


def _population(
    conn: Connection, people: PeopleFactory, prof: Profile, rng: random.Random, bar: Callable[[str, int], None]
) -> tuple[dict[str, list[Applicant]], dict[str, list[Applicant]]]:
    """Citizens and businesses; returns pools of applicants (people, companies) per province for the dossiers."""
    pools: dict[str, list[Applicant]] = {}
    province_of = {c: p for c, p, _ in people.communes}
    names = dict(conn.execute(select(Province.code, Province.name)).all())
    commune_names = dict(conn.exec_driver_sql("SELECT code, name FROM communes").all())
    next_id = 1
    for start in range(0, prof.citizens, CHUNK):
        rows = []
        for _ in range(min(CHUNK, prof.citizens - start)):
            p = people.person()
            rows.append(dict(id=next_id, cccd=p.cccd, full_name=p.full_name, birth_date=p.birth_date, sex=p.sex.value,
                             phone=p.phone, email=p.email, commune_code=p.commune_code, address=p.address))  # fmt: skip
            prov = province_of[p.commune_code]
            pool = pools.setdefault(prov, [])
            if len(pool) < APPLICANT_POOL:
                full = f"{p.address}, {commune_names[p.commune_code]}, {names[prov]}"
                pool.append(Applicant(next_id, p.full_name, p.cccd, p.phone, p.email, full))
            next_id += 1
        _insert_unique_cccd(conn, rows, people)
        bar("Công dân (CSDL dân cư giả lập)", len(rows))
    communes_of: dict[str, list[str]] = {}
    for c, p, _ in people.communes:
        communes_of.setdefault(p, []).append(c)
    biz, taken, companies = [], set(), {}
    for n in range(1, prof.businesses + 1):
        prov = rng.choice(list(pools))
        owner = rng.choice(pools[prov])  # the legal representative lives in the province
        kind, name = people.business_name(owner.name)
        code = people.tax_code(prov)
        while code in taken:
            code = people.tax_code(prov)
        taken.add(code)
        commune = rng.choice(communes_of[prov])
        address = people.address("Phường")
        email = f"lienhe.{code}@{rng.choice(EMAIL_DOMAINS)}" if rng.random() < 0.6 else None
        phone = generate_mobile(rng)
        biz.append(dict(id=n, tax_code=code, name=name, kind=kind, representative_id=owner.id, commune_code=commune,
                        address=address, phone=phone, email=email,
                        founded_on=date(rng.randint(1995, 2025), rng.randint(1, 12), rng.randint(1, 28))))  # fmt: skip
        pool = companies.setdefault(prov, [])
        if len(pool) < APPLICANT_POOL:
            full = f"{address}, {commune_names[commune]}, {names[prov]}"
            pool.append(Applicant(owner.id, name, code, phone, email, full, business_id=n))
    for part in _chunks(biz):
        bulk_insert(conn, Business.__table__, part)
        bar("Doanh nghiệp (CSDL đăng ký doanh nghiệp giả lập)", len(part))
    return pools, companies


def _insert_unique_cccd(conn: Connection, rows: list[dict[str, Any]], people: PeopleFactory) -> None:
    """CCCD numbers are random in their last 6 digits, so collisions happen at scale: redraw them."""
    seen = people.cccd_seen
    for row in rows:
        while row["cccd"] in seen:
            row["cccd"] = row["cccd"][:6] + f"{people.rng.randrange(1_000_000):06d}"
        seen.add(row["cccd"])
    bulk_insert(conn, Citizen.__table__, rows)


def _staffed_agencies(agencies: list[dict[str, Any]], prof: Profile) -> list[dict[str, Any]]:
    """Agencies that get officers: all provincial ones, plus N communes per staffed province."""
    out, communes_taken = [], {}
    for a in agencies:
        if prof.staffed_provinces == "demo" and a["province_code"] != prof.demo_province:
            continue
        if a["level"] is CompetentLevel.PROVINCE:
            out.append(a)
            continue
        taken = communes_taken.setdefault(a["province_code"], [])
        if a["commune_code"] in taken or len(taken) < prof.staffed_communes:
            if a["commune_code"] not in taken:
                taken.append(a["commune_code"])
            out.append(a)
    return out


def _venues(staffed: list[dict[str, Any]], agencies: list[dict[str, Any]]) -> dict[CompetentLevel, list[Any]]:
    """(receiving centre, deciding agency) pairs, by competent level."""
    centres = {a["province_code"]: a for a in staffed if a["kind"] == "ttpvhcc_tinh"}
    commune_centres = {a["commune_code"]: a for a in staffed if a["kind"] == "ttpvhcc_xa"}
    venues: dict[CompetentLevel, list[Any]] = {CompetentLevel.PROVINCE: [], CompetentLevel.COMMUNE: []}
    for a in staffed:
        if a["kind"] == "so":
            venues[CompetentLevel.PROVINCE].append((centres[a["province_code"]], a))
        elif a["kind"] == "ubnd_xa":
            venues[CompetentLevel.COMMUNE].append((commune_centres[a["commune_code"]], a))
    return venues


def _procedure_infos(ref: dict[str, Any]) -> list[ProcedureInfo]:
    docs: dict[int, list[dict[str, Any]]] = {}
    for d in ref["documents"]:
        docs.setdefault(d["procedure_id"], []).append(d)
    out = []
    for p in ref["procedures"]:
        pdocs = [dict(d, copy_type=CopyType(d["copy_type"])) for d in docs[p["id"]]]
        facts = ProcedureFacts(p["code"], p["deadline_days"], p["fee"], p["payment_required"],
                               tuple(d["code"] for d in pdocs))  # fmt: skip
        out.append(ProcedureInfo(p["id"], p["code"], p["name"], p["result"], p["level"], p["sector_id"], facts, pdocs,
                                 p["eform"]))  # fmt: skip
    return out


def world_counts(engine: Engine, workspace_id: str = DEMO_WORKSPACE) -> dict[str, Any]:
    """The figures ``sandbox world stats`` prints."""
    from sandbox.store.models import Agency, Commune, Procedure

    with engine.connect() as conn:

        def count(model: Any, *where: Any) -> int:
            return conn.scalar(select(func.count()).select_from(model).where(*where)) or 0

        per_status = dict(
            conn.execute(
                select(Dossier.status, func.count())
                .where(Dossier.workspace_id == workspace_id)
                .group_by(Dossier.status)
            ).all()
        )
        return {
            "provinces": count(Province),
            "communes": count(Commune),
            "agencies": count(Agency),
            "officers": count(Officer),
            "citizens": count(Citizen),
            "businesses": count(Business),
            "procedures": count(Procedure),
            "dossiers": count(Dossier, Dossier.workspace_id == workspace_id),
            "events": count(Event, Event.workspace_id == workspace_id),
            "dossiers_per_status": {str(k): per_status.get(k, 0) for k in range(1, 11)},
        }


def demo_accounts(engine: Engine) -> list[dict[str, str]]:
    """The demo logins to print: one row per account of the demo province (in role order)."""
    order = {r: i for i, r in enumerate(Role)}
    with engine.connect() as conn:
        rows = conn.execute(
            select(Officer.username, Officer.full_name, Officer.role, Officer.title, Officer.agency_id).where(
                Officer.is_demo.is_(True)
            )
        ).all()
        agencies = dict(conn.exec_driver_sql("SELECT id, name FROM agencies").all())
    out = [
        {"username": u, "name": n, "role": r.label, "title": t, "agency": agencies[a], "_order": order[r]}
        for u, n, r, t, a in rows
    ]
    out.sort(key=lambda r: (r["_order"], r["username"]))
    for r in out:
        del r["_order"]
    return out
