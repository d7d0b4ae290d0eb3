"""Officer and citizen authentication (passwords hashed with scrypt from the standard library)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session

from sandbox.domain.clock import SimulatedClock
from sandbox.domain.errors import DomainError, InvalidInput
from sandbox.domain.identifiers import validate_cccd
from sandbox.domain.inputs import is_clean_text
from sandbox.domain.vocabulary import Role
from sandbox.services.context import Actor
from sandbox.store.models import Citizen, Officer, Workspace

# The sandbox's fake citizens all sign in to the mock VNeID with this password.
CITIZEN_DEMO_PASSWORD = "vneid2026"  # noqa: S105 - the mock VNeID password of fake citizens
_N, _R, _P = 2**14, 8, 1


class AuthenticationFailed(DomainError):
    code = "authentication_failed"
    http_status = 401


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    return hmac.compare_digest(got.hex(), digest)


def officer_actor(officer: Officer) -> Actor:
    return Actor(kind="officer", id=officer.id, name=officer.full_name, role=officer.role, agency_id=officer.agency_id)


_CURRENT_OFFICER = select(Officer.full_name, Officer.role, Officer.agency_id).where(
    Officer.id == bindparam("officer_id"), Officer.active
)


def current_officer(session: Session, officer_id: int) -> Actor | None:
    """The officer as the database has them now (role, unit, name), or None if gone or locked.

    Asked on every signed-in request, so it reads three columns with a statement built once (building a
    ``select`` costs more than SQLite takes to answer it)."""
    row = session.connection().execute(_CURRENT_OFFICER, {"officer_id": officer_id}).first()
    if row is None:
        return None
    return Actor(kind="officer", id=officer_id, name=row.full_name, role=row.role, agency_id=row.agency_id)


_OFFICER_IN_WORKSPACE = (
    select(
        Workspace.clock_virtual,
        Workspace.clock_real,
        Workspace.clock_frozen,
        Officer.full_name,
        Officer.role,
        Officer.agency_id,
    )
    .select_from(Workspace)
    .outerjoin(Officer, and_(Officer.id == bindparam("officer_id"), Officer.active))
    .where(Workspace.id == bindparam("workspace_id"))
)


def current_officer_in(
    session: Session, officer_id: int, workspace_id: str
) -> tuple[Actor | None, SimulatedClock | None]:
    """:func:`current_officer`, and the clock of the workspace they act in, in one statement (both are read by
    nearly every request of an officer; a statement costs more in Python than SQLite takes to answer it).

    The clock is None if there is no such workspace (the use case then says so); the officer is read alone."""
    row = session.connection().execute(_OFFICER_IN_WORKSPACE, {"officer_id": officer_id,
                                                               "workspace_id": workspace_id}).first()  # fmt: skip
    if row is None:
        return current_officer(session, officer_id), None
    clock = SimulatedClock(anchor_virtual=row[0], anchor_real=row[1], frozen=row[2])
    if row.full_name is None:
        return None, clock
    return Actor(kind="officer", id=officer_id, name=row.full_name, role=row.role, agency_id=row.agency_id), clock


def citizen_actor(citizen: Citizen) -> Actor:
    return Actor(kind="citizen", id=citizen.id, name=citizen.full_name, role=Role.CITIZEN)


def authenticate(session: Session, username: str, password: str) -> Actor:
    """An officer (by username) or a citizen (by 12-digit CCCD, mock VNeID) with the right password."""
    if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
        raise InvalidInput("Vui lòng nhập tên đăng nhập và mật khẩu.", code="missing_field")
    username = unicodedata.normalize("NFKC", username).strip()  # full-width digits from some keyboards
    if not is_clean_text(username) or not is_clean_text(password) or len(username) > 64 or len(password) > 128:
        raise AuthenticationFailed("Tên đăng nhập hoặc mật khẩu không đúng.")
    if username.isascii() and username.isdigit() and len(username) == 12:
        citizen = session.scalars(select(Citizen).where(Citizen.cccd == validate_cccd(username))).first()
        if citizen is None or not hmac.compare_digest(password.encode(), CITIZEN_DEMO_PASSWORD.encode()):
            raise AuthenticationFailed("Số định danh hoặc mật khẩu VNeID không đúng.")
        return citizen_actor(citizen)
    officer = session.scalars(select(Officer).where(Officer.username == username)).first()
    if officer is None or not verify_password(password, officer.password_hash):
        raise AuthenticationFailed("Tên đăng nhập hoặc mật khẩu không đúng.")
    if not officer.active:
        raise AuthenticationFailed("Tài khoản đã bị khóa. Vui lòng liên hệ quản trị đơn vị.", code="account_locked")
    return officer_actor(officer)
