"""Mock online payment platform (the national portal's payment platform or a provincial gateway).

An order is created for a dossier's fee, then paid (or declined) on the platform; the order
rows are the platform's ledger. Faults: outage, slow answers, and declines at ``fail_rate``.
Cash taken at the counter is recorded too, as the real systems do, so scoring can tell the two
apart (766 indicator 3.6 counts only online payments).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.domain.errors import NotFound, TransitionRefused
from sandbox.integrations.faults import FaultPlan, IntegrationUnavailable
from sandbox.store.models import Payment

SYSTEM_VI = "Nền tảng thanh toán trực tuyến"


@dataclass
class MockPaymentPlatform:
    faults: FaultPlan = field(default_factory=FaultPlan)

    def open_order(self, session: Session, *, workspace_id: str, dossier_id: int, amount: int, now: datetime,
                   beneficiary: str | None = None) -> Payment:  # fmt: skip
        """Return the dossier's pending order, creating it if needed (paid to ``beneficiary``, fixed at opening)."""
        existing = session.scalars(
            select(Payment).where(
                Payment.workspace_id == workspace_id, Payment.dossier_id == dossier_id, Payment.status == "pending"
            )
        ).first()
        if existing is not None:
            return existing
        order = Payment(
            workspace_id=workspace_id,
            dossier_id=dossier_id,
            reference=f"TT{now:%y%m%d}{secrets.token_hex(5).upper()}",
            amount=amount,
            method="online",
            status="pending",
            beneficiary=beneficiary,
            created_at=now,
        )
        session.add(order)
        return order

    def pay_online(
        self, session: Session, *, workspace_id: str, dossier_id: int, amount: int, now: datetime
    ) -> Payment:
        """Pay the dossier's order online. Raises when the platform is down or declines."""
        order = self.open_order(session, workspace_id=workspace_id, dossier_id=dossier_id, amount=amount, now=now)
        try:
            self.faults.check(SYSTEM_VI)
        except IntegrationUnavailable:
            raise TransitionRefused(
                "Giao dịch thanh toán trực tuyến không thành công (ngân hàng từ chối hoặc nền tảng gián đoạn). "
                "Chưa có khoản tiền nào bị trừ; vui lòng thử lại.",
                code="payment_failed",
            ) from None
        order.status, order.paid_at = "paid", now
        return order

    def record_cash(
        self, session: Session, *, workspace_id: str, dossier_id: int, amount: int, now: datetime
    ) -> Payment:
        order = Payment(
            workspace_id=workspace_id,
            dossier_id=dossier_id,
            reference=f"TM{now:%y%m%d}{secrets.token_hex(5).upper()}",
            amount=amount,
            method="cash",
            status="paid",
            created_at=now,
            paid_at=now,
        )
        session.add(order)
        return order

    def status(self, session: Session, *, workspace_id: str, reference: str) -> Payment:
        order = session.scalars(
            select(Payment).where(Payment.workspace_id == workspace_id, Payment.reference == reference)
        ).first()
        if order is None:
            raise NotFound(f"Không tìm thấy giao dịch thanh toán {reference}.")
        return order
