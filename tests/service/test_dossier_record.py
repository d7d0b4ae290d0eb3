"""A dossier read as a plain record says in the API exactly what the ORM object says."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.domain.errors import Forbidden, NotFound
from sandbox.services import reading
from sandbox.services.context import ServiceContext
from sandbox.store.models import Dossier
from sandbox.web.api.views import detail_json
from tests.conftest import DEMO_WORKSPACE


@pytest.mark.parametrize("who", ["motcua", "motcua.xa1", "chuyenvien.khcn"])
def test_the_look_up_of_a_record_and_of_a_dossier_say_the_same(
    db: Session, ctx_for: Callable[[str], ServiceContext], who: str
) -> None:
    ctx = ctx_for(who)
    codes = db.scalars(select(Dossier.code).where(Dossier.workspace_id == DEMO_WORKSPACE).order_by(Dossier.id)).all()
    seen = refused = 0
    for code in codes[::3]:  # every state of the demo world, seen by this actor or refused to them
        try:
            record = reading.visible_record(ctx, code)
        except Forbidden:
            with pytest.raises(Forbidden):
                reading.visible_dossier(ctx, code)
            refused += 1
            continue
        dossier = reading.visible_dossier(ctx, code)
        assert detail_json(ctx, record) == detail_json(ctx, dossier)
        assert record.snapshot() == dossier.snapshot() and record.card == dossier.card
        seen += 1
    assert seen >= 2 and refused >= 2, (seen, refused)  # both paths taken
    with pytest.raises(NotFound):
        reading.visible_record(ctx, "000.00.00.H00-000000-0000")


def test_a_dossiers_page_has_the_documents_and_forms_its_relationships_load(
    db: Session, ctx_for: Callable[[str], ServiceContext]
) -> None:
    ctx = ctx_for("motcua")
    codes = db.scalars(select(Dossier.code).where(Dossier.workspace_id == DEMO_WORKSPACE).order_by(Dossier.id)).all()
    with_forms = 0
    for code in codes[::5]:
        page = reading.get_dossier(ctx, code, page=True)
        docs, forms = [(d.id, d.doc_code, d.kind) for d in page.documents], [(f.id, f.kind) for f in page.forms]
        db.expire(page)  # the same dossier loaded the ORM's way
        assert [(d.id, d.doc_code, d.kind) for d in page.documents] == docs
        assert [(f.id, f.kind) for f in page.forms] == forms
        with_forms += bool(forms)
    assert with_forms >= 3
