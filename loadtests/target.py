"""The server under test: a seeded world, a sandbox started on a free loopback port, its environment."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def sandbox_cmd(*args: str) -> list[str]:
    exe = BIN / "sandbox"
    return [str(exe), *args] if exe.exists() else [sys.executable, "-m", "sandbox.cli", *args]


@dataclass
class World:
    """A world in its own instance folder (``instance/loadtest-<profile>-<seed>``, or under $LOADTEST_WORLDS),
    seeded once and kept for the next runs."""

    profile: str
    seed: int
    folder: Path = None  # type: ignore[assignment]  # default: $LOADTEST_WORLDS or instance/, see above

    def __post_init__(self) -> None:
        if self.folder is None:
            base = Path(os.environ.get("LOADTEST_WORLDS", ROOT / "instance"))
            self.folder = base / f"loadtest-{self.profile}-{self.seed}"

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        return {**env, "SANDBOX_INSTANCE_DIR": str(self.folder)}

    def ensure(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        # on stderr, the seeder's lines too: a benchmark's --json is the whole of its stdout
        print(f"Thế giới dữ liệu «{self.profile}» (seed {self.seed}) tại {self.folder} …", flush=True, file=sys.stderr)
        subprocess.run(sandbox_cmd("seed", "--profile", self.profile, "--seed", str(self.seed), "--if-empty", "--quiet"),
                       env=self.env, check=True, stdout=sys.stderr)  # fmt: skip

    def accounts(self, out: Path, *, province: str | None, citizens: int) -> Path:
        args = ["accounts", "--load", "--citizens", str(citizens)] + (["--province", province] if province else [])
        data = subprocess.run(sandbox_cmd(*args), env=self.env, check=True, capture_output=True, text=True).stdout
        out.write_text(data, encoding="utf-8")
        return out

    def database_file(self) -> Path:
        return self.folder / "sandbox.db"

    def copy_to(self, folder: Path) -> World:
        """A throwaway copy of this (seeded) world, so a run that writes leaves the template as it was.

        SQLite's backup API gives a consistent copy even if a server still has the template open."""
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("secret_key",):
            if (self.folder / name).exists():
                shutil.copyfile(self.folder / name, folder / name)
        with contextlib.closing(sqlite3.connect(self.database_file())) as src, \
                contextlib.closing(sqlite3.connect(folder / "sandbox.db")) as dst:  # fmt: skip
            src.backup(dst)
        return World(self.profile, self.seed, folder)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as resp:  # noqa: S310 - our own loopback server
                if resp.status == 200:
                    return
        time.sleep(0.2)
    raise RuntimeError(f"Máy chủ {url} không trả lời /healthz sau {timeout_s:.0f} giây.")


def server_cmd(port: int, *, threads: int | None, workers: int) -> list[str]:
    """``sandbox run``: waitress in one process, or gunicorn with ``workers`` processes (see sandbox.web.server)."""
    cmd = sandbox_cmd("run", "--host", "127.0.0.1", "--port", str(port))
    cmd += ["--threads", str(threads)] if threads else []
    return [*cmd, "--workers", str(max(1, workers))]  # always: SANDBOX_WORKERS may be set around us


def server_label(*, threads: int | None, workers: int) -> str:
    from sandbox.config import Settings
    from sandbox.web.server import describe, threads_for

    workers = max(1, workers)
    return describe(threads=threads or threads_for(workers, Settings.threads), workers=workers)


@contextlib.contextmanager
def running_server(world: World, *, threads: int | None, log: Path, workers: int = 1) -> Iterator[str]:
    """The sandbox on 127.0.0.1 and a free port (waitress, or gunicorn when ``workers`` > 1), stopped (then
    killed) when the block ends."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            server_cmd(port, threads=threads, workers=workers),
            env=world.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            wait_until_up(url)
            yield url
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def environment(
    *, url: str, server: str, world: dict[str, Any] | None, database: str, processes: int
) -> dict[str, Any]:
    """What a figure was measured on: machine, software, server, database, world size, load generator."""
    import locust

    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_gb = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        mem_gb = round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024, 1)
    rev = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             timeout=5).stdout.strip()  # fmt: skip
    return {
        "target": url,
        "server": server,
        "database": database,
        "world": world or {},
        "machine": {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": mem_gb, "os": platform.platform()},
        "software": {"python": platform.python_version(), "locust": locust.__version__, "revision": rev},
        "load_generator": {"processes": processes, "same_machine_as_server": url.startswith("http://127.")},
        "started_at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


def save_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
