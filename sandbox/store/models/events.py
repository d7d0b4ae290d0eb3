"""The append-only event log: the source of truth for audit, replay and (later) scoring."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from sandbox.domain.vocabulary import Role
from sandbox.store.base import Base, WorkspaceScoped, enum_column


class Event(WorkspaceScoped, Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_dossier", "workspace_id", "dossier_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    actor_kind: Mapped[str] = mapped_column(String(16))  # officer | citizen | business | system
    actor_id: Mapped[int | None]
    actor_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str | None] = mapped_column(String(32))
    version: Mapped[int | None]
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    virtual_at: Mapped[datetime]
    real_at: Mapped[datetime]
