"""What the web layer keeps about training: the scenario set, the world index, and the trainee's session."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, session
from sqlalchemy import bindparam, select

from sandbox import paths
from sandbox.domain.errors import NotFound
from sandbox.integrations.registry import Integrations
from sandbox.store.models import Trainee, Workspace
from sandbox.training.runner import scenario_integrations
from sandbox.training.scenarios import Scenario, load_all
from sandbox.training.workspaces import WorldIndex
from sandbox.web.db import get_db


def load_scenarios(app: Flask) -> None:
    """Load every scenario when the app starts: a broken file stops the server, not a class in progress."""
    app.extensions["sandbox.scenarios"] = {s.id: s for s in load_all(paths.SCENARIOS_DIR)}


def scenarios() -> dict[str, Scenario]:
    return current_app.extensions["sandbox.scenarios"]  # type: ignore[no-any-return]


def integrations_for(scenario_id: str) -> Integrations:
    """The external systems as this scenario wants them, built once per scenario and process."""
    cache = current_app.extensions.setdefault("sandbox.scenario_integrations", {})
    if scenario_id not in cache:
        cache[scenario_id] = scenario_integrations(scenario(scenario_id))
    return cache[scenario_id]  # type: ignore[no-any-return]


def scenario(scenario_id: str) -> Scenario:
    found = scenarios().get(scenario_id)
    if found is None:
        raise NotFound(f"Không có kịch bản «{scenario_id[:80]}».")
    return found


def world_index() -> WorldIndex:
    if "sandbox.world_index" not in current_app.extensions:
        current_app.extensions["sandbox.world_index"] = WorldIndex.load(get_db())
    return current_app.extensions["sandbox.world_index"]  # type: ignore[no-any-return]


def current_trainee() -> Trainee | None:
    trainee_id = session.get("trainee_id")
    return get_db().get(Trainee, trainee_id) if isinstance(trainee_id, int) else None


def active_training() -> dict[str, Any] | None:
    """The scenario the trainee is working in (for the task strip on the officer pages), or None."""
    sid, ws_id = session.get("scenario"), session.get("workspace")
    if not sid or not ws_id or sid not in scenarios():
        return None
    # on every page of a trainee: the walk-in applicants of the briefing only (one column, not the workspace)
    briefing = get_db().execute(_BRIEFING, {"workspace_id": ws_id}).first()
    if briefing is None:
        return None
    sc = scenarios()[sid]
    return {"scenario": sc, "briefing": briefing[0] or {}, "role": session.get("actor", {}).get("r")}


_BRIEFING = select(Workspace.briefing).where(Workspace.id == bindparam("workspace_id"))
