"""Mock national population database (CSDL quốc gia về dân cư) and business registry.

Read-only look-ups over the seeded registries, with the real system's failure modes: not
found, and the service being slow or down. The intake services use it so that nobody retypes
what the registry already knows (a scored rule later).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.domain.errors import NotFound
from sandbox.domain.identifiers import validate_cccd, validate_tax_code
from sandbox.integrations.faults import FaultPlan
from sandbox.store.models import Business, Citizen

POPULATION_VI = "CSDL quốc gia về dân cư"
BUSINESS_VI = "Hệ thống thông tin đăng ký doanh nghiệp"


@dataclass
class MockPopulationRegistry:
    faults: FaultPlan = field(default_factory=FaultPlan)

    def citizen_by_cccd(self, session: Session, cccd: str) -> Citizen:
        number = validate_cccd(cccd)
        self.faults.check(POPULATION_VI)
        citizen = session.scalars(select(Citizen).where(Citizen.cccd == number)).first()
        if citizen is None:
            raise NotFound(f"Không tìm thấy công dân có số định danh {number} trong {POPULATION_VI}.")
        return citizen


@dataclass
class MockBusinessRegistry:
    faults: FaultPlan = field(default_factory=FaultPlan)

    def business_by_tax_code(self, session: Session, tax_code: str) -> Business:
        code = validate_tax_code(tax_code)
        self.faults.check(BUSINESS_VI)
        business = session.scalars(select(Business).where(Business.tax_code == code)).first()
        if business is None:
            raise NotFound(f"Không tìm thấy doanh nghiệp có mã số {code} trong {BUSINESS_VI}.")
        return business

    def businesses_represented_by(self, session: Session, citizen_id: int, *, limit: int = 20) -> list[Business]:
        """The businesses whose legal representative is ``citizen_id`` (what VNeID shows as «tổ chức»)."""
        self.faults.check(BUSINESS_VI)
        stmt = select(Business).where(Business.representative_id == citizen_id).order_by(Business.id).limit(limit)
        return list(session.scalars(stmt))
