"""Where the project's data folders are: ``seed/``, ``scenarios/``, ``courseware/``, ``instance/``.

They live at the project root (beside ``pyproject.toml``), not inside the package, so trainers
can read and edit them. Settings may override each one (see :mod:`sandbox.config`).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
SEED_DIR = PROJECT_ROOT / "seed"
SCENARIOS_DIR = PROJECT_ROOT / "scenarios"
COURSEWARE_DIR = PROJECT_ROOT / "courseware"
INSTANCE_DIR = PROJECT_ROOT / "instance"
