"""Files over HTTP: reading an uploaded file from a form, sending a stored one back to who may see it."""

from __future__ import annotations

import io

from flask import Response, request, send_file
from werkzeug.datastructures import FileStorage

from sandbox.domain.files import EXTENSIONS
from sandbox.services.files import Upload
from sandbox.store.models import DossierDocument, StoredFile


def upload_of(field: str) -> Upload | None:
    """The file sent in form field ``field``, or None when it was left empty."""
    sent: FileStorage | None = request.files.get(field)
    if sent is None or not sent.filename:
        return None
    return Upload(sent.filename, sent.stream.read())


def send_stored(doc: DossierDocument, stored: StoredFile) -> Response:
    """The file inline (PDF and images open in the browser), under its own name, never sniffed as HTML."""
    name = doc.file_name or f"{doc.doc_code}{EXTENSIONS.get(stored.content_type, '')}"
    resp = send_file(io.BytesIO(stored.content), mimetype=stored.content_type, download_name=name,
                     as_attachment=False, max_age=0, etag=stored.sha256)  # fmt: skip
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
