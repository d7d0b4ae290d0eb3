"""Officer accounts for every real role (domain.md §8), with readable demo logins.

In the demo province every account has a short name (``motcua``, ``chuyenvien.khcn``, …);
elsewhere the province code is part of it (``motcua.p01.1``). All demo accounts share
:data:`DEMO_PASSWORD`, hashed once per world.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sandbox.domain.vocabulary import Role
from sandbox.seeding.providers import PeopleFactory

DEMO_PASSWORD = "demo2026"  # noqa: S105 - printed on start-up for trainees; fake accounts only

# (role, how many, title) per kind of agency.
TEAMS: dict[str, list[tuple[Role, int, str]]] = {
    "ttpvhcc_tinh": [
        (Role.DESK, 3, "Cán bộ một cửa"),
        (Role.ADMIN, 1, "Quản trị đơn vị"),
        (Role.TRAINER, 1, "Giảng viên"),
    ],
    "so": [
        (Role.DEPT_LEADER, 1, "Trưởng phòng chuyên môn"),
        (Role.SPECIALIST, 3, "Chuyên viên"),
        (Role.UNIT_LEADER, 1, "Giám đốc Sở"),
        (Role.CLERK, 1, "Văn thư"),
    ],
    "ttpvhcc_xa": [(Role.DESK, 2, "Cán bộ một cửa")],
    "ubnd_xa": [
        (Role.DEPT_LEADER, 1, "Trưởng phòng Kinh tế"),
        (Role.SPECIALIST, 2, "Công chức chuyên môn"),
        (Role.UNIT_LEADER, 1, "Chủ tịch Ủy ban nhân dân"),
        (Role.CLERK, 1, "Văn thư"),
    ],
}
ROLE_SLUG = {
    Role.DESK: "motcua",
    Role.SPECIALIST: "chuyenvien",
    Role.DEPT_LEADER: "ldphong",
    Role.UNIT_LEADER: "lddonvi",
    Role.CLERK: "vanthu",
    Role.ADMIN: "quantri",
    Role.TRAINER: "giangvien",
}


@dataclass
class Staff:
    """Who works where: agency id -> role -> officer ids; officer id -> name."""

    by_agency: dict[int, dict[Role, list[int]]] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)

    def of(self, agency_id: int, role: Role) -> list[int]:
        return self.by_agency.get(agency_id, {}).get(role, [])


def _username(role: Role, agency: dict[str, Any], n: int, *, demo: bool, commune_index: int) -> str:
    """``motcua``, ``motcua.2``, ``chuyenvien.khcn``, ``ldphong.xa1``; outside the demo province
    the province code is added: ``motcua.p01.1``, ``chuyenvien.khcn.p01.2``, ``vanthu.xa57.p01.1``."""
    parts = [ROLE_SLUG[role]]
    if agency["sector_id"] is not None:
        parts.append(agency["sector_id"].value)
    elif agency["level"].value == "commune":
        parts.append(f"xa{commune_index}")
    if not demo:
        parts += [f"p{agency['province_code']}", str(n)]
    elif n > 1:
        parts.append(str(n))
    return ".".join(parts)


def build_staff(
    agencies: Iterable[dict[str, Any]],
    people: PeopleFactory,
    *,
    demo_province: str,
    password_hash: str,
    start_id: int = 1,
) -> Staff:
    """Officers for every given agency (the caller picks which agencies are staffed)."""
    staff = Staff()
    commune_index: dict[str, int] = {}
    next_id = start_id
    for agency in agencies:
        team = TEAMS.get(agency["kind"], [])
        if agency["commune_code"] is not None:
            commune_index.setdefault(agency["commune_code"], len(commune_index) + 1)
        demo = agency["province_code"] == demo_province
        for role, count, title in team:
            for n in range(1, count + 1):
                person = people.person(min_age=25, max_age=58)
                username = _username(role, agency, n, demo=demo, commune_index=commune_index.get(
                    agency["commune_code"] or "", 0))  # fmt: skip
                staff.rows.append(
                    dict(id=next_id, username=username, password_hash=password_hash, full_name=person.full_name,
                         role=role, agency_id=agency["id"], title=title, is_demo=demo)
                )  # fmt: skip
                staff.by_agency.setdefault(agency["id"], {}).setdefault(role, []).append(next_id)
                staff.names[next_id] = person.full_name
                next_id += 1
    return staff
