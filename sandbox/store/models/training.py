"""Training records: each submitted attempt at a scenario, with its score ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.store.base import Base


class Workshop(Base):
    """A class run by a trainer: a list of scenarios and the trainees (seats) who do them."""

    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    trainer: Mapped[str] = mapped_column(String(120))
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), index=True)  # the account that runs it
    scenario_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]
    clock_days: Mapped[int] = mapped_column(default=0, server_default="0")  # the class clock, in working days

    trainees: Mapped[list[Trainee]] = relationship(back_populates="workshop", order_by="Trainee.id")


class Trainee(Base):
    """A learner: a named person or an anonymous seat, who joins with a join code (no e-mail needed)."""

    __tablename__ = "trainees"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(200))
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    seed: Mapped[int]
    created_at: Mapped[datetime]

    workshop: Mapped[Workshop | None] = relationship(back_populates="trainees")


class Attempt(Base):
    """One submission ("Nộp bài") of a scenario in a workspace. Kept when the workspace is reset."""

    __tablename__ = "attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    scenario_id: Mapped[str] = mapped_column(String(80), index=True)
    trainee: Mapped[str] = mapped_column(String(120), default="")
    number: Mapped[int]
    submitted_at: Mapped[datetime]  # real time
    virtual_at: Mapped[datetime]  # the workspace clock at submission
    earned: Mapped[int]
    possible: Mapped[int]
    percent: Mapped[float]
    passed: Mapped[bool]
    hints_used: Mapped[list[int]] = mapped_column(JSON, default=list)
    ledger: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
