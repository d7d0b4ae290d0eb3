"""Shared fixtures: a tiny world seeded once per session, and per-test SAVEPOINT isolation.

Every test runs inside an outer transaction that is rolled back at the end; use cases commit
to a SAVEPOINT (``join_transaction_mode="create_savepoint"``), so nothing leaks between tests
(CONVENTIONS.md §6, with the SQLite hooks of ``store.session``). The Flask app in tests uses
that same session.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from sandbox.config import Settings
from sandbox.domain.calendar import WorkingCalendar
from sandbox.domain.vocabulary import Role, State
from sandbox.integrations.registry import Integrations
from sandbox.paths import SEED_DIR
from sandbox.seeding.officers import DEMO_PASSWORD
from sandbox.seeding.world import DEMO_WORKSPACE, build_world
from sandbox.services.auth import CITIZEN_DEMO_PASSWORD, citizen_actor, officer_actor
from sandbox.services.context import Actor, ServiceContext
from sandbox.store.models import Citizen, Dossier, Officer
from sandbox.store.session import make_engine

# The tiny world's clock is frozen here (seed/profiles/tiny.yaml).
WORLD_NOW = datetime(2026, 11, 23, 9, 30)


@pytest.fixture(scope="session")
def world_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("world")


@pytest.fixture(scope="session")
def settings(world_dir: Path) -> Settings:
    # SANDBOX_TEST_DATABASE_URL runs the whole suite on another database (e.g. PostgreSQL); it is wiped.
    url = os.environ.get("SANDBOX_TEST_DATABASE_URL") or f"sqlite:///{world_dir / 'test.db'}"
    return Settings.from_env({}, database_url=url, instance_dir=world_dir, testing=True, secret_key="test-secret")


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    eng = make_engine(settings.database_url)
    build_world(eng, profile="tiny", seed=7, seed_dir=SEED_DIR, progress=False, force=True)
    yield eng
    eng.dispose()


class SharedSession(Session):
    """The test's session, shared with the app: a request's teardown ends its transaction but keeps
    the session open, so the test can go on using the objects it holds."""

    def close(self) -> None:
        self.rollback()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    conn = engine.connect()
    outer = conn.begin()
    session = SharedSession(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
    yield session
    Session.close(session)
    outer.rollback()
    conn.close()


@pytest.fixture
def integrations() -> Integrations:
    return Integrations()


@pytest.fixture
def calendar() -> WorkingCalendar:
    return WorkingCalendar.default()


@pytest.fixture
def officer(db: Session) -> Callable[[str], Officer]:
    def get(username: str) -> Officer:
        found = db.scalars(select(Officer).where(Officer.username == username)).first()
        assert found is not None, username
        return found

    return get


@pytest.fixture
def ctx_for(db: Session, integrations: Integrations, calendar: WorkingCalendar, officer: Callable[[str], Officer]):
    """``ctx_for("motcua")`` or ``ctx_for(citizen)``: a ServiceContext in the demo workspace."""

    def make(who: str | Citizen | Actor) -> ServiceContext:
        if isinstance(who, Actor):
            actor = who
        elif isinstance(who, Citizen):
            actor = citizen_actor(who)
        else:
            actor = officer_actor(officer(who))
        return ServiceContext(db, DEMO_WORKSPACE, actor, calendar, integrations, real_time=lambda: WORLD_NOW)

    return make


@pytest.fixture
def dossier_in(db: Session) -> Callable[..., Dossier]:
    """The first demo dossier in ``state`` whose agencies have the demo accounts (provincial level)."""

    def find(state: State, *, desk: str = "motcua", **filters: object) -> Dossier:
        desk_officer = db.scalars(select(Officer).where(Officer.username == desk)).one()
        stmt = select(Dossier).where(
            Dossier.workspace_id == DEMO_WORKSPACE,
            Dossier.state == state,
            Dossier.receiving_agency_id == desk_officer.agency_id,
        )
        for key, value in filters.items():
            stmt = stmt.where(getattr(Dossier, key) == value)
        found = db.scalars(stmt.order_by(Dossier.id)).first()
        assert found is not None, f"no seeded dossier in {state}"
        return found

    return find


def username_for(db: Session, role: Role, agency_id: int) -> str:
    return db.scalars(
        select(Officer.username).where(Officer.role == role, Officer.agency_id == agency_id).order_by(Officer.id)
    ).first()  # type: ignore[return-value]


@pytest.fixture
def app(settings: Settings, db: Session, integrations: Integrations) -> Flask:
    from sandbox.web.app import create_app

    flask_app = create_app(settings, integrations=integrations)
    flask_app.extensions["sandbox.session_factory"] = lambda: db  # the test's savepoint session
    return flask_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def api_token(client: FlaskClient) -> Callable[[str, str], dict[str, str]]:
    def login(username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
        resp = client.post("/api/v1/session", json={"username": username, "password": password})
        assert resp.status_code == 201, resp.get_json()
        return {"Authorization": f"Bearer {resp.get_json()['token']}"}

    return login


def csrf(html: str) -> str:
    """The CSRF token of the (first) form on a page."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(client: FlaskClient, username: str, password: str = DEMO_PASSWORD) -> str:
    """Sign in through the login page, as a browser does; return where it sends the user."""
    page = client.get("/dang-nhap").get_data(as_text=True)
    resp = client.post("/dang-nhap", data={"username": username, "password": password, "csrf_token": csrf(page)})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return resp.headers["Location"]


def vneid(client: FlaskClient, cccd: str, password: str = CITIZEN_DEMO_PASSWORD):
    """Sign in on the citizen portal with the mock VNeID (CCCD and the shared demo password)."""
    page = client.get("/dich-vu-cong/dang-nhap").get_data(as_text=True)
    return client.post("/dich-vu-cong/dang-nhap", data={"so_dinh_danh": cccd, "mat_khau": password,
                                                         "csrf_token": csrf(page)})  # fmt: skip
