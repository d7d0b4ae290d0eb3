"""The procedure catalogue (global reference data, loaded from ``seed/procedures/*.yaml``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.domain.lifecycle import ProcedureFacts
from sandbox.domain.vocabulary import CompetentLevel, CopyType, OnlineLevel, Sector
from sandbox.store.base import Base, enum_column


class Procedure(Base):
    __tablename__ = "procedures"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    code_verified: Mapped[bool] = mapped_column(default=False)
    name: Mapped[str] = mapped_column(String(400))
    sector_id: Mapped[Sector] = mapped_column(enum_column(Sector), ForeignKey("sector_systems.id"), index=True)
    field: Mapped[str] = mapped_column(String(120))
    level: Mapped[CompetentLevel] = mapped_column(enum_column(CompetentLevel))
    online: Mapped[OnlineLevel] = mapped_column(enum_column(OnlineLevel))
    deadline_days: Mapped[float]
    fee: Mapped[int] = mapped_column(default=0)
    fee_name: Mapped[str] = mapped_column(String(200), default="")
    result: Mapped[str] = mapped_column(String(300))
    result_kind: Mapped[str] = mapped_column(String(16))
    payment_required: Mapped[bool] = mapped_column(default=False)
    boundary_free: Mapped[bool] = mapped_column(default=False)
    eform: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(400), default="")

    documents: Mapped[list[ProcedureDocument]] = relationship(
        back_populates="procedure", order_by="ProcedureDocument.position", lazy="selectin"
    )

    def facts(self) -> ProcedureFacts:
        return ProcedureFacts(
            code=self.code,
            deadline_days=self.deadline_days,
            fee=self.fee,
            payment_required=self.payment_required,
            document_codes=tuple(d.code for d in self.documents),
        )


class ProcedureDocument(Base):
    """A dossier component (thành phần hồ sơ) the procedure asks for."""

    __tablename__ = "procedure_documents"
    __table_args__ = (UniqueConstraint("procedure_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(400))
    copy_type: Mapped[CopyType] = mapped_column()
    required: Mapped[bool] = mapped_column(default=True)
    digitize: Mapped[bool] = mapped_column(default=True)

    procedure: Mapped[Procedure] = relationship(back_populates="documents")
