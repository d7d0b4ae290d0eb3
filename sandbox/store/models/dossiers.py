"""Dossiers (hồ sơ), their documents and the forms issued for them. All workspace-scoped."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, Session, mapped_column, object_session, relationship

from sandbox.domain.lifecycle import Snapshot
from sandbox.domain.vocabulary import ApplicantKind, Channel, CopyType, Form, State
from sandbox.store.base import Base, WorkspaceScoped, enum_column
from sandbox.store.models.administration import ProcessDefinition
from sandbox.store.models.catalogue import Procedure
from sandbox.store.models.people import Business, Citizen
from sandbox.store.models.reference import Agency

if TYPE_CHECKING:
    from sandbox.store.catalogue import ProcedureCard

SNAPSHOT_FIELDS = tuple(Snapshot.__dataclass_fields__)


class Dossier(WorkspaceScoped, Base):
    __tablename__ = "dossiers"
    __table_args__ = (
        UniqueConstraint("workspace_id", "code"),
        Index("ix_dossiers_queue", "workspace_id", "status", "deciding_agency_id"),
        Index("ix_dossiers_receiving", "workspace_id", "receiving_agency_id", "status"),
        # work queues: the states a role acts on, at one unit, most urgent first (count from the index alone)
        Index("ix_dossiers_desk_queue", "workspace_id", "receiving_agency_id", "state", "due_at"),
        Index("ix_dossiers_work_queue", "workspace_id", "deciding_agency_id", "state", "due_at"),
        # a unit's statistics over a period: the dossiers it received or decides, by receipt time
        Index("ix_dossiers_received_in", "workspace_id", "receiving_agency_id", "submitted_at"),
        Index("ix_dossiers_decided_in", "workspace_id", "deciding_agency_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(32), default="", server_default="")  # a scenario's name for it
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id"), index=True)
    channel: Mapped[Channel] = mapped_column()
    applicant_kind: Mapped[ApplicantKind] = mapped_column(enum_column(ApplicantKind))
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"), index=True)
    business_id: Mapped[int | None] = mapped_column(ForeignKey("businesses.id"))
    applicant_name: Mapped[str] = mapped_column(String(200), index=True)
    applicant_id_number: Mapped[str] = mapped_column(String(14), index=True)
    applicant_phone: Mapped[str] = mapped_column(String(12), default="")
    applicant_email: Mapped[str | None] = mapped_column(String(120))
    applicant_address: Mapped[str] = mapped_column(String(300), default="")
    receiving_agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    deciding_agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    form_data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # the deciding unit's internal process when the dossier was created (None: the default split)
    process_id: Mapped[int | None] = mapped_column(ForeignKey("process_definitions.id"))

    # lifecycle (mirrors domain.lifecycle.Snapshot; replaying the events gives these values)
    state: Mapped[State] = mapped_column(enum_column(State))
    status: Mapped[int] = mapped_column()
    version: Mapped[int] = mapped_column(default=1)
    submitted_at: Mapped[datetime | None]
    received_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    original_due_at: Mapped[datetime | None]
    paused_at: Mapped[datetime | None]
    supplement_count: Mapped[int] = mapped_column(default=0)
    supplement_submitted: Mapped[bool] = mapped_column(default=False, server_default="0")
    apology_count: Mapped[int] = mapped_column(default=0)
    fee_amount: Mapped[int] = mapped_column(default=0)
    fee_paid: Mapped[bool] = mapped_column(default=False)
    payment_method: Mapped[str | None] = mapped_column(String(16))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    result_signed: Mapped[bool] = mapped_column(default=False)
    result_number: Mapped[str | None] = mapped_column(String(40))
    finished_at: Mapped[datetime | None]
    returned_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    procedure: Mapped[Procedure] = relationship()  # reads use ``card`` (no query); pages needing more load it
    citizen: Mapped[Citizen | None] = relationship()
    business: Mapped[Business | None] = relationship()
    process: Mapped[ProcessDefinition | None] = relationship()
    receiving_agency: Mapped[Agency] = relationship(foreign_keys=[receiving_agency_id])
    deciding_agency: Mapped[Agency] = relationship(foreign_keys=[deciding_agency_id])
    documents: Mapped[list[DossierDocument]] = relationship(
        back_populates="dossier", order_by="DossierDocument.id", cascade="all, delete-orphan"
    )
    forms: Mapped[list[IssuedForm]] = relationship(
        back_populates="dossier", order_by="IssuedForm.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    @property
    def card(self) -> ProcedureCard:
        """The procedure's code, name, facts and document names, from the process's catalogue (no query)."""
        from sandbox.store.catalogue import ProcedureCard, procedure_card

        session = object_session(self)
        if session is None or self.procedure_id is None:  # not stored yet (or detached with its procedure loaded)
            return ProcedureCard.of(self.procedure)
        return procedure_card(session, self.procedure_id)

    def snapshot(self) -> Snapshot:
        return snapshot_of(self)

    def load_snapshot(self, snap: Snapshot) -> None:
        for name in SNAPSHOT_FIELDS:
            setattr(self, name, getattr(snap, name))
        assert snap.state is not None
        self.status = snap.state.status.value


def snapshot_of(dossier: Dossier | DossierRecord) -> Snapshot:
    return Snapshot(**{name: getattr(dossier, name) for name in SNAPSHOT_FIELDS})


class DossierRecord:
    """A dossier read for reading only, from a row of its table: every column as an attribute, and its ``card``
    and ``snapshot()`` as a :class:`Dossier` has them; no relationships, nothing written back.

    What the API's look-up of one dossier reads (``services.reading.get_record``): an ORM object
    cost a sixth of that request more (identity map, instrumented attributes; bench/api.py)."""

    id: int
    procedure_id: int
    channel: Channel
    state: State
    citizen_id: int | None
    receiving_agency_id: int
    deciding_agency_id: int
    assignee_id: int | None

    def __init__(self, session: Session, row: Any) -> None:
        self.__dict__.update(zip(row._fields, row, strict=True))
        self._session = session

    @property
    def card(self) -> ProcedureCard:
        from sandbox.store.catalogue import procedure_card

        return procedure_card(self._session, self.procedure_id)

    def snapshot(self) -> Snapshot:
        return snapshot_of(self)


class DossierDocument(WorkspaceScoped, Base):
    """A document attached to a dossier: an input, a supplement, or the result."""

    __tablename__ = "dossier_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # input | supplement | result
    doc_code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(400))
    copy_type: Mapped[CopyType] = mapped_column()
    digitized: Mapped[bool] = mapped_column(default=False)
    reused: Mapped[bool] = mapped_column(default=False)
    file_name: Mapped[str | None] = mapped_column(String(200))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None]
    added_at: Mapped[datetime]

    dossier: Mapped[Dossier] = relationship(back_populates="documents")


class IssuedForm(WorkspaceScoped, Base):
    """A form (Mẫu 01–07) issued for a dossier, with the data it was filled with."""

    __tablename__ = "issued_forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[Form] = mapped_column(enum_column(Form))
    issued_at: Mapped[datetime]
    issued_by: Mapped[str] = mapped_column(String(80))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    dossier: Mapped[Dossier] = relationship(back_populates="forms")


class Rating(WorkspaceScoped, Base):
    """The applicant's satisfaction vote on a finished dossier (one per dossier; 766 indicator 5.4)."""

    __tablename__ = "satisfaction_ratings"
    __table_args__ = (UniqueConstraint("workspace_id", "dossier_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(16))  # rat_hai_long | hai_long | khong_hai_long
    comment: Mapped[str | None] = mapped_column(String(500))
    rated_at: Mapped[datetime]
