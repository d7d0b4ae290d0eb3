"""Global, read-only reference data: administrative units, sector systems, agencies."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.domain.vocabulary import CompetentLevel, Sector
from sandbox.store.base import Base, enum_column


class Province(Base):
    """One of the 34 provinces after 1 July 2025 (QĐ 19/2025/QĐ-TTg code)."""

    __tablename__ = "provinces"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))

    communes: Mapped[list[Commune]] = relationship(back_populates="province", order_by="Commune.code")


class Commune(Base):
    """One of the 3,321 communes (xã, phường, đặc khu)."""

    __tablename__ = "communes"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))
    lat: Mapped[float | None]
    lon: Mapped[float | None]

    province: Mapped[Province] = relationship(back_populates="communes")


class SectorSystem(Base):
    """A ministry's sector system (one of the four of 2026)."""

    __tablename__ = "sector_systems"

    id: Mapped[Sector] = mapped_column(enum_column(Sector), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    ministry: Mapped[str] = mapped_column(String(120))


class Agency(Base):
    """A unit that receives or decides dossiers: a Sở, a public-service centre, a commune committee."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    level: Mapped[CompetentLevel] = mapped_column(enum_column(CompetentLevel))
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    commune_code: Mapped[str | None] = mapped_column(ForeignKey("communes.code"), index=True)
    sector_id: Mapped[Sector | None] = mapped_column(enum_column(Sector), ForeignKey("sector_systems.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))

    province: Mapped[Province] = relationship()
    commune: Mapped[Commune | None] = relationship()
