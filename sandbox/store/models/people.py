"""People: the fake population registry, the business registry, and officer accounts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.domain.vocabulary import Role
from sandbox.store.base import Base, enum_column
from sandbox.store.models.reference import Agency, Commune


class Citizen(Base):
    """A person in the fake population registry (CSDL quốc gia về dân cư)."""

    __tablename__ = "citizens"

    id: Mapped[int] = mapped_column(primary_key=True)
    cccd: Mapped[str] = mapped_column(String(12), unique=True)
    full_name: Mapped[str] = mapped_column(String(80), index=True)
    birth_date: Mapped[date]
    sex: Mapped[str] = mapped_column(String(6))
    phone: Mapped[str] = mapped_column(String(12))
    email: Mapped[str | None] = mapped_column(String(120))
    commune_code: Mapped[str] = mapped_column(ForeignKey("communes.code"), index=True)
    address: Mapped[str] = mapped_column(String(200))

    commune: Mapped[Commune] = relationship()

    @property
    def full_address(self) -> str:
        return f"{self.address}, {self.commune.name}, {self.commune.province.name}"


class Business(Base):
    """An enterprise or household business in the fake business registry."""

    __tablename__ = "businesses"

    id: Mapped[int] = mapped_column(primary_key=True)
    tax_code: Mapped[str] = mapped_column(String(14), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    representative_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    commune_code: Mapped[str] = mapped_column(ForeignKey("communes.code"))
    address: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(12))
    email: Mapped[str | None] = mapped_column(String(120))
    founded_on: Mapped[date]

    representative: Mapped[Citizen] = relationship()
    commune: Mapped[Commune] = relationship()


class Officer(Base):
    """An officer account with one role in one agency (domain.md §8)."""

    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    full_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[Role] = mapped_column(enum_column(Role), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    title: Mapped[str] = mapped_column(String(120), default="")
    is_demo: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True, server_default="1")  # a locked account cannot sign in

    agency: Mapped[Agency] = relationship(lazy="joined")
