"""JSON shapes of the API (documented in ``openapi.py``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Row

from sandbox.domain.lifecycle import Param
from sandbox.domain.vocabulary import Action
from sandbox.services.actions import action_inputs
from sandbox.store.catalogue import ProcedureCard
from sandbox.store.models import Dossier, Event, Procedure


def iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def procedure_json(p: Procedure, *, full: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": p.code, "name": p.name, "sector": p.sector_id.value, "field": p.field, "level": p.level.value,
        "online": p.online.value, "deadline_days": p.deadline_days, "fee": p.fee, "payment_required": p.payment_required,
        "boundary_free": p.boundary_free,
    }  # fmt: skip
    if full:
        out["documents"] = [
            {"code": d.code, "name": d.name, "copy_type": d.copy_type.value, "required": d.required,
             "digitize": d.digitize} for d in p.documents
        ]  # fmt: skip
        out["eform"] = p.eform
        out["result"] = p.result
    return out


def dossier_json(
    d: Dossier | Row[Any],
    *,
    card: ProcedureCard | None = None,
    allowed: list[Action] | None = None,
    events: list[Event] | None = None,
    choices: Callable[[Param], list[dict[str, Any]] | None] | None = None,
) -> dict[str, Any]:
    """A dossier, or a row of ``services.listing.LIST_COLUMNS`` with its procedure's ``card``."""
    card = card or d.card  # type: ignore[union-attr]
    out: dict[str, Any] = {
        "code": d.code,
        "status": d.status,
        "status_name": d.state.status.label,
        "state": d.state.value,
        "state_name": d.state.label,
        "version": d.version,
        "channel": int(d.channel),
        "procedure": {"code": card.code, "name": card.name},
        "applicant": {"name": d.applicant_name, "id_number": d.applicant_id_number},
        "receiving_agency_id": d.receiving_agency_id,
        "deciding_agency_id": d.deciding_agency_id,
        "submitted_at": iso(d.submitted_at),
        "received_at": iso(d.received_at),
        "due_at": iso(d.due_at),
        "original_due_at": iso(d.original_due_at),
        "paused_at": iso(d.paused_at),
        "finished_at": iso(d.finished_at),
        "returned_at": iso(d.returned_at),
        "fee_amount": d.fee_amount,
        "fee_paid": d.fee_paid,
        "result_signed": d.result_signed,
        "result_number": d.result_number,
        "supplement_count": d.supplement_count,
    }
    if allowed is not None:
        out["allowed_actions"] = [
            {"action": a.value, "label": a.label,
             "inputs": [_input_json(p, choices) for p in action_inputs(a, d.state)]}
            for a in allowed
        ]  # fmt: skip
    if events is not None:
        out["events"] = [
            {"action": e.action, "actor": e.actor_name, "role": e.role.value, "from_state": e.from_state,
             "to_state": e.to_state, "version": e.version, "at": iso(e.virtual_at), "params": e.payload.get("params", {})}
            for e in events
        ]  # fmt: skip
    return out


def _input_json(p: Param, choices: Callable[[Param], list[dict[str, Any]] | None] | None) -> dict[str, Any]:
    out: dict[str, Any] = {"name": p.name, "kind": p.kind, "label": p.label, "required": p.required}
    if choices is not None and (values := choices(p)) is not None:
        out["choices"] = values
    return out
