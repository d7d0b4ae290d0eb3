"""The unit administrator's duties (Quản trị đơn vị): the province's units, officer accounts and roles,
fee-collection accounts, and each unit's internal process per procedure.

An administrator works on the units of their own province. Every change is one transaction with one
event in the log (no dossier attached), saying who changed what; a process change applies to dossiers
created after it, never to those already under way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from sandbox.domain import lifecycle
from sandbox.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from sandbox.domain.inputs import is_clean_text
from sandbox.domain.lifecycle import ProcedureFacts
from sandbox.domain.processes import STEP_ROLES, Step, clean_steps, default_steps, steps_from
from sandbox.domain.vocabulary import Activity, CompetentLevel, Role
from sandbox.services.auth import hash_password
from sandbox.services.context import ServiceContext
from sandbox.services.dossiers import json_safe
from sandbox.store.models import Agency, Dossier, Event, FeeAccount, Officer, Procedure, ProcessDefinition

ASSIGNABLE_ROLES = (*STEP_ROLES, Role.ADMIN)
USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


def _admin_agency(ctx: ServiceContext) -> Agency:
    if ctx.actor.role is not Role.ADMIN or ctx.actor.agency_id is None:
        raise Forbidden("Chỉ quản trị đơn vị được thực hiện chức năng quản trị.")
    agency = ctx.session.get(Agency, ctx.actor.agency_id)
    assert agency is not None
    return agency


def unit_of(ctx: ServiceContext, agency_id: Any) -> Agency:
    """An agency of the administrator's province (never another province's)."""
    home = _admin_agency(ctx)
    agency = ctx.session.get(Agency, agency_id) if isinstance(agency_id, int) and 0 < agency_id < 2**31 else None
    if agency is None or agency.province_code != home.province_code:
        raise NotFound("Không tìm thấy đơn vị này trong tỉnh bạn quản trị.")
    return agency


def _log(ctx: ServiceContext, activity: Activity, params: Mapping[str, Any]) -> None:
    ctx.session.add(Event(
        workspace_id=ctx.workspace_id, dossier_id=None, actor_kind=ctx.actor.kind, actor_id=ctx.actor.id,
        actor_name=ctx.actor.name, role=ctx.actor.role, action=activity.value, from_state=None, to_state=None,
        version=None, payload={"params": json_safe(dict(params))}, virtual_at=ctx.now(), real_at=ctx.real_time(),
    ))  # fmt: skip


# --------------------------------------------------------------------------- units


@dataclass(frozen=True)
class UnitRow:
    agency: Agency
    officers: int
    fee_accounts: int


def units(ctx: ServiceContext, q: str | None = None) -> list[UnitRow]:
    """The province's units (Sở, centres, commune committees) with their officer and fee-account counts."""
    home = _admin_agency(ctx)
    stmt = select(Agency).where(Agency.province_code == home.province_code)
    if q:
        stmt = stmt.where(or_(func.lower(Agency.name).contains(q.lower()), Agency.code.contains(q)))
    # the provincial units first (Sở, the centre), then the communes' committees and centres
    agencies = list(ctx.session.scalars(stmt.order_by(Agency.level.desc(), Agency.kind, Agency.name).limit(400)))
    ids = [a.id for a in agencies]
    staff = dict(ctx.session.execute(select(Officer.agency_id, func.count()).where(Officer.agency_id.in_(ids))
                                      .group_by(Officer.agency_id)).all())  # fmt: skip
    accounts = dict(ctx.session.execute(select(FeeAccount.agency_id, func.count()).where(
        FeeAccount.workspace_id == ctx.workspace_id, FeeAccount.agency_id.in_(ids), FeeAccount.active.is_(True))
        .group_by(FeeAccount.agency_id)).all())  # fmt: skip
    return [UnitRow(a, staff.get(a.id, 0), accounts.get(a.id, 0)) for a in agencies]


# --------------------------------------------------------------------------- officers


def officers_of(ctx: ServiceContext, agency: Agency) -> list[Officer]:
    unit_of(ctx, agency.id)
    return list(ctx.session.scalars(select(Officer).where(Officer.agency_id == agency.id)
                                    .order_by(Officer.role, Officer.username)))  # fmt: skip


def _role(raw: Any) -> Role:
    role = Role.parse(raw) if isinstance(raw, str) else None
    if role not in ASSIGNABLE_ROLES:
        raise InvalidInput("Chọn vai trò: " + ", ".join(r.label for r in ASSIGNABLE_ROLES) + ".", field="role")
    return role  # type: ignore[return-value]


def create_officer(ctx: ServiceContext, agency_id: int, *, username: Any, full_name: Any, role: Any, password: Any,
                   title: Any = "") -> Officer:  # fmt: skip
    """A new officer account in a unit of the province, with one role and an initial password."""
    try:
        return _create_officer(ctx, agency_id, username=username, full_name=full_name, role=role, password=password,
                               title=title)  # fmt: skip
    except IntegrityError:  # the same username taken by a concurrent request (PostgreSQL does not serialise us)
        raise Conflict("Tên đăng nhập vừa có người dùng; chọn tên khác.", code="username_taken") from None


def _create_officer(ctx: ServiceContext, agency_id: int, *, username: Any, full_name: Any, role: Any, password: Any,
                    title: Any) -> Officer:  # fmt: skip
    with ctx.transaction() as session:
        agency = unit_of(ctx, agency_id)
        name = username.strip().lower() if isinstance(username, str) else ""
        if not 3 <= len(name) <= 64 or not set(name) <= USERNAME_CHARS:
            raise InvalidInput("Tên đăng nhập 3–64 ký tự: chữ thường không dấu, số, dấu chấm, gạch dưới, gạch "
                               "ngang.", field="username")  # fmt: skip
        if session.scalars(select(Officer.id).where(Officer.username == name)).first() is not None:
            raise Conflict(f"Tên đăng nhập «{name}» đã có người dùng.", code="username_taken")
        if not isinstance(full_name, str) or not 2 <= len(full_name.strip()) <= 80 or not is_clean_text(full_name):
            raise InvalidInput("Họ và tên phải có từ 2 đến 80 ký tự.", field="full_name")
        chosen = _role(role)
        if not isinstance(password, str) or not 8 <= len(password) <= 128 or not is_clean_text(password):
            raise InvalidInput("Mật khẩu ban đầu phải có từ 8 đến 128 ký tự.", field="password")
        title = title.strip()[:120] if isinstance(title, str) and is_clean_text(title) else ""
        officer = Officer(username=name, password_hash=hash_password(password), full_name=full_name.strip(),
                          role=chosen, agency_id=agency.id, title=title or chosen.label, active=True)  # fmt: skip
        session.add(officer)
        _log(ctx, Activity.MANAGE_OFFICER, {"change": "create", "username": name, "role": chosen.value,
                                            "agency": agency.code})  # fmt: skip
    return officer


def update_officer(ctx: ServiceContext, officer_id: Any, *, role: Any = None, active: bool | None = None) -> Officer:
    """Change an officer's role, or lock/unlock the account. An administrator cannot lock or demote themself."""
    with ctx.transaction() as session:
        officer = session.get(Officer, officer_id) if isinstance(officer_id, int) and 0 < officer_id < 2**31 else None
        if officer is None:
            raise NotFound("Không tìm thấy tài khoản cán bộ.")
        unit_of(ctx, officer.agency_id)
        if officer.id == ctx.actor.id:
            raise Forbidden("Không tự khóa hoặc đổi vai trò tài khoản quản trị của chính mình.")
        if officer.role is Role.TRAINER or officer.is_demo:
            raise Forbidden(f"«{officer.username}» là tài khoản mẫu dùng chung của lớp học (hoặc của giảng viên): "
                            "không khóa, không đổi vai trò. Hãy tạo tài khoản mới để thực hành.")  # fmt: skip
        if (role is not None and Role.parse(role) is not officer.role) or active is False:
            open_work = session.scalar(select(func.count()).select_from(Dossier).where(
                Dossier.assignee_id == officer.id, Dossier.state.not_in(lifecycle.FINAL_STATES)))  # fmt: skip
            if open_work:
                raise Conflict(f"{officer.full_name} đang được phân công {open_work} hồ sơ chưa giải quyết xong: "
                               "cần phân công lại trước khi khóa hoặc đổi vai trò.", code="officer_has_work")  # fmt: skip
        changes: dict[str, Any] = {}
        if role is not None:
            new = _role(role)
            if new is not officer.role:
                changes["role"] = [officer.role.value, new.value]
                officer.role = new
        if active is not None and active != officer.active:
            changes["active"] = [officer.active, active]
            officer.active = active
        if changes:
            _log(ctx, Activity.MANAGE_OFFICER, {"change": "update", "username": officer.username, **changes})
    return officer


# --------------------------------------------------------------------------- fee accounts


def fee_accounts_of(ctx: ServiceContext, agency: Agency) -> list[FeeAccount]:
    return list(ctx.session.scalars(select(FeeAccount).where(FeeAccount.workspace_id == ctx.workspace_id,
                                    FeeAccount.agency_id == agency.id).order_by(FeeAccount.id)))  # fmt: skip


def active_fee_account(ctx: ServiceContext, agency_id: int) -> FeeAccount | None:
    """Where a unit's fees are paid to (the payment platform's beneficiary); None: the default state budget
    account at the State Treasury."""
    return ctx.session.scalars(select(FeeAccount).where(FeeAccount.workspace_id == ctx.workspace_id,
                               FeeAccount.agency_id == agency_id, FeeAccount.active.is_(True))
                               .order_by(FeeAccount.id.desc())).first()  # fmt: skip


def add_fee_account(ctx: ServiceContext, agency_id: int, *, bank_name: Any, account_number: Any,
                    account_name: Any) -> FeeAccount:  # fmt: skip
    """A new collection account for a unit; it becomes the one payments go to (older ones are closed)."""
    with ctx.transaction() as session:
        agency = unit_of(ctx, agency_id)
        number = account_number.replace(" ", "") if isinstance(account_number, str) else ""
        if not (number.isascii() and number.isdigit() and 6 <= len(number) <= 20):
            raise InvalidInput("Số tài khoản gồm 6 đến 20 chữ số.", field="account_number")
        for value, field, label in (
            (bank_name, "bank_name", "Ngân hàng"),
            (account_name, "account_name", "Tên tài khoản"),
        ):
            if not isinstance(value, str) or not 2 <= len(value.strip()) <= 120 or not is_clean_text(value):
                raise InvalidInput(f"«{label}» phải có từ 2 đến 120 ký tự.", field=field)
        for old in fee_accounts_of(ctx, agency):
            old.active = False
        account = FeeAccount(workspace_id=ctx.workspace_id, agency_id=agency.id, bank_name=bank_name.strip(),
                             account_number=number, account_name=account_name.strip(), active=True,
                             created_at=ctx.now())  # fmt: skip
        session.add(account)
        _log(ctx, Activity.MANAGE_FEE_ACCOUNT, {"change": "add", "agency": agency.code, "bank": bank_name.strip(),
                                                "account_number": number})  # fmt: skip
    return account


# --------------------------------------------------------------------------- internal processes


def procedures_decided_by(ctx: ServiceContext, agency: Agency) -> list[Procedure]:
    """The procedures a unit decides: its sector's provincial ones (a Sở), or the commune ones (a committee)."""
    stmt = select(Procedure).order_by(Procedure.code)
    if agency.kind == "so":
        stmt = stmt.where(Procedure.level == CompetentLevel.PROVINCE, Procedure.sector_id == agency.sector_id)
    elif agency.kind == "ubnd_xa":
        stmt = stmt.where(Procedure.level == CompetentLevel.COMMUNE)
    else:
        return []
    return list(ctx.session.scalars(stmt))


def current_process(ctx: ServiceContext, agency_id: int, procedure_id: int) -> ProcessDefinition | None:
    return ctx.session.scalars(select(ProcessDefinition).where(
        ProcessDefinition.workspace_id == ctx.workspace_id, ProcessDefinition.agency_id == agency_id,
        ProcessDefinition.procedure_id == procedure_id).order_by(ProcessDefinition.version.desc())).first()  # fmt: skip


def steps_for(definition: ProcessDefinition | None, procedure: Procedure | ProcedureFacts) -> list[Step]:
    """The steps a dossier follows: its unit's definition, or the default split of the legal deadline."""
    return steps_from(definition.steps) if definition is not None else default_steps(procedure.deadline_days)


def configure_process(ctx: ServiceContext, agency_id: int, procedure_code: Any,
                      rows: Sequence[Mapping[str, Any]]) -> ProcessDefinition:  # fmt: skip
    """Save a new version of a unit's internal process for a procedure (it applies to new dossiers)."""
    try:
        return _configure_process(ctx, agency_id, procedure_code, rows)
    except IntegrityError:  # the same version saved by a concurrent request
        raise Conflict("Quy trình vừa được người khác lưu; tải lại trang rồi lưu lại.", code="stale_version") from None


def _configure_process(ctx: ServiceContext, agency_id: int, procedure_code: Any,
                       rows: Sequence[Mapping[str, Any]]) -> ProcessDefinition:  # fmt: skip
    with ctx.transaction() as session:
        agency = unit_of(ctx, agency_id)
        procedure = next((p for p in procedures_decided_by(ctx, agency) if p.code == procedure_code), None)
        if procedure is None:
            raise NotFound(f"{agency.name} không giải quyết thủ tục «{str(procedure_code)[:20]}».")
        steps = clean_steps(rows, procedure.deadline_days)
        previous = current_process(ctx, agency.id, procedure.id)
        definition = ProcessDefinition(
            workspace_id=ctx.workspace_id, agency_id=agency.id, procedure_id=procedure.id,
            version=(previous.version if previous else 0) + 1, steps=[s.as_dict() for s in steps],
            created_at=ctx.now(), created_by=ctx.actor.name,
        )  # fmt: skip
        session.add(definition)
        _log(ctx, Activity.CONFIGURE_PROCESS, {"agency": agency.code, "procedure": procedure.code,
                                               "version": definition.version, "steps": definition.steps})  # fmt: skip
    return definition


def change_log(ctx: ServiceContext, *, limit: int = 100) -> list[Event]:
    """The configuration changes of this workspace, newest first."""
    _admin_agency(ctx)
    kinds = [Activity.CONFIGURE_PROCESS.value, Activity.MANAGE_OFFICER.value, Activity.MANAGE_FEE_ACCOUNT.value]
    return list(ctx.session.scalars(select(Event).where(Event.workspace_id == ctx.workspace_id,
                                    Event.dossier_id.is_(None), Event.action.in_(kinds))
                                    .order_by(Event.id.desc()).limit(limit)))  # fmt: skip
