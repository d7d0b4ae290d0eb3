"""State kept by the mocks of external systems (payment, messaging, signing), per workspace."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sandbox.store.base import Base, WorkspaceScoped


class Payment(WorkspaceScoped, Base):
    """A fee payment order on the mock payment platform."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    amount: Mapped[int]
    method: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))  # pending | paid | failed
    beneficiary: Mapped[str | None] = mapped_column(String(300))  # the unit's account when the order was opened
    failure: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    paid_at: Mapped[datetime | None]


class Notification(WorkspaceScoped, Base):
    """An SMS or e-mail in the mock messaging gateway's outbox."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(8))  # sms | email
    recipient: Mapped[str] = mapped_column(String(120))
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # sent | failed
    failure: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]


class Signature(WorkspaceScoped, Base):
    """A digital signature made by the mock signing service over a result document."""

    __tablename__ = "signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    signer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    certificate_serial: Mapped[str] = mapped_column(String(40))
    digest: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime]
