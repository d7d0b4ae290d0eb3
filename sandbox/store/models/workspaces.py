"""Workspaces: isolated copies of the mutable world, each with its own simulated clock."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from sandbox.domain.clock import SimulatedClock
from sandbox.store.base import Base


class Workspace(Base):
    __tablename__ = "workspaces"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="demo")
    profile: Mapped[str] = mapped_column(String(32), default="")
    seed: Mapped[int] = mapped_column(default=0)
    clock_virtual: Mapped[datetime]
    clock_real: Mapped[datetime]
    clock_frozen: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    # A training workspace plays one scenario for one trainee: the setup's events are the colleagues'
    # history; events after ``setup_event_id`` are the trainee's own.
    scenario_id: Mapped[str | None] = mapped_column(String(80), index=True)
    trainee_seed: Mapped[int] = mapped_column(default=0, server_default="0")
    setup_event_id: Mapped[int] = mapped_column(default=0, server_default="0")
    briefing: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")  # walk-in applicants
    trainee_id: Mapped[int | None] = mapped_column(ForeignKey("trainees.id", ondelete="CASCADE"), index=True)
    hints_used: Mapped[list[int]] = mapped_column(JSON, default=list, server_default="[]")

    @property
    def clock(self) -> SimulatedClock:
        return SimulatedClock(anchor_virtual=self.clock_virtual, anchor_real=self.clock_real, frozen=self.clock_frozen)

    def set_clock(self, clock: SimulatedClock) -> None:
        self.clock_virtual, self.clock_real, self.clock_frozen = clock.anchor_virtual, clock.anchor_real, clock.frozen


class DossierCounter(Base):
    """The daily sequence behind dossier codes (TT 01/2018 Điều 19), per agency and day."""

    __tablename__ = "dossier_counters"

    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    agency_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)
