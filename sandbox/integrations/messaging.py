"""Mock SMS and e-mail gateway: an outbox per workspace, with delivery failures.

Notifications are best-effort, as in the real systems: a failed SMS is recorded as failed and
never blocks or rolls back the dossier action that caused it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from sandbox.domain.errors import DomainError
from sandbox.domain.identifiers import validate_mobile
from sandbox.integrations.faults import FaultPlan, IntegrationUnavailable
from sandbox.store.models import Notification

SYSTEM_VI = "Cổng tin nhắn SMS/thư điện tử"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class MockMessaging:
    faults: FaultPlan = field(default_factory=FaultPlan)

    def send(
        self,
        session: Session,
        *,
        workspace_id: str,
        dossier_id: int | None,
        channel: str,
        recipient: str | None,
        body: str,
        now: datetime,
        subject: str = "",
    ) -> Notification:
        status, failure = "sent", None
        if not recipient:
            status, failure = "failed", "Không có địa chỉ nhận."
        elif channel == "sms":
            try:
                recipient = validate_mobile(recipient)
            except DomainError as exc:
                status, failure = "failed", str(exc)
        elif not _EMAIL.match(recipient):
            status, failure = "failed", "Địa chỉ thư điện tử không hợp lệ."
        if status == "sent":
            try:
                self.faults.check(SYSTEM_VI)
            except IntegrationUnavailable as exc:
                status, failure = "failed", exc.message
        row = Notification(
            workspace_id=workspace_id,
            dossier_id=dossier_id,
            channel=channel,
            recipient=recipient or "",
            subject=subject,
            body=body,
            status=status,
            failure=failure,
            created_at=now,
        )
        session.add(row)
        return row
