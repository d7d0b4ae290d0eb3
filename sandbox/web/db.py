"""A request-scoped SQLAlchemy session on ``flask.g`` (flaskr's get_db/close_db pattern)."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session


def get_db() -> Session:
    if "db" not in g:
        g.db = current_app.extensions["sandbox.session_factory"]()
    return g.db  # type: ignore[no-any-return]


def close_db(_exc: BaseException | None = None) -> None:
    session: Session | None = g.pop("db", None)
    if session is not None:
        session.close()  # rolls back: anything not committed by a use case is discarded


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db)
