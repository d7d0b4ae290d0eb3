"""Số hóa: the desk scans a paper document of a dossier it received, or takes the same document from the
citizen's data store (a result or a scan digitised before) instead of scanning it again."""

from __future__ import annotations

from typing import Any

from sandbox.domain import lifecycle
from sandbox.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, TransitionRefused
from sandbox.domain.inputs import shorten
from sandbox.domain.vocabulary import Activity, Role
from sandbox.services import files
from sandbox.services.context import ServiceContext
from sandbox.services.dossiers import record_activity
from sandbox.services.files import Upload
from sandbox.services.reading import check_jurisdiction, get_dossier
from sandbox.store.models import DossierDocument


def digitize(ctx: ServiceContext, code: str, document_id: int, *, upload: Upload | None = None,
             reuse_document_id: Any = None) -> DossierDocument:  # fmt: skip
    """Attach a scan (PDF/JPEG/PNG, checked by content) or a data-store document to a paper document and mark
    it digitised; logged as an activity (the dossier does not move). All or nothing."""
    if ctx.actor.role is not Role.DESK:
        raise Forbidden("Chỉ cán bộ một cửa số hóa thành phần hồ sơ đã tiếp nhận.")
    if (upload is None) == (reuse_document_id in (None, "")):
        raise InvalidInput("Chọn tệp quét (PDF, JPEG, PNG) hoặc một giấy tờ trong kho dữ liệu, một trong hai.",
                           field="tep")  # fmt: skip
    with ctx.transaction():
        dossier = get_dossier(ctx, code, for_update=True)
        check_jurisdiction(ctx, dossier)
        if dossier.state in lifecycle.FINAL_STATES:
            raise TransitionRefused(f"Hồ sơ {dossier.code} đã kết thúc; không số hóa thêm.", code="dossier_closed")
        doc = next((d for d in dossier.documents if d.id == document_id and d.kind in ("input", "supplement")), None)
        if doc is None:
            raise NotFound(f"Hồ sơ {dossier.code} không có thành phần số {document_id}.")
        if doc.digitized:
            raise Conflict(f"Giấy tờ «{shorten(doc.name, 60)}» đã được số hóa.", code="already_digitized")
        if upload is not None:
            stored = files.store(ctx, upload, field="tep")
            doc.file_name, doc.sha256, doc.size, doc.reused = stored.file_name, stored.sha256, stored.size, False
        else:
            if dossier.citizen_id is None:
                raise InvalidInput("Người nộp nhập tay chưa có kho dữ liệu để dùng lại giấy tờ.", field="dung_lai")
            again = files.reusable_document(ctx, dossier.citizen_id, reuse_document_id, field="dung_lai")
            doc.file_name, doc.sha256, doc.size, doc.reused = again.file_name, again.sha256, again.size, True
        doc.digitized = True
        record_activity(ctx, dossier, Activity.DIGITIZE, {"document": doc.doc_code, "file_name": doc.file_name,
                                                          "reused": doc.reused}, ctx.now())  # fmt: skip
    return doc
