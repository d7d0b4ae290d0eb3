"""Uploaded files (scans, attachments), stored once by their SHA-256 in the database itself.

Content-addressed and shared by every workspace: the same scan attached twice is stored once, a
reset workspace leaves nothing to clean up on disk, and a dossier and its files are written in one
transaction (a workshop laptop carries one SQLite file, nothing else).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from sandbox.store.base import Base


class StoredFile(Base):
    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
