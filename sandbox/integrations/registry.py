"""Build the set of external-system clients from the environment.

One variable per system picks the backend and its faults, as warehouse's ``BILLING_BACKEND``
does: ``SANDBOX_SIGNING``, ``SANDBOX_PAYMENT``, ``SANDBOX_MESSAGING``, ``SANDBOX_POPULATION``,
``SANDBOX_BUSINESS_REGISTRY``; e.g. ``SANDBOX_PAYMENT="mock fail_rate=0.1 latency_ms=200"``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from sandbox.integrations.faults import FaultPlan
from sandbox.integrations.messaging import MockMessaging
from sandbox.integrations.payment import MockPaymentPlatform
from sandbox.integrations.population import MockBusinessRegistry, MockPopulationRegistry
from sandbox.integrations.signing import MockSigningService


@dataclass
class Integrations:
    signing: MockSigningService = field(default_factory=MockSigningService)
    payment: MockPaymentPlatform = field(default_factory=MockPaymentPlatform)
    messaging: MockMessaging = field(default_factory=MockMessaging)
    population: MockPopulationRegistry = field(default_factory=MockPopulationRegistry)
    business_registry: MockBusinessRegistry = field(default_factory=MockBusinessRegistry)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Integrations:
        env = os.environ if env is None else env

        def plan(name: str) -> FaultPlan:
            return FaultPlan.parse(env.get(f"SANDBOX_{name}", "mock"))

        return cls(
            signing=MockSigningService(faults=plan("SIGNING")),
            payment=MockPaymentPlatform(faults=plan("PAYMENT")),
            messaging=MockMessaging(faults=plan("MESSAGING")),
            population=MockPopulationRegistry(faults=plan("POPULATION")),
            business_registry=MockBusinessRegistry(faults=plan("BUSINESS_REGISTRY")),
        )
