"""The layering of DESIGN.md holds: a pure domain, Flask only in the web layer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_importing_the_domain_pulls_in_neither_flask_nor_sqlalchemy() -> None:
    code = (
        "import sys, sandbox.domain.lifecycle, sandbox.domain.calendar, sandbox.domain.identifiers, sandbox.domain.clock;"
        "bad = [m for m in ('flask', 'sqlalchemy', 'werkzeug') if m in sys.modules];"
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_linter_contracts_are_kept() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")
