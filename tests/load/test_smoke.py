"""The load suite end to end: a smoke run against a live loopback server writes its report and exit code,
and an impossible threshold fails the run."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.load, pytest.mark.slow]

LENIENT = """
[groups]
tra-cuu = ["GET /api/v1/dossiers/{code}"]

[[threshold]]
scope = "all"
metric = "fail_ratio"
max = 0.05

[[threshold]]
scope = "group:tra-cuu"
metric = "p95"
max = 10000
"""
IMPOSSIBLE = (
    LENIENT
    + """
[[threshold]]
label = "Không thể đạt"
scope = "all"
metric = "rps"
min = 1000000
"""
)


def run(tmp: Path, name: str, rules: str, *extra: str) -> tuple[int, Path]:
    (tmp / f"{name}.toml").write_text(rules, encoding="utf-8")
    out = tmp / name
    env = {**os.environ, "LOADTEST_WORLDS": str(tmp / "worlds")}
    cmd = [sys.executable, "-m", "loadtests", "run", "--shape", "smoke", "--profile", "tiny", "--seed", "7",
           "--hold-minutes", "0.1", "--citizens", "200", "--thresholds", str(tmp / f"{name}.toml"), "--out", str(out),
           *extra]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    print(proc.stdout[-3000:], proc.stderr[-3000:])
    return proc.returncode, out


def test_a_smoke_run_writes_its_report_and_passes(tmp_path: Path) -> None:
    code, out = run(tmp_path, "ok", LENIENT, "--baseline-seconds", "2")
    verdict = json.loads((out / "verdict.json").read_text(encoding="utf-8"))
    assert code == 0 and verdict["passed"] is True
    assert {t["scope"] for t in verdict["thresholds"]} == {"all", "group:tra-cuu"}
    with (out / "locust_stats.csv").open(encoding="utf-8") as f:
        names = {r["Name"] for r in csv.DictReader(f)}
    assert {"/api/v1/session", "/api/v1/dossiers/{code}", "/healthz/live", "Aggregated"} <= names
    env = json.loads((out / "environment.json").read_text(encoding="utf-8"))
    assert env["target"].startswith("http://127.0.0.1:") and env["world"]["officers"] > 0
    assert (out / "baseline_stats.csv").exists() and (out / "locust.html").exists()
    md = (out / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# Báo cáo sẵn sàng vận hành — ĐẠT") and "yêu cầu/giây" in md
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 3 and "Đạt" in html
    assert "trong 10 giây gần nhất" in html  # the history's percentiles are those of a moving window, not cumulative


def test_an_impossible_threshold_fails_the_run(tmp_path: Path) -> None:
    """Also the multi-process server: `sandbox run --workers 2` (gunicorn), as `make run` starts it."""
    code, out = run(tmp_path, "impossible", IMPOSSIBLE, "--baseline-seconds", "0", "--workers", "2")
    verdict = json.loads((out / "verdict.json").read_text(encoding="utf-8"))
    assert code == 3 and verdict["passed"] is False
    assert json.loads((out / "environment.json").read_text(encoding="utf-8"))["server"] == "gunicorn, 2 tiến trình"
    with (out / "locust_stats.csv").open(encoding="utf-8") as f:
        total = next(r for r in csv.DictReader(f) if r["Name"] == "Aggregated")
    assert int(total["Request Count"]) > 0 and int(total["Failure Count"]) == 0  # both processes, no error
    failed = [t for t in verdict["thresholds"] if t["passed"] is False]
    assert [t["label"] for t in failed] == ["Không thể đạt"] and 0 < failed[0]["measured"] < 1_000_000
    assert "KHÔNG ĐẠT" in (out / "report.md").read_text(encoding="utf-8")


def test_a_wrong_thresholds_file_stops_before_any_server_starts(tmp_path: Path) -> None:
    code, out = run(tmp_path, "wrong", "[[threshold]]\nmetric = 'p42'\nmax = 1\n")
    assert code == 2 and not (out / "verdict.json").exists()
