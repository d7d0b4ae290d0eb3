"""Views of the trainer's console."""

from __future__ import annotations

from functools import wraps
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from sandbox.domain.errors import DomainError, Forbidden, NotFound
from sandbox.domain.vocabulary import Role
from sandbox.store.models import Workshop
from sandbox.training.workshops import advance_class_clock, create_workshop, export_csv, parse_trainee_csv, progress
from sandbox.web.auth import current_actor, login_required
from sandbox.web.db import get_db
from sandbox.web.params import int_arg
from sandbox.web.trainer import bp
from sandbox.web.training_state import scenarios


def trainer_only(view: Any) -> Any:
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        actor = current_actor()
        if actor is None or actor.role is not Role.TRAINER:
            raise Forbidden("Chỉ tài khoản giảng viên được dùng trang điều hành lớp học.")
        return view(*args, **kwargs)

    return wrapped


def _workshop(code: str) -> Workshop:
    """One of the signed-in trainer's own classes (another trainer's class is simply not found)."""
    shop = get_db().scalar(select(Workshop).where(Workshop.code == code, Workshop.trainer_id == current_actor().id))
    if shop is None:
        raise NotFound("Không tìm thấy lớp học.")
    return shop


def _index(errors: dict[str, str] | None = None, form: Any = None, status: int = 200) -> Any:
    shops = (
        get_db()
        .scalars(select(Workshop).where(Workshop.trainer_id == current_actor().id).order_by(Workshop.id.desc()))
        .all()
    )
    listed = sorted(scenarios().values(), key=lambda s: (s.sector.value, s.level, s.id))
    return render_template("trainer/index.html", workshops=shops, scenarios=listed, errors=errors or {},
                           form=form or {}, chosen=set(form.getlist("scenario_ids")) if form else set()), status  # fmt: skip


@bp.get("/")
@trainer_only
def index() -> Any:
    return _index()


@bp.post("/lop-hoc")
@trainer_only
def create() -> Any:
    form = request.form
    try:
        upload = request.files.get("trainees_file")
        csv_text = upload.read().decode("utf-8-sig", errors="strict") if upload and upload.filename else ""
        csv_text = csv_text or form.get("trainees_csv", "")
        shop = create_workshop(
            get_db(), name=form.get("name", ""), trainer=current_actor().name,  # type: ignore[union-attr]
            trainer_id=current_actor().id,  # type: ignore[union-attr]
            scenario_ids=form.getlist("scenario_ids"), known=set(scenarios()),
            trainees=parse_trainee_csv(csv_text) if csv_text.strip() else None,
            seats=int_arg(form, "seats", 0, 0, 500, label="Số chỗ ẩn danh") or 0,
        )  # fmt: skip
    except UnicodeDecodeError:
        return _index({"trainees_csv": "Tệp danh sách phải là CSV mã hóa UTF-8."}, form, 422)
    except DomainError as exc:
        if exc.http_status >= 500:
            raise
        return _index({exc.field or "_": exc.message}, form, 422)
    flash(f"Đã tạo lớp «{shop.name}» với {len(shop.trainees)} học viên.", "success")
    return redirect(url_for("trainer.workshop", code=shop.code))


@bp.get("/lop-hoc/<code>")
@trainer_only
def workshop(code: str) -> Any:
    shop = _workshop(code)
    titles = {sid: scenarios()[sid].title for sid in shop.scenario_ids if sid in scenarios()}
    return render_template("trainer/workshop.html", shop=shop, grid=progress(get_db(), shop), titles=titles)


@bp.get("/lop-hoc/<code>/phieu")
@trainer_only
def slips(code: str) -> Any:
    return render_template("trainer/slips.html", shop=_workshop(code))


@bp.post("/lop-hoc/<code>/dong-ho")
@trainer_only
def clock(code: str) -> Any:
    shop = _workshop(code)
    raw = request.form.get("days", "")
    days = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 3 else None
    try:
        moved = advance_class_clock(get_db(), shop, days)  # type: ignore[arg-type]
    except DomainError as exc:
        flash(f"{exc.message} Đồng hồ lớp chưa thay đổi.", "error")
    else:
        flash(f"Đã chuyển đồng hồ cả lớp thêm {days} ngày làm việc ({moved} không gian làm việc đã bắt đầu; "
              "học viên bắt đầu sau sẽ theo đồng hồ lớp).", "success")  # fmt: skip
    return redirect(url_for("trainer.workshop", code=code))


@bp.get("/lop-hoc/<code>/ket-qua.csv")
@trainer_only
def results(code: str) -> Any:
    shop = _workshop(code)
    titles = {sid: s.title for sid, s in scenarios().items()}
    body = export_csv(get_db(), shop, titles)
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="ket-qua-{shop.code}.csv"'})  # fmt: skip
