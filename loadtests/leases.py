"""Seeded accounts for Locust users: one pool on the master (or the local runner), leased per user.

A worker asks the master for an account of a role (custom message ``account_request``), waits for
the grant, and gives the account back when its user stops, so no two users anywhere share one.
The grant also carries the run's pacing and filings, which workers cannot compute themselves.
"""

from __future__ import annotations

import uuid
from typing import Any

from gevent.event import AsyncResult
from locust.runners import WorkerRunner

STATE: dict[str, Any] = {"pace": {}, "filings": [], "citizens": [], "pools": {}, "aborted": None}
_GRANTS: dict[str, AsyncResult] = {}


def _take(role: str) -> str | None:
    pool = STATE["pools"].get(role) or []
    return pool.pop(0) if pool else None


def on_request(environment: Any, msg: Any, **_: Any) -> None:
    account = _take(msg.data["role"])
    environment.runner.send_message("account_grant", {"id": msg.data["id"], "account": account,
                                                      **STATE["grant_extra"]}, client_id=msg.node_id)  # fmt: skip


def on_release(environment: Any, msg: Any, **_: Any) -> None:
    STATE["pools"].setdefault(msg.data["role"], []).append(msg.data["account"])


def on_grant(environment: Any, msg: Any, **_: Any) -> None:
    if (waiting := _GRANTS.pop(msg.data["id"], None)) is not None:
        waiting.set(msg.data)


def lease(environment: Any, role: str) -> dict[str, Any]:
    """An account of ``role`` nobody else is using, with the run's pacing and filings."""
    runner = environment.runner
    if isinstance(runner, WorkerRunner):
        request_id = uuid.uuid4().hex
        _GRANTS[request_id] = waiting = AsyncResult()
        runner.send_message("account_request", {"role": role, "id": request_id})
        grant = waiting.get(timeout=30)
        STATE["pace"], STATE["filings"], STATE["citizens"] = grant["pace"], grant["filings"], grant["citizens"]
        return grant
    return {"account": _take(role), **STATE["grant_extra"]}


def give_back(environment: Any, role: str, account: str) -> None:
    runner = environment.runner
    if isinstance(runner, WorkerRunner):
        runner.send_message("account_release", {"role": role, "account": account})
    else:
        STATE["pools"].setdefault(role, []).append(account)
