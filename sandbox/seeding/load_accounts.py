"""What a load generator needs from a world: distinct logins per role, citizens, and ready filings.

``sandbox accounts --load --json`` prints it; ``loadtests`` reads it (also on a load-generator machine
that has no database, as a copied file). Officers come from the chosen province only, so the
workload stays where its dossiers are routed; citizens are people living there (their online
filings go to that province's centre); each filing is a province-level procedure with example
eForm values and its required documents.
"""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from sandbox.domain.vocabulary import CompetentLevel, Role
from sandbox.seeding.officers import DEMO_PASSWORD
from sandbox.services.auth import CITIZEN_DEMO_PASSWORD
from sandbox.services.eforms import example_form_data
from sandbox.store.models import Agency, Citizen, Commune, Dossier, Officer, Procedure, Province

LOAD_ROLES = (Role.DESK, Role.SPECIALIST, Role.DEPT_LEADER, Role.UNIT_LEADER, Role.CLERK, Role.ADMIN)


def load_accounts(
    engine: Engine, *, province: str | None = None, citizens: int = 2000, seed: int = 7
) -> dict[str, Any]:
    """Officer usernames by role, ``citizens`` CCCDs and the filings, for one province (default: the demo one)."""
    with Session(engine) as s:
        province = province or _demo_province(s)
        if s.get(Province, province) is None:
            raise ValueError(f"Không có tỉnh mã «{province}» trong thế giới dữ liệu.")
        officers: dict[str, list[str]] = {r.value: [] for r in LOAD_ROLES}
        rows = s.execute(
            select(Officer.username, Officer.role)
            .join(Agency, Agency.id == Officer.agency_id)
            .where(Agency.province_code == province, Officer.active.is_(True), Officer.role.in_(LOAD_ROLES))
            .order_by(Officer.username)
        ).all()
        for username, role in rows:
            officers[role.value].append(username)
        people = s.scalars(
            select(Citizen.cccd)
            .join(Commune, Commune.code == Citizen.commune_code)
            .where(Commune.province_code == province)
            .order_by(Citizen.id)
            .limit(max(0, citizens) * 4)
        ).all()
        chosen = random.Random(seed).sample(list(people), min(len(people), max(0, citizens)))
        filings = [
            {"procedure_code": p.code, "name": p.name, "form_data": example_form_data(p.eform),
             "documents": [d.code for d in p.documents if d.required], "fee": p.fee}
            for p in s.scalars(select(Procedure).where(Procedure.level == CompetentLevel.PROVINCE).order_by(Procedure.code))
        ]  # fmt: skip
        world = {
            "province": province,
            "province_name": s.get(Province, province).name,  # type: ignore[union-attr]
            "dossiers": s.scalar(select(func.count()).select_from(Dossier)) or 0,
            "citizens": s.scalar(select(func.count()).select_from(Citizen)) or 0,
            "officers": s.scalar(select(func.count()).select_from(Officer)) or 0,
        }
    return {
        "world": world,
        "officer_password": DEMO_PASSWORD,
        "citizen_password": CITIZEN_DEMO_PASSWORD,
        "officers": officers,
        "citizens": chosen,
        "filings": filings,
    }


def _demo_province(s: Session) -> str:
    code = s.scalar(
        select(Agency.province_code)
        .join(Officer, Officer.agency_id == Agency.id)
        .where(Officer.is_demo.is_(True))
        .limit(1)
    )
    if code is None:
        raise ValueError("Thế giới chưa có tài khoản cán bộ mẫu (chạy sandbox seed).")
    return code
