"""Every scenario file loads, its solution scores 100 % and its mistakes lose exactly what they name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from sandbox.config import Settings
from sandbox.domain.compliance import RULES
from sandbox.paths import SCENARIOS_DIR
from sandbox.training.checks import REGISTRY
from sandbox.training.runner import verify_scenario
from sandbox.training.scenarios import ScenarioError, load_all, load_scenario

SCENARIOS = load_all(SCENARIOS_DIR)


def test_the_set_covers_every_sector_and_level() -> None:
    assert len(SCENARIOS) >= 12
    assert {(s.sector.value, s.level) for s in SCENARIOS} >= {(sector, level) for sector in ("khcn", "noivu")
                                                               for level in (1, 2, 3)}  # fmt: skip
    assert {s.sector.value for s in SCENARIOS} == {"khcn", "noivu", "xaydung", "nnmt"}
    assert {s.level for s in SCENARIOS} == {1, 2, 3}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_solution_and_mistakes(engine: Engine, scenario) -> None:
    report = verify_scenario(engine, scenario)
    assert report.solution_errors == []
    assert report.solution_percent == 100.0
    for m in report.mistakes:
        assert m.as_expected, (m.name, m.expected, m.lost)


def test_every_check_and_rule_is_seen_passing_and_failing() -> None:
    """Across the scenario set, each predicate and each rule is exercised both ways by the self-tests."""
    used_predicates = {c.predicate for s in SCENARIOS for c in s.checks}
    assert used_predicates == set(REGISTRY)
    failing = {name for s in SCENARIOS for m in s.mistakes for name in m.expect}
    predicates_failing = {c.predicate for s in SCENARIOS for c in s.checks if c.id in failing}
    assert predicates_failing == set(REGISTRY)
    assert set(RULES) <= failing


def test_verify_command_prints_the_report_and_exits_zero(engine: Engine, settings: Settings,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from sandbox.cli import main

    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SANDBOX_INSTANCE_DIR", str(settings.instance_dir))
    result = CliRunner().invoke(main, ["scenario", "verify", "khcn-tiep-nhan-truc-tuyen", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)["scenarios"][0]
    assert set(report) >= {"id", "sector", "level", "solution_percent", "mistakes"}
    assert report["mistakes"][0].keys() >= {"name", "expected", "as_expected"}


def test_a_broken_mistake_makes_verify_fail(engine: Engine, tmp_path: Path) -> None:
    text = (SCENARIOS_DIR / "khcn" / "khcn-tiep-nhan-truc-tuyen.yaml").read_text(encoding="utf-8")
    wrong = text.replace("expect: [chuyen-xu-ly]", "expect: [mau-01]")
    path = tmp_path / "khcn-tiep-nhan-truc-tuyen.yaml"
    path.write_text(wrong, encoding="utf-8")
    report = verify_scenario(engine, load_scenario(path))
    assert not report.ok and [m.as_expected for m in report.mistakes] == [True, False]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("sector: khcn", "sector: y-te"), r":4: sector: ngành «y-te» không tồn tại"),
        (("level: 1", "level: 4"), r":6: level: chỉ nhận 1"),
        (("predicate: form_issued", "predicate: form_printed"), r"checks\[1\]\.predicate: không có điều kiện tên «form_printed»"),
        (("form: mau_01", "form: mau_99"), r"checks\[1\]\.params\.form: biểu mẫu «mau_99» không tồn tại"),
        (("{dossier: hs1, form: mau_01}", "{dossier: hs9, form: mau_01}"), r"params\.dossier: hồ sơ «hs9» không có"),
        (("points: 20", "points: -20"), r"checks\[1\]\.points: điểm phải là số nguyên dương"),
        (("path: [submit_online]", "path: [submit_online, sign]"), r"setup\.dossiers\[0\]\.path: chuỗi thao tác không đi được"),
        (("    expect: [chuyen-xu-ly]", "    expect: [bay-len]"), r"expect\[0\]: «bay-len» không phải id kiểm tra"),
        (("minutes: 10", "minutes: mười"), r":7: minutes: sai kiểu dữ liệu \(cần số nguyên\)"),
        (("id: khcn-tiep-nhan-truc-tuyen", "id: khac"), r":2: id: id «khac» phải trùng tên tệp"),
        (("roles: [desk]", "roles: [citizen]"), r"roles\[0\]: học viên không đóng vai"),
        (("clock: \"2026-11-23T08:30:00\"", "clock: \"hôm nay\""), r"setup\.clock: phải là thời điểm"),
        (("checks:", "chekcs:"), r"trường không hợp lệ «chekcs»"),
    ],
)
def test_validation_names_line_and_field(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    text = (SCENARIOS_DIR / "khcn" / "khcn-tiep-nhan-truc-tuyen.yaml").read_text(encoding="utf-8")
    assert change[0] in text
    path = tmp_path / "khcn-tiep-nhan-truc-tuyen.yaml"
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(ScenarioError, match=message):
        load_scenario(path)


def test_yaml_syntax_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"x\.yaml:\d+: YAML không hợp lệ"):
        load_scenario(path)


def test_setup_documents_must_exist_in_the_procedure(engine: Engine, tmp_path: Path) -> None:
    from sqlalchemy.orm import Session

    from sandbox.domain.errors import InvalidInput
    from sandbox.training.workspaces import WorldIndex, create_workspace

    text = (SCENARIOS_DIR / "khcn" / "khcn-bo-sung-mot-lan.yaml").read_text(encoding="utf-8")
    path = tmp_path / "khcn-bo-sung-mot-lan.yaml"
    path.write_text(text.replace("documents: [TP1, TP2, TP3, TP5]", "documents: [TP1, TP9]"), encoding="utf-8")
    scenario = load_scenario(path)
    with engine.connect() as conn, conn.begin() as outer:
        session = Session(bind=conn, join_transaction_mode="create_savepoint")
        with pytest.raises(InvalidInput, match="không có giấy tờ TP9"):
            create_workspace(session, scenario, workspace_id="ws-tp9", name="x", trainee_seed=1,
                             index=WorldIndex.load(session))  # fmt: skip
        session.close()
        outer.rollback()
