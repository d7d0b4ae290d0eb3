"""Filing with attachments over the API (multipart): the files are stored with the dossier, or nothing is."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.services.auth import CITIZEN_DEMO_PASSWORD
from sandbox.services.eforms import example_form_data
from sandbox.store.models import Dossier, DossierDocument, StoredFile
from tests.web.test_api import assert_vi_error
from tests.web.test_portal_filing import PDF, a_citizen, a_procedure, count


def _post(client: FlaskClient, headers: dict[str, str], data: dict[str, object]):
    resp = client.post("/api/v1/dossiers", data=data, headers=headers, content_type="multipart/form-data")
    resp.request.environ["wsgi.input"].close()
    return resp


def test_a_citizen_files_online_with_attachments(client: FlaskClient, api_token: Callable, db: Session) -> None:
    procedure = a_procedure(db)
    me = api_token(a_citizen(db).cccd, CITIZEN_DEMO_PASSWORD)
    required = [d.code for d in procedure.documents if d.required]
    body = {
        "procedure_code": procedure.code,
        "form_data": example_form_data(procedure.eform),
        "documents": required[:1],
    }
    data: dict[str, object] = {"dossier": json.dumps(body)}
    data.update({f"file_{c}": (io.BytesIO(PDF + c.encode()), f"{c}.pdf") for c in required})
    resp = _post(client, me, data)
    assert resp.status_code == 201, resp.get_json()
    dossier = db.scalars(select(Dossier).where(Dossier.code == resp.get_json()["code"])).one()
    attached = {
        d.doc_code: d for d in db.scalars(select(DossierDocument).where(DossierDocument.dossier_id == dossier.id))
    }
    assert set(required) <= set(attached)  # listed or not, each file lands on its document
    assert all(attached[c].sha256 and attached[c].file_name == f"{c}.pdf" for c in required)
    assert db.get(StoredFile, attached[required[0]].sha256).content == PDF + required[0].encode()


def test_bad_multipart_filings_are_4xx_and_leave_nothing(client: FlaskClient, api_token: Callable, db: Session) -> None:
    procedure = a_procedure(db)
    me = api_token(a_citizen(db).cccd, CITIZEN_DEMO_PASSWORD)
    body = {"procedure_code": procedure.code, "form_data": example_form_data(procedure.eform)}
    dossiers, files = count(db, Dossier), count(db, StoredFile)
    assert_vi_error(_post(client, me, {"file_TP1": (io.BytesIO(PDF), "a.pdf")}), 400, "malformed_json")
    assert_vi_error(_post(client, me, {"dossier": "{bad"}), 400, "malformed_json")
    assert_vi_error(_post(client, me, {"dossier": json.dumps({**body, "documents": "TP1"})}), 422)
    not_a_pdf = {"dossier": json.dumps(body)}
    not_a_pdf.update({f"file_{d.code}": (io.BytesIO(b"<html>hi</html>"), "x.pdf") for d in procedure.documents})
    resp = _post(client, me, not_a_pdf)
    assert resp.status_code == 422 and resp.get_json()["field"].startswith("tep_"), resp.get_json()
    assert (count(db, Dossier), count(db, StoredFile)) == (dossiers, files)
