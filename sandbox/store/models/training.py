"""Training records: each submitted attempt at a scenario, with its score ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from sandbox.store.base import Base


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
