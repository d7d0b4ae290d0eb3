"""Jinja filters and globals: Vietnamese dates, money, labels, the simulated clock in the header."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from flask import Flask, g, url_for
from markupsafe import Markup

from sandbox.domain.vocabulary import Action, Activity, Channel, CopyType, Form, Role, Satisfaction, State, Status
from sandbox.learning.render import render_markdown

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]


def dt(value: datetime | date | str | None, fmt: str = "%H:%M %d/%m/%Y") -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, datetime):
        fmt = "%d/%m/%Y"
    return value.strftime(fmt)


def money(value: int | None) -> str:
    if not value:
        return "Không thu phí"
    return f"{value:,}".replace(",", ".") + " đồng"


def days(value: float | None) -> str:
    if value is None:
        return "—"
    n = round(value, 1)
    text = f"{abs(n):.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"quá hạn {text} ngày làm việc" if n < 0 else f"còn {text} ngày làm việc"


def num(value: float | int | None) -> str:
    """0.5 -> '0,5'; 7.0 -> '7' (Vietnamese decimal comma)."""
    if value is None:
        return "—"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def label(value: Any, enum: str) -> str:
    kinds = {"status": Status, "state": State, "action": Action, "role": Role, "channel": Channel,
             "copy": CopyType, "form": Form, "satisfaction": Satisfaction}  # fmt: skip
    member = kinds[enum].parse(value)
    if member is None and enum == "action":
        member = Activity.parse(value)  # the log also holds activities that move no dossier
    return member.label if member is not None else str(value)


def dossier_url(code: str) -> str:
    """``url_for("motcua.dossier", code=code)``, from a prefix built once per request (a list links twenty
    dossiers; url_for cost a tenth of the queue page). Quoted as werkzeug quotes a path segment."""
    prefix = g.get("dossier_url_prefix")
    if prefix is None:
        prefix = g.dossier_url_prefix = url_for("motcua.dossier", code="-")[:-1]
    return prefix + quote(str(code), safe="!$&'()*+,/:;=@")


def init_app(app: Flask) -> None:
    app.add_template_filter(dt, "dt")
    app.add_template_filter(money, "money")
    app.add_template_filter(days, "days")
    app.add_template_filter(label, "label")
    app.add_template_filter(num, "num")
    # safe: render_markdown sanitises with nh3 (an allow-list of tags, no scripts or event handlers)
    app.add_template_filter(lambda text: Markup(render_markdown(text)), "markdown")  # noqa: S704
    app.add_template_global(WEEKDAYS, "WEEKDAYS")
    app.add_template_global(dossier_url, "dossier_url")

    @app.context_processor
    def inject() -> dict[str, Any]:
        from sandbox.web.auth import current_actor
        from sandbox.web.training_state import active_training

        try:
            actor = current_actor()
            training = active_training() if actor is not None and actor.kind == "trainee" else None
        except Exception:  # an invalid token or a missing world on an error page must not hide the page
            actor, training = None, None
        return {"actor": actor, "training": training}
