"""Sign-in for pages (cookie session) and for the API (signed bearer tokens), and the request's context.

A token (and the session) carries the actor itself, signed with the app's secret; an officer is read
again on every request (one primary-key row), so a locked account or a changed role applies at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, Flask, current_app, flash, g, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature, URLSafeTimedSerializer

from sandbox.domain.errors import DomainError
from sandbox.domain.vocabulary import Role
from sandbox.services.auth import authenticate, current_officer_in
from sandbox.services.context import Actor, ServiceContext
from sandbox.web.db import get_db

bp = Blueprint("auth", __name__)
F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_WORKSPACE = "demo"


class Unauthorized(DomainError):
    code = "unauthorized"
    http_status = 401


def actor_to_dict(actor: Actor) -> dict[str, Any]:
    return {"k": actor.kind, "i": actor.id, "n": actor.name, "r": actor.role.value, "a": actor.agency_id}


def actor_from_dict(data: dict[str, Any]) -> Actor:
    return Actor(kind=data["k"], id=data["i"], name=data["n"], role=Role(data["r"]), agency_id=data["a"])


class _Tokens:
    """The app's bearer tokens: signed with its secret, and those already verified remembered (by their text).

    A client sends the same token with every request; checking its signature and decoding its JSON each
    time cost about a tenth of a dossier look-up (bench/api.py). A token read before is the same text with
    the same signature, so its actor is taken from here; its age is checked every time all the same."""

    SIZE = 4096  # tokens remembered per process: a workshop of a few hundred, a load run of a few thousand

    def __init__(self, secret: str, ttl_seconds: int) -> None:
        self.secret = secret
        self.serializer = URLSafeTimedSerializer(secret, salt="sandbox-api-token")
        self.ttl = ttl_seconds
        self.known: dict[str, tuple[Actor, str, float]] = {}  # token → actor, workspace, signed at (epoch s)

    def read(self, token: str) -> tuple[Actor, str]:
        known = self.known.get(token)
        if known is None:
            try:  # the signature only: the age is checked below, for a token read before as for a new one
                data, signed_at = self.serializer.loads(token, return_timestamp=True)
                known = (actor_from_dict(data), data["w"], signed_at.timestamp())
            except (BadSignature, KeyError, TypeError, ValueError):
                raise Unauthorized("Mã truy cập không hợp lệ.", code="token_invalid") from None
            if len(self.known) >= self.SIZE:
                self.known.clear()  # simpler than an LRU, and as good: the live tokens come back at once
            self.known[token] = known
        if not 0 <= int(time.time()) - known[2] <= self.ttl:  # as itsdangerous's max_age (a negative age too)
            self.known.pop(token, None)
            raise Unauthorized("Mã truy cập đã hết hạn, vui lòng đăng nhập lại.", code="token_expired")
        return known[0], known[1]


def _tokens() -> _Tokens:
    tokens = current_app.extensions.get("sandbox.tokens")
    if tokens is None or tokens.secret != current_app.config["SECRET_KEY"]:  # a new secret: a new signer
        settings = current_app.config["SANDBOX_SETTINGS"]
        tokens = current_app.extensions["sandbox.tokens"] = _Tokens(current_app.config["SECRET_KEY"],
                                                                     settings.token_ttl_seconds)  # fmt: skip
    return tokens  # type: ignore[no-any-return]


def issue_token(actor: Actor, workspace_id: str) -> str:
    return _tokens().serializer.dumps({**actor_to_dict(actor), "w": workspace_id})


def read_token(token: str) -> tuple[Actor, str]:
    return _tokens().read(token)


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, minus their cost on requests without a cookie (the API's, with a token).

    Flask builds a signing serializer for every request, cookie or not; here it is built once per secret."""

    def __init__(self) -> None:
        self._signing: tuple[Any, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if self._signing is None or self._signing[0] != key:
            self._signing = (key, super().get_signing_serializer(app))
        return self._signing[1]

    def open_session(self, app: Flask, request: Any) -> SecureCookieSession | None:
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()  # no cookie: an empty session, nothing to verify
        return super().open_session(app, request)


def current_actor() -> Actor | None:
    if "actor" not in g:
        g.actor, g.workspace_id = None, session.get("workspace", DEFAULT_WORKSPACE)
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            g.actor, g.workspace_id = read_token(header[7:].strip())
        elif "actor" in session:
            g.actor = actor_from_dict(session["actor"])
        if g.actor is not None and g.actor.kind == "officer":
            g.actor = _as_the_officer_is_now(g.actor, from_session="actor" in session and not header)
    return g.actor  # type: ignore[no-any-return]


def _as_the_officer_is_now(actor: Actor, *, from_session: bool) -> Actor | None:
    """The officer as the database has them now: a locked account is signed out at once, and a role or unit
    changed by the administrator applies from the next request (not from the next sign-in)."""
    fresh = None
    if actor.id is not None:  # and the clock of the workspace, which the request's use case will want
        fresh, g.clock = current_officer_in(get_db(), actor.id, g.workspace_id)
    if fresh is None:
        if from_session:
            session.pop("actor", None)
        return None
    if fresh != actor and from_session:
        session["actor"] = actor_to_dict(fresh)
    return fresh


def service_context() -> ServiceContext:
    actor = current_actor()
    if actor is None:
        raise Unauthorized("Bạn cần đăng nhập để tiếp tục.")
    settings = current_app.config["SANDBOX_SETTINGS"]
    integrations = current_app.extensions["sandbox.integrations"]
    if actor.kind == "trainee" and session.get("scenario"):
        from sandbox.web.training_state import integrations_for

        integrations = integrations_for(session["scenario"])  # the scenario's faults (e.g. registry down)
    return ServiceContext(
        session=get_db(),
        workspace_id=g.workspace_id,
        actor=actor,
        calendar=current_app.extensions["sandbox.calendar"],
        integrations=integrations,
        dossier_code_format=settings.dossier_code_format,
        _clock=g.get("clock"),  # read with the officer (see _as_the_officer_is_now), in this same transaction
    )


def login_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_actor() is None:
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _demo_accounts() -> list[tuple[Role, list[dict[str, str]]]]:
    """Demo logins grouped by role, in the order of the one-stop workflow."""
    from sqlalchemy import select

    from sandbox.store.models import Agency, Officer

    rows = (
        get_db()
        .execute(
            select(Officer.username, Officer.full_name, Officer.role, Agency.name)
            .join(Agency, Officer.agency_id == Agency.id)
            .where(Officer.is_demo.is_(True))
            .order_by(Officer.id)
        )
        .all()
    )
    groups: dict[Role, list[dict[str, str]]] = {r: [] for r in Role if r is not Role.CITIZEN}
    for username, name, role, agency in rows:
        groups[role].append({"username": username, "name": name, "agency": agency})
    return [(role, accounts) for role, accounts in groups.items() if accounts]


def home_of(actor: Actor) -> str:
    """Where a signed-in user starts: trainers their classes, citizens the portal, officers their queue."""
    if actor.role is Role.TRAINER:
        return url_for("trainer.index")
    return url_for("portal.home") if actor.role is Role.CITIZEN else url_for("motcua.queue")


def fresh_session(**values: Any) -> None:
    """A new signed-in session holding ``values``: nothing of the previous user survives. Its CSRF secret is
    made now, so the pages after it leave the session as it is (and its cookie is not signed again)."""
    session.clear()
    session.permanent = True
    session.update(values)
    generate_csrf()


def start_session(actor: Actor) -> Any:
    """A fresh signed-in session for ``actor``, then the page asked for."""
    fresh_session(actor=actor_to_dict(actor), workspace=DEFAULT_WORKSPACE)
    target = request.args.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = home_of(actor)
    return redirect(target)


@bp.route("/dang-nhap", methods=["GET", "POST"])
def login() -> Any:
    from sandbox.seeding.officers import DEMO_PASSWORD  # the printed demo password, shown on the page
    from sandbox.services.auth import CITIZEN_DEMO_PASSWORD

    error, username = None, request.form.get("username", "")
    if request.method == "POST":
        try:
            actor = authenticate(get_db(), username, request.form.get("password", ""))
        except DomainError as exc:
            error = exc.message
        else:
            return start_session(actor)
    status = 401 if error else 200
    return render_template(
        "auth/login.html", error=error, username=username, accounts=_demo_accounts(),
        demo_password=DEMO_PASSWORD, citizen_password=CITIZEN_DEMO_PASSWORD,
    ), status  # fmt: skip


@bp.post("/dang-xuat")
def logout() -> Any:
    session.clear()
    flash("Bạn đã đăng xuất.")
    return redirect(url_for("auth.login"))


@bp.get("/")
def index() -> Any:
    actor = current_actor()
    if actor is None:
        return redirect(url_for("auth.login"))
    return redirect(home_of(actor))
