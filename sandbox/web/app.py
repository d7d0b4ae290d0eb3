"""The Flask application factory, built from named steps (CONVENTIONS.md §9.1).

``flask --app sandbox.web.app run`` or ``sandbox run`` (waitress). No I/O happens here beyond
opening the engine: the schema and the world are the CLI's job (``sandbox seed``).
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from sandbox import __version__
from sandbox.config import Settings
from sandbox.domain.calendar import WorkingCalendar
from sandbox.integrations.registry import Integrations
from sandbox.store.session import make_engine, make_session_factory
from sandbox.web.jsonio import OrjsonProvider

csrf = CSRFProtect()


def create_app(settings: Settings | None = None, *, integrations: Integrations | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.json = OrjsonProvider(app)
    from sandbox.web.auth import CookieSessions

    app.session_interface = CookieSessions()
    _configure(app, settings)
    _init_db(app, settings)
    app.extensions["sandbox.integrations"] = integrations or Integrations.from_env()
    app.extensions["sandbox.calendar"] = WorkingCalendar.default()
    csrf.init_app(app)
    from sandbox.web.training_state import load_scenarios

    load_scenarios(app)
    _register_errors(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    return app


def _configure(app: Flask, settings: Settings) -> None:
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SANDBOX_SETTINGS=settings,
        TESTING=settings.testing,
        MAX_CONTENT_LENGTH=10 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),  # a workshop day from signing in
        # the cookie is signed again only when the session changes (sign-in, role, flash), not on every page:
        # signing it was a twentieth of a workshop's server time (docs/PERFORMANCE.md)
        SESSION_REFRESH_EACH_REQUEST=False,
        WTF_CSRF_TIME_LIMIT=None,
    )


def _init_db(app: Flask, settings: Settings) -> None:
    if "sandbox.session_factory" not in app.extensions:
        engine = make_engine(settings.database_url)
        app.extensions["sandbox.engine"] = engine
        app.extensions["sandbox.session_factory"] = make_session_factory(engine)
    from sandbox.web import db

    db.init_app(app)


def _register_errors(app: Flask) -> None:
    from sandbox.web import errors

    errors.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from sandbox.web.admin import bp as admin_bp
    from sandbox.web.api import bp as api_bp
    from sandbox.web.auth import bp as auth_bp
    from sandbox.web.learn import bp as learn_bp
    from sandbox.web.motcua import bp as motcua_bp
    from sandbox.web.portal import bp as portal_bp
    from sandbox.web.trainer import bp as trainer_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(motcua_bp)
    app.register_blueprint(portal_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(trainer_bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)

    @app.get("/healthz/live")
    def live() -> tuple[str, int, dict[str, str]]:
        """Liveness, and the bare endpoint load reports compare against: no database, no session."""
        return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}

    @app.get("/healthz")
    def healthz() -> dict[str, object]:
        from sqlalchemy import text

        from sandbox.web.db import get_db

        get_db().execute(text("SELECT 1"))
        return {"status": "ok", "version": __version__}


def _register_template_helpers(app: Flask) -> None:
    from sandbox.web import filters

    filters.init_app(app)
