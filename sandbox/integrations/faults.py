"""Fault injection shared by every mock: error rate, added latency, outage.

A trainer (or a test) turns faults on with one environment variable per system, e.g.
``SANDBOX_SIGNING="mock fail_rate=0.2 latency_ms=300"`` or ``SANDBOX_PAYMENT="mock outage=1"``,
so officers can practise what to do when VNeID or the signing service is down.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sandbox.domain.errors import DomainError


class IntegrationUnavailable(DomainError):
    """An external system did not answer or answered with an error (HTTP 503)."""

    code = "integration_unavailable"
    http_status = 503


@dataclass
class FaultPlan:
    """When and how a mock fails. The RNG is seeded, so a fault sequence can be reproduced."""

    fail_rate: float = 0.0
    latency_ms: int = 0
    outage: bool = False
    seed: int = 0
    sleep: Callable[[float], None] = time.sleep
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if not 0.0 <= self.fail_rate <= 1.0:
            raise ValueError("fail_rate must be within [0, 1]")
        self._rng = random.Random(self.seed)

    @classmethod
    def parse(cls, spec: str) -> FaultPlan:
        """Parse ``"mock fail_rate=0.1 latency_ms=50 outage=0 seed=7"`` (the backend word is optional)."""
        kwargs: dict[str, float | int | bool] = {}
        for token in spec.split():
            if "=" not in token:
                if token != "mock":  # noqa: S105 - a backend name, not a secret
                    raise ValueError(f"unknown backend {token!r}: only 'mock' exists")
                continue
            key, value = token.split("=", 1)
            if key == "fail_rate":
                kwargs[key] = float(value)
            elif key in ("latency_ms", "seed"):
                kwargs[key] = int(value)
            elif key == "outage":
                kwargs[key] = value.lower() in ("1", "true", "yes", "on")
            else:
                raise ValueError(f"unknown fault option {key!r}")
        return cls(**kwargs)  # type: ignore[arg-type]

    def check(self, system_vi: str) -> None:
        """Call at the start of each operation: sleeps, then maybe raises :class:`IntegrationUnavailable`."""
        if self.latency_ms:
            self.sleep(self.latency_ms / 1000)
        if self.outage:
            raise IntegrationUnavailable(f"{system_vi} đang gián đoạn, vui lòng thử lại sau.")
        with self._lock:
            failed = self.fail_rate > 0 and self._rng.random() < self.fail_rate
        if failed:
            raise IntegrationUnavailable(f"{system_vi} không phản hồi (lỗi kết nối), vui lòng thử lại.")
