"""Mock digital-signing service (chữ ký số) with per-officer certificates.

Each officer gets a deterministic Ed25519 key pair derived from the sandbox CA secret and the
officer id, so a signature made today verifies tomorrow and in a cloned workspace. The
service keeps what it signed (the ``signatures`` table), refuses revoked certificates, and
fails on demand through its :class:`FaultPlan`. ``verify`` re-computes the digest, so a
result changed after signing is caught (domain.md §11: keep the signed result immutable).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from sandbox.domain.errors import TransitionRefused
from sandbox.integrations.faults import FaultPlan
from sandbox.store.models import Signature

SYSTEM_VI = "Dịch vụ ký số"


@dataclass
class MockSigningService:
    ca_secret: str = "sa-ban-mot-cua-ca"  # noqa: S105 - a fake CA for a training sandbox
    faults: FaultPlan = field(default_factory=FaultPlan)
    revoked_serials: frozenset[str] = frozenset()

    def _key(self, signer_id: int) -> Ed25519PrivateKey:
        seed = hashlib.sha256(f"{self.ca_secret}:officer:{signer_id}".encode()).digest()
        return Ed25519PrivateKey.from_private_bytes(seed)

    def certificate_serial(self, signer_id: int) -> str:
        return hashlib.sha256(f"{self.ca_secret}:cert:{signer_id}".encode()).hexdigest()[:20].upper()

    def signature_values(self, signer_id: int, content: bytes) -> tuple[str, str]:
        """(sha-256 digest, Ed25519 signature) of ``content`` by the officer's key, both hex."""
        digest = hashlib.sha256(content).hexdigest()
        return digest, self._key(signer_id).sign(bytes.fromhex(digest)).hex()

    def sign(
        self, session: Session, *, workspace_id: str, dossier_id: int, signer_id: int, content: bytes, now: datetime
    ) -> Signature:
        """Sign ``content`` for ``signer_id``; the row is added to ``session`` (caller commits)."""
        self.faults.check(SYSTEM_VI)
        serial = self.certificate_serial(signer_id)
        if serial in self.revoked_serials:
            raise TransitionRefused(
                f"Chứng thư số {serial} đã bị thu hồi: không thể ký. Liên hệ quản trị để được cấp chứng thư mới.",
                code="certificate_revoked",
            )
        digest, signature = self.signature_values(signer_id, content)
        row = Signature(
            workspace_id=workspace_id,
            dossier_id=dossier_id,
            signer_id=signer_id,
            certificate_serial=serial,
            digest=digest,
            signature=signature,
            signed_at=now,
        )
        session.add(row)
        return row

    def verify(self, row: Signature, content: bytes) -> bool:
        """True when ``content`` is exactly what ``row`` signed, with the signer's key."""
        digest = hashlib.sha256(content).hexdigest()
        if digest != row.digest:
            return False
        try:
            self._key(row.signer_id).public_key().verify(bytes.fromhex(row.signature), bytes.fromhex(digest))
        except InvalidSignature:
            return False
        return True
