"""The `sandbox` command against the test world."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from sandbox.cli import main
from sandbox.config import Settings


@pytest.fixture
def runner(settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SANDBOX_INSTANCE_DIR", str(settings.instance_dir))
    return CliRunner()


def test_world_stats_json(runner: CliRunner) -> None:
    result = runner.invoke(main, ["world", "stats", "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["provinces"] == 34 and stats["communes"] == 3321 and stats["procedures"] >= 40
    assert set(stats) >= {"agencies", "officers", "citizens", "businesses", "dossiers", "dossiers_per_status"}
    assert set(stats["dossiers_per_status"]) == {str(n) for n in range(1, 11)}
    assert sum(stats["dossiers_per_status"].values()) == stats["dossiers"]


def test_seed_refuses_to_overwrite_and_if_empty_keeps_the_world(runner: CliRunner) -> None:
    refused = runner.invoke(main, ["seed", "--profile", "tiny", "--quiet"])
    assert refused.exit_code != 0 and "--force" in refused.output
    kept = runner.invoke(main, ["seed", "--profile", "tiny", "--if-empty", "--quiet"])
    assert kept.exit_code == 0 and "giữ nguyên" in kept.output


def test_unknown_profile_is_a_clear_error(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("SANDBOX_INSTANCE_DIR", str(tmp_path))
    result = CliRunner().invoke(main, ["seed", "--profile", "huge", "--quiet"])
    assert result.exit_code != 0 and "unknown profile 'huge'" in result.output


def test_accounts_table(runner: CliRunner) -> None:
    result = runner.invoke(main, ["accounts"])
    assert result.exit_code == 0 and "motcua" in result.output and "demo2026" in result.output
