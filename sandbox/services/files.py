"""Storing uploaded scans and attachments, and finding them again (a dossier's file, a citizen's data store)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from sandbox.domain.errors import InvalidInput, NotFound
from sandbox.domain.files import check_upload
from sandbox.domain.inputs import shorten
from sandbox.services.context import ServiceContext
from sandbox.store.models import Dossier, DossierDocument, StoredFile


@dataclass(frozen=True)
class Upload:
    """A file as it came in (name and bytes), before any check."""

    file_name: str | None
    data: bytes


@dataclass(frozen=True)
class Stored:
    file_name: str
    sha256: str
    size: int
    content_type: str


def store(ctx: ServiceContext, upload: Upload, *, field: str | None = None) -> Stored:
    """Check ``upload`` (type by content, size, name) and store its bytes, inside the caller's transaction.

    Content-addressed: storing the same bytes twice keeps one row, and two requests storing them at
    once do not collide (``INSERT … ON CONFLICT DO NOTHING`` on SQLite and PostgreSQL alike)."""
    name, content_type = check_upload(upload.file_name, upload.data, field)
    digest = hashlib.sha256(upload.data).hexdigest()
    row: dict[str, Any] = dict(sha256=digest, content_type=content_type, size=len(upload.data), content=upload.data,
                               created_at=ctx.now())  # fmt: skip
    insert = pg_insert if ctx.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    ctx.session.execute(insert(StoredFile).values(**row).on_conflict_do_nothing(index_elements=["sha256"]))
    return Stored(name, digest, len(upload.data), content_type)


def document_file(ctx: ServiceContext, dossier: Dossier, document_id: int) -> tuple[DossierDocument, StoredFile]:
    """An attached document of ``dossier`` and its stored bytes (the caller checked jurisdiction)."""
    doc = next((d for d in dossier.documents if d.id == document_id), None)
    if doc is None:
        raise NotFound(f"Hồ sơ {dossier.code} không có giấy tờ số {document_id}.")
    stored = ctx.session.get(StoredFile, doc.sha256) if doc.sha256 else None
    if stored is None:
        raise NotFound(f"Giấy tờ «{shorten(doc.name, 60)}» không có tệp điện tử đính kèm (bản giấy chưa được số hóa).")
    return doc, stored


# Built once (every desk officer's dossier page shows the applicant's data store).
_DATA_STORE = (
    select(DossierDocument)
    .join(Dossier, DossierDocument.dossier_id == Dossier.id)
    .join(StoredFile, StoredFile.sha256 == DossierDocument.sha256)
    .where(Dossier.workspace_id == bindparam("workspace_id"), Dossier.citizen_id == bindparam("citizen_id"),
           or_(DossierDocument.kind == "input", DossierDocument.kind == "supplement"),
           DossierDocument.digitized.is_(True))
    .order_by(DossierDocument.id.desc())
    .limit(bindparam("limit"))
)  # fmt: skip


def data_store_of(ctx: ServiceContext, citizen_id: int, *, limit: int = 50) -> list[DossierDocument]:
    """The citizen's digitised documents with a file, newest first, one per file (their «kho dữ liệu»).

    What a desk officer may reuse instead of scanning the same paper again, and what the citizen may
    attach again on the portal."""
    rows = ctx.session.scalars(_DATA_STORE, {"workspace_id": ctx.workspace_id, "citizen_id": citizen_id,
                                             "limit": limit * 4})  # fmt: skip
    out: dict[str, DossierDocument] = {}
    for doc in rows:
        if doc.sha256 not in out:
            out[doc.sha256] = doc  # type: ignore[index]
    return list(out.values())[:limit]


def reusable_document(
    ctx: ServiceContext, citizen_id: int, document_id: Any, field: str | None = None
) -> DossierDocument:
    """A document of the citizen's data store by id (never another citizen's, never another workspace's)."""
    if isinstance(document_id, int) and not isinstance(document_id, bool):
        wanted = document_id
    elif isinstance(document_id, str) and document_id.isascii() and document_id.isdigit() and len(document_id) <= 10:
        wanted = int(document_id)
    else:
        wanted = 0  # floats (1e400), booleans, anything else: not a document id
    doc = None
    if 0 < wanted < 2**31:
        doc = ctx.session.scalars(
            select(DossierDocument).join(Dossier, DossierDocument.dossier_id == Dossier.id)
            .where(DossierDocument.id == wanted, Dossier.workspace_id == ctx.workspace_id,
                   Dossier.citizen_id == citizen_id, DossierDocument.sha256.is_not(None),
                   DossierDocument.digitized.is_(True))
        ).first()  # fmt: skip
    if doc is None:
        raise InvalidInput("Giấy tờ chọn dùng lại không có trong kho dữ liệu đã số hóa của người nộp.", field=field)
    return doc
