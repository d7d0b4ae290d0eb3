"""JSON shapes of the API (documented in ``openapi.py``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from operator import attrgetter, itemgetter
from typing import Any

from sqlalchemy import Row

from sandbox.domain.lifecycle import Param
from sandbox.domain.vocabulary import Action, State
from sandbox.services.actions import action_inputs
from sandbox.store.catalogue import ProcedureCard
from sandbox.store.models import Dossier, DossierRecord, Event, Procedure


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


# What every dossier shows, in this order (a dossier or a row of ``services.listing.LIST_COLUMNS``); read
# with one C-level getter: a list of 20 is serialized per request.
_PLAIN_FIELDS = ("code", "status", "version", "applicant_name", "applicant_id_number", "receiving_agency_id",
                 "deciding_agency_id", "fee_amount", "fee_paid", "result_signed", "result_number", "supplement_count")
_DATE_FIELDS = ("submitted_at", "received_at", "due_at", "original_due_at", "paused_at", "finished_at", "returned_at")
_FIELDS = ("state", "channel", *_PLAIN_FIELDS, *_DATE_FIELDS)
_READ = attrgetter(*_FIELDS)
_ROW_READERS: dict[tuple[str, ...], Callable[[Any], tuple[Any, ...]]] = {}  # by a row's columns: read by position
_STATE_NAMES = {s: (s.status.label, s.value, s.label) for s in State}


def dossier_json(
    d: Dossier | DossierRecord | Row[Any],
    *,
    card: ProcedureCard | None = None,
    allowed: list[Action] | None = None,
    events: list[Event] | None = None,
    choices: Callable[[Param], list[dict[str, Any]] | None] | None = None,
) -> dict[str, Any]:
    """A dossier, or a row of ``services.listing.LIST_COLUMNS`` with its procedure's ``card``."""
    card = card or d.card  # type: ignore[union-attr]
    state, channel, code, status, version, name, id_number, receiving, deciding, fee, paid, signed, number, \
        supplements, *dates = _reader(d)(d)  # fmt: skip
    status_name, state_code, state_name = _STATE_NAMES[state]
    submitted, received, due, original_due, paused, finished, returned = map(iso, dates)
    out: dict[str, Any] = {
        "code": code,
        "status": status,
        "status_name": status_name,
        "state": state_code,
        "state_name": state_name,
        "version": version,
        "channel": int(channel),
        "procedure": {"code": card.code, "name": card.name},
        "applicant": {"name": name, "id_number": id_number},
        "receiving_agency_id": receiving,
        "deciding_agency_id": deciding,
        "submitted_at": submitted,
        "received_at": received,
        "due_at": due,
        "original_due_at": original_due,
        "paused_at": paused,
        "finished_at": finished,
        "returned_at": returned,
        "fee_amount": fee,
        "fee_paid": paid,
        "result_signed": signed,
        "result_number": number,
        "supplement_count": supplements,
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


def _reader(d: Dossier | DossierRecord | Row[Any]) -> Callable[[Any], tuple[Any, ...]]:
    """How to read ``_FIELDS`` of ``d``: by name from a dossier, by position from a row (20 times faster)."""
    if not isinstance(d, Row):
        return _READ
    reader = _ROW_READERS.get(d._fields)
    if reader is None:
        reader = _ROW_READERS[d._fields] = itemgetter(*(d._fields.index(name) for name in _FIELDS))
    return reader


def _input_json(p: Param, choices: Callable[[Param], list[dict[str, Any]] | None] | None) -> dict[str, Any]:
    out: dict[str, Any] = {"name": p.name, "kind": p.kind, "label": p.label, "required": p.required}
    if choices is not None and (values := choices(p)) is not None:
        out["choices"] = values
    return out
