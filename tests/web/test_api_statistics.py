"""A manager's statistics over the API: figures that follow the dossiers, scope, and bad periods."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.store.models import Citizen, Commune
from tests.web.test_api import assert_vi_error


def _stats(client: FlaskClient, headers: dict[str, str], query: str = "") -> dict:
    resp = client.get(f"/api/v1/statistics{query}", headers=headers)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def test_statistics_count_what_the_desk_receives(client: FlaskClient, api_token: Callable, db: Session) -> None:
    desk = api_token("motcua")
    before = _stats(client, desk)
    cccd = db.scalars(select(Citizen.cccd)).first()
    commune = db.scalars(select(Commune.code).where(Commune.province_code == "37")).first()
    body = {"procedure_code": "1.005442", "applicant_cccd": cccd, "commune_code": commune,
            "form_data": {"ly_do": "Bị mất"}, "documents": [{"code": "TP1", "digitized": True}]}  # fmt: skip
    for _ in range(2):
        assert client.post("/api/v1/dossiers", headers=desk, json=body).status_code == 201
    after = _stats(client, desk)
    assert after["received"] == before["received"] + 2
    assert after["by_channel"]["counter"] == before["by_channel"]["counter"] + 2
    assert after["open_now"] == before["open_now"] + 2
    assert sum(after["by_status"].values()) == after["received"]
    rates = after["indicators"]
    assert 0 <= rates["on_time_rate"] <= 100 and 0 < rates["digitised_input_rate"] <= 100
    assert after["period"]["to"] == after["as_of"][:10] and after["period"]["from"].endswith("-01")


def test_statistics_period_and_who_may_read(client: FlaskClient, api_token: Callable, db: Session) -> None:
    leader = api_token("lddonvi.khcn")
    empty = _stats(client, leader, "?from=2020-01-01&to=2020-01-31")
    assert empty["received"] == 0 and empty["indicators"]["on_time_rate"] is None  # N/A, not 0 %
    assert_vi_error(client.get("/api/v1/statistics?from=2026-13-01", headers=leader), 422)
    assert_vi_error(client.get("/api/v1/statistics?from=2026-11-02&to=2026-11-01", headers=leader), 422)
    assert_vi_error(client.get("/api/v1/statistics?from=2024-01-01&to=2026-01-01", headers=leader), 422)
    assert_vi_error(client.get("/api/v1/statistics?from=٢٠٢٦-11-01", headers=leader), 422)
    citizen = db.scalars(select(Citizen.cccd)).first()
    assert_vi_error(client.get("/api/v1/statistics", headers=api_token(citizen, "vneid2026")), 403)
    assert_vi_error(client.get("/api/v1/statistics"), 401)
