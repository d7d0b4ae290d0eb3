"""The benchmark scripts still run and print their figures (their speed is measured, never asserted, here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("script", "args", "keys"),
    [
        ("workspaces.py", ["--count", "3"], {"total_seconds", "median_ms", "file_copy_median_ms",
                                             "ratio_workspace_to_file_copy"}),  # fmt: skip
        ("scoring.py", ["--runs", "3"], {"median_ms", "gather_facts_median_ms", "evaluate_median_ms"}),
        ("pages.py", ["--profile", "tiny", "--runs", "2"], {"profile", "runs", "pages"}),
    ],
)
def test_bench_script_prints_one_json_object(script: str, args: list[str], keys: set[str], monkeypatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    out = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args, "--json"], capture_output=True,
                         text=True, timeout=120, cwd=ROOT, check=True)  # fmt: skip
    figures = json.loads(out.stdout)
    assert keys <= set(figures)
