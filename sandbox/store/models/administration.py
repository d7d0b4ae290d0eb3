"""What a unit administrator configures, per workspace: fee-collection accounts and internal processes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.store.base import Base, WorkspaceScoped
from sandbox.store.models.catalogue import Procedure
from sandbox.store.models.reference import Agency


class FeeAccount(WorkspaceScoped, Base):
    """A unit's account for collecting fees and charges (the beneficiary shown on the payment platform)."""

    __tablename__ = "fee_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    bank_name: Mapped[str] = mapped_column(String(120))
    account_number: Mapped[str] = mapped_column(String(30))
    account_name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]

    agency: Mapped[Agency] = relationship()


class ProcessDefinition(WorkspaceScoped, Base):
    """One version of a unit's internal process for a procedure; the newest applies to new dossiers."""

    __tablename__ = "process_definitions"
    __table_args__ = (UniqueConstraint("workspace_id", "agency_id", "procedure_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id"), index=True)
    version: Mapped[int]
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(120))

    agency: Mapped[Agency] = relationship()
    procedure: Mapped[Procedure] = relationship()
