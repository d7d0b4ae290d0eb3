"""Sign-in for pages (cookie session) and for the API (signed bearer tokens), and the request's context.

A token (and the session) carries the actor itself, signed with the app's secret, so no request
needs a database round trip to know who is acting.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from sandbox.domain.errors import DomainError
from sandbox.domain.vocabulary import Role
from sandbox.services.auth import authenticate, current_officer
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


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="sandbox-api-token")


def issue_token(actor: Actor, workspace_id: str) -> str:
    return _serializer().dumps({**actor_to_dict(actor), "w": workspace_id})


def read_token(token: str) -> tuple[Actor, str]:
    settings = current_app.config["SANDBOX_SETTINGS"]
    try:
        data = _serializer().loads(token, max_age=settings.token_ttl_seconds)
    except SignatureExpired:
        raise Unauthorized("Mã truy cập đã hết hạn, vui lòng đăng nhập lại.", code="token_expired") from None
    except BadSignature:
        raise Unauthorized("Mã truy cập không hợp lệ.", code="token_invalid") from None
    return actor_from_dict(data), data["w"]


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
    fresh = current_officer(get_db(), actor.id) if actor.id is not None else None
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


def start_session(actor: Actor) -> Any:
    """A fresh signed-in session (nothing of the previous user survives), then the page asked for."""
    session.clear()
    session.permanent = True
    session["actor"] = actor_to_dict(actor)
    session["workspace"] = DEFAULT_WORKSPACE
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
