"""What the HTTP benchmarks share: a throwaway copy of a seeded world served on loopback, and figures.

Import this module first in a benchmark: it imports Locust, whose gevent must patch the standard
library before anything else uses sockets.
"""

# ruff: noqa: I001 - locust is imported first (see above)
from __future__ import annotations

import locust  # noqa: F401 - first, see above

import argparse
import atexit
import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from locust.stats import calculate_response_time_percentile

from loadtests import target


def server_arguments(parser: argparse.ArgumentParser, *, profile: str = "demo") -> None:
    parser.add_argument("--profile", default=profile, help="world profile of the template (tiny|demo|load)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--threads", type=int, default=None, help="threads per process (default: as `sandbox run`)")
    parser.add_argument("--workers", type=int, default=1, help="app processes (more than 1: gunicorn)")


@dataclass
class Served:
    url: str
    world: target.World
    folder: Path
    server: str


@contextlib.contextmanager
def served_copy(args: argparse.Namespace, prefix: str) -> Iterator[Served]:
    """A copy of the template world ``instance/bench-<profile>-<seed>`` (seeded once), served on 127.0.0.1."""
    template = target.World(args.profile, args.seed, target.ROOT / "instance" / f"bench-{args.profile}-{args.seed}")
    template.ensure()
    folder = Path(tempfile.mkdtemp(prefix=f"sandbox-bench-{prefix}-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)  # a world copy: up to gigabytes
    world = template.copy_to(folder / "world")
    label = target.server_label(threads=args.threads, workers=args.workers)
    with target.running_server(world, threads=args.threads, workers=args.workers, log=folder / "server.log") as url:
        yield Served(url, world, folder, label)


@dataclass
class Figures:
    """Requests of one kind across runs: how many, the seconds they took to come in, the merged histogram."""

    requests: int = 0
    failures: int = 0
    seconds: float = 0.0
    times: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    cpu: list[float] = field(default_factory=lambda: [0.0, 0.0])  # CPU seconds of the server, of the generator

    def add(self, entry: Any, seconds: float, errors: list[str] = (),  # type: ignore[assignment]
            cpu: tuple[float, float] = (0.0, 0.0)) -> None:  # fmt: skip
        self.requests += entry.num_requests
        self.failures += entry.num_failures
        self.cpu = [self.cpu[0] + cpu[0], self.cpu[1] + cpu[1]]
        self.seconds += seconds
        for ms, n in entry.response_times.items():
            self.times[ms] = self.times.get(ms, 0) + n
        self.errors += list(errors)[:3]

    def merge(self, other: Figures) -> None:
        """Count ``other``'s requests in these (the seconds stay these': the same minutes, other requests)."""
        self.requests += other.requests
        self.failures += other.failures
        for ms, n in other.times.items():
            self.times[ms] = self.times.get(ms, 0) + n
        self.errors += other.errors[:3]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        return float(calculate_response_time_percentile(self.times, self.requests, q)) if self.requests else 0.0

    def row(self) -> dict[str, Any]:
        row = {"rps": round(self.rps, 1), "p50_ms": self.pct(0.5), "p95_ms": self.pct(0.95),
               "p99_ms": self.pct(0.99), "requests": self.requests, "failures": self.failures}  # fmt: skip
        if self.requests and any(self.cpu):  # CPU per request: what a figure costs the server and the generator
            row["server_cpu_ms"] = round(1000 * self.cpu[0] / self.requests, 3)
            row["generator_cpu_ms"] = round(1000 * self.cpu[1] / self.requests, 3)
        return row


@dataclass
class CpuMeter:
    """CPU used meanwhile by the server's processes and by this one (the load generator), in cores (Linux /proc).

    On one machine they share its cores: a figure measured while the generator takes a large share says
    as much about the generator as about the server."""

    url: str
    started: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def __post_init__(self) -> None:
        self.started = self._now()

    def _now(self) -> tuple[float, float, float]:
        own = os.times()
        return time.monotonic(), self._server(), own.user + own.system

    def _server(self) -> float:
        port, tick, total = f"--port\0{self.url.rsplit(':', 1)[1]}\0", os.sysconf("SC_CLK_TCK"), 0.0
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                if port in (proc / "cmdline").read_text():
                    fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                    total += (int(fields[11]) + int(fields[12])) / tick
            except (OSError, IndexError, ValueError):
                continue
        return total

    def seconds(self) -> tuple[float, float]:
        """CPU seconds used since the meter was made by the server's processes, and by the generator."""
        (_, s0, g0), (_, s1, g1) = self.started, self._now()
        return s1 - s0, g1 - g0

    def cores(self) -> dict[str, float]:
        """Cores used since the meter was made: server, generator, and how many the machine has."""
        (t0, s0, g0), (t1, s1, g1) = self.started, self._now()
        wall = max(t1 - t0, 1e-9)
        return {"server": round((s1 - s0) / wall, 2), "generator": round((g1 - g0) / wall, 2),
                "machine": os.cpu_count() or 1}  # fmt: skip
