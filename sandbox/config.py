"""Settings, read once from the environment with safe defaults.

``DATABASE_URL`` selects the database (default: a SQLite file under ``instance/``; a
``postgresql+psycopg://`` URL selects PostgreSQL). Every other knob is ``SANDBOX_*``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sandbox import paths


def _instance_secret(instance_dir: Path) -> str:
    """A secret key kept in ``instance/secret_key`` so logins survive a restart."""
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key, encoding="utf-8")
    return key


@dataclass(frozen=True)
class Settings:
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 5000
    threads: int = 8
    # open connections the server keeps (waitress' default is 100: a class of 300 browsers, each keeping a
    # few connections alive, waited 15-20 s for a free one; bench/workshop.py)
    connections: int = 1000
    workers: int = 1  # app processes (gunicorn); 1 = waitress in one process (sandbox.web.server)
    secret_key: str = ""
    instance_dir: Path = paths.INSTANCE_DIR
    seed_dir: Path = paths.SEED_DIR
    default_profile: str = "demo"
    default_seed: int = 2026
    dossier_code_format: str = "tt01_2018"
    token_ttl_seconds: int = 12 * 3600
    testing: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        env = os.environ if env is None else env
        instance_dir = Path(env.get("SANDBOX_INSTANCE_DIR", str(paths.INSTANCE_DIR)))
        settings = cls(
            database_url=env.get("DATABASE_URL", f"sqlite:///{instance_dir / 'sandbox.db'}"),
            host=env.get("SANDBOX_HOST", "127.0.0.1"),
            port=int(env.get("SANDBOX_PORT", "5000")),
            threads=int(env.get("SANDBOX_THREADS", "8")),
            connections=int(env.get("SANDBOX_CONNECTIONS", "1000")),
            workers=int(env.get("SANDBOX_WORKERS", "1")),
            secret_key=env.get("SANDBOX_SECRET_KEY", ""),
            instance_dir=instance_dir,
            seed_dir=Path(env.get("SANDBOX_SEED_DIR", str(paths.SEED_DIR))),
            default_profile=env.get("SANDBOX_PROFILE", "demo"),
            default_seed=int(env.get("SANDBOX_SEED", "2026")),
            dossier_code_format=env.get("SANDBOX_DOSSIER_CODE_FORMAT", "tt01_2018"),
        )
        settings = replace(settings, **overrides)
        if not settings.secret_key:
            settings = replace(settings, secret_key=_instance_secret(settings.instance_dir))
        return settings

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
