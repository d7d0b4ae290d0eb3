"""Running the plan: the shape Locust follows, the thresholds watched while it runs, the verdict at the end.

Imported by the locustfile (whose namespace Locust searches for the shape class); importing this
module registers the abort watcher and the end-of-run judgement on Locust's events.
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from pathlib import Path
from typing import Any

import gevent
from locust import LoadTestShape, events
from locust.runners import WorkerRunner

from loadtests import sizing, thresholds
from loadtests.leases import STATE

PROBE = "/healthz/live"  # the bare endpoint: its latency under load is the run's baseline
log = logging.getLogger("loadtests")


# --- shape -------------------------------------------------------------------------------------------


class GoLiveShape(LoadTestShape):
    """The stages of the chosen shape, in users (all classes scale together; the probe stays at one)."""

    def tick(self) -> tuple[int, float] | None:
        plan: sizing.Plan | None = STATE.get("plan")
        if plan is None or STATE.get("aborted"):
            return None
        stage = plan.stage_at(self.get_run_time())
        if stage is None:
            return None
        users = sum(plan.users_at(stage.factor).values()) + 1
        rate = plan.spawn_rate(stage, getattr(self, "_last_users", 0))
        self._last_users = users - 1
        return users, rate


# --- thresholds: abort while running, judge at the end -----------------------------------------------


def entries_of(environment: Any) -> list[dict[str, Any]]:
    return [dict(e.serialize()) for e in environment.runner.stats.entries.values()]


def duration_of(environment: Any) -> float:
    total = environment.runner.stats.total
    return max(0.0, (total.last_request_timestamp or 0) - (total.start_time or 0))


@events.test_start.add_listener
def _watch(environment: Any, **_: Any) -> None:
    if isinstance(environment.runner, WorkerRunner) or "thresholds" not in STATE:
        return
    rules: thresholds.Thresholds = STATE["thresholds"]
    watched = thresholds.Thresholds(rules.groups, [t for t in rules.items if t.abort], rules.abort_after_s)
    if not watched.items:
        return

    def watch() -> None:
        started = time.monotonic()
        for _ in itertools.count():
            gevent.sleep(2.0)
            if time.monotonic() - started < watched.abort_after_s:
                continue
            failed = [j for j in thresholds.judge(watched, entries_of(environment), duration_of(environment), [PROBE])
                      if j.passed is False]  # fmt: skip
            if failed:
                STATE["aborted"] = (
                    f"Dừng sớm: {failed[0].scope} — {failed[0].description}, đo được {failed[0].measured:g}"
                )
                log.error(STATE["aborted"])
                environment.runner.quit()
                return

    gevent.spawn(watch)


@events.quitting.add_listener
def _judge(environment: Any, **_: Any) -> None:
    if isinstance(environment.runner, WorkerRunner) or "thresholds" not in STATE:
        return
    judgements = thresholds.judge(STATE["thresholds"], entries_of(environment), duration_of(environment), [PROBE])
    result = thresholds.verdict(
        judgements,
        aborted=STATE.get("aborted"),
        shape=STATE["plan"].as_dict(),
        duration_s=round(duration_of(environment), 1),
        probe=PROBE,
    )
    if STATE.get("aborted"):
        result["passed"] = False
    environment.process_exit_code = 0 if result["passed"] else thresholds.EXIT_FAILED
    opts = environment.parsed_options
    if opts is not None and opts.report_dir:
        Path(opts.report_dir).mkdir(parents=True, exist_ok=True)
        (Path(opts.report_dir) / "verdict.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    for j in judgements:
        mark = "CHƯA ĐO" if j.passed is None else "ĐẠT" if j.passed else "KHÔNG ĐẠT"
        print(f"  [{mark}] {j.scope}: {j.description}; đo được {j.measured}", flush=True)
    print("KẾT LUẬN: " + ("ĐẠT" if result["passed"] else "KHÔNG ĐẠT"), flush=True)
