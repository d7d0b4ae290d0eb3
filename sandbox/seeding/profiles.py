"""World profiles (``seed/profiles/<name>.yaml``): how big a world to build, and where."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path

import yaml


class ProfileError(ValueError):
    pass


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    citizens: int
    businesses: int
    dossiers: int
    demo_province: str
    staffed_provinces: str
    staffed_communes: int
    online_share: float
    clock: datetime
    clock_running: bool


def available_profiles(seed_dir: Path) -> list[str]:
    return sorted(p.stem for p in (seed_dir / "profiles").glob("*.yaml"))


def load_profile(seed_dir: Path, name: str) -> Profile:
    path = seed_dir / "profiles" / f"{name}.yaml"
    if not path.is_file():
        raise ProfileError(f"unknown profile {name!r}; available: {', '.join(available_profiles(seed_dir))}")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    expected = {f.name for f in fields(Profile)} - {"name"}
    if set(data) != expected:
        raise ProfileError(f"{path.name}: fields must be exactly {sorted(expected)}")
    clock = data["clock"] if isinstance(data["clock"], datetime) else datetime.fromisoformat(str(data["clock"]))
    if data["staffed_provinces"] not in ("demo", "all"):
        raise ProfileError(f"{path.name}: staffed_provinces must be 'demo' or 'all'")
    return Profile(name=name, **{**data, "clock": clock, "demo_province": str(data["demo_province"])})
